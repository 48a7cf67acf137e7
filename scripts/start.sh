#!/usr/bin/env bash
# Set everything up, load the demo portfolio into the embedded store and serve kamgraph.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KAMGRAPH_DATA_DIR=${KAMGRAPH_DATA_DIR:-$PWD/data}
.venv/bin/kamgraph init
.venv/bin/kamgraph demo --size demo
exec .venv/bin/kamgraph serve --host "${KAMGRAPH_HOST:-127.0.0.1}" --port "${KAMGRAPH_PORT:-8000}"
