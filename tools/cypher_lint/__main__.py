"""``python -m tools.cypher_lint``: lint every Cypher statement of the Neo4j backend."""

import sys

from tools.cypher_lint import main

sys.exit(main(sys.argv[1:]))
