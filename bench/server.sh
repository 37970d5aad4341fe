# Sourced by the bench scripts: builds the release binaries, starts sogs-server with its managed
# PostgreSQL on $PORT in a temporary data directory with a room "bench" (no post rate limit),
# and stops both on exit. Sets BIN, DATA, PUBKEY and SERVER (the server's pid).
PORT=${PORT:-3999}
export SQLX_OFFLINE=true
cargo build --release --quiet -p sogs-server -p sogs-admin -p sogs-bench
BIN=target/release
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
export SOGS_CONFIG="$DATA/sogs.toml"
"$BIN/sogs-admin" --data-dir "$DATA" room add bench >/dev/null
PUBKEY=$("$BIN/sogs-admin" --data-dir "$DATA" room url bench | sed 's/.*public_key=//')
"$BIN/sogs-server" --data-dir "$DATA" 2>"$DATA/server.log" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/capabilities" >/dev/null && break; sleep 0.2; done
