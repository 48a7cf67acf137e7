"""What a scoped caller (an account manager) sees of an account's people, interactions and analyses.

The rule, everywhere in the API:

* **Accounts**: the accounts whose team the caller is on today.
* **Contacts**: the people with a position (current or former) at one of those accounts.
* **Staff**: the caller and everyone on (or formerly on) the team of one of those accounts.
* **Interactions**: those about one of those accounts, and those about no account whose every
  participant is visible.
* **A person's other employers**: a contact's positions at accounts the caller cannot see are
  withheld (not their account, title or dates); ``Contact.employedElsewhere`` says only that at
  least one such position exists. Positions at the caller's accounts are shown in full.
* **Analyses** (relationship map, coverage, threads, departure impacts, ties and their evidence,
  health, alerts, what-if) are computed over the account's whole graph, so the scores are the
  same for everyone; what names anyone or anything outside the caller's scope is left out of
  what they are shown: a tie, a staff member, a departure impact or a piece of evidence whose
  person or interaction is foreign is dropped, a foreign id is dropped from a list of ids (a
  path then skips the hidden person), a map keyed by foreign ids loses those keys, and an
  alert that mentions anything foreign is withheld whole (its message may name them).

:class:`Redactor` applies the last rule to plain data (payloads, lean maps) given the set of
foreign ids around one account (:func:`account_redactor`).

Examples
--------
>>> redact = Redactor(frozenset({"stf-9", "int-2"}))
>>> redact({"ties": [["stf-1", "c1", 0.5], ["stf-9", "c1", 0.9]], "paths": [["stf-9", "c1"]]})
{'ties': [['stf-1', 'c1', 0.5]], 'paths': [['c1']]}
>>> redact([{"kind": "going_cold", "message": "x", "evidence": {"staff_id": "stf-9"}}, {"a": "c1"}])
[{'a': 'c1'}]
>>> redact({"names": {"stf-9": "Ann", "c1": "Bo"}, "cadence": {"last_interaction_id": "int-2"}})
{'names': {'c1': 'Bo'}, 'cadence': None}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import strawberry

from graph import model
from schema.raw_json import RawJSON

__all__ = [
    "Redactor",
    "account_redactor",
    "neighbourhood_redactor",
    "redacted",
    "scoped_employments",
    "scoped_interactions",
    "visible_people",
]


class _Drop:
    """Marker of a value withheld whole."""


_DROP = _Drop()


@dataclass
class Redactor:
    """Copies plain data without what names a ``foreign`` id (see the module for the rules)."""

    foreign: frozenset[str]
    removed: int = field(default=0, compare=False)

    def __call__(self, value: Any) -> Any:
        """The redacted copy of ``value`` (``None`` when it is withheld whole)."""
        out = self._walk(value)
        return None if out is _DROP else out

    def raw(self, value: RawJSON) -> RawJSON:
        """A :class:`RawJSON` of the redacted value (the same object when nothing is foreign)."""
        before = self.removed
        out = self(value.value)
        return value if self.removed == before else RawJSON.of(out)

    def keeps(self, ident: str | None) -> bool:
        """Whether the id is not foreign."""
        return ident is None or ident not in self.foreign

    def _foreign_key(self, key: Any) -> bool:
        return isinstance(key, str) and any(part in self.foreign for part in key.split("|"))

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            if value in self.foreign:
                self.removed += 1
                return _DROP
            return value
        if isinstance(value, RawJSON):
            return self.raw(value)
        if isinstance(value, Mapping):
            return self._mapping(value)
        if isinstance(value, list | tuple):
            return self._sequence(value)
        return value

    def _mapping(self, value: Mapping[str, Any]) -> Any:
        before = self.removed
        out: dict[str, Any] = {}
        for key, item in value.items():
            if self._foreign_key(key):
                self.removed += 1
                continue
            if isinstance(item, str) and item in self.foreign:
                self.removed += 1
                return _DROP  # a record about someone or something foreign
            walked = self._walk(item)
            out[key] = None if walked is _DROP else walked
        if "message" in value and self.removed != before:
            return _DROP  # an alert mentioning anything foreign
        return out

    def _sequence(self, value: Sequence[Any]) -> Any:
        if all(isinstance(item, str) for item in value):
            kept = [item for item in value if item not in self.foreign]
            self.removed += len(value) - len(kept)
            return kept
        if any(isinstance(item, str) and item in self.foreign for item in value):
            self.removed += 1
            return _DROP  # a row (a tie, a line) naming someone foreign
        out = []
        for item in value:
            walked = self._walk(item)
            if walked is not _DROP:
                out.append(walked)
        return out


async def visible_people(info: strawberry.Info, ids: Iterable[str]) -> frozenset[str]:
    """Those of ``ids`` that are existing people the caller may see."""
    scope = info.context.scope
    wanted = sorted(set(ids))
    if scope.unrestricted:
        return frozenset(wanted)
    people = await info.context.loaders.people.load_many(wanted)
    seen = [p is not None and await scope.can_see_person(p) for p in people]
    return frozenset(i for i, ok in zip(wanted, seen, strict=True) if ok)


def _visible_interaction(interaction: model.Interaction, scope: Any, people: frozenset[str]) -> bool:
    if interaction.accounts:
        return any(scope.can_see_account(a) for a in interaction.accounts)
    return all(p in people for p in interaction.participants)


async def account_redactor(info: strawberry.Info, account_id: str, day: date) -> Redactor | None:
    """The :class:`Redactor` of what the caller may not see around ``account_id`` on ``day``
    (people, interactions and accounts of its subgraph); ``None`` for callers who see everything."""
    ctx = info.context
    if ctx.scope.unrestricted:
        return None
    cache: dict[tuple[str, date], frozenset[str]] = ctx.foreign_ids
    key = (account_id, day)
    if key not in cache:
        subgraph = await ctx.loaders.subgraphs.load(key)
        cache[key] = frozenset() if subgraph is None else await _foreign_ids(info, subgraph)
    return Redactor(cache[key])


async def _foreign_ids(info: strawberry.Info, subgraph: Any) -> frozenset[str]:
    scope = info.context.scope
    people = {c.id for c in subgraph.contacts} | {s.id for s in subgraph.staff}
    people |= {m.staff_id for m in subgraph.team}
    people |= {a.staff_id for a in subgraph.assessments}
    for interaction in subgraph.interactions:
        people.update(interaction.participants)
    people |= {p for r in subgraph.reporting_lines for p in (r.contact_id, r.manager_id)}
    people |= {p for r in subgraph.influence_lines for p in (r.source_id, r.target_id)}
    seen = await visible_people(info, people)
    accounts = {e.account_id for e in subgraph.former_employments}
    for interaction in subgraph.interactions:
        accounts.update(interaction.accounts)
    foreign = {p for p in people if p not in seen}
    foreign |= {a for a in accounts if not scope.can_see_account(a)}
    foreign |= {i.id for i in subgraph.interactions if not _visible_interaction(i, scope, seen)}
    return frozenset(foreign)


async def neighbourhood_redactor(info: strawberry.Info, around: Iterable[Any]) -> Redactor | None:
    """The :class:`Redactor` of what the caller may not see in the warm-path neighbourhoods
    ``around`` (:class:`graph.store.Neighbourhood`); ``None`` for callers who see everything."""
    scope = info.context.scope
    if scope.unrestricted:
        return None
    people: set[str] = set()
    accounts: set[str] = set()
    interactions: dict[str, model.Interaction] = {}
    for hood in around:
        people.update(hood.people)
        accounts.update(hood.accounts)
        accounts.update(e.account_id for e in hood.employments)
        for interaction in hood.interactions:
            interactions[interaction.id] = interaction
            people.update(interaction.participants)
            accounts.update(interaction.accounts)
    seen = await visible_people(info, people)
    foreign = {p for p in people if p not in seen}
    foreign |= {a for a in accounts if not scope.can_see_account(a)}
    foreign |= {i for i, record in interactions.items() if not _visible_interaction(record, scope, seen)}
    return Redactor(frozenset(foreign))


async def redacted(info: strawberry.Info, account_id: str, day: date, value: Any) -> Any:
    """``value`` (plain data about ``account_id`` on ``day``) as the caller may see it."""
    redactor = await account_redactor(info, account_id, day)
    return value if redactor is None else redactor(value)


async def scoped_interactions(
    info: strawberry.Info, interactions: Sequence[model.Interaction]
) -> list[model.Interaction]:
    """The interactions the caller may see, each with only the participants and accounts they
    may see."""
    scope = info.context.scope
    if scope.unrestricted:
        return list(interactions)
    seen = await visible_people(info, (p for i in interactions for p in i.participants))
    return [
        replace(
            i,
            participants=tuple(p for p in i.participants if p in seen),
            accounts=tuple(a for a in i.accounts if scope.can_see_account(a)),
        )
        for i in interactions
        if _visible_interaction(i, scope, seen)
    ]


def scoped_employments(
    info: strawberry.Info, employments: Sequence[model.Employment]
) -> list[model.Employment]:
    """The positions at accounts the caller may see."""
    scope = info.context.scope
    return [e for e in employments if scope.can_see_account(e.account_id)]
