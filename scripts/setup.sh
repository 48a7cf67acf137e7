#!/usr/bin/env bash
# Set up everything kamgraph needs on a fresh machine: a virtualenv with the pinned Python
# packages, the Cypher linter (npm), with --browser Debian's Chromium for the page tests and, with
# --neo4j, Java and Maven (Debian's packages, where missing) and the test Neo4j's jar (cached).
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
            export DEBIAN_FRONTEND=noninteractive
            if [ ! -x /usr/bin/chromium ]; then
                apt-get update -qq
                apt-get install -y -qq chromium >/dev/null
            fi
            # A CJK font, so that the zh-CN pages (and their screenshots) show Chinese, not boxes.
            if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
                apt-get update -qq
                apt-get install -y -qq fonts-wqy-microhei >/dev/null
            fi
            ;;
        --neo4j)
            if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
                if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
                    export DEBIAN_FRONTEND=noninteractive
                    apt-get update -qq
                    apt-get install -y -qq default-jdk-headless maven >/dev/null
                else
                    echo "setup.sh: no Java/Maven and no root apt-get: the Neo4j tests will be skipped" >&2
                fi
            fi
            if command -v java >/dev/null && command -v mvn >/dev/null; then
                bash scripts/neo4j.sh build
            fi
            ;;
    esac
done
