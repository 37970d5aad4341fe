#!/usr/bin/env bash
# Holds many slow-body connections against a release sogs-server and shows /capabilities and a
# signed poll still answering, with the server's RSS before and during the hold. Each connection
# declares 10 MiB, sends BURST bytes at once, then one byte every 5 s.
# KIND: onion (POST /oxen/v4/lsrpc) or upload (POST /room/bench/file with forged X-SOGS headers
# in a room where anyone may upload).
# Usage: bench/slow-bodies.sh [connections] [seconds] [kind] [burst]
#        (defaults: 1000, 20, onion, 65536)
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1000}
HOLD=${2:-20}
KIND=${3:-onion}
BURST=${4:-65536}
# The load generator holds one descriptor per connection too.
ulimit -n "$(ulimit -Hn)"
source bench/server.sh
# Anyone may upload in the bench room, so the forged uploads pass the header-only pre-check.
"$SERVER_BIN/sogs-admin" --data-dir "$DATA" room update bench --perms rwua >/dev/null
"$BIN/sogs-bench" slow-bodies --address "127.0.0.1:$PORT" --pubkey "$PUBKEY" \
  --connections "$CONNECTIONS" --seconds "$HOLD" --server-pid "$SERVER" --kind "$KIND" --burst "$BURST"
