"""Services: the one place that combines the store (the port of :mod:`graph.store`) with the analyses.

The analyses (:mod:`graph.analysis`) are pure: they take records and return results. A service
reads what an analysis needs through the port, runs it and writes what should be kept:

* :mod:`graph.services.refresh`: the portfolio refresh (materialised results per account and
  day, over worker processes) and the portfolio view read from them;
* :mod:`graph.services.job_changes`: job changes through the store (recording one, those an
  import implies, their reports with warm paths);
* :mod:`graph.services.portfolio`: the portfolio report's figures (a day, an earlier day, the
  diff);
* :mod:`graph.services.cache`: the per-process cache of computed analyses, keyed by data version.

The API, the CLI, the GraphQL schema and the importers call the services; the services never
name a backend (they are given a store, or a factory that opens one).
"""
