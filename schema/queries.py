"""The root ``Query`` type: accounts, people, search and the analyses' views."""

from __future__ import annotations

import bisect
from datetime import date
from typing import Annotated, Any, cast

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON

from graph.store import AccountFilter
from schema.analyses import to_jsonable
from schema.analysis_types import WhatIf, what_if_from
from schema.connection import AccountConnection, AccountEdge, PageInfo, decode_cursor, encode_cursor
from schema.diffs import AccountDiff, PortfolioDiff, load_account_diff, load_portfolio_diff
from schema.enums import SearchKind
from schema.errors import InvalidInput, NotFound, PublicError
from schema.fields import field
from schema.inputs import AccountFilterInput, AccountOrder
from schema.paging import MAX_PAGE, check_first
from schema.permissions import IsAuthenticated
from schema.portfolio import Portfolio, load_view
from schema.presentation import Strength, api_evidence, enum_name
from schema.referrals import ReferralNetwork, Referrer, load_network, load_top_referrers
from schema.scoping import Redactor, neighbourhood_redactor, redacted
from schema.types import Account, Person, account_type, load_account, load_person

__all__ = ["Query", "SearchHit"]

_SCAN_PAGE = 1000
_AUTH: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type(description="A search match: an account, contact or staff member.")
class SearchHit:
    kind: SearchKind
    id: strawberry.ID
    name: str
    detail: str | None


def _evidence(redactor: Redactor | None, evidence: Any) -> Any:
    """A warm-path hop's evidence as the caller may see it (``{}`` when withheld whole)."""
    if redactor is None:
        return evidence
    kept = redactor(evidence)
    return {} if kept is None else kept


def _day(info: strawberry.Info, as_of: date | None) -> date:
    return as_of or info.context.today


def _store_filter(filter: AccountFilterInput | None, visible: frozenset[str] | None) -> AccountFilter:
    ids: frozenset[str] | None = None
    if filter is not None and filter.ids is not None:
        ids = frozenset(str(i) for i in filter.ids)
    if visible is not None:
        ids = visible if ids is None else ids & visible
    if filter is None:
        return AccountFilter(ids=ids)
    return AccountFilter(
        tier=filter.tier,
        owner=str(filter.owner) if filter.owner is not None else None,
        industry=filter.industry,
        region=filter.region,
        name_contains=filter.name_contains,
        ids=ids,
    )


async def _order_keys(
    info: strawberry.Info, order: AccountOrder, accounts: list[Any], day: date
) -> list[Any]:
    """Sort keys (ascending) of ``accounts`` for ``order``; ties break by id."""
    ctx = info.context
    if order is AccountOrder.ID:
        return [[a.id, a.id] for a in accounts]
    if order is AccountOrder.NAME:
        return [[a.name.casefold(), a.id] for a in accounts]
    if order is AccountOrder.REVENUE:
        return [[-a.annual_revenue, a.id] for a in accounts]
    summaries = await ctx.loaders.summaries.load_many([(a.id, day) for a in accounts])
    keys: list[Any] = []
    for account, summary in zip(accounts, summaries, strict=True):
        figures = summary.payload["summary"] if summary is not None else {}
        if order is AccountOrder.REVENUE_AT_RISK:
            # an exposed account ranks by all of its revenue, as in the portfolio
            at_risk = max(
                float(figures.get("revenue_at_risk", 0.0)), float(figures.get("revenue_exposed", 0.0))
            )
            keys.append([-at_risk, account.id])
        else:
            keys.append([float(figures.get("health_score", 101.0)), account.id])
    return keys


@strawberry.type(description="One link of a warm path, explained.")
class WarmPathHop:
    source: strawberry.ID
    target: strawberry.ID
    kind: str = strawberry.field(description="TIE, COLLEAGUE, REPORTS_TO, REFERRAL, ... (enum casing).")
    strength: Strength
    evidence: JSON


@strawberry.type(description="A path from one of our staff to the target; strength = product of the hops.")
class WarmPath:
    strength: Strength
    people: list[strawberry.ID]
    hops: list[WarmPathHop]


WhatIfPayload = Annotated[WhatIf | NotFound | InvalidInput, strawberry.union("WhatIfPayload")]


@strawberry.type(name="Viewer", description="Who is calling: the token's effective role and staff id.")
class ViewerInfo:
    role: str
    staff_id: strawberry.ID | None
    token_name: str | None
    service: bool


@strawberry.type
class Query:
    @field(
        permission_classes=_AUTH,
        description="The day every query analyses when `asOf` is not given: the data's stored "
        "reference date (the demo's last day), else today (UTC).",
    )
    def reference_date(self, info: strawberry.Info) -> date:
        return cast(date, info.context.today)

    @field(description="The caller (null without a valid token).")
    def viewer(self, info: strawberry.Info) -> ViewerInfo | None:
        viewer = info.context.viewer
        if not viewer.authenticated:
            return None
        return ViewerInfo(
            role=viewer.role,
            staff_id=strawberry.ID(viewer.staff_id) if viewer.staff_id else None,
            token_name=viewer.token_name,
            service=viewer.service,
        )

    @field(permission_classes=_AUTH, description="One account as of `asOf` (default today).")
    async def account(
        self, info: strawberry.Info, id: strawberry.ID, as_of: date | None = None
    ) -> Account | None:
        return await load_account(info, str(id), _day(info, as_of))

    @field(
        permission_classes=_AUTH,
        description=(
            "Accounts visible to you, filtered and ordered (NAME ascending, REVENUE and REVENUE_AT_RISK "
            "descending, HEALTH ascending: worst first; ties by id), `first` (1-100) after `after`."
        ),
    )
    async def accounts(
        self,
        info: strawberry.Info,
        filter: AccountFilterInput | None = None,
        order_by: AccountOrder = AccountOrder.NAME,
        first: Annotated[int, strawberry.argument(description="Page size, 1-100.")] = 20,
        after: str | None = None,
        as_of: date | None = None,
    ) -> AccountConnection | None:
        check_first(first)
        ctx = info.context
        day = _day(info, as_of)
        start_key = decode_cursor(after, order_by.value) if after is not None else None
        store_filter = _store_filter(filter, ctx.scope.account_ids())
        accounts: list[Any] = []
        cursor: str | None = None
        if store_filter.ids is None or store_filter.ids:
            while True:
                page = ctx.store.list_accounts(store_filter, first=_SCAN_PAGE, after=cursor)
                accounts.extend(page.items)
                if not page.has_next or page.end_cursor is None:
                    break
                cursor = page.end_cursor
        keys = await _order_keys(info, order_by, accounts, day)
        ranked = sorted(zip(keys, accounts, strict=True), key=lambda pair: pair[0])
        sorted_keys = [k for k, _ in ranked]
        start = 0 if start_key is None else bisect.bisect_right(sorted_keys, start_key)
        chosen = ranked[start : start + first]
        for _key, account in chosen:
            ctx.loaders.accounts.prime(account.id, account)
        edges = [
            AccountEdge(cursor=encode_cursor(order_by.value, k), node=account_type(a, day)) for k, a in chosen
        ]
        return AccountConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + first < len(ranked),
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(ranked),
        )

    @field(permission_classes=_AUTH, description="A contact or staff member (null if not visible).")
    async def person(
        self, info: strawberry.Info, id: strawberry.ID, as_of: date | None = None
    ) -> Person | None:
        return await load_person(info, str(id), _day(info, as_of))

    @field(permission_classes=_AUTH, description="Accounts and people whose name or email contains `text`.")
    async def search(
        self,
        info: strawberry.Info,
        text: str,
        first: Annotated[int, strawberry.argument(description="1-100")] = 20,
    ) -> list[SearchHit] | None:
        check_first(first)
        if len(text.strip()) < 2:
            raise PublicError("text: give at least 2 characters to search for")
        ctx = info.context
        restricted = not ctx.scope.unrestricted
        hits = ctx.store.search(text.strip(), limit=MAX_PAGE if restricted else first)
        out: list[SearchHit] = []
        for hit in hits:
            if restricted:
                if hit.kind == "account":
                    if not ctx.scope.can_see_account(hit.id):
                        continue
                elif not await ctx.scope.can_see_person_id(hit.id):
                    continue
            out.append(
                SearchHit(
                    kind=SearchKind(hit.kind), id=strawberry.ID(hit.id), name=hit.name, detail=hit.detail
                )
            )
            if len(out) == first:
                break
        return out

    @field(
        permission_classes=_AUTH,
        description="Accounts ranked by revenue at risk, people by exposure, gaps, alerts, concentration.",
    )
    async def portfolio(
        self,
        info: strawberry.Info,
        as_of: date | None = None,
        job_changes_since: Annotated[
            date | None,
            strawberry.argument(
                description="Alert job changes whose new position started after this day "
                "(default: 90 days before `asOf`)."
            ),
        ] = None,
    ) -> Portfolio | None:
        day = _day(info, as_of)
        if job_changes_since is not None and job_changes_since > day:
            raise PublicError(
                f"jobChangesSince {job_changes_since.isoformat()} is after asOf {day.isoformat()}"
            )
        return await load_view(info, day, job_changes_since)

    @field(permission_classes=_AUTH, description="What-if: the account without the people `remove`.")
    async def what_if(
        self,
        info: strawberry.Info,
        account_id: strawberry.ID,
        remove: list[strawberry.ID],
        as_of: date | None = None,
    ) -> WhatIfPayload | None:
        ctx = info.context
        day = _day(info, as_of)
        if not remove:
            return InvalidInput(message="remove: name at least one person", field="remove")
        account = await load_account(info, str(account_id), day)
        if account is None:
            return NotFound(message=f"no account with id {account_id!r}", kind="account", id=str(account_id))
        view = await ctx.loaders.analyses.load((str(account_id), day))
        if not ctx.scope.unrestricted:
            for person_id in remove:
                if not await ctx.scope.can_see_person_id(str(person_id)):
                    return InvalidInput(
                        message=f"remove: {person_id!r} is not a person of this account", field="remove"
                    )
        try:
            result = view.what_if([str(r) for r in remove])
        except ValueError as error:
            return InvalidInput(message=f"remove: {error}", field="remove")
        return what_if_from(await redacted(info, str(account_id), day, to_jsonable(result)), day)

    @field(permission_classes=_AUTH, description="Who referred whom, from `rootId` within `depth` hops.")
    async def referral_network(
        self,
        info: strawberry.Info,
        root_id: strawberry.ID | None = None,
        depth: Annotated[int, strawberry.argument(description="1-10")] = 3,
        as_of: date | None = None,
    ) -> ReferralNetwork | None:
        if not 1 <= depth <= 10:
            raise PublicError(f"depth must be between 1 and 10, got {depth}")
        return await load_network(
            info, str(root_id) if root_id is not None else None, depth, _day(info, as_of)
        )

    @field(
        permission_classes=_AUTH,
        description=(
            "Referrers (accounts, and contacts unless `includeContacts` is false) ranked by downstream "
            "value, then PageRank (`first` 1-100)."
        ),
    )
    async def top_referrers(
        self,
        info: strawberry.Info,
        first: Annotated[int, strawberry.argument(description="1-100")] = 10,
        include_contacts: bool = True,
        as_of: date | None = None,
    ) -> list[Referrer] | None:
        check_first(first)
        return await load_top_referrers(info, first, include_contacts, _day(info, as_of))

    @field(
        permission_classes=_AUTH,
        description="What appeared, changed or went on the account's map between `from` and `to`.",
    )
    async def account_diff(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from", description="The earlier day.")],
        to: Annotated[date | None, strawberry.argument(description="The later day (default today).")] = None,
    ) -> AccountDiff | None:
        return await load_account_diff(info, str(id), from_, _day(info, to))

    @field(
        permission_classes=_AUTH,
        description="Accounts that got riskier or improved, and alerts raised or resolved, between two days.",
    )
    async def portfolio_diff(
        self,
        info: strawberry.Info,
        from_: Annotated[date, strawberry.argument(name="from", description="The earlier day.")],
        to: Annotated[date | None, strawberry.argument(description="The later day (default today).")] = None,
    ) -> PortfolioDiff | None:
        return await load_portfolio_diff(info, from_, _day(info, to))

    @field(permission_classes=_AUTH, description="The strongest warm paths from our staff to a person.")
    async def warm_paths(
        self,
        info: strawberry.Info,
        to_person_id: strawberry.ID,
        from_staff_ids: list[strawberry.ID] | None = None,
        max_hops: Annotated[int, strawberry.argument(description="1-4")] = 4,
        first: Annotated[int, strawberry.argument(description="1-100")] = 3,
        as_of: date | None = None,
    ) -> list[WarmPath] | None:
        import dataclasses

        from graph.analysis.warm_paths import warm_paths

        check_first(first)
        if not 1 <= max_hops <= 4:
            raise PublicError(f"maxHops must be between 1 and 4, got {max_hops}")
        ctx = info.context
        day = _day(info, as_of)
        if not await ctx.scope.can_see_person_id(str(to_person_id)):
            return None
        config = dataclasses.replace(ctx.config, warm_path_max_hops=max_hops)
        around: list[Any] = []

        def fetch(ids: Any) -> Any:
            hood = ctx.store.neighbourhood(ids, day)
            around.append(hood)
            return hood

        paths = warm_paths(
            fetch,
            str(to_person_id),
            day,
            staff_ids=[str(s) for s in from_staff_ids] if from_staff_ids else None,
            k=first,
            config=config,
        )
        redactor = await neighbourhood_redactor(info, around)
        out: list[WarmPath] = []
        for path in paths:
            if not ctx.scope.unrestricted:
                seen = [await ctx.scope.can_see_person_id(p) for p in path.people]
                if not all(seen):
                    continue
            out.append(
                WarmPath(
                    strength=Strength(path.strength),
                    people=[strawberry.ID(p) for p in path.people],
                    hops=[
                        WarmPathHop(
                            source=strawberry.ID(h.source),
                            target=strawberry.ID(h.target),
                            kind=enum_name(h.kind),
                            strength=Strength(h.strength),
                            evidence=api_evidence(_evidence(redactor, to_jsonable(h.evidence))),
                        )
                        for h in path.hops
                    ],
                )
            )
        return out
