"""kamgraph: graph-based relationship intelligence for key account management."""
