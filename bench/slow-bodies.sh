#!/usr/bin/env bash
# Holds many slow-body connections (onion requests declaring 10 MB and sending 64 KiB, then one
# byte every 5 s) against a release sogs-server, and shows /capabilities and a signed poll
# still answering, with the server's RSS before and during the hold.
# Usage: bench/slow-bodies.sh [connections] [seconds]      (defaults: 1000, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1000}
HOLD=${2:-20}
# The load generator holds one descriptor per connection too.
ulimit -n "$(ulimit -Hn)"
source bench/server.sh
"$BIN/sogs-bench" slow-bodies --address "127.0.0.1:$PORT" --pubkey "$PUBKEY" \
  --connections "$CONNECTIONS" --seconds "$HOLD" --server-pid "$SERVER"
