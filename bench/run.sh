#!/usr/bin/env bash
# Benchmarks a release build of sogs-server with its managed PostgreSQL on this machine.
# Usage: bench/run.sh [clients] [seconds]      (defaults: 100 clients, 10 s per mode)
# Prints one line per mode; docs/PERFORMANCE.md records the results.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-100}
SECONDS_PER_MODE=${2:-10}
source bench/server.sh

echo "== crypto (one core)"
"$BIN/sogs-bench" verify
echo "== load: $CLIENTS clients, ${SECONDS_PER_MODE}s per mode (load generator and server share the machine)"
COMMON=(--server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" --clients "$CLIENTS" --seconds "$SECONDS_PER_MODE")
"$BIN/sogs-bench" load "${COMMON[@]}" --mode post
for mode in poll anon-poll room; do
  "$BIN/sogs-bench" load "${COMMON[@]}" --mode "$mode"
done
echo "== latency at a sustainable rate: 300 clients, one request every 500 ms each (600 req/s)"
for mode in poll post; do
  "$BIN/sogs-bench" load --server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" --clients 300 --seconds "$SECONDS_PER_MODE" --interval-ms 500 --mode "$mode"
done
echo "== downloads: 20 clients fetching one 10 MB file"
"$BIN/sogs-bench" upload --server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" >/dev/null
before=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
"$BIN/sogs-bench" load --server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" --clients 20 --seconds "$SECONDS_PER_MODE" --mode download
after=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo "server peak RSS: ${before} kB before downloads, ${after} kB after (file: 10000 kB)"
