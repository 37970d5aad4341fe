#!/usr/bin/env bash
# Measures what Prometheus recording costs: the same release build with metrics on and off,
# alternated ROUNDS times (post, desktop-poll and recent; CLIENTS clients, SECONDS s each).
# Usage: bench/metrics-ab.sh [rounds] [clients] [seconds]    (defaults: 3 64 8)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
CLIENTS=${2:-64}
SECONDS_PER_MODE=${3:-8}
ulimit -n "$(ulimit -Hn)"
one_server() {
  # In a subshell: bench/server.sh starts the server and stops it on exit.
  (
    source bench/server.sh
    load() {
      "$BIN/sogs-bench" load --server "$SERVER_URLS" --pubkey "$PUBKEY" --server-pid "$SERVER_PIDS" \
        --pg-data "$DATA/pg" --seconds "$SECONDS_PER_MODE" --clients "$CLIENTS" "$@"
    }
    load --mode post --header
    psql -h "$DATA/pg" -U sogs -d sogs -qc "analyze messages, users, reactions, user_reactions"
    load --mode desktop-poll
    load --mode recent
  )
}
for round in $(seq "$ROUNDS"); do
  echo "== round $round: metrics on (each process on its own loopback port)"
  BENCH_METRICS_LISTEN=127.0.0.1:0 one_server
  echo "== round $round: metrics off"
  BENCH_METRICS_LISTEN="" one_server
done
