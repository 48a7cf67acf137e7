"""Interaction records: the fast checks of already-clean values accept and refuse exactly what the
general checks do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from graph.model import Interaction, InteractionKind, ModelError

AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["", "  ", " a", "a ", "\ta", "a\n", 5, None])
def test_ids_with_blanks_or_of_another_type_are_refused(bad: object) -> None:
    with pytest.raises(ModelError, match=r"Interaction\.id"):
        Interaction(bad, "meeting", AT)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"Interaction\.participants"):
        Interaction("i1", "meeting", AT, participants=("s1", bad))  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"Interaction\.accounts"):
        Interaction("i1", "meeting", AT, accounts=(bad,))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "kind"),
    [("meeting", InteractionKind.MEETING), ("Meeting", InteractionKind.MEETING),
     ("exec visit", InteractionKind.EXEC_VISIT), ("exec-visit", InteractionKind.EXEC_VISIT),
     (InteractionKind.CALL, InteractionKind.CALL)],
)  # fmt: skip
def test_kinds_are_read_in_any_of_their_spellings(given: object, kind: InteractionKind) -> None:
    assert Interaction("i1", given, AT).kind is kind  # type: ignore[arg-type]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ModelError, match=r"Interaction\.kind"):
        Interaction("i1", "lunch", AT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "given",
    [AT, "2025-03-01T09:30:00Z", "2025-03-01T10:30:00+01:00", datetime(2025, 3, 1, 9, 30),
     datetime(2025, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))],
)  # fmt: skip
def test_moments_end_up_in_utc(given: object) -> None:
    at = Interaction("i1", "call", given).at  # type: ignore[arg-type]
    assert at == AT and at.tzinfo is UTC


def test_a_day_is_midnight_utc_and_nonsense_is_refused() -> None:
    assert Interaction("i1", "call", date(2025, 3, 1)).at == datetime(2025, 3, 1, tzinfo=UTC)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"Interaction\.at"):
        Interaction("i1", "call", "yesterday")  # type: ignore[arg-type]


def test_participants_and_accounts_are_sorted_and_unique() -> None:
    i = Interaction("i1", "call", AT, participants=("s2", "c1", "s2"), accounts=("b", "a", "b"))
    assert (i.participants, i.accounts) == (("c1", "s2"), ("a", "b"))
