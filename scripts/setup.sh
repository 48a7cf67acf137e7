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
            # Node tools: Neo4j's Cypher linter and the GraphQL-over-HTTP audit suite.
            for tool in tools/cypher-lint tools/graphql-http-audit; do
                if [ ! -d "$tool/node_modules" ] || [ "$tool/package-lock.json" -nt "$tool/node_modules" ]; then
                    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
                fi
            done
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
