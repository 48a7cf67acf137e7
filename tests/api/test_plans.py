"""Account plans over HTTP: goals, actions with owners and dates, who may change them, the audit trail."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.helpers import Portfolio

PLAN = """query P($id: ID!) { account(id: $id) { coverageScore plan { targetCoverage coverage summary
  keyContacts { contactId targetLevel } actions { id title ownerId contactId due status source overdue } }
  auditTrail(first: 20) { action role detail } } }"""
GOALS = """mutation G($id: ID!, $target: Float, $summary: String, $keys: [KeyContactInput!]) {
  setAccountPlan(accountId: $id, targetCoverage: $target, summary: $summary, keyContacts: $keys) {
    __typename ... on AccountPlan { targetCoverage summary keyContacts { contactId targetLevel } }
    ... on Forbidden { message } ... on InvalidInput { field message } ... on NotFound { kind } } }"""
ADD = """mutation A($id: ID!, $title: String!, $owner: ID!, $contact: ID, $due: Date, $rec: Boolean!) {
  addPlanAction(accountId: $id, title: $title, ownerId: $owner, contactId: $contact, due: $due, recommended: $rec) {
    __typename ... on PlanAction { id status source due overdue }
    ... on Forbidden { message } ... on InvalidInput { field message } ... on NotFound { kind } } }"""
UPDATE = """mutation U($id: ID!, $status: String) { updatePlanAction(id: $id, status: $status) {
  __typename ... on PlanAction { id status } ... on Forbidden { message } ... on InvalidInput { field message }
  ... on NotFound { kind } } }"""


def _home(api: Api, contact: str) -> str:
    person = api.data(
        '{ person(id: "ID") { ... on Contact { employments { accountId until } } } }'.replace("ID", contact)
    )
    return next(e["accountId"] for e in person["person"]["employments"] if e["until"] is None)


def _run(api: Api, query: str, token: str, **variables: Any) -> Any:
    (answer,) = api.data(query, token=token, variables=variables).values()
    return answer


def test_a_rep_plans_their_account_and_leadership_reads_it(writable: Api, portfolio: Portfolio) -> None:
    me, contact = portfolio.manager_id, portfolio.inside_contact
    account = _home(writable, contact)
    goals = _run(
        writable, GOALS, "manager", id=account, target=85.0, summary="Second thread to the economic buyer",
        keys=[{"contactId": contact, "targetLevel": "TRUSTED_ADVISOR"}],
    )  # fmt: skip
    assert goals["__typename"] == "AccountPlan" and goals["targetCoverage"] == 85.0
    assert goals["keyContacts"] == [{"contactId": contact, "targetLevel": "TRUSTED_ADVISOR"}]
    late = _run(writable, ADD, "manager", id=account, title="QBR with the CFO", owner=me, contact=contact,
                due="2026-10-15", rec=True)  # fmt: skip
    soon = _run(
        writable,
        ADD,
        "manager",
        id=account,
        title="Site visit",
        owner=me,
        contact=None,
        due="2026-12-20",
        rec=False,
    )
    assert late["status"] == "OPEN" and late["source"] == "RECOMMENDED"
    # due before the data's reference day (2026-11-01) and open: overdue; the later one is not
    assert late["overdue"] is True and soon["overdue"] is False
    done = _run(writable, UPDATE, "manager", id=late["id"], status="DONE")
    assert done == {"__typename": "PlanAction", "id": late["id"], "status": "DONE"}
    plan = writable.data(PLAN, token="leadership", variables={"id": account})["account"]
    assert plan["plan"]["summary"] == "Second thread to the economic buyer"
    assert plan["plan"]["coverage"] == plan["coverageScore"]
    # open actions first, then done
    assert [(a["title"], a["status"]) for a in plan["plan"]["actions"]] == [
        ("Site visit", "OPEN"),
        ("QBR with the CFO", "DONE"),
    ]
    actions = [e["action"] for e in plan["auditTrail"]]
    assert actions[:4] == ["updatePlanAction", "addPlanAction", "addPlanAction", "setAccountPlan"]


def test_plan_changes_are_checked_and_scoped(writable: Api, portfolio: Portfolio) -> None:
    me, other = portfolio.manager_id, portfolio.other_account
    account = _home(writable, portfolio.inside_contact)
    assert _run(writable, GOALS, "manager", id=other, target=80.0)["__typename"] == "Forbidden"
    assert _run(writable, GOALS, "leadership", id=account, target=80.0)["__typename"] == "Forbidden"
    bad = _run(writable, GOALS, "manager", id=account, target=120.0)
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "targetCoverage"
    level = _run(
        writable, GOALS, "admin", id=account, keys=[{"contactId": "x", "targetLevel": "BEST_FRIEND"}]
    )
    assert level["__typename"] == "InvalidInput" and level["field"] == "keyContacts"
    assert _run(writable, GOALS, "admin", id="no-such", target=10.0)["__typename"] == "NotFound"
    not_staff = _run(
        writable, ADD, "manager", id=account, title="x", owner=portfolio.inside_contact, rec=False
    )
    assert not_staff["__typename"] == "InvalidInput" and not_staff["field"] == "ownerId"
    empty = _run(writable, ADD, "manager", id=account, title="  ", owner=me, rec=False)
    assert empty["__typename"] == "InvalidInput" and empty["field"] == "title"
    theirs = _run(writable, ADD, "admin", id=other, title="Admin's action", owner=me, rec=False)
    assert theirs["__typename"] == "PlanAction"
    # another account's action is not found for the rep, and a bad status is refused
    assert _run(writable, UPDATE, "manager", id=theirs["id"], status="DONE")["__typename"] == "NotFound"
    wrong = _run(writable, UPDATE, "admin", id=theirs["id"], status="FINISHED")
    assert wrong["__typename"] == "InvalidInput" and wrong["field"] == "status"
    assert _run(writable, UPDATE, "admin", id="999999", status="DONE")["__typename"] == "NotFound"
