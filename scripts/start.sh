#!/usr/bin/env bash
# Set everything up, load the demo portfolio into the embedded store and serve kamgraph
# (development mode: the sign-in page offers a leadership demo token).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KAMGRAPH_DATA_DIR=${KAMGRAPH_DATA_DIR:-$PWD/data}
host=${KAMGRAPH_HOST:-127.0.0.1}
port=${KAMGRAPH_PORT:-8000}
.venv/bin/kamgraph init
.venv/bin/kamgraph demo --size demo
token_file="$KAMGRAPH_DATA_DIR/demo-token"
if [ -z "${KAMGRAPH_DEMO_TOKEN:-}" ]; then
    if [ ! -s "$token_file" ]; then
        (umask 077 && .venv/bin/kamgraph token create --role leadership --name demo > "$token_file")
    fi
    KAMGRAPH_DEMO_TOKEN=$(cat "$token_file")
    export KAMGRAPH_DEMO_TOKEN
fi
echo "kamgraph: open http://$host:$port/ and choose 'use the demo token' (leadership)." >&2
echo "kamgraph: the same token for the API (Authorization: Bearer ...) is in $token_file" >&2
exec .venv/bin/kamgraph serve --host "$host" --port "$port"
