#!/usr/bin/env bash
# Benchmarks a release build of sogs-server with its managed PostgreSQL on this machine.
# Usage: bench/run.sh [--processes N] [clients] [seconds]
#   defaults: 1 server process, 100 clients, 10 s per mode. With --processes N, N server
#   processes share the first one's database and the clients are spread over them.
# Prints Markdown table rows (one per mode); docs/PERFORMANCE.md records the results.
set -euo pipefail
cd "$(dirname "$0")/.."
PROCESSES=1
ARGS=()
while (($#)); do
  case $1 in
    --processes) PROCESSES=$2; shift 2 ;;
    --processes=*) PROCESSES=${1#*=}; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
CLIENTS=${ARGS[0]:-100}
SECONDS_PER_MODE=${ARGS[1]:-10}
# 1 000 paced clients each hold a connection: the load generator needs the descriptors.
ulimit -n "$(ulimit -Hn)"
source bench/server.sh
for i in $(seq 2 "$PROCESSES"); do start_extra_server $((PORT + i - 1)); done

echo "== crypto (one core)"
"$BIN/sogs-bench" verify
load() {
  "$BIN/sogs-bench" load --server "$SERVER_URLS" --pubkey "$PUBKEY" --server-pid "$SERVER_PIDS" \
    --pg-data "$DATA/pg" --seconds "$SECONDS_PER_MODE" "$@"
}
echo
echo "== load: $CLIENTS clients as fast as they can, $PROCESSES server process(es), ${SECONDS_PER_MODE}s per mode"
echo "(server, PostgreSQL and load generator share the machine; CPU as % of all its cores)"
echo
load --clients "$CLIENTS" --mode post --header
# The post mode just added thousands of rows: refresh the planner's statistics now, as
# autovacuum would within a minute on a live server (otherwise `since/0` plans a full sort).
psql -h "$DATA/pg" -U sogs -d sogs -qc "analyze messages, users, reactions, user_reactions"
load --clients "$CLIENTS" --mode fresh-poll --room fresh
for mode in desktop-poll recent poll anon-poll room; do
  load --clients "$CLIENTS" --mode "$mode"
done
echo
echo "== latency at a sustainable rate (paced: one request per client every 500 ms)"
echo
load --clients 1000 --interval-ms 500 --mode desktop-poll --header
for mode in poll post; do
  load --clients 300 --interval-ms 500 --mode "$mode"
done
echo
echo "== downloads: 20 clients fetching one 10 MB file"
echo
"$BIN/sogs-bench" upload --server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" >/dev/null
before=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
load --clients 20 --mode download --header
after=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo
echo "first server's peak RSS: ${before} kB before downloads, ${after} kB after (file: 10000 kB)"
