"""The API over HTTP on the demo portfolio: queries, mutations, union errors, roles, limits, HTTP."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.conftest import Api
from tests.api.helpers import Portfolio

PAGE = """
query Page($first: Int!, $after: String, $order: AccountOrder!) {
  accounts(first: $first, after: $after, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name annualRevenue } }
  }
}
"""


# -- service -------------------------------------------------------------------------------


def test_health_and_readiness(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_graphiql_only_in_development(portfolio: Portfolio, api: Api) -> None:
    assert api.client.get("/graphql", headers={"accept": "text/html"}).status_code == 406
    app = create_app(Settings(data_dir=portfolio.data_dir, environment="development"))
    with TestClient(app) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


# -- queries -------------------------------------------------------------------------------


def test_accounts_pages_through_every_account_in_name_order(api: Api, portfolio: Portfolio) -> None:
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        data = api.data(PAGE, variables={"first": 20, "after": after, "order": "NAME"})["accounts"]
        assert data["totalCount"] == len(portfolio.all_accounts)
        seen += [e["node"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert {n["id"] for n in seen} == portfolio.all_accounts
    names = [n["name"].casefold() for n in seen]
    assert names == sorted(names)


def test_accounts_by_revenue_and_filter(api: Api) -> None:
    data = api.data(PAGE, variables={"first": 100, "order": "REVENUE"})["accounts"]
    revenues = [e["node"]["annualRevenue"] for e in data["edges"]]
    assert revenues == sorted(revenues, reverse=True)
    strategic = api.data("{ accounts(first: 100, filter: {tier: STRATEGIC}) { edges { node { tier } } } }")
    assert {e["node"]["tier"] for e in strategic["accounts"]["edges"]} <= {"STRATEGIC"}


@pytest.mark.parametrize("first", [0, 101, -1])
def test_page_size_is_limited(api: Api, first: int) -> None:
    body = api.gql(PAGE, variables={"first": first, "order": "NAME"})
    assert body["data"]["accounts"] is None
    assert "first must be between 1 and 100" in body["errors"][0]["message"]


def test_bad_cursor_is_a_clear_error(api: Api) -> None:
    body = api.gql(PAGE, variables={"first": 5, "after": "garbage", "order": "NAME"})
    assert "not a cursor of this connection" in body["errors"][0]["message"]


def test_account_with_team_contacts_interactions_and_map(api: Api, portfolio: Portfolio) -> None:
    account_id = sorted(portfolio.manager_accounts)[0]
    data = api.data(
        """query A($id: ID!) { account(id: $id) {
             id name tier owner { id name }
             team { teamRole staff { id name } }
             contacts { id name stance employments { accountId roles active account { id } } }
             interactions(first: 5) { id kind at participantIds }
             relationshipMap {
               accountId asOf requiredRoles placeholders { role weight }
               staff { staffId name onTeam teamRole } contacts former orgLines influenceLines
               tieColumns ties tieCount
             }
             strongMap: relationshipMap(minStrength: 0.6) { tieCount ties }
             revenueAtRisk keyPerson { id name }
             health { score band materialised components { name score weight } }
             alerts { kind severity message }
             analysis {
               coverage { score minReach roles { role covered holderId strength path { nodes strength } } }
               levelCoverage { level covered strength }
               threads { threads minCut singlePointsOfContact { personId side } roleCuts { role cutVertices } }
               singlePointsOfContact { personId person { id } }
               departureImpacts(first: 3) { personId side coverageLost revenueAtRisk rolesLost person { id } }
               keyPersonId revenueAtRisk
               ties(first: 5) { a b kind strength band goingCold evidence { interactionId contribution } }
               config
             }
        } }""",
        variables={"id": account_id},
    )["account"]
    assert data["id"] == account_id
    assert data["team"] and all(m["staff"] for m in data["team"])
    assert data["contacts"]
    assert len(data["interactions"]) <= 5
    relmap = data["relationshipMap"]
    assert relmap["accountId"] == account_id and relmap["contacts"]
    assert relmap["tieColumns"][:4] == ["a", "b", "kind", "strength"]
    assert relmap["tieCount"] == len(relmap["ties"]) > 0
    assert all(row[3] >= 0.6 for row in data["strongMap"]["ties"])
    assert data["strongMap"]["tieCount"] <= relmap["tieCount"]
    assert {s["staffId"] for s in relmap["staff"] if s["onTeam"]} == {m["staff"]["id"] for m in data["team"]}
    analysis = data["analysis"]
    assert 0 <= analysis["coverage"]["score"] <= 100
    assert {lc["level"] for lc in analysis["levelCoverage"]} == {"EXECUTIVE", "MANAGEMENT", "OPERATIONAL"}
    assert analysis["revenueAtRisk"] == pytest.approx(data["revenueAtRisk"])
    impacts = analysis["departureImpacts"]
    assert [i["revenueAtRisk"] for i in impacts] == sorted(
        (i["revenueAtRisk"] for i in impacts), reverse=True
    )
    strengths = [t["strength"] for t in analysis["ties"]]
    assert strengths == sorted(strengths, reverse=True)
    assert analysis["config"]["half_life_days"] == 90.0
    assert 0 <= data["health"]["score"] <= 100 and data["health"]["materialised"] is False
    assert {c["name"] for c in data["health"]["components"]} >= {"coverage", "threads"}


def test_portfolio(api: Api, portfolio: Portfolio) -> None:
    query = """{ portfolio { asOf materialised totals { accounts annualRevenue }
        accounts(first: 100) { accountId revenueAtRisk exposed revenueExposed annualRevenue healthBand account { id } }
        people(first: 5) { personId side revenueAtRisk accounts { accountId revenueAtRisk } }
        gaps(first: 10) { accountId kind name }
        alerts(first: 10) { kind severity accountId message }
        concentration(first: 3) { accountId share } } }"""
    full = api.data(query)["portfolio"]
    # ranked by revenue at risk, an exposed account (no role covered) by all of its revenue
    risks = [a["revenueExposed"] if a["exposed"] else a["revenueAtRisk"] for a in full["accounts"]]
    assert len(risks) == len(portfolio.all_accounts)
    assert risks == sorted(risks, reverse=True)
    exposed = [a for a in full["accounts"] if a["exposed"]]
    assert exposed and all(
        a["revenueExposed"] == a["annualRevenue"] and a["revenueAtRisk"] == 0 for a in exposed
    )
    assert full["totals"] is not None and full["materialised"] is False
    mine = api.data(query, token="manager")["portfolio"]
    assert {a["accountId"] for a in mine["accounts"]} == portfolio.manager_accounts
    assert mine["totals"] is None
    for gap in mine["gaps"]:
        assert gap["accountId"] in portfolio.manager_accounts
    for alert in mine["alerts"]:
        assert alert["accountId"] in portfolio.manager_accounts
    for person in mine["people"]:
        assert {a["accountId"] for a in person["accounts"]} <= portfolio.manager_accounts


def test_unknown_account_and_person_are_null(api: Api) -> None:
    assert api.data('{ account(id: "nope") { id } person(id: "nope") { id } }') == {
        "account": None,
        "person": None,
    }


def test_person_is_contact_or_staff(api: Api, portfolio: Portfolio) -> None:
    data = api.data(
        """query P($c: ID!, $s: ID!) {
             c: person(id: $c) { __typename id ... on Contact { stance } }
             s: person(id: $s) { __typename id ... on Staff { teamRole } } }""",
        variables={"c": portfolio.inside_contact, "s": portfolio.manager_id},
    )
    assert data["c"]["__typename"] == "Contact" and data["s"]["__typename"] == "Staff"


def test_search(api: Api) -> None:
    hits = api.data('{ search(text: "an", first: 5) { kind id name } }')["search"]
    assert 1 <= len(hits) <= 5
    body = api.gql('{ search(text: "a") { id } }')
    assert "at least 2 characters" in body["errors"][0]["message"]


def test_what_if_and_its_errors(api: Api, portfolio: Portfolio) -> None:
    account_id = sorted(portfolio.manager_accounts)[0]
    query = """query W($id: ID!, $remove: [ID!]!) { whatIf(accountId: $id, remove: $remove) {
        __typename
        ... on WhatIf { removed coverageBefore coverageLost revenueAtRisk coverage { score } threads { threads } }
        ... on NotFound { message kind id } ... on InvalidInput { message field } } }"""
    done = api.data(query, variables={"id": account_id, "remove": [portfolio.manager_id]})["whatIf"]
    assert done["__typename"] == "WhatIf"
    assert done["removed"] == [portfolio.manager_id]
    assert done["coverageLost"] == pytest.approx(done["coverageBefore"] - done["coverage"]["score"])
    missing = api.data(query, variables={"id": "nope", "remove": ["x"]})["whatIf"]
    assert missing == {
        "__typename": "NotFound",
        "message": "no account with id 'nope'",
        "kind": "account",
        "id": "nope",
    }
    bad = api.data(query, variables={"id": account_id, "remove": ["nobody"]})["whatIf"]
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "remove"
    empty = api.data(query, variables={"id": account_id, "remove": []})["whatIf"]
    assert empty["__typename"] == "InvalidInput"


def test_referral_network_and_warm_paths(api: Api, portfolio: Portfolio) -> None:
    query = """query R($root: ID) { referralNetwork(rootId: $root, depth: 3) {
        accountIds
        edges { sourceId targetId status referrals { sourceKind at value creditedTo } source { id } }
        root { accountId attributed { direct indirect total } conversion { won lost lead rate }
               given { targetId } } } }"""
    network = api.data(query)["referralNetwork"]
    assert network["edges"], "the demo portfolio has referral chains"
    assert network["root"] is None
    root = network["edges"][0]["sourceId"]
    rooted = api.data(query, variables={"root": root})["referralNetwork"]
    assert rooted["root"]["accountId"] == root
    assert rooted["root"]["attributed"]["total"] >= rooted["root"]["attributed"]["direct"]
    mine = api.data(query, token="manager")["referralNetwork"]
    assert set(mine["accountIds"]) <= portfolio.manager_accounts
    for edge in mine["edges"]:
        assert {edge["sourceId"], edge["targetId"]} <= portfolio.manager_accounts
    assert api.data(query, token="manager", variables={"root": portfolio.other_account}) == {
        "referralNetwork": None
    }
    assert (
        "depth must be between"
        in api.gql("{ referralNetwork(depth: 11) { accountIds } }")["errors"][0]["message"]
    )
    paths = api.data(
        "query W($to: ID!) { warmPaths(toPersonId: $to, first: 3) { strength people hops { kind strength } } }",
        variables={"to": portfolio.inside_contact},
    )["warmPaths"]
    assert paths
    strengths = [p["strength"] for p in paths]
    assert strengths == sorted(strengths, reverse=True) and all(0 < x <= 1 for x in strengths)
    assert (
        "maxHops must be between"
        in api.gql('query { warmPaths(toPersonId: "x", maxHops: 5) { strength } }')["errors"][0]["message"]
    )


def test_referral_network_around_an_account_names_who_referred_it(api: Api) -> None:
    # The demo chain acc-0002 -> acc-0004 -> acc-0012 -> acc-0013.
    query = """query R($root: ID!) { referralNetwork(rootId: $root, depth: 1) {
        accountIds edges { sourceId targetId } root { received { creditedTo } given { targetId } } } }"""
    network = api.data(query, variables={"root": "acc-0004"})["referralNetwork"]
    assert {e["creditedTo"] for e in network["root"]["received"]} >= {"acc-0002"}
    assert "acc-0012" in {g["targetId"] for g in network["root"]["given"]}
    edges = {(e["sourceId"], e["targetId"]) for e in network["edges"]}
    assert ("acc-0002", "acc-0004") in edges and ("acc-0004", "acc-0012") in edges
    assert ("acc-0012", "acc-0013") not in edges  # two hops away at depth 1
    assert {"acc-0002", "acc-0004", "acc-0012"} <= set(network["accountIds"])


# -- auth and roles ------------------------------------------------------------------------


def test_anonymous_may_only_ask_typename(api: Api) -> None:
    assert api.data("{ __typename }", token=None) == {"__typename": "Query"}
    body = api.gql("{ accounts { totalCount } }", token=None)
    assert body["data"]["accounts"] is None
    assert body["errors"][0]["message"].startswith("authentication required")


@pytest.mark.parametrize("token", ["revoked", "unknown-token"])
def test_bad_tokens_get_401(api: Api, token: str) -> None:
    response = api.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "invalid or revoked token" in response.text


def test_account_manager_sees_only_their_accounts(api: Api, portfolio: Portfolio) -> None:
    data = api.data(PAGE, token="manager", variables={"first": 100, "order": "ID"})["accounts"]
    assert {e["node"]["id"] for e in data["edges"]} == portfolio.manager_accounts
    assert data["totalCount"] == len(portfolio.manager_accounts)


def test_account_manager_scoping_through_aliases_and_nesting(api: Api, portfolio: Portfolio) -> None:
    mine = sorted(portfolio.manager_accounts)[0]
    data = api.data(
        """query S($mine: ID!, $other: ID!, $out: ID!, $in: ID!) {
             a: account(id: $mine) { id }
             b: account(id: $other) { id }
             c: account(id: $other) { name team { staffId } }
             p: person(id: $out) { id }
             q: person(id: $in) { id ... on Contact { employments { accountId account { id } } } }
        }""",
        token="manager",
        variables={
            "mine": mine,
            "other": portfolio.other_account,
            "out": portfolio.outside_contact,
            "in": portfolio.inside_contact,
        },
    )
    assert data["a"] == {"id": mine}
    assert data["b"] is None and data["c"] is None
    assert data["p"] is None
    assert data["q"]["id"] == portfolio.inside_contact
    for job in data["q"]["employments"]:
        visible = job["accountId"] in portfolio.manager_accounts
        assert (job["account"] is not None) == visible


def test_account_manager_search_and_what_if_are_scoped(api: Api, portfolio: Portfolio) -> None:
    hits = api.data('{ search(text: "an", first: 100) { kind id } }', token="manager")["search"]
    for hit in hits:
        if hit["kind"] == "account":
            assert hit["id"] in portfolio.manager_accounts
    other = api.data(
        'query W($id: ID!) { whatIf(accountId: $id, remove: ["x"]) { __typename } }',
        token="manager",
        variables={"id": portfolio.other_account},
    )["whatIf"]
    assert other == {"__typename": "NotFound"}
    assert api.data(
        "query W($to: ID!) { warmPaths(toPersonId: $to) { strength } }",
        token="manager",
        variables={"to": portfolio.outside_contact},
    ) == {"warmPaths": None}


def test_leadership_and_service_read_everything(api: Api, portfolio: Portfolio) -> None:
    for token in ("leadership", "service", "service_admin", "admin"):
        data = api.data("{ accounts(first: 100) { totalCount } }", token=token)
        assert data["accounts"]["totalCount"] == len(portfolio.all_accounts)


UPSERT = """mutation U($input: AccountInput!) { upsertAccount(input: $input) {
  __typename
  ... on WriteResult { created updated unchanged touchedAccounts }
  ... on Forbidden { message requiredRole }
  ... on InvalidInput { message field } } }"""


@pytest.mark.parametrize("token", ["leadership", "manager", "service", None])
def test_only_admins_write(api: Api, token: str | None) -> None:
    result = api.data(UPSERT, token=token, variables={"input": {"id": "new", "name": "New"}})["upsertAccount"]
    assert result["__typename"] == "Forbidden"
    assert result["requiredRole"] == "admin"


# -- mutations -----------------------------------------------------------------------------


def test_upserts_are_idempotent_and_validated(writable: Api) -> None:
    first = writable.data(
        UPSERT, token="admin", variables={"input": {"id": "zz", "name": "Zed", "tier": "STRATEGIC"}}
    )
    assert first["upsertAccount"]["created"] == 1
    again = writable.data(
        UPSERT, token="service_admin", variables={"input": {"id": "zz", "name": "Zed", "tier": "STRATEGIC"}}
    )
    assert again["upsertAccount"]["unchanged"] == 1
    bad = writable.data(
        UPSERT, token="admin", variables={"input": {"id": "zz", "name": "Zed", "annualRevenue": -1}}
    )
    assert bad["upsertAccount"] == {
        "__typename": "InvalidInput",
        "message": "Account.annual_revenue: -1.0 must be a non-negative number",
        "field": "input.annual_revenue",
    }
    contact = writable.data(
        """mutation { upsertContact(input: {id: "zc", name: "Zoe", influence: 9}) {
             __typename ... on InvalidInput { field message } } }""",
        token="admin",
    )["upsertContact"]
    assert contact["__typename"] == "InvalidInput" and contact["field"] == "input.influence"


def test_every_write_mutation(writable: Api, portfolio: Portfolio) -> None:
    result = "{ __typename ... on WriteResult { created updated unchanged } ... on InvalidInput { message field } }"
    staff = portfolio.manager_id
    account = portfolio.other_account
    steps = [
        f'upsertStaff(input: {{id: "zs", name: "Sam", level: EXECUTIVE}}) {result}',
        f'upsertContact(input: {{id: "zc1", name: "Cleo", email: "cleo@example.com"}}) {result}',
        f'upsertContact(input: {{id: "zc2", name: "Dan"}}) {result}',
        f'upsertEmployment(input: {{contactId: "zc1", accountId: "{account}", since: "2024-01-01", roles: [CHAMPION]}}) {result}',
        f'upsertEmployment(input: {{contactId: "zc2", accountId: "{account}", since: "2024-01-01"}}) {result}',
        f'upsertTeamMembership(input: {{staffId: "zs", accountId: "{account}", teamRole: EXECUTIVE_SPONSOR}}) {result}',
        f'upsertReportingLine(input: {{contactId: "zc2", managerId: "zc1"}}) {result}',
        f'upsertInfluenceLine(input: {{sourceId: "zc1", targetId: "zc2", weight: 0.7}}) {result}',
        f'recordInteraction(input: {{id: "zi", kind: MEETING, at: "2025-01-02T10:00:00Z", participants: ["zs", "zc1"], accounts: ["{account}"]}}) {result}',
        f'assessTie(input: {{staffId: "{staff}", contactId: "zc1", level: TRUSTED_ADVISOR, at: "2025-01-03"}}) {result}',
        f'linkReferral(input: {{sourceId: "zc1", sourceKind: "contact", targetId: "{account}", at: "2025-01-04", status: WON, value: 10}}) {result}',
        f'setRoles(contactId: "zc2", accountId: "{account}", roles: [ECONOMIC_BUYER, USER_BUYER]) {result}',
    ]
    for step in steps:
        data = writable.data(f"mutation {{ {step} }}", token="admin")
        (answer,) = data.values()
        assert answer["__typename"] == "WriteResult", (step, answer)
        assert answer["created"] + answer["updated"] >= 1, step
    roles = writable.data('{ person(id: "zc2") { ... on Contact { employments { roles } } } }')
    assert roles["person"]["employments"][0]["roles"] == ["ECONOMIC_BUYER", "USER_BUYER"]


def test_inputs_carry_leaving_dates_histories_and_relation_kinds(writable: Api) -> None:
    result = "{ __typename ... on WriteResult { created updated } ... on InvalidInput { field message } }"

    def write(step: str) -> Any:
        (answer,) = writable.data(f"mutation {{ {step} {result} }}", token="admin").values()
        return answer

    account = write(
        'upsertAccount(input: {id: "hx", name: "Hx", tier: STRATEGIC, annualRevenue: 300, '
        'tierHistory: [{since: "2024-06-01", tier: STRATEGIC}, {since: "2023-01-01", tier: POTENTIAL}], '
        'revenueHistory: [{since: "2023-01-01", annualRevenue: 100}, {since: "2024-06-01", annualRevenue: 300}]})'
    )
    assert account["__typename"] == "WriteResult"
    assert (
        write(
            'upsertContact(input: {id: "hc", name: "Hc", stance: SUPPORTER, '
            'stanceHistory: [{since: "2023-01-01", stance: BLOCKER}, {since: "2024-06-01", stance: SUPPORTER}]})'
        )["__typename"]
        == "WriteResult"
    )
    write('upsertContact(input: {id: "hd", name: "Hd"})')
    assert (
        write('upsertStaff(input: {id: "hs", name: "Hs", until: "2024-12-31"})')["__typename"]
        == "WriteResult"
    )
    then = writable.data('{ account(id: "hx", asOf: "2023-06-01") { tier annualRevenue } }')["account"]
    now = writable.data('{ account(id: "hx", asOf: "2025-01-01") { tier annualRevenue } }')["account"]
    assert (then["tier"], then["annualRevenue"]) == ("POTENTIAL", 100)
    assert (now["tier"], now["annualRevenue"]) == ("STRATEGIC", 300)
    stance = '{ person(id: "hc", asOf: "%s") { ... on Contact { stance } } }'
    assert writable.data(stance % "2023-06-01")["person"]["stance"] == "BLOCKER"
    assert writable.data(stance % "2025-01-01")["person"]["stance"] == "SUPPORTER"
    staff = writable.data('{ person(id: "hs") { ... on Staff { until } } }', token="admin")["person"]
    assert staff == {"until": "2024-12-31"}
    # a pair holds one line of each relation kind: a second kind is a new line, the same kind an update
    line = 'upsertInfluenceLine(input: {sourceId: "hc", targetId: "hd", weight: %s, kind: %s})'
    assert write(line % (0.6, "FRIEND"))["created"] == 1
    assert write(line % (0.8, "ADVISES"))["created"] == 1
    again = write(line % (0.7, "FRIEND"))
    assert (again["created"], again["updated"]) == (0, 1)
    bad = write(line % (1.5, "FRIEND"))
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "input.weight"
    twice = write('upsertAccount(input: {id: "hy", name: "Hy", tierHistory: '
                  '[{since: "2023-01-01", tier: KEY}, {since: "2023-01-01", tier: POTENTIAL}]})')  # fmt: skip
    assert twice["__typename"] == "InvalidInput" and "two values on one day" in twice["message"]


def test_set_roles_and_move_contact_errors(writable: Api, portfolio: Portfolio) -> None:
    missing = writable.data(
        'mutation { setRoles(contactId: "nobody", accountId: "x", roles: []) { __typename ... on NotFound { kind message } } }',
        token="admin",
    )["setRoles"]
    assert missing["__typename"] == "NotFound" and missing["kind"] == "employment"
    move = """mutation M($input: EmploymentInput!) { moveContact(input: $input) {
        __typename ... on JobChangeResult { old { accountId until } new { accountId since } }
        ... on NotFound { kind id } ... on InvalidInput { field message } } }"""
    nobody = writable.data(
        move,
        token="admin",
        variables={
            "input": {"contactId": "nobody", "accountId": portfolio.other_account, "since": "2026-01-01"}
        },
    )
    assert nobody["moveContact"] == {"__typename": "NotFound", "kind": "contact", "id": "nobody"}
    nowhere = writable.data(
        move,
        token="admin",
        variables={
            "input": {"contactId": portfolio.inside_contact, "accountId": "nowhere", "since": "2026-01-01"}
        },
    )
    assert nowhere["moveContact"] == {"__typename": "NotFound", "kind": "account", "id": "nowhere"}
    undated = writable.data(
        move,
        token="admin",
        variables={"input": {"contactId": portfolio.inside_contact, "accountId": portfolio.other_account}},
    )
    assert undated["moveContact"]["field"] == "input.since"
    moved = writable.data(
        move,
        token="admin",
        variables={
            "input": {
                "contactId": portfolio.inside_contact,
                "accountId": portfolio.other_account,
                "since": "2026-01-01",
            }
        },
    )
    assert moved["moveContact"]["__typename"] == "JobChangeResult"
    assert moved["moveContact"]["new"] == {"accountId": portfolio.other_account, "since": "2026-01-01"}
    assert moved["moveContact"]["old"]["until"] == "2025-12-31"


def test_import_batch_is_all_or_nothing(writable: Api) -> None:
    query = """mutation I($batch: ImportBatchInput!) { importBatch(batch: $batch) {
        __typename ... on WriteResult { created } ... on InvalidInput { field message } } }"""
    bad_row = {
        "accounts": [{"id": "b1", "name": "B1"}],
        "contacts": [{"id": "bc", "name": "x", "email": "nope"}],
    }
    answer = writable.data(query, token="admin", variables={"batch": bad_row})["importBatch"]
    assert answer["__typename"] == "InvalidInput" and answer["field"] == "batch.contacts[0].email"
    dangling = {"employments": [{"contactId": "ghost", "accountId": "b1"}]}
    answer = writable.data(query, token="admin", variables={"batch": dangling})["importBatch"]
    assert answer["__typename"] == "InvalidInput" and "nothing written" in answer["message"]
    assert writable.data('{ account(id: "b1") { id } }') == {"account": None}
    good = {
        "accounts": [{"id": "b1", "name": "B1"}],
        "contacts": [{"id": "bc", "name": "Bea"}],
        "employments": [{"contactId": "bc", "accountId": "b1"}],
    }
    answer = writable.data(query, token="admin", variables={"batch": good})["importBatch"]
    assert answer == {"__typename": "WriteResult", "created": 3}


# -- limits and HTTP -----------------------------------------------------------------------


def test_depth_alias_and_token_limits(api: Api) -> None:
    deep = '{ account(id: "a") { contacts { employments { account { contacts { employments { account { contacts { employments { account { contacts { employments { accountId } } } } } } } } } } } } }'
    assert "exceeds maximum operation depth" in api.gql(deep)["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    assert "aliases" in api.gql(aliases)["errors"][0]["message"].lower()
    tokens = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    assert "more than 2000 tokens" in api.gql(tokens)["errors"][0]["message"]


def test_oversized_body_is_refused_with_413(api: Api) -> None:
    response = api.client.post(
        "/graphql", content=b"{" + b" " * 1_100_000 + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["message"]


def test_get_queries_and_no_mutations_over_get(api: Api) -> None:
    ok = api.client.get("/graphql", params={"query": "{ __typename }"})
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    refused = api.client.get(
        "/graphql", params={"query": 'mutation { upsertStaff(input: {id: "x", name: "x"}) { __typename } }'}
    )
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"


def test_status_codes_follow_graphql_over_http(api: Api) -> None:
    post = api.client.post
    gr = {"accept": "application/graphql-response+json"}
    invalid = post("/graphql", json={"query": "{ nope }"}, headers=gr)
    assert invalid.status_code == 400 and invalid.headers["content-type"].startswith(
        "application/graphql-response+json"
    )
    assert "data" not in invalid.json()
    assert post("/graphql", json={"query": "{ nope }"}).status_code == 200
    assert post("/graphql", json={"query": "{"}, headers=gr).status_code == 400
    assert (
        post("/graphql", content=b"not json", headers={"content-type": "application/json"}).status_code == 400
    )
    assert post("/graphql", content=b"{}", headers={"content-type": "text/plain"}).status_code == 415
    assert (
        post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/html"}).status_code == 406
    )
    assert post("/graphql", json={"query": 1}).status_code == 400
    assert post("/graphql", json={"query": "{ __typename }", "variables": []}).status_code == 400


def test_unexpected_errors_are_masked(portfolio: Portfolio) -> None:
    app = create_app(Settings(data_dir=portfolio.data_dir, environment="production"))
    with TestClient(app) as client:
        app.state.store.close()  # the store goes away under the running app
        response = client.post(
            "/graphql",
            json={"query": "{ accounts { totalCount } }"},
            headers={"Authorization": "Bearer leadership"},
        )
    text = response.text
    assert response.status_code == 503
    assert str(portfolio.data_dir) not in text and "SELECT" not in text and "Traceback" not in text


class _FailingSearch:
    """The real store, except that ``search`` fails the way a broken database would."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def search(self, text: str, limit: int = 20) -> Any:
        import sqlite3

        raise sqlite3.OperationalError(
            "no such table: /srv/kamgraph/data/kamgraph.sqlite3 SELECT * FROM secret"
        )


def test_internal_errors_are_masked_and_expected_ones_stay_readable(portfolio: Portfolio) -> None:
    app = create_app(Settings(data_dir=portfolio.data_dir, environment="production"))
    with TestClient(app) as client:
        app.state.store = _FailingSearch(app.state.store)
        response = client.post(
            "/graphql",
            json={"query": '{ search(text: "an") { id } account(id: "nope") { id } }'},
            headers={"Authorization": "Bearer leadership"},
        )
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"search": None, "account": None}
    assert [e["message"] for e in body["errors"]] == ["Unexpected error."]
    assert "sqlite" not in response.text and "SELECT" not in response.text and "/srv" not in response.text


def test_a_failing_mutation_keeps_data_null_and_200(portfolio: Portfolio, tmp_path: Any) -> None:
    from tests.api.helpers import copy_portfolio

    data = copy_portfolio(portfolio, tmp_path / "data")
    app = create_app(Settings(data_dir=data.data_dir, environment="production"))
    with TestClient(app) as client:
        real = app.state.store

        class _FailingWrite:
            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

            def write(self, batch: Any) -> Any:
                raise OSError("disk I/O error at /var/lib/kamgraph")

        app.state.store = _FailingWrite()
        response = client.post(
            "/graphql",
            json={"query": 'mutation { upsertStaff(input: {id: "x", name: "X"}) { __typename } }'},
            headers={"Authorization": "Bearer admin", "accept": "application/graphql-response+json"},
        )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Unexpected error." and body["errors"][0]["path"] == [
        "upsertStaff"
    ]
    assert "/var/lib" not in response.text


@pytest.mark.parametrize(
    ("order", "field", "descending"), [("REVENUE_AT_RISK", "revenueAtRisk", True), ("HEALTH", "score", False)]
)
def test_accounts_by_revenue_at_risk_and_health_page_with_cursors(
    api: Api, portfolio: Portfolio, order: str, field: str, descending: bool
) -> None:
    query = """query P($after: String, $order: AccountOrder!) { accounts(first: 15, after: $after, orderBy: $order) {
        pageInfo { hasNextPage endCursor } edges { node { id annualRevenue revenueAtRisk exposed health { score } } } } }"""
    values: list[float] = []
    ids: list[str] = []
    after = None
    while True:
        page = api.data(query, variables={"after": after, "order": order})["accounts"]
        for edge in page["edges"]:
            node = edge["node"]
            ids.append(node["id"])
            if field == "revenueAtRisk":  # an exposed account ranks by all of its revenue
                values.append(node["annualRevenue"] if node["exposed"] else node["revenueAtRisk"])
            else:
                values.append(node["health"]["score"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(ids) == sorted(portfolio.all_accounts)
    assert values == sorted(values, reverse=descending)


def test_recommended_actions_of_an_account(api: Api) -> None:
    from importers import demo

    account_id = demo.archetypes()["single_threaded"][0]
    query = """query R($id: ID!, $plan: Boolean!) { account(id: $id) {
        analysis { coverage { score } }
        recommendedActions(first: 3, plan: $plan) {
          staffId contactId introducerId coverageBefore coverageAfter coverageGain value revenueProtected
          revenueAtRiskBefore revenueAtRiskAfter threadsBefore threadsAfter levelsClosed rolesImproved evidence
          staff { id } contact { id } } } }"""
    account = api.data(query, variables={"id": account_id, "plan": True})["account"]
    plan = account["recommendedActions"]
    assert 1 <= len(plan) <= 3
    # the plan starts from the account as it is, and each action from where the one before left it
    assert plan[0]["coverageBefore"] == pytest.approx(account["analysis"]["coverage"]["score"], abs=0.01)
    for before, after in itertools.pairwise(plan):
        assert after["coverageBefore"] == pytest.approx(before["coverageAfter"], abs=0.01)
    for action in plan:
        # each figure is rounded to the API's precision (0.1 for scores) on its own
        gain = action["coverageAfter"] - action["coverageBefore"]
        assert action["coverageGain"] == pytest.approx(gain, abs=0.11)
        assert action["staff"]["id"] == action["staffId"] and action["contact"]["id"] == action["contactId"]
        assert action["evidence"] and (action["value"] > 0 or action["levelsClosed"])
    singles = api.data(query, variables={"id": account_id, "plan": False})["account"]["recommendedActions"]
    values = [a["value"] for a in singles]
    assert values == sorted(values, reverse=True) and singles[0]["staffId"] == plan[0]["staffId"]
    bad = api.gql("{ accounts(first: 1) { nodes { recommendedActions(first: 11) { value } } } }")
    assert "first must be between 1 and 10" in bad["errors"][0]["message"]


def test_portfolio_next_meetings_spread_over_our_people(api: Api) -> None:
    query = """query P($per: Int!) { portfolio { accounts(first: 20) { accountId }
        recommendedActions(first: 10, accounts: 20, perPerson: $per) { accountId action { staffId contactId value } } } }"""
    capped = api.data(query, variables={"per": 2})["portfolio"]
    rows = capped["recommendedActions"]
    staff = [r["action"]["staffId"] for r in rows]
    assert rows and all(staff.count(s) <= 2 for s in staff)
    assert len({r["accountId"] for r in rows}) == len(rows)  # one meeting per account
    values = [r["action"]["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    # the rule, from each account's three best single meetings: most valuable first, skipping an
    # account already placed or a person already booked twice
    top = [a["accountId"] for a in capped["accounts"]]
    per_account = api.data(
        "{ " + " ".join(
            f'a{i}: account(id: "{a}") {{ id recommendedActions(first: 3, plan: false) {{ staffId contactId value }} }}'
            for i, a in enumerate(top)
        ) + " }"
    )  # fmt: skip
    options = sorted(
        ((-x["value"], acc["id"], x["staffId"], x["contactId"]) for acc in per_account.values() for x in acc["recommendedActions"]),
    )  # fmt: skip
    expected, booked, placed = [], {}, set()
    for _, account, person, contact in options:
        if account in placed or booked.get(person, 0) >= 2:
            continue
        expected.append((account, person, contact))
        placed.add(account)
        booked[person] = booked.get(person, 0) + 1
    assert [(r["accountId"], r["action"]["staffId"], r["action"]["contactId"]) for r in rows] == expected[:10]
