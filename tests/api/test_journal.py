"""Reps who write on their accounts, and the journal (audit trail and notes) of every write."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.helpers import Portfolio

RESULT = """{ __typename ... on WriteResult { created updated touchedAccounts }
  ... on Forbidden { message } ... on InvalidInput { field message } }"""
TRAIL = """query T($id: ID!) { account(id: $id) {
  auditTrail(first: 10) { id at kind actor role staffId action detail }
  notes(first: 10) { kind role staffId action detail } } }"""


def _write(api: Api, mutation: str, token: str, variables: dict[str, Any] | None = None) -> Any:
    (answer,) = api.data(f"mutation {mutation}", token=token, variables=variables).values()
    return answer


def _home(api: Api, contact: str) -> str:
    person = api.data(
        '{ person(id: "ID") { ... on Contact { employments { accountId until } } } }'.replace("ID", contact)
    )
    return next(e["accountId"] for e in person["person"]["employments"] if e["until"] is None)


def test_an_account_manager_logs_a_meeting_on_their_account_and_it_is_audited(
    writable: Api, portfolio: Portfolio
) -> None:
    me, contact = portfolio.manager_id, portfolio.inside_contact
    account = _home(writable, contact)
    assert account in portfolio.manager_accounts
    meeting = f"""{{ recordInteraction(input: {{id: "rep-log-1", kind: MEETING, at: "2026-10-30T09:00:00Z",
        participants: ["{me}", "{contact}"], accounts: ["{account}"], subject: "QBR prep"}}) {RESULT} }}"""
    done = _write(writable, meeting, "manager")
    assert done["__typename"] == "WriteResult" and done["created"] == 1 and account in done["touchedAccounts"]
    # the meeting is the account's activity now
    ids = writable.data('{ account(id: "A") { interactions(first: 100) { id } } }'.replace("A", account))
    assert "rep-log-1" in {n["id"] for n in ids["account"]["interactions"]}
    trail = writable.data(TRAIL, token="manager", variables={"id": account})["account"]["auditTrail"]
    entry = trail[0]
    assert (entry["kind"], entry["role"], entry["staffId"], entry["action"], entry["actor"]) == (
        "WRITE", "account_manager", me, "recordInteraction", "manager")  # fmt: skip
    assert entry["detail"]["input"][0]["id"] == "rep-log-1" and entry["detail"]["created"] == 1
    # the same write again changes nothing and adds no entry
    again = _write(writable, meeting, "manager")
    assert (again["created"], again["updated"]) == (0, 0)
    assert len(
        writable.data(TRAIL, token="manager", variables={"id": account})["account"]["auditTrail"]
    ) == len(trail)


def test_an_account_manager_writes_nowhere_else(writable: Api, portfolio: Portfolio) -> None:
    me, inside, outside = portfolio.manager_id, portfolio.inside_contact, portfolio.outside_contact
    mine, other = _home(writable, inside), portfolio.other_account

    def log(accounts: str, people: str) -> Any:
        return _write(
            writable,
            f"""{{ recordInteraction(input: {{id: "rep-x", kind: CALL, at: "2026-10-30T09:00:00Z",
                participants: {people}, accounts: {accounts}}}) {RESULT} }}""",
            "manager",
        )

    about_other = log(f'["{other}"]', f'["{me}", "{inside}"]')
    assert about_other["__typename"] == "Forbidden" and other in about_other["message"]
    foreign_person = log(f'["{mine}"]', f'["{me}", "{outside}"]')
    assert foreign_person["__typename"] == "Forbidden" and outside in foreign_person["message"]
    about_nothing = log("[]", f'["{me}", "{inside}"]')
    assert about_nothing["__typename"] == "Forbidden" and "input.accounts" in about_nothing["message"]
    upsert = _write(
        writable, f'{{ upsertContact(input: {{id: "{inside}", name: "Renamed"}}) {RESULT} }}', "manager"
    )
    assert upsert["__typename"] == "Forbidden"
    # nothing of it was written
    ids = writable.data('{ account(id: "A") { interactions(first: 100) { id } } }'.replace("A", mine))
    assert "rep-x" not in {n["id"] for n in ids["account"]["interactions"]}


def test_reps_rate_their_own_ties_only(writable: Api, portfolio: Portfolio) -> None:
    me, inside = portfolio.manager_id, portfolio.inside_contact
    rate = """{{ assessTie(input: {{staffId: "{s}", contactId: "{c}", level: TRUSTED_ADVISOR, at: "2026-10-31"}}) {r} }}"""
    mine = _write(writable, rate.format(s=me, c=inside, r=RESULT), "manager")
    assert mine["__typename"] == "WriteResult" and mine["created"] == 1
    others = _write(
        writable, rate.format(s="stf-001" if me != "stf-001" else "stf-002", c=inside, r=RESULT), "manager"
    )
    assert others["__typename"] == "Forbidden" and me in others["message"]
    outside = _write(writable, rate.format(s=me, c=portfolio.outside_contact, r=RESULT), "manager")
    assert outside["__typename"] == "Forbidden"


def test_notes_by_reps_and_admins_are_read_by_leadership(writable: Api, portfolio: Portfolio) -> None:
    mine = _home(writable, portfolio.inside_contact)
    note = """mutation N($id: ID!, $text: String!) { addNote(accountId: $id, text: $text) {
        __typename ... on JournalEntry { kind role staffId detail } ... on Forbidden { message }
        ... on InvalidInput { field message } ... on NotFound { kind } } }"""

    def add(account: str, text: str, token: str) -> Any:
        return writable.data(note, token=token, variables={"id": account, "text": text})["addNote"]

    added = add(mine, "  Met the CFO at the trade fair; renewal talks in January.  ", "manager")
    assert added["__typename"] == "JournalEntry" and added["kind"] == "NOTE"
    assert added["detail"] == {"text": "Met the CFO at the trade fair; renewal talks in January."}
    assert add(portfolio.other_account, "not mine", "manager")["__typename"] == "Forbidden"
    blank = add(mine, "   ", "manager")
    assert blank == {
        "__typename": "InvalidInput",
        "field": "text",
        "message": "text: a note has 1 to 4000 characters",
    }
    assert add(mine, "leadership reads only", "leadership")["__typename"] == "Forbidden"
    assert add("no-such-account", "x", "admin")["__typename"] == "NotFound"
    assert add(mine, "From the account director.", "admin")["__typename"] == "JournalEntry"
    notes = writable.data(TRAIL, token="leadership", variables={"id": mine})["account"]["notes"]
    assert [(n["role"], n["detail"]["text"]) for n in notes] == [
        ("admin", "From the account director."),
        ("account_manager", "Met the CFO at the trade fair; renewal talks in January."),
    ]
    # notes are not writes of the graph: the audit trail holds none of them
    trail = writable.data(TRAIL, token="leadership", variables={"id": mine})["account"]["auditTrail"]
    assert all(e["action"] != "addNote" for e in trail)
