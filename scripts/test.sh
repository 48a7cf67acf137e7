#!/usr/bin/env bash
# Set everything up and run the whole test suite: ruff, mypy, the Neo4j Cypher lint and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lint --browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m tools.cypher_lint
.venv/bin/mkdocs build --strict --quiet --site-dir "${TMPDIR:-/tmp}/kamgraph-site"
.venv/bin/python -m pytest -n 2 "$@"
