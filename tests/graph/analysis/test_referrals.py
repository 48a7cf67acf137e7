"""Tests of the referral network."""

from __future__ import annotations

from datetime import date

import pytest

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


def test_cycles_count_each_referral_once() -> None:
    graph = ReferralGraph(
        AS_OF,
        referrals=(
            Referral("a", "account", "b", date(2025, 1, 1), ReferralStatus.WON, 10),
            Referral("b", "account", "a", date(2025, 1, 2), ReferralStatus.WON, 20),
        ),
    )
    revenue = attributed_revenue(referral_network(graph), "a")
    assert (revenue.direct, revenue.indirect) == (10.0, 10.0)


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
