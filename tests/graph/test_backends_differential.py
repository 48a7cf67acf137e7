"""Differential test: the embedded SQLite store and Neo4j give the same answers on the same data.

Each *world* (the demo portfolio, and the hand-built KAM cases of the analysis tests) is written
into a fresh store of each backend through the same path (:func:`importers.base.load_records`,
then the reference date). Every read the analyses and the API rely on is then asked of both
stores and the two answers compared in a strict plain form (:func:`plain`: types, order of
sequences and every float bit kept; only the order of mappings and sets, which the port does not
promise, is ignored):

* the native export, csv and jsonl: byte-identical files (:func:`importers.export.export_store`),
  and the same ``counts``;
* the paged account listing;
* ``account_subgraph`` of every account at several days (the reference date, 90 and 365 days
  before it, and a day before most of the data);
* the pure analyses of those subgraphs: the portfolio payload of every account (coverage,
  threads, single points of contact, departure impacts, health, revenue at risk, alerts), the
  full account analysis with all its tie evidence, the relationship graph, and the portfolio view;
* job changes and their reports (with their warm-path searches);
* the referral graph (whole and from each account), the referral network and its analyses;
* warm paths from our staff to a sample of people, with every ``neighbourhood`` read the
  searches made.

Neither backend is the oracle: whichever answer differs, the test fails with the first point of
difference (``sqlite ... != neo4j ...``). A world is loaded once per module: the world fixture is
module-scoped and parametrised, so pytest runs the tests of one world together and drops its
stores before the next world wipes the one Neo4j database.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.analysis.account import analyse_account
from graph.analysis.job_changes import job_change_reports
from graph.analysis.portfolio import account_payload, portfolio_view
from graph.analysis.referrals import account_referrals, referral_network, referral_tree, top_referrers
from graph.analysis.relgraph import example_subgraph, relationship_graph
from graph.analysis.warm_paths import warm_paths
from graph.model import Account
from graph.store import RECORD_KINDS, AccountSubgraph, GraphStore, Neighbourhood, kind_of
from importers import demo
from importers.base import load_records
from importers.export import export_store
from tests.conftest import make_store
from tests.graph.analysis.builders import AS_OF as CASES_AS_OF
from tests.graph.analysis.test_coverage import chain
from tests.graph.analysis.test_risk import _rep_account, single_threaded

pytestmark = pytest.mark.neo4j  # joins the Neo4j xdist group: the one database is shared

BACKENDS = ("sqlite", "neo4j")


# -- the worlds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """One data set to write into both backends, the day it is as of and the days it is read at."""

    name: str
    records: Callable[[], Iterable[Any]]
    reference: date
    days: tuple[date, ...]
    has_referrals: bool = False
    has_job_changes: bool = False


def case_records(subgraphs: Iterable[AccountSubgraph]) -> list[Any]:
    """The records of hand-built subgraphs, each once, in write order (nodes before lines)."""
    unique: dict[Any, None] = {}
    for sub in subgraphs:
        for record in (
            sub.account,
            *sub.contacts,
            *sub.staff,
            *sub.employments,
            *sub.former_employments,
            *sub.reporting_lines,
            *sub.influence_lines,
            *sub.team,
            *sub.interactions,
            *sub.assessments,
        ):
            unique[record] = None  # the accounts of one case share their staff records
    return sorted(unique, key=lambda record: RECORD_KINDS.index(kind_of(record)))


# The builders filter by day; built as of the last day they hold every record, and the stores
# do the filtering by day.
_EVERYTHING = date.max

# The KAM cases of tests/graph/analysis, each its own world (their ids overlap: "rep", "acme").
_CASE_DAYS = (CASES_AS_OF, date(2025, 5, 15), CASES_AS_OF - timedelta(days=365))
WORLDS: tuple[World, ...] = (
    World(
        "demo",
        lambda: demo.generate("demo", 7),
        demo.REFERENCE_DATE,
        (
            demo.REFERENCE_DATE,
            demo.REFERENCE_DATE - timedelta(days=90),
            demo.REFERENCE_DATE - timedelta(days=365),
            demo.START_DATE + timedelta(days=30),  # the interaction history starts on START_DATE
        ),
        has_referrals=True,
        has_job_changes=True,
    ),
    World(
        "single-threaded",  # the director who leaves (test_risk)
        lambda: case_records([single_threaded().build(_EVERYTHING)]),
        CASES_AS_OF,
        _CASE_DAYS,
    ),
    World(
        "one-rep-three-accounts",  # the rep who holds every tie of three accounts (test_risk)
        lambda: case_records(
            _rep_account(aid, revenue).build(_EVERYTHING)
            for aid, revenue in (("a1", 1_000_000.0), ("a2", 500_000.0), ("a3", 250_000.0))
        ),
        CASES_AS_OF,
        _CASE_DAYS,
    ),
    World("chain", lambda: case_records([chain().build(_EVERYTHING)]), CASES_AS_OF, _CASE_DAYS),
    World("example", lambda: case_records([example_subgraph()]), date(2025, 6, 30), _CASE_DAYS),
)


@dataclass
class Loaded:
    """A world written into a store of each backend."""

    world: World
    stores: dict[str, GraphStore]
    account_ids: list[str]

    def each(self, read: Callable[[GraphStore], Any]) -> tuple[Any, Any]:
        """``read`` of the SQLite store and of the Neo4j store."""
        return read(self.stores["sqlite"]), read(self.stores["neo4j"])


@pytest.fixture(scope="module", params=WORLDS, ids=[w.name for w in WORLDS])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    world: World = request.param
    stores: dict[str, GraphStore] = {}
    try:
        # Neo4j first: without a server the module is skipped before anything is loaded
        for backend in reversed(BACKENDS):
            store = make_store(backend, tmp_path_factory.mktemp(f"{world.name}-{backend}"))
            stores[backend] = store
            load_records(store, world.records())
            store.set_reference_date(world.reference)
        account_ids = [a.id for a in all_accounts(stores["sqlite"])]
        yield Loaded(world, {b: stores[b] for b in BACKENDS}, account_ids)
    finally:
        for store in stores.values():
            store.close()


@pytest.fixture(scope="module")
def subgraphs(loaded: Loaded) -> dict[str, dict[tuple[str, date], AccountSubgraph]]:
    """Every account's subgraph at every day of the world, per backend (read once per module)."""
    keys = [(account_id, day) for day in loaded.world.days for account_id in loaded.account_ids]
    read: dict[str, dict[tuple[str, date], AccountSubgraph]] = {}
    # a few reads at a time: a Neo4j read waits mostly on the round trips
    with ThreadPoolExecutor(max_workers=4) as pool:
        for backend, store in loaded.stores.items():
            answers = pool.map(lambda key, store=store: store.account_subgraph(*key), keys)
            read[backend] = dict(zip(keys, answers, strict=True))
    return read


def all_accounts(store: GraphStore, page_size: int = 7) -> list[Account]:
    """Every account, through the keyset pages (a small page size: several pages)."""
    accounts: list[Account] = []
    cursor: str | None = None
    while True:
        page = store.list_accounts(None, first=page_size, after=cursor)
        accounts += page.items
        if not page.has_next:
            return accounts
        cursor = page.end_cursor


# -- comparing ----------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A strict plain form of ``value``, for comparing two backends' answers.

    Dataclasses keep their type name, numbers their type (``1``, ``1.0`` and ``True`` differ) and
    exact value, datetimes their UTC offset, sequences their order; mappings, sets and networkx
    graphs are compared without order (the port promises none for them).
    """
    kind = type(value)  # exact types first: this runs over every field of every answer
    if kind is str or kind is bool or value is None:
        return value
    if kind is int or kind is float:
        return f"{kind.__name__}:{value!r}"
    if kind is tuple or kind is list:
        return [plain(v) for v in value]
    if kind is dict:
        return {k if type(k) is str else repr(plain(k)): plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"<type>": kind.__name__, **fields}
    if isinstance(value, enum.Enum):
        return f"{kind.__name__}.{value.name}"
    if isinstance(value, datetime | date):
        return f"{kind.__name__}:{value.isoformat()}"
    if isinstance(value, nx.Graph):
        return {
            "<type>": kind.__name__,
            "graph": plain(value.graph),
            "nodes": plain(dict(value.nodes(data=True))),
            "edges": plain({(u, v): data for u, v, data in value.edges(data=True)}),
        }
    if isinstance(value, Mapping):
        return plain(dict(value))
    if isinstance(value, AbstractSet):
        return {"<set>": sorted((plain(v) for v in value), key=repr)}
    raise TypeError(f"no plain form for {kind.__name__}")


def first_difference(left: Any, right: Any, path: str = "") -> str | None:
    """Where two plain forms first differ (``None`` when they are equal)."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            if key not in left or key not in right:
                side = "sqlite" if key in left else "neo4j"
                return f"{path}[{key!r}] only in {side}"
            found = first_difference(left[key], right[key], f"{path}[{key!r}]")
            if found is not None:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        for i, (a, b) in enumerate(zip(left, right, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        if len(left) != len(right):
            return f"{path}: {len(left)} items in sqlite, {len(right)} in neo4j"
        return None
    return None if left == right else f"{path}: sqlite {left!r} != neo4j {right!r}"


def assert_same(answers: tuple[Any, Any], what: str) -> None:
    """The two backends' answers are the same data (``answers``: sqlite's, then neo4j's)."""
    left, right = plain(answers[0]), plain(answers[1])
    if left != right:  # walk the forms only to say where they differ
        pytest.fail(f"{what}: {first_difference(left, right)}")


def assert_same_json(answers: tuple[Any, Any], what: str) -> None:
    """:func:`assert_same` for JSON payloads: their sorted JSON text is already a strict form."""
    if json.dumps(answers[0], sort_keys=True) != json.dumps(answers[1], sort_keys=True):
        assert_same(answers, what)


def logging_fetch(store: GraphStore, day: date, log: list[tuple[list[str], Neighbourhood]]) -> Any:
    """``store.neighbourhood`` as a warm-path fetch, every call and answer appended to ``log``."""

    def fetch(person_ids: Sequence[str]) -> Neighbourhood:
        hood = store.neighbourhood(person_ids, day)
        log.append((list(person_ids), hood))
        return hood

    return fetch


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_is_byte_identical(loaded: Loaded, tmp_path: Path, fmt: str) -> None:
    written = {b: export_store(s, tmp_path / b, fmt) for b, s in loaded.stores.items()}
    assert written["sqlite"] == written["neo4j"]
    assert sum(written["sqlite"].values()) > 0
    assert loaded.stores["sqlite"].counts() == loaded.stores["neo4j"].counts() == written["sqlite"]
    files = {b: sorted(p.name for p in (tmp_path / b).iterdir()) for b in BACKENDS}
    assert files["sqlite"] == files["neo4j"]
    for name in files["sqlite"]:
        lite, neo = ((tmp_path / b / name).read_bytes() for b in BACKENDS)
        assert lite == neo, f"{name} differs between the backends' exports"
    assert_same(loaded.each(lambda s: s.reference_date()), "reference date")


def test_account_listing_is_identical(loaded: Loaded) -> None:
    assert_same(loaded.each(all_accounts), "the paged account listing")
    assert_same(loaded.each(lambda s: s.get_accounts(loaded.account_ids)), "get_accounts")
    assert_same(loaded.each(lambda s: s.data_versions().keys()), "accounts with a data version")


def test_account_subgraphs_are_identical(
    loaded: Loaded, subgraphs: dict[str, dict[tuple[str, date], AccountSubgraph]]
) -> None:
    for key, lite in subgraphs["sqlite"].items():
        assert_same((lite, subgraphs["neo4j"][key]), f"account_subgraph{key}")
    # not a comparison of empty answers
    at_reference = [s for (_, day), s in subgraphs["sqlite"].items() if day == loaded.world.reference]
    assert all(s.contacts for s in at_reference) and any(s.interactions for s in at_reference)


def test_account_analyses_are_identical(
    loaded: Loaded, subgraphs: dict[str, dict[tuple[str, date], AccountSubgraph]]
) -> None:
    payloads: dict[str, dict[date, dict[str, Any]]] = {b: {} for b in BACKENDS}
    for key in subgraphs["sqlite"]:
        account_id, day = key
        lite, neo = (subgraphs[b][key] for b in BACKENDS)
        what = f"{account_id} at {day}"
        pair = (account_payload(lite), account_payload(neo))
        assert_same_json(pair, f"account_payload of {what}")
        for backend, payload in zip(BACKENDS, pair, strict=True):
            payloads[backend].setdefault(day, {})[account_id] = payload
        if day == loaded.world.reference:  # every tie's whole evidence (the payload keeps three)
            assert_same_json(
                (analyse_account(lite).to_payload(10**6), analyse_account(neo).to_payload(10**6)),
                f"analyse_account of {what}",
            )
        assert_same((relationship_graph(lite), relationship_graph(neo)), f"relationship_graph of {what}")
    for day in loaded.world.days:
        assert_same(
            tuple(portfolio_view(payloads[b][day], day) for b in BACKENDS), f"portfolio_view at {day}"
        )


def test_job_changes_and_their_reports_are_identical(loaded: Loaded) -> None:
    day = loaded.world.reference
    for since in (None, day - timedelta(days=365)):
        changes = loaded.each(lambda s, since=since: s.job_changes(since, day))
        assert_same(changes, f"job_changes since {since}")
    changes = loaded.each(lambda s: s.job_changes(None, day))
    assert bool(changes[0]) == loaded.world.has_job_changes

    def reports(store: GraphStore) -> tuple[Any, ...]:
        moved = store.job_changes(None, day)
        log: list[tuple[list[str], Neighbourhood]] = []
        found = job_change_reports(
            moved,
            store.account_subgraph,
            as_of=day,
            fetch=logging_fetch(store, day, log),
            accounts=store.get_accounts(sorted({c.new.account_id for c in moved})),
        )
        return [r.to_payload() for r in found], found, log

    assert_same(loaded.each(reports), f"job_change_reports at {day}")


def test_referral_network_and_its_analyses_are_identical(loaded: Loaded) -> None:
    whole = loaded.stores["sqlite"].referral_graph(loaded.world.reference)
    # from every account a referral touches, and from two (most likely) untouched by any
    roots = sorted({*whole.accounts, *loaded.account_ids[:2]})
    for day in loaded.world.days:
        graphs = loaded.each(lambda s, day=day: s.referral_graph(day))
        assert_same(graphs, f"referral_graph at {day}")
        for account_id in roots:
            for depth in (1, None):
                assert_same(
                    loaded.each(lambda s, a=account_id, d=depth, day=day: s.referral_graph(day, a, d)),
                    f"referral_graph at {day} from {account_id} within {depth} hops",
                )

        def analyses(store: GraphStore, day: date = day) -> dict[str, Any]:
            graph = store.referral_graph(day)
            jobs = store.employments_of(sorted(graph.contacts))
            network = referral_network(graph, [e for rows in jobs.values() for e in rows])
            accounts = sorted(n for n in network if network.nodes[n]["account"] is not None)
            return {
                "employments_of": jobs,
                "network": network,
                "account_referrals": [account_referrals(network, a) for a in accounts],
                "trees": [referral_tree(network, a, 2) for a in accounts],
                "top_referrers": top_referrers(network, k=20),
                "top_accounts": top_referrers(network, k=20, include_contacts=False),
            }

        assert_same(loaded.each(analyses), f"referral analyses at {day}")
    assert bool(whole.referrals) == loaded.world.has_referrals


def warm_path_people(store: GraphStore) -> tuple[list[str], list[str]]:
    """A few of our staff and a spread of contacts (by id) to search warm paths between."""
    staff = [s.id for s in store.iter_records("staff")]
    contacts = [c.id for c in store.iter_records("contact")]
    step = max(1, len(contacts) // 8)
    return staff[:: max(1, len(staff) // 3)][:3], contacts[::step][:8]


@pytest.mark.parametrize("from_given_staff", [False, True], ids=["any-staff", "given-staff"])
def test_warm_paths_are_identical(loaded: Loaded, from_given_staff: bool) -> None:
    people = loaded.each(warm_path_people)
    assert_same(people, "the people searched")
    staff_ids, targets = people[0]
    searches = [
        (day, target)
        for day in (loaded.world.reference, loaded.world.reference - timedelta(days=365))
        for target in targets
    ]

    def search(store: GraphStore, day: date, target: str) -> tuple[Any, Any]:
        log: list[tuple[list[str], Neighbourhood]] = []
        paths = warm_paths(
            logging_fetch(store, day, log), target, day, staff_ids=staff_ids if from_given_staff else None
        )
        return paths, log

    # a few searches at a time: each waits mostly on its Neo4j round trips
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = {
            backend: list(pool.map(lambda key, store=store: search(store, *key), searches))
            for backend, store in loaded.stores.items()
        }
    found = 0
    for (day, target), lite, neo in zip(searches, answers["sqlite"], answers["neo4j"], strict=True):
        assert_same((lite, neo), f"warm paths to {target} at {day}")
        found += len(lite[0])
    assert found > 0  # not a comparison of empty answers
