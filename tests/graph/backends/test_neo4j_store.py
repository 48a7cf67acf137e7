# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""What is specific to the Neo4j store and holds without a server.

The behaviour of the port runs in ``tests/graph/test_store.py`` against a real Neo4j when
``NEO4J_URI`` is set. Here: failing fast and clearly when the server cannot be reached, the
rules every Cypher statement follows, and the mapping between model records and property maps.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import neo4j
import neo4j.time
import pytest

from graph.backends import open_store
from graph.backends.neo4j import queries as q
from graph.backends.neo4j import records as rec
from graph.backends.neo4j.store import (
    Neo4jStore,
    _InteractionWriters,
    _NewInteraction,
    open_neo4j_store,
    redact_uri,
)
from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    Referral,
    ReportingLine,
    Staff,
    TeamMembership,
)
from graph.store import AnalysisResult, ApiToken, GraphBatch, GraphStore, StoreUnavailableError

UNREACHABLE = "bolt://127.0.0.1:1"


def statements() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(q).items()
        if re.fullmatch(r"[A-Z][A-Z0-9_]*", name) and isinstance(value, str)
    }


# -- reaching the server ---------------------------------------------------------------------


@pytest.mark.parametrize("uri", [UNREACHABLE, "neo4j://127.0.0.1:1"])
def test_unreachable_server_fails_with_uri_and_without_password(uri: str) -> None:
    with pytest.raises(StoreUnavailableError) as info:
        open_neo4j_store(uri, "neo4j", "hunter2-secret", "neo4j")
    message = str(info.value)
    assert message.startswith(f"cannot reach Neo4j at {uri}: ")
    assert "hunter2-secret" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_user_info_in_the_uri_is_not_shown() -> None:
    with pytest.raises(StoreUnavailableError) as info:
        open_neo4j_store("bolt://admin:topsecret@127.0.0.1:1", "admin", "topsecret", "neo4j")
    assert "topsecret" not in str(info.value)
    assert "bolt://127.0.0.1:1" in str(info.value)


def test_unsupported_scheme_is_a_clear_error() -> None:
    with pytest.raises(
        StoreUnavailableError, match=r"cannot reach Neo4j at http://localhost:7474: invalid URI"
    ):
        open_neo4j_store("http://localhost:7474", "neo4j", "pw", "neo4j")


def test_the_factory_opens_neo4j_when_a_uri_is_given() -> None:
    with pytest.raises(StoreUnavailableError, match=r"127\.0\.0\.1:1"):
        open_store(neo4j_uri=UNREACHABLE, neo4j_user="neo4j", neo4j_password="secret-pw")


def test_redact_uri() -> None:
    assert redact_uri("neo4j+s://u:p@db.example.com:7687/x") == "neo4j+s://db.example.com:7687/x"
    assert redact_uri("bolt://localhost") == "bolt://localhost"


def test_a_store_given_a_driver_does_nothing_before_it_is_used() -> None:
    """No schema work in the constructor; close() leaves a driver it was given open."""
    driver = neo4j.GraphDatabase.driver(UNREACHABLE, auth=("neo4j", "pw"), max_transaction_retry_time=0.1)
    try:
        store = Neo4jStore(driver, "neo4j", uri=UNREACHABLE)
        assert isinstance(store, GraphStore) and store.backend == "neo4j"
        store.close()
        store.close()
        with pytest.raises(StoreUnavailableError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
            store.get_accounts(["acme"])
        with pytest.raises(StoreUnavailableError, match=r"127\.0\.0\.1:1"):
            store.ping()
        with pytest.raises(StoreUnavailableError, match=r"127\.0\.0\.1:1"):
            store.counts()
    finally:
        driver.close()


def test_every_port_method_is_implemented() -> None:
    assert not Neo4jStore.__abstractmethods__
    for name, member in inspect.getmembers(GraphStore, inspect.isfunction):
        if getattr(member, "__isabstractmethod__", False):
            assert getattr(Neo4jStore, name) is not member, name
    assert callable(Neo4jStore.wipe)


# -- the statements --------------------------------------------------------------------------


def test_statements_use_only_whitelisted_labels_and_types() -> None:
    found = statements()
    assert len(found) > 50
    for name, text in found.items():
        for label in re.findall(r"\(\s*\w*\s*((?::\w+)+)", text):
            for part in label.split(":")[1:]:
                assert part in q.LABELS, (name, part)
        for types in re.findall(r"\[\s*\w*\s*:(\w+(?:\|\w+)*)", text):
            for part in types.split("|"):
                assert part in q.RELATIONSHIP_TYPES, (name, part)
        for part in re.findall(r"\b\w+:(\w+)\b", text):
            if part[0].isupper() and part not in q.RELATIONSHIP_TYPES:
                assert part in q.LABELS, (name, part)


def test_statements_take_values_only_as_parameters() -> None:
    """The only literals are the fixed kind names a read returns and numeric constants."""
    for name, text in statements().items():
        for literal in re.findall(r"'([^']*)'", text):
            assert literal in {"staff", "contact", "account"}, (name, literal)
        assert not re.search(r"\{\}|\{\d+\}|%s|%\(", text), name


def test_writes_are_unwind_batches_that_merge() -> None:
    for name, text in statements().items():
        if name.startswith("UPSERT_"):
            assert text.lstrip().startswith("UNWIND $rows AS row"), name
            assert "MERGE" in text and "CREATE " not in text, name


def test_schema_statements_are_idempotent() -> None:
    assert q.SCHEMA_STATEMENTS
    for text in q.SCHEMA_STATEMENTS:
        creates = text.startswith("CREATE ") and "IF NOT EXISTS" in text
        drops = text.startswith("DROP ") and text.endswith(" IF EXISTS")
        assert creates or drops, text


def test_labels_and_types_match_the_design() -> None:
    assert {"Account", "Person", "Contact", "Staff", "Interaction"} <= q.LABELS
    assert {
        "WORKS_AT",
        "REPORTS_TO",
        "INFLUENCES",
        "ON_TEAM",
        "PARTICIPATED",
        "ABOUT",
        "ASSESSED",
        "REFERRED",
        "HAS_SIGNAL",
    } == q.RELATIONSHIP_TYPES


# -- records <-> property maps -----------------------------------------------------------------


def stored(row: dict[str, Any], **ends: Any) -> dict[str, Any]:
    """What Neo4j hands back for a row written with ``SET x += row.props``: no null
    properties, temporal values as neo4j.time types."""

    def neo(value: Any) -> Any:
        if isinstance(value, datetime):
            return neo4j.time.DateTime.from_native(value)
        if isinstance(value, date):
            return neo4j.time.Date.from_native(value)
        return value

    props = {k: neo(v) for k, v in row["props"].items() if v is not None}
    return {**props, **ends}


def test_nodes_round_trip() -> None:
    account = Account(
        "acme",
        "Acme",
        industry="retail",
        region="EU",
        tier="strategic",
        annual_revenue=10,
        owner="s1",
        domains=("acme.com",),
        strategic_fit=3,
    )
    assert rec.account_from(stored(rec.account_row(account), id="acme")) == account
    bare = Account("b", "Bare")
    assert rec.account_from(stored(rec.account_row(bare), id="b")) == bare
    contact = Contact(
        "c1",
        "Ada",
        email="Ada@Acme.com",
        title="CEO",
        department="Board",
        level="executive",
        influence=4,
        stance="champion",
        political_status="inner_circle",
    )
    assert rec.person_from("contact", stored(rec.contact_row(contact), id="c1")) == contact
    staff = Staff(
        "s1", "Sam", email="sam@us.example", title="AE", level="management", team_role="account_rep"
    )
    assert rec.person_from("staff", stored(rec.staff_row(staff), id="s1")) == staff


def test_lines_round_trip() -> None:
    e = Employment("c1", "acme", title="CTO", level="executive", roles=frozenset({"champion", "coach"}))
    row = rec.employment_row(e)
    assert row["since_key"] == "" and row["props"]["roles"] == ["champion", "coach"]
    assert rec.employment_from(stored(row, contact_id="c1", account_id="acme")) == e
    dated = replace_since(e, date(2024, 1, 2), date(2024, 12, 31))
    assert rec.employment_from(stored(rec.employment_row(dated), contact_id="c1", account_id="acme")) == dated
    line = ReportingLine("c1", "c2", since=date(2024, 1, 1))
    assert (
        rec.reporting_line_from(stored(rec.reporting_line_row(line), contact_id="c1", manager_id="c2"))
        == line
    )
    infl = InfluenceLine("c1", "c2", 0.25)
    assert (
        rec.influence_line_from(stored(rec.influence_line_row(infl), source_id="c1", target_id="c2")) == infl
    )
    team = TeamMembership("s1", "acme", "delivery_lead", since=date(2024, 1, 1))
    team_row = rec.team_membership_row(team)
    assert (
        rec.team_membership_from(
            stored(team_row, staff_id="s1", account_id="acme", team_role="delivery_lead")
        )
        == team
    )
    assessment = Assessment("s1", "c1", "trusted_advisor", date(2024, 5, 1))
    a_row = rec.assessment_row(assessment)
    assert rec.assessment_from(stored(a_row, staff_id="s1", contact_id="c1", at=a_row["at"])) == assessment
    referral = Referral("c1", "contact", "globex", date(2024, 2, 1), "won", 5000)
    r_row = rec.referral_row(referral)
    assert (
        rec.referral_from(stored(r_row, source_id="c1", source_kind="contact", target_id="globex"))
        == referral
    )


def replace_since(e: Employment, since: date, until: date) -> Employment:
    return Employment(e.contact_id, e.account_id, e.title, e.department, e.level, e.roles, since, until)


def test_interaction_round_trip_keeps_the_instant_in_utc() -> None:
    local = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    interaction = Interaction("m1", "meeting", local, "crm", "QBR", ("s1", "c1"), ("acme",))
    written = rec.interaction_row(interaction)
    assert written["at"] == "2025-03-01T08:30:15.123456+00:00"  # UTC text, datetime() on the server
    # What the reads return: toString() of the stored DATETIME.
    row = stored(
        written, id="m1", at="2025-03-01T08:30:15.123456Z", participants=["c1", "s1"], accounts=["acme"]
    )
    back = rec.interaction_from(row)
    assert back == interaction
    assert back.at.tzinfo is UTC and back.at.isoformat() == "2025-03-01T08:30:15.123456+00:00"


def test_results_and_tokens_round_trip() -> None:
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    result = AnalysisResult("health", "acme", date(2025, 1, 1), {"score": 81.5, "bands": ["green"]}, 7)
    row = rec.result_row(result, now)
    assert isinstance(row["payload"], str)
    back = rec.result_from({k: v for k, v in row.items() if v is not None})
    assert back == AnalysisResult("health", "acme", date(2025, 1, 1), result.payload, 7, now)
    token = ApiToken("ab" * 32, "ci", "admin", None, now, revoked=True)
    t_row = rec.token_row(token)
    assert rec.token_from(stored(t_row, token_hash=t_row["token_hash"])) == token


# -- the import's interaction writers ----------------------------------------------------------


def _new(interaction_id: str, account_id: str) -> _NewInteraction:
    row = {"id": interaction_id, "at": "2024-01-01T00:00:00+00:00", "props": {}, "participants": []}
    return _NewInteraction({**row, "accounts": [account_id]}, frozenset({account_id}))


def test_interaction_writers_cut_chunks_of_whole_accounts() -> None:
    chunks: list[list[str]] = []
    lock = threading.Lock()

    def create(new: Sequence[_NewInteraction]) -> None:
        with lock:
            chunks.append([n.row["accounts"][0] for n in new])

    # 3 accounts of 3,000 interactions, shuffled: a chunk closes after 5,000 at an account's end
    new = [_new(f"i{a}-{k}", f"a{a}") for k in range(3000) for a in range(3)]
    with _InteractionWriters(create, workers=2) as writers:
        writers.submit(new)
    assert sorted(len(c) for c in chunks) == [3000, 6000]
    for chunk in chunks:
        assert chunk == sorted(chunk)  # one account's interactions stay together
    assert sorted(a for c in chunks for a in set(c)) == ["a0", "a1", "a2"]


def test_interaction_writers_raise_the_first_failure_in_the_importing_thread() -> None:
    def create(new: Sequence[_NewInteraction]) -> None:
        raise StoreUnavailableError("cannot reach Neo4j at bolt://db:7687: gone")

    with (
        pytest.raises(StoreUnavailableError, match="gone"),
        _InteractionWriters(create, workers=2) as writers,
    ):
        writers.submit([_new("i1", "acme")])
        writers.wait_for({"other"}, {"acme"})  # names the chunk's account: waits for it


def test_interaction_writers_wait_for_a_chunk_holding_an_id_before_the_next_batch() -> None:
    release = threading.Event()
    done: list[str] = []

    def create(new: Sequence[_NewInteraction]) -> None:
        release.wait(timeout=10)
        done.append(new[0].row["id"])

    with _InteractionWriters(create, workers=2) as writers:
        writers.submit([_new("i1", "acme")])
        threading.Timer(0.2, release.set).start()
        writers.wait_for({"i1"}, set())  # returns only once the chunk creating i1 committed
        assert done == ["i1"]


def test_created_interaction_already_stored_by_another_writer_takes_the_last_write(
    neo4j_store: Neo4jStore,
) -> None:
    t = datetime(2024, 1, 1, 9, tzinfo=UTC)
    neo4j_store.write(
        GraphBatch(
            accounts=[Account("acme", "Acme")],
            contacts=[Contact("c1", "Ada"), Contact("c2", "Bob")],
            staff=[Staff("s1", "Sam")],
            employments=[Employment("c1", "acme"), Employment("c2", "acme")],
            interactions=[Interaction("i1", "call", t, participants=("s1", "c1"), accounts=("acme",))],
        )
    )
    later = Interaction("i1", "meeting", t, participants=("s1", "c2"), accounts=("acme",))
    neo4j_store._create_interactions([_NewInteraction(rec.interaction_row(later), frozenset({"acme"}))])
    assert list(neo4j_store.iter_records("interaction")) == [later]


def test_created_interactions_store_every_property_of_the_row() -> None:
    t = datetime(2024, 1, 1, 9, tzinfo=UTC)
    row = rec.interaction_row(Interaction("i1", "call", t, participants=("s1", "c1"), subject="Kick-off"))
    for name in row["props"]:
        assert f"{name}: row.props.{name}" in q.CREATE_INTERACTIONS, name


def test_an_import_of_interactions_with_and_without_subjects_reads_back_equal(
    neo4j_store: Neo4jStore,
) -> None:
    t = datetime(2024, 1, 1, 9, tzinfo=UTC)
    base = GraphBatch(
        accounts=[Account("acme", "Acme")], contacts=[Contact("c1", "Ada")], staff=[Staff("s1", "Sam")]
    )
    neo4j_store.write(base)
    written = [
        Interaction("i1", "call", t, participants=("s1", "c1"), accounts=("acme",), subject="Kick-off"),
        Interaction("i2", "email", t, participants=("s1", "c1"), source="crm"),
    ]
    neo4j_store.write_many([GraphBatch(interactions=written)])
    assert list(neo4j_store.iter_records("interaction")) == written
