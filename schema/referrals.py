"""The referral network in the API: who referred whom, with the referrals behind each edge.

Built by :func:`graph.analysis.referrals.referral_network` from the store's referral graph; a
contact's referral counts for their employer on the referral's day. An account manager sees
only the accounts they are on the team of, and only the edges between two of them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from graph import model
from schema.enums import ReferrerKind
from schema.fields import field
from schema.presentation import Money, Ratio
from schema.types import Account, Person, load_account, load_person

__all__ = [
    "AccountReferrals",
    "ReferralEdge",
    "ReferralEvidence",
    "ReferralNetwork",
    "Referrer",
    "load_network",
    "load_top_referrers",
]


@strawberry.type(description="One referral, and the account it counts for (`creditedTo`).")
class ReferralEvidence:
    source_id: strawberry.ID
    source_kind: ReferrerKind
    target_id: strawberry.ID
    at: date
    status: model.ReferralStatus
    value: Money
    credited_to: strawberry.ID | None
    via_contact: strawberry.ID | None


@strawberry.type(description="Account `sourceId` referred account `targetId` (one or more referrals).")
class ReferralEdge:
    source_id: strawberry.ID
    target_id: strawberry.ID
    status: model.ReferralStatus
    referrals: list[ReferralEvidence]
    as_of: strawberry.Private[date]

    @field(description="The referring account (null when outside your scope).")
    async def source(self, info: strawberry.Info) -> Account | None:
        return await load_account(info, str(self.source_id), self.as_of)

    @field(description="The referred account (null when outside your scope).")
    async def target(self, info: strawberry.Info) -> Account | None:
        return await load_account(info, str(self.target_id), self.as_of)


@strawberry.type(description="Revenue attributed to an account's referrals: direct + decayed indirect.")
class AttributedRevenue:
    direct: Money
    indirect: Money
    total: Money
    decay: Ratio = strawberry.field(description="Factor per further hop (default 0.5).")


@strawberry.type(description="Referral outcomes: rate = won / all, decidedRate = won / (won + lost).")
class Conversion:
    won: int
    lost: int
    lead: int
    rate: Ratio | None
    decided_rate: Ratio | None


@strawberry.type(description="An account's referrals given and received, attributed revenue and conversion.")
class AccountReferrals:
    account_id: strawberry.ID
    given: list[ReferralEvidence]
    received: list[ReferralEvidence]
    attributed: AttributedRevenue
    conversion: Conversion


@strawberry.type(description="The referral network (from `rootId` within `depth` hops, or all of it).")
class ReferralNetwork:
    as_of: date
    root_id: strawberry.ID | None
    account_ids: list[strawberry.ID]
    edges: list[ReferralEdge]
    root: AccountReferrals | None


@strawberry.type(
    description=(
        "A referrer (an account, or a contact) ranked by downstream value, then PageRank: downstreamValue "
        "is the revenue attributed to its referrals (direct + decayed indirect); pagerank its PageRank "
        "(damping 0.85) in the reversed referral network, where credit flows from a referred account back "
        "to its referrer (a contact has its employer's)."
    )
)
class Referrer:
    rank: int
    kind: ReferrerKind
    id: strawberry.ID
    referrals: int
    won: int
    direct_value: Money
    downstream_value: Money
    pagerank: Ratio
    as_of: strawberry.Private[date]

    @field(description="The referring account (null for a contact or outside your scope).")
    async def account(self, info: strawberry.Info) -> Account | None:
        if self.kind is not ReferrerKind.ACCOUNT:
            return None
        return await load_account(info, str(self.id), self.as_of)

    @field(description="The referring contact (null for an account or outside your scope).")
    async def person(self, info: strawberry.Info) -> Person | None:
        if self.kind is not ReferrerKind.CONTACT:
            return None
        return await load_person(info, str(self.id), self.as_of)


def _evidence(e: Any) -> ReferralEvidence:
    r = e.referral
    return ReferralEvidence(
        source_id=strawberry.ID(r.source_id),
        source_kind=ReferrerKind(r.source_kind),
        target_id=strawberry.ID(r.target_id),
        at=r.at,
        status=r.status,
        value=Money(r.value),
        credited_to=strawberry.ID(e.credited_to) if e.credited_to else None,
        via_contact=strawberry.ID(e.via_contact) if e.via_contact else None,
    )


async def load_network(
    info: strawberry.Info, root_id: str | None, depth: int, day: date
) -> ReferralNetwork | None:
    """The (scoped) referral network; ``None`` when the root is not a visible account."""
    from graph.analysis.referrals import account_referrals, referral_tree

    ctx = info.context
    if root_id is not None and await load_account(info, root_id, day) is None:
        return None
    # The whole referral graph (the one portfolio-wide graph): the root's tree only follows
    # referrals forward, and who referred the root is needed too.
    network = _network(info, day)
    around = network
    if root_id is not None and root_id in network:
        around = referral_tree(network, root_id, depth)
        for referrer in network.predecessors(root_id):
            around.add_edge(referrer, root_id, **network.edges[referrer, root_id])
    elif root_id is not None:
        around = network.subgraph([]).copy()
    visible = ctx.scope.account_ids()
    nodes = sorted(n for n in around.nodes if visible is None or n in visible)
    edges = [
        ReferralEdge(
            source_id=strawberry.ID(a),
            target_id=strawberry.ID(b),
            status=data["status"],
            referrals=[_evidence(e) for e in data["evidence"]],
            as_of=day,
        )
        for a, b, data in sorted(around.edges(data=True), key=lambda edge: (edge[0], edge[1]))
        if visible is None or (a in visible and b in visible)
    ]
    root = None
    if root_id is not None and root_id in network:
        info_ = account_referrals(network, root_id, ctx.config)
        given = [e for e in info_.given if visible is None or e.referral.target_id in visible]
        received = [e for e in info_.received if visible is None or (e.credited_to or "") in visible]
        root = AccountReferrals(
            account_id=strawberry.ID(root_id),
            given=[_evidence(e) for e in given],
            received=[_evidence(e) for e in received],
            attributed=AttributedRevenue(
                direct=Money(info_.attributed.direct),
                indirect=Money(info_.attributed.indirect),
                total=Money(info_.attributed.total),
                decay=Ratio(info_.attributed.decay),
            ),
            conversion=Conversion(
                won=info_.conversion.won,
                lost=info_.conversion.lost,
                lead=info_.conversion.lead,
                rate=None if info_.conversion.rate is None else Ratio(info_.conversion.rate),
                decided_rate=None
                if info_.conversion.decided_rate is None
                else Ratio(info_.conversion.decided_rate),
            ),
        )
    return ReferralNetwork(
        as_of=day,
        root_id=strawberry.ID(root_id) if root_id is not None else None,
        account_ids=[strawberry.ID(n) for n in nodes],
        edges=edges,
        root=root,
    )


def _network(info: strawberry.Info, day: date) -> Any:
    from graph.analysis.referrals import referral_network

    store = info.context.store
    graph = store.referral_graph(day)
    employments = store.employments_of(sorted(graph.contacts))
    return referral_network(graph, [e for rows in employments.values() for e in rows])


async def load_top_referrers(
    info: strawberry.Info, first: int, include_contacts: bool, day: date
) -> list[Referrer]:
    """The ``first`` best referrers visible to the viewer
    (:func:`graph.analysis.referrals.top_referrers`)."""
    from graph.analysis.referrals import top_referrers

    ctx = info.context
    network = _network(info, day)
    ranked = top_referrers(
        network,
        k=network.number_of_nodes() + len(network.graph.get("contact_evidence", {})),
        config=ctx.config,
        include_contacts=include_contacts,
    )
    visible = ctx.scope.account_ids()
    out: list[Referrer] = []
    for r in ranked:
        if visible is not None:
            seen = r.id in visible if r.kind == "account" else await ctx.scope.can_see_person_id(r.id)
            if not seen:
                continue
        out.append(
            Referrer(
                rank=len(out) + 1,
                kind=ReferrerKind(r.kind),
                id=strawberry.ID(r.id),
                referrals=r.referrals,
                won=r.won,
                direct_value=Money(r.direct_value),
                downstream_value=Money(r.downstream_value),
                pagerank=Ratio(r.pagerank),
                as_of=day,
            )
        )
        if len(out) == first:
            break
    return out
