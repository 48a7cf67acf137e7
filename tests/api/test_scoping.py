"""More role rules: the viewer, every mutation refused to readers, people reached through teams."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from graph.backends.sqlite.store import SqliteStore
from graph.store import RECORD_KINDS
from tests.api.conftest import Api, _client
from tests.api.helpers import Portfolio

MUTATIONS = [
    'upsertAccount(input: {id: "x", name: "X"})',
    'upsertContact(input: {id: "x", name: "X"})',
    'upsertStaff(input: {id: "x", name: "X"})',
    'upsertEmployment(input: {contactId: "x", accountId: "y"})',
    'upsertTeamMembership(input: {staffId: "x", accountId: "y", teamRole: ACCOUNT_REP})',
    'upsertReportingLine(input: {contactId: "x", managerId: "y"})',
    'upsertInfluenceLine(input: {sourceId: "x", targetId: "y"})',
    'recordInteraction(input: {id: "x", kind: CALL, at: "2025-01-01T00:00:00Z"})',
    'assessTie(input: {staffId: "x", contactId: "y", level: VENDOR, at: "2025-01-01"})',
    'linkReferral(input: {sourceId: "x", sourceKind: "account", targetId: "y", at: "2025-01-01"})',
    'setRoles(contactId: "x", accountId: "y", roles: [CHAMPION])',
    'moveContact(input: {contactId: "x", accountId: "y", since: "2025-01-01"})',
    "importBatch(batch: {})",
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.split("(")[0] for m in MUTATIONS])
def test_every_mutation_is_forbidden_to_readers(api: Api, mutation: str) -> None:
    for token in ("leadership", "manager"):
        data = api.data(
            f"mutation {{ m: {mutation} {{ __typename ... on Forbidden {{ message requiredRole }} }} }}",
            token,
        )
        assert data["m"]["__typename"] == "Forbidden" and data["m"]["requiredRole"] == "admin"
        name = mutation.split("(")[0]
        if token == "manager" and name in _REP_WRITES:
            # account managers write these on their own accounts only; these inputs are not theirs
            assert _REP_WRITES[name] in data["m"]["message"]
        else:
            assert "writes need the admin role" in data["m"]["message"]


#: What an account manager may write on their accounts, and why the sweep's inputs are refused.
_REP_WRITES = {
    "recordInteraction": "logs interactions about their accounts",
    "assessTie": "you rate your own ties",
}


def test_viewer(api: Api, portfolio: Portfolio) -> None:
    query = "{ viewer { role staffId tokenName service } }"
    assert api.data(query, token=None) == {"viewer": None}
    assert api.data(query, token="manager")["viewer"] == {
        "role": "account_manager",
        "staffId": portfolio.manager_id,
        "tokenName": "manager",
        "service": False,
    }
    assert api.data(query, token="service")["viewer"]["role"] == "leadership"
    assert api.data(query, token="service_admin")["viewer"] == {
        "role": "admin",
        "staffId": None,
        "tokenName": "service_admin",
        "service": True,
    }


def test_account_manager_reaches_their_team_but_not_other_staff(api: Api, portfolio: Portfolio) -> None:
    mine = sorted(portfolio.manager_accounts)[0]
    team = api.data(
        "query T($id: ID!) { account(id: $id) { team { staffId staff { id } } } }",
        token="manager",
        variables={"id": mine},
    )["account"]["team"]
    assert team and all(m["staff"] == {"id": m["staffId"]} for m in team)
    other_team = api.data(
        "query T($id: ID!) { account(id: $id) { team { staffId } } }",
        variables={"id": portfolio.other_account},
    )["account"]["team"]
    mine_staff = {m["staffId"] for a in portfolio.manager_accounts for m in _team(api, a)}
    outsiders = [m["staffId"] for m in other_team if m["staffId"] not in mine_staff]
    for staff_id in outsiders:
        assert api.data("query P($id: ID!) { person(id: $id) { id } }", "manager", {"id": staff_id}) == {
            "person": None
        }


def _team(api: Api, account_id: str) -> list[dict[str, str]]:
    data = api.data(
        "query T($id: ID!) { account(id: $id) { team { staffId } } }", variables={"id": account_id}
    )
    return list(data["account"]["team"])


def test_account_manager_cannot_see_people_of_other_accounts_in_search(
    api: Api, portfolio: Portfolio
) -> None:
    name = api.data(
        "query P($id: ID!) { person(id: $id) { name } }", variables={"id": portfolio.outside_contact}
    )
    text = name["person"]["name"]
    everyone = api.data("query S($t: String!) { search(text: $t, first: 100) { id } }", variables={"t": text})
    assert portfolio.outside_contact in {h["id"] for h in everyone["search"]}
    mine = api.data(
        "query S($t: String!) { search(text: $t, first: 100) { id } }", token="manager", variables={"t": text}
    )
    assert portfolio.outside_contact not in {h["id"] for h in mine["search"]}


def test_get_query_with_variables(api: Api) -> None:
    response = api.client.get(
        "/graphql",
        params={"query": "query Q($id: ID!) { account(id: $id) { id } }", "variables": '{"id": "nope"}'},
        headers={"Authorization": "Bearer leadership", "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json() == {"data": {"account": None}}
    bad = api.client.get("/graphql", params={"query": "{ __typename }", "variables": "{nope"})
    assert bad.status_code == 400


# -- the sweep: every field reachable from an account manager's accounts, no foreign id ----------

SWEEP_DEPTH = 8
_ID = re.compile(r"\b(?:acc|con|stf|int)-\d+\b")
_INTROSPECTION = """{ __schema { queryType { name } types { name kind
  possibleTypes { name }
  fields { name description args { name defaultValue type { ...T } } type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name ofType { kind name } } } } } } }"""


@dataclass(frozen=True)
class Visible:
    """What the manager of the fixture may see, worked out from the stored records alone."""

    ids: frozenset[str]
    foreign: frozenset[str]
    accounts: frozenset[str]
    movers: tuple[str, ...]
    moved_away: tuple[str, ...]
    staff: tuple[str, ...]
    members: dict[str, tuple[str, ...]]


def _visible(portfolio: Portfolio) -> Visible:
    today = datetime.now(UTC).date()
    store = SqliteStore(portfolio.data_dir)
    store.init()
    try:
        records = {kind: list(store.iter_records(kind)) for kind in RECORD_KINDS}
    finally:
        store.close()
    me = portfolio.manager_id

    def started(m: Any) -> bool:
        return m.since is None or m.since <= today

    def active(m: Any) -> bool:
        return started(m) and (m.until is None or today <= m.until)

    accounts = {m.account_id for m in records["team_membership"] if m.staff_id == me and active(m)}
    contacts = {e.contact_id for e in records["employment"] if e.account_id in accounts}
    staff = {m.staff_id for m in records["team_membership"] if m.account_id in accounts and started(m)} | {me}
    people = contacts | staff
    interactions = {
        i.id
        for i in records["interaction"]
        if (set(i.accounts) & accounts) or (not i.accounts and set(i.participants) <= people)
    }
    everything = {r.id for kind in ("account", "contact", "staff", "interaction") for r in records[kind]}
    visible = accounts | people | interactions
    jobs: dict[str, set[str]] = {}
    for e in records["employment"]:
        jobs.setdefault(e.contact_id, set()).add(e.account_id)
    movers = tuple(sorted(c for c in contacts if jobs[c] - accounts))
    current = {
        e.contact_id
        for e in records["employment"]
        if e.account_id in accounts and (e.until is None or e.until >= today)
    }
    moved_away = tuple(sorted(c for c in movers if c not in current))
    return Visible(
        frozenset(visible),
        frozenset(everything - visible),
        frozenset(accounts),
        movers,
        moved_away,
        tuple(sorted(staff)),
        {a: tuple(sorted(c for c, at in jobs.items() if a in at)) for a in accounts},
    )


def _named(t: dict[str, Any]) -> dict[str, Any]:
    while t.get("ofType"):
        t = t["ofType"]
    return t


class QueryBuilder:
    """GraphQL selections of every field reachable from a type, from an introspection result."""

    def __init__(self, schema: dict[str, Any], fill: dict[str, str]) -> None:
        self.types = {t["name"]: t for t in schema["types"]}
        self.fill = fill

    def arguments(self, f: dict[str, Any]) -> str | None:
        """The field's arguments: required ones from ``fill``, pages as large as allowed, every
        contact (current or not); ``None`` when a required one cannot be filled."""
        parts = []
        # a field documents a smaller page limit as "(`first` 1-N)"
        limit = re.search(r"`first` 1-(\d+)", f.get("description") or "")
        for arg in f["args"]:
            if arg["name"] == "first":
                parts.append(f"first: {limit.group(1) if limit else 100}")
            elif arg["name"] == "current":
                parts.append("current: false")
            elif arg["type"]["kind"] == "NON_NULL" and arg["defaultValue"] is None:
                if arg["name"] not in self.fill:
                    return None
                parts.append(f"{arg['name']}: {self.fill[arg['name']]}")
        return f"({', '.join(parts)})" if parts else ""

    def selection(self, type_name: str, depth: int, path: tuple[str, ...] = ()) -> str:
        t = self.types[type_name]
        if t["kind"] in ("UNION", "INTERFACE"):
            inner = [
                f"... on {p['name']} {{ {self.selection(p['name'], depth, path)} }}"
                for p in t["possibleTypes"]
            ]
            return "__typename " + " ".join(inner)
        fields = []
        for f in t["fields"]:
            if f["name"].startswith("__"):
                continue
            args = self.arguments(f)
            if args is None:
                continue
            named = _named(f["type"])
            if named["kind"] in ("SCALAR", "ENUM"):
                fields.append(f"{f['name']}{args}")
            elif depth > 1 and path.count(named["name"]) < 2:
                sub = self.selection(named["name"], depth - 1, (*path, named["name"]))
                if sub:
                    fields.append(f"{f['name']}{args} {{ {sub} }}")
        return " ".join(fields)


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield where + "." + k, k
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _strings(v, f"{where}[{n}]")


@pytest.fixture(scope="module")
def sweep_api(portfolio: Portfolio) -> Iterator[Api]:
    """The app with limits large enough for the sweep's documents."""
    yield from _client(portfolio.data_dir, max_query_depth=20, max_tokens=200_000, max_aliases=100)


def test_sweep_of_every_reachable_field_shows_no_foreign_id(sweep_api: Api, portfolio: Portfolio) -> None:
    visible = _visible(portfolio)
    assert visible.movers and visible.moved_away, "the fixture needs contacts who changed employer"
    assert len(visible.foreign) > 1000
    schema = sweep_api.data(_INTROSPECTION, token="manager")["__schema"]
    roots: list[tuple[str, dict[str, str]]] = []
    for account in sorted(visible.accounts):
        people = [*visible.members[account][:2], portfolio.manager_id]
        fill = {
            "id": json.dumps(account),
            "accountId": json.dumps(account),
            "rootId": json.dumps(account),
            "remove": json.dumps(people),
            "toPersonId": json.dumps(visible.moved_away[0]),
            "text": json.dumps("a"),
        }
        roots.append(("account accounts portfolio whatIf referralNetwork viewer", fill))
    for person in (*visible.movers, *visible.staff):
        fill = {"id": json.dumps(person), "toPersonId": json.dumps(person)}
        roots.append(("person warmPaths", fill))
    leaks: list[str] = []
    seen_ids: set[str] = set()
    fields = {f["name"]: f for f in next(t for t in schema["types"] if t["name"] == "Query")["fields"]}
    for names, fill in roots:
        builder = QueryBuilder(schema, fill)
        for name in names.split():
            f = fields[name]
            args = builder.arguments(f)
            assert args is not None, name
            named = _named(f["type"])
            sub = builder.selection(named["name"], SWEEP_DEPTH, (named["name"],))
            query = f"{{ {name}{args}" + (f" {{ {sub} }}" if sub else "") + " }"
            body = sweep_api.gql(query, token="manager")
            assert "errors" not in body, (name, fill, body["errors"][:3])
            if name == "whatIf":
                assert body["data"]["whatIf"]["__typename"] == "WhatIf", body["data"]
            for where, text in _strings(body["data"]):
                for found in _ID.findall(text):
                    seen_ids.add(found)
                    if found in visible.foreign:
                        leaks.append(f"{name}{args}: {where} = {text[:80]!r}")
    assert not leaks, f"{len(leaks)} foreign ids, e.g. " + "\n".join(leaks[:15])
    # The sweep reached the caller's own accounts, people and interactions.
    assert visible.accounts <= seen_ids
    assert any(i.startswith("int-") for i in seen_ids) and any(i.startswith("stf-") for i in seen_ids)


def test_other_employers_show_only_that_one_exists(api: Api, portfolio: Portfolio) -> None:
    visible = _visible(portfolio)
    query = "query P($id: ID!) { person(id: $id) { ... on Contact { employedElsewhere employments { accountId } } } }"
    for mover in visible.movers:
        everyone = api.data(query, variables={"id": mover})["person"]
        mine = api.data(query, token="manager", variables={"id": mover})["person"]
        all_accounts = {e["accountId"] for e in everyone["employments"]}
        assert all_accounts - visible.accounts, "a mover works or worked elsewhere too"
        assert everyone["employedElsewhere"] is False  # leadership sees every account
        assert mine["employedElsewhere"] is True
        assert {e["accountId"] for e in mine["employments"]} == all_accounts & visible.accounts


def test_interactions_of_an_account_are_the_callers_only(api: Api, portfolio: Portfolio) -> None:
    visible = _visible(portfolio)
    query = (
        "query A($id: ID!) { account(id: $id) { interactions(first: 100) { id participantIds accountIds } } }"
    )
    hidden = 0
    for account in sorted(visible.accounts):
        everyone = api.data(query, variables={"id": account})["account"]["interactions"]
        mine = api.data(query, token="manager", variables={"id": account})["account"]["interactions"]
        expected = [i["id"] for i in everyone if i["id"] in visible.ids]
        hidden += len(everyone) - len(expected)
        n = min(len(mine), len(expected))
        assert mine and [i["id"] for i in mine][:n] == expected[:n]
        for row in mine:
            assert set(row["participantIds"]) <= visible.ids
            assert set(row["accountIds"]) <= visible.accounts
        for row in everyone:  # account-scoped activity: about this account, or about none
            assert row["accountIds"] in ([], [account]), row
    # An account's interactions are scoped to it, so nothing in them is foreign to its team.
    assert hidden == 0
