"""More role rules: the viewer, every mutation refused to readers, people reached through teams."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
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
        assert data["m"]["__typename"] == "Forbidden"
        assert "writes need the admin role" in data["m"]["message"]


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
