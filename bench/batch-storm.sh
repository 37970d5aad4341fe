#!/usr/bin/env bash
# Keeps worst-case /batch requests (256 × messages/recent?limit=256 in a room of 256 large
# messages) running against a release sogs-server and measures /capabilities meanwhile.
# Usage: bench/batch-storm.sh [batches] [seconds] [message bytes]   (defaults: 4, 20, 60000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server.sh
"$BIN/sogs-bench" batch-storm --server "http://127.0.0.1:$PORT" --pubkey "$PUBKEY" \
  --batches "${1:-4}" --seconds "${2:-20}" --message-bytes "${3:-60000}"
