# Sourced by the bench scripts: builds the release binaries, starts sogs-server with its managed
# PostgreSQL on $PORT in a temporary data directory with a room "bench" (no post rate limit),
# and stops everything on exit. Sets BIN, DATA, PUBKEY, SERVER (the server's pid) and
# SERVER_PIDS / SERVER_URLS (comma-separated; `start_extra_server` appends to them).
# SOGS_BENCH_SERVER_DIR=DIR takes sogs-server and sogs-admin from DIR instead (for a before/after
# comparison against another build; the load generator is always this tree's).
PORT=${PORT:-3999}
export SQLX_OFFLINE=true
cargo build --release --quiet -p sogs-server -p sogs-admin -p sogs-bench
BIN=target/release
SERVER_BIN=${SOGS_BENCH_SERVER_DIR:-$BIN}
DATA=$(mktemp -d /tmp/sogs-bench-XXXXXX)
cat > "$DATA/sogs.toml" <<TOML
[server]
listen = "127.0.0.1:$PORT"
[db]
max_connections = 20
[room.bench]
rate_limit_posts = 0
[log]
level = "warn"
TOML
# The server's default metrics listener unless BENCH_METRICS_LISTEN is set ("" turns metrics
# off; bench/metrics-ab.sh sets it). Builds from before [metrics] existed need it unset.
if [ -n "${BENCH_METRICS_LISTEN+set}" ]; then
  printf '[metrics]\nlisten = "%s"\n' "$BENCH_METRICS_LISTEN" >> "$DATA/sogs.toml"
fi
export SOGS_CONFIG="$DATA/sogs.toml"
EXTRA_PIDS=()
EXTRA_DIRS=()
bench_stop() {
  # Extra servers first: the first one owns the managed cluster and stops it.
  local pid
  for pid in "${EXTRA_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${EXTRA_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA" "${EXTRA_DIRS[@]}"
}
wait_up() {
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/capabilities" >/dev/null && return 0; sleep 0.2; done
  echo "server on port $1 did not come up" >&2
  return 1
}
"$SERVER_BIN/sogs-admin" --data-dir "$DATA" room add bench >/dev/null
# A room of 100 messages (the fresh-poll mode seeds it): a first poll of it is `since/0`.
"$SERVER_BIN/sogs-admin" --data-dir "$DATA" room add fresh >/dev/null
PUBKEY=$("$SERVER_BIN/sogs-admin" --data-dir "$DATA" room url bench | sed 's/.*public_key=//')
"$SERVER_BIN/sogs-server" --data-dir "$DATA" 2>"$DATA/server.log" &
SERVER=$!
trap bench_stop EXIT
wait_up "$PORT"
SERVER_PIDS=$SERVER
SERVER_URLS="http://127.0.0.1:$PORT"

# start_extra_server PORT: another server process on the first one's database (its managed
# cluster, through the socket in $DATA/pg), with its own data directory but the same key.
start_extra_server() {
  local port=$1 dir
  dir=$(mktemp -d /tmp/sogs-bench-XXXXXX)
  EXTRA_DIRS+=("$dir")
  cp -p "$DATA/key_x25519" "$dir/"
  "$SERVER_BIN/sogs-server" --data-dir "$dir" --listen "127.0.0.1:$port" \
    --database-url "postgres://sogs@localhost/sogs?host=$DATA/pg" 2>"$dir/server.log" &
  EXTRA_PIDS+=("$!")
  SERVER_PIDS="$SERVER_PIDS,$!"
  SERVER_URLS="$SERVER_URLS,http://127.0.0.1:$port"
  wait_up "$port"
}
