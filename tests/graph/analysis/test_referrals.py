"""Tests of the referral network."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.config import AnalysisConfig
from graph.analysis.referrals import (
    account_referrals,
    attributed_revenue,
    conversion,
    referral_network,
    referral_tree,
    top_referrers,
)
from graph.model import Account, Contact, Employment, Referral, ReferralStatus
from graph.store import ReferralGraph

AS_OF = date(2025, 12, 31)


def chain_graph() -> ReferralGraph:
    """Acme referred Bolt (won 100), Bolt referred Cora (won 60), Cora referred Dyna (won 40)."""
    accounts = {a: Account(a, a.title()) for a in ("acme", "bolt", "cora", "dyna", "echo")}
    return ReferralGraph(
        AS_OF,
        accounts=accounts,
        referrals=(
            Referral("acme", "account", "bolt", date(2025, 1, 1), ReferralStatus.WON, 100.0),
            Referral("bolt", "account", "cora", date(2025, 2, 1), ReferralStatus.WON, 60.0),
            Referral("cora", "account", "dyna", date(2025, 3, 1), ReferralStatus.WON, 40.0),
            Referral("acme", "account", "echo", date(2025, 4, 1), ReferralStatus.LOST, 500.0),
        ),
    )


def test_chain_of_three_attributes_direct_and_decayed_indirect_revenue() -> None:
    net = referral_network(chain_graph())
    acme = attributed_revenue(net, "acme")
    assert acme.direct == 100.0
    assert acme.indirect == pytest.approx(0.5 * 60 + 0.25 * 40)
    assert acme.total == pytest.approx(140.0)
    assert [(c.evidence.referral.target_id, c.hop, c.factor) for c in acme.contributions] == [
        ("bolt", 1, 1.0),
        ("cora", 2, 0.5),
        ("dyna", 3, 0.25),
    ]
    assert attributed_revenue(net, "bolt").total == pytest.approx(60 + 20)
    assert attributed_revenue(net, "dyna").total == 0.0


def test_decay_is_configurable() -> None:
    net = referral_network(chain_graph())
    cfg = AnalysisConfig.from_mapping({"referral_hop_decay": 1.0})
    assert attributed_revenue(net, "acme", cfg).total == pytest.approx(200.0)


def test_cycles_never_credit_the_root_for_its_own_acquisition() -> None:
    graph = ReferralGraph(
        AS_OF,
        referrals=(
            Referral("a", "account", "b", date(2025, 1, 1), ReferralStatus.WON, 10),
            Referral("b", "account", "a", date(2025, 1, 2), ReferralStatus.WON, 20),
        ),
    )
    revenue = attributed_revenue(referral_network(graph), "a")
    # b's referral of a is a's own acquisition: a brought in b (10) and nothing else
    assert (revenue.direct, revenue.indirect) == (10.0, 0.0)


def test_lost_referrals_and_cycles_bring_nobody_in() -> None:
    """The issue's case: a->b lost, b->c won (100), c->a won (40)."""
    graph = ReferralGraph(
        AS_OF,
        referrals=(
            Referral("a", "account", "b", date(2025, 1, 1), ReferralStatus.LOST, 0),
            Referral("b", "account", "c", date(2025, 2, 1), ReferralStatus.WON, 100),
            Referral("c", "account", "a", date(2025, 3, 1), ReferralStatus.WON, 40),
        ),
    )
    net = referral_network(graph)
    a = attributed_revenue(net, "a")
    assert (a.direct, a.indirect, a.contributions) == (0.0, 0.0, ())
    # b brought in c (100); c's referral of a (40) is credited to b at hop 2 (a is not b's root)
    b = attributed_revenue(net, "b")
    assert (b.direct, b.indirect) == (100.0, 0.5 * 40)
    # c brought in a (40); a's only referral was lost
    assert attributed_revenue(net, "c").total == 40.0
    ranked = {r.id: r for r in top_referrers(net)}
    assert ranked["a"].downstream_value == 0.0 and ranked["a"].won == 0


def _reference_attribution(refs: list[Referral], root: str, decay: float) -> tuple[float, float]:
    """Independent reference: shortest won chains with networkx, earliest won referral as parent."""
    won = [r for r in refs if r.status is ReferralStatus.WON and r.source_id != r.target_id]
    graph = nx.DiGraph()
    graph.add_node(root)
    for r in won:
        if r.target_id != root:  # never back to the root
            graph.add_edge(r.source_id, r.target_id)
    dist = nx.single_source_shortest_path_length(graph, root)
    direct = indirect = 0.0
    for v, d in dist.items():
        if d == 0:
            continue
        parents = [u for u in graph.predecessors(v) if dist.get(u) == d - 1]
        parent = min(
            parents, key=lambda u: (min(r.at for r in won if (r.source_id, r.target_id) == (u, v)), u)
        )
        credit = decay ** (d - 1) * sum(r.value for r in won if (r.source_id, r.target_id) == (parent, v))
        if d == 1:
            direct += credit
        else:
            indirect += credit
    return direct, indirect


_NAMES = ("a", "b", "c", "d", "e")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.sampled_from(_NAMES),
            st.sampled_from(list(ReferralStatus)),
            st.integers(1, 60),
            st.integers(0, 100),
        ),
        max_size=12,
    ),
    st.sampled_from(_NAMES),
    st.sampled_from((0.5, 1.0, 0.3)),
)
def test_attribution_matches_a_brute_force_reference(
    rows: list[tuple[str, str, ReferralStatus, int, int]], root: str, decay: float
) -> None:
    refs = list(
        {
            (s, t, day): Referral(
                s, "account", t, date(2025, 1, 1) + timedelta(days=day), status, float(value)
            )
            for s, t, status, day, value in rows
            if s != t
        }.values()
    )
    net = referral_network(ReferralGraph(AS_OF, referrals=tuple(refs)))
    if root not in net:
        net.add_node(root, account=None)
    cfg = AnalysisConfig(referral_hop_decay=decay)
    got = attributed_revenue(net, root, cfg)
    direct, indirect = _reference_attribution(refs, root, decay)
    assert got.direct == pytest.approx(direct)
    assert got.indirect == pytest.approx(indirect)
    assert all(c.evidence.referral.status is ReferralStatus.WON for c in got.contributions)
    assert all(c.evidence.referral.target_id != root for c in got.contributions)


def test_tree_given_received_and_conversion() -> None:
    net = referral_network(chain_graph())
    tree = referral_tree(net, "acme", 2)
    assert dict(tree.nodes(data="hop")) == {"acme": 0, "bolt": 1, "echo": 1, "cora": 2}
    summary = account_referrals(net, "acme")
    assert [e.referral.target_id for e in summary.given] == ["bolt", "echo"]
    assert summary.received == ()
    assert summary.conversion.rate == 0.5 and summary.conversion.decided_rate == 0.5
    assert [e.referral.source_id for e in account_referrals(net, "bolt").received] == ["acme"]
    payload = summary.to_payload()
    assert payload["attributed"]["total"] == pytest.approx(140.0)


def test_conversion_rates_without_decided_outcomes() -> None:
    graph = ReferralGraph(AS_OF, referrals=(Referral("a", "account", "b", date(2025, 1, 1)),))
    c = conversion(account_referrals(referral_network(graph), "a").given)
    assert (c.rate, c.decided_rate) == (0.0, None)


def test_contact_referrals_count_for_their_employer_at_the_time() -> None:
    graph = ReferralGraph(
        AS_OF,
        contacts={"ada": Contact("ada", "Ada")},
        referrals=(
            Referral("ada", "contact", "bolt", date(2024, 6, 1), ReferralStatus.WON, 30),
            Referral("ada", "contact", "cora", date(2025, 6, 1), ReferralStatus.WON, 70),
            Referral("zed", "contact", "dyna", date(2025, 6, 1), ReferralStatus.WON, 5),
        ),
    )
    jobs = [
        Employment("ada", "acme", since=date(2020, 1, 1), until=date(2024, 12, 31)),
        Employment("ada", "xeno", since=date(2025, 1, 1)),
    ]
    net = referral_network(graph, jobs)
    assert sorted(net.edges) == [("acme", "bolt"), ("xeno", "cora")]
    assert attributed_revenue(net, "acme").total == 30.0
    assert attributed_revenue(net, "xeno").total == 70.0
    assert [e.referral.target_id for e in net.graph["unattributed"]] == ["dyna"]
    ranked = top_referrers(net, k=10)
    by_id = {(r.kind, r.id): r for r in ranked}
    assert by_id["contact", "ada"].direct_value == 100.0
    assert by_id["contact", "zed"].pagerank == 0.0
    assert ranked[0].id == "ada"


def test_top_referrers_report_pagerank_and_downstream_value() -> None:
    net = referral_network(chain_graph())
    ranked = top_referrers(net, k=3)
    assert [r.id for r in ranked] == ["acme", "bolt", "cora"]
    assert ranked[0].downstream_value == pytest.approx(140.0)
    assert all(r.pagerank > 0 for r in ranked)
    # credit flows back: acme (at the root of the chain) has the highest PageRank
    assert ranked[0].pagerank == max(r.pagerank for r in ranked)


def test_referrals_after_as_of_are_ignored_and_bad_input_is_rejected() -> None:
    graph = ReferralGraph(
        date(2025, 1, 1), referrals=(Referral("a", "account", "b", date(2025, 6, 1), ReferralStatus.WON, 1),)
    )
    net = referral_network(graph)
    assert net.number_of_edges() == 0
    with pytest.raises(KeyError, match="not in the referral network"):
        attributed_revenue(net, "nobody")
    with pytest.raises(ValueError, match="depth"):
        referral_tree(referral_network(chain_graph()), "acme", -1)


def test_pagerank_is_the_stationary_vector_of_the_reversed_won_network() -> None:
    """PageRank checked against its defining equation, over won referrals only."""
    lost = Referral("echo", "account", "acme", date(2025, 5, 1), ReferralStatus.LOST, 1.0)
    refs = (*chain_graph().referrals, lost)
    net = referral_network(ReferralGraph(AS_OF, accounts=chain_graph().accounts, referrals=refs))
    ranks = {r.id: r.pagerank for r in top_referrers(net, k=10)}
    # reversed won edges: bolt->acme, cora->bolt, dyna->cora; echo has no won edge (dangling, like acme)
    d = 0.85
    rank = {"acme": 0.0, "bolt": 0.0, "cora": 0.0, "dyna": 0.0, "echo": 0.0}
    # r = (1-d)/5 + d*(r_acme + r_echo)/5 + d * r_pred (acme and echo are dangling), in closed form:
    # with x = (1-d)/n + d*(r_acme + r_echo)/n: dyna = x, cora = x + d*dyna, bolt = x + d*cora,
    # acme = x + d*bolt, echo = x; and sum(r) = 1.
    # sum = 5x + d*x + d*(x + d*x) + d*(x + d*x + d*d*x) = x * (5 + 3d + 2d^2 + d^3) = 1
    x = 1 / (5 + 3 * d + 2 * d**2 + d**3)
    rank["dyna"] = rank["echo"] = x
    rank["cora"] = x + d * x
    rank["bolt"] = x + d * rank["cora"]
    rank["acme"] = x + d * rank["bolt"]
    assert sum(rank.values()) == pytest.approx(1.0)
    for account in ("acme", "bolt", "cora"):
        assert ranks[account] == pytest.approx(rank[account], rel=1e-6)
    assert "echo" not in ranks or ranks["echo"] == pytest.approx(rank["echo"], rel=1e-6)
