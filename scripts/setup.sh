#!/usr/bin/env bash
# Set up everything kamgraph needs on a fresh machine: a virtualenv with the pinned Python
# packages, the Cypher linter (npm) and, with --browser, Debian's Chromium for the page tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.kamgraph-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev,bench]'
    touch "$stamp"
fi
for arg in "$@"; do
    case "$arg" in
        --lint)
            if [ ! -d tools/cypher-lint/node_modules ] || [ tools/cypher-lint/package-lock.json -nt tools/cypher-lint/node_modules ]; then
                (cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error)
            fi
            ;;
        --browser)
            if [ ! -x /usr/bin/chromium ]; then
                export DEBIAN_FRONTEND=noninteractive
                apt-get update -qq
                apt-get install -y -qq chromium >/dev/null
            fi
            ;;
    esac
done
