#!/usr/bin/env bash
# Set everything up and run the whole test suite: ruff, mypy, the Neo4j Cypher lint and pytest,
# on both backends: a test Neo4j (scripts/neo4j.sh) runs for the length of the suite and is
# stopped however the run ends. Without Java the Neo4j cases are reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lint --browser --neo4j
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m tools.cypher_lint
.venv/bin/mkdocs build --strict --quiet --site-dir "${TMPDIR:-/tmp}/kamgraph-site"
if command -v java >/dev/null && command -v mvn >/dev/null; then
    export KAMGRAPH_NEO4J_STATE="${KAMGRAPH_NEO4J_STATE:-$PWD/.neo4j-test/suite-$$}"
    trap 'bash scripts/neo4j.sh stop' EXIT
    trap 'exit 130' INT TERM HUP
    bash scripts/neo4j.sh start >/dev/null
    eval "$(bash scripts/neo4j.sh env)"
    # A whole run on a live server: every Cypher constant must have run (tests/conftest.py).
    if [ "$#" -eq 0 ]; then
        export KAMGRAPH_CYPHER_COVERAGE="${KAMGRAPH_CYPHER_COVERAGE:-1}"
    fi
else
    echo "test.sh: no Java/Maven, so no test Neo4j: the Neo4j cases are skipped" >&2
fi
# The Neo4j cases share one server: they run in one xdist group, one after another.
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
