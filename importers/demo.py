"""A seeded, deterministic demo portfolio: realistic accounts, people and two years of interactions.

:func:`generate` streams :mod:`graph.model` records in write order without holding the portfolio
in memory: first the pool of our staff, then account by account the account, its contacts, their
employments, reporting and influence lines, the account team, its interactions (sorted by time)
and assessments, and finally the referrals and job changes that involve an account generated
earlier. Every line is emitted after the nodes it joins, so the stream can be cut into batches
and written in order (:func:`batches`, :func:`load`).

The same ``(size, seed)`` always gives the same records. Timestamps end near the fixed
:data:`REFERENCE_DATE` (not today), so analyses over the demo give the same answers every day;
loading the demo stores that day as the data's reference date (``GraphStore.reference_date``),
which the API (``referenceDate``, the default ``asOf``), the web pages and ``kamgraph report``
then use instead of the calendar.

Sizes (:data:`SIZES`): ``demo`` (50 accounts), ``small``, ``medium`` and ``bench`` (10k accounts,
about 1M contacts and 10M interactions).

What the portfolio contains:

* accounts across industries, regions and tiers (strategic / key / potential, and prospects with
  no revenue yet), email domains on ``.example``;
* org charts with executive, management and operational levels and REPORTS_TO lines; buying
  roles (economic buyer, technical buyer, user buyer, champion, executive sponsor, procurement,
  coach, influencer, gatekeeper, blocker), influence 1-5, stances, informal influence lines;
* account teams (account rep, solution specialist, delivery lead, customer success, executive
  sponsor) drawn from a shared staff pool on ``ourco.example``;
* interactions over two years ending at :data:`REFERENCE_DATE`, with a cadence per tier and
  level, bursts before each yearly renewal, and pairs that decay and go cold;
* archetypes (:data:`DEMO_ARCHETYPES`, :func:`archetypes`): single-threaded accounts (one contact
  holds every tie, e.g. Northwind Logistics' IT director), exec-only relationships, healthy
  multi-threaded accounts, one rep who holds every tie of three accounts, going-cold ties;
* dated values: revenue that grew a year ago, strategic accounts that were key accounts until
  then, champions who were supporters (``revenue_history``, ``tier_history``,
  ``stance_history``; the latest value is the current one, so analyses as of the reference date
  are unchanged and earlier days see the values then);
* job changes (a champion moving to a prospect, people moving between customers, leavers),
  referral chains (won / lost / lead, with values) and assessments.

Examples
--------
>>> from itertools import islice
>>> first = list(islice(generate("demo", seed=7), 3))
>>> [type(r).__name__ for r in first]
['Staff', 'Staff', 'Staff']
>>> account = next(r for r in generate("demo") if isinstance(r, Account))
>>> account.id, account.name, account.domains
('acc-0001', 'Northwind Logistics', ('northwind-logistics.example',))
>>> DEMO_ARCHETYPES["single_threaded"][0]
'acc-0001'
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from graph.model import (
    Account,
    AssessedLevel,
    Assessment,
    CaseSeverity,
    Contact,
    Contract,
    Employment,
    InfluenceLine,
    Interaction,
    InteractionKind,
    Level,
    Opportunity,
    OpportunityStatus,
    PoliticalStatus,
    Record,
    Referral,
    ReferralStatus,
    ReportingLine,
    Role,
    Staff,
    Stance,
    SupportCase,
    SurveyKind,
    SurveyResponse,
    TeamMembership,
    TeamRole,
    Tier,
    UsageSample,
)
from graph.store import GraphBatch, GraphStore, WriteSummary

__all__ = [
    "DEMO_ARCHETYPES",
    "REFERENCE_DATE",
    "SIZES",
    "SOURCE",
    "STAFF_DOMAIN",
    "START_DATE",
    "SizeSpec",
    "archetypes",
    "batches",
    "expected_counts",
    "generate",
    "load",
]

#: The fixed day the demo's two years of interactions end on (never "today": determinism).
REFERENCE_DATE = date(2026, 11, 1)
#: First day of the interaction history (two years before :data:`REFERENCE_DATE`).
START_DATE = REFERENCE_DATE - timedelta(days=730)
#: Email domain of our own staff.
STAFF_DOMAIN = "ourco.example"
#: ``Interaction.source`` of every generated interaction.
SOURCE = "demo"


@dataclass(frozen=True, slots=True)
class SizeSpec:
    """Scale of a portfolio: number of accounts and mean contacts / interactions per account;
    ``signals``: whether its accounts carry business signals (surveys, usage, support cases,
    contracts, opportunities). The ``bench`` portfolio has none, so its load figures stay
    comparable with earlier runs."""

    accounts: int
    contacts_per_account: float
    interactions_per_account: float
    signals: bool = True


#: The portfolio sizes ``generate`` accepts.
SIZES: Mapping[str, SizeSpec] = MappingProxyType(
    {
        "demo": SizeSpec(50, 12, 80),
        "small": SizeSpec(200, 20, 150),
        "medium": SizeSpec(1_000, 50, 500),
        "bench": SizeSpec(10_000, 100, 1_045, signals=False),
    }
)

# --------------------------------------------------------------------------------------------
# vocabulary of the generator
# --------------------------------------------------------------------------------------------

_INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("manufacturing", ("Manufacturing", "Industries", "Machinery", "Components")),
    ("retail", ("Retail", "Stores", "Outlets", "Brands")),
    ("finance", ("Bank", "Capital", "Insurance", "Financial")),
    ("healthcare", ("Health", "Medical", "Clinics", "Pharma")),
    ("technology", ("Systems", "Software", "Analytics", "Networks")),
    ("energy", ("Energy", "Power", "Utilities", "Renewables")),
    ("logistics", ("Logistics", "Freight", "Shipping", "Transport")),
    ("telecommunications", ("Telecom", "Mobile", "Communications", "Fibre")),
    ("public sector", ("Agency", "Services", "Authority", "Council")),
    ("media", ("Media", "Publishing", "Studios", "Broadcasting")),
)
_REGIONS = ("Europe", "North America", "Asia Pacific", "Latin America", "Middle East & Africa", "Nordics")
_PREFIXES = (
    "Northwind", "Contoso", "Fabrikam", "Woodgrove", "Tailspin", "Alpine", "Litware", "Coho",
    "Blue Yonder", "Lucerne", "Proseware", "Trey", "Adatum", "Humongous", "Margie's", "Wide World",
    "Wingtip", "Fourth Coffee", "Graphic Design", "Southridge", "VanArsdel", "Relecloud", "Datum",
    "Bellows", "Consolidated", "Lakeshore", "Redwood", "Silverline", "Granite", "Harbor", "Summit",
    "Cobalt", "Evergreen", "Ironbridge", "Meridian", "Northstar", "Oakfield", "Pinecrest", "Quarry",
    "Riverside", "Sterling", "Tidewater", "Union", "Vantage", "Westfield", "Yellowstone", "Zephyr",
    "Aurora", "Beacon", "Crescent", "Delta", "Ember", "Falcon", "Glacier", "Horizon", "Juniper",
    "Keystone", "Lumen", "Monarch", "Nimbus", "Orchard", "Paragon", "Quantum", "Radiant", "Sequoia",
)  # fmt: skip
_FIRST = (
    "Ada", "Alan", "Amara", "Anders", "Aisha", "Bruno", "Carla", "Chen", "Daniel", "Dara", "Elena",
    "Emeka", "Eva", "Farah", "Felix", "Grace", "Hannah", "Hiro", "Ines", "Ivan", "Jonas", "Julia",
    "Kai", "Karin", "Lars", "Leila", "Lena", "Luca", "Maya", "Mateo", "Mei", "Nadia", "Nils",
    "Noah", "Olga", "Omar", "Paula", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq",
    "Theo", "Una", "Victor", "Wen", "Yara", "Yusuf", "Zoe", "Ben", "Clara", "David", "Erik",
    "Fatima", "Georg", "Helen", "Isak", "Jana", "Kofi", "Lucia", "Marco", "Nora", "Oskar", "Pia",
)  # fmt: skip
_LAST = (
    "Andersen", "Baker", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ibrahim", "Jensen", "Kowalski", "Larsen", "Martin", "Nakamura", "Novak", "Okafor", "Olsen",
    "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Tanaka", "Umar", "Vargas", "Weber",
    "Wang", "Xu", "Yilmaz", "Zimmermann", "Ahmed", "Brown", "Chowdhury", "Dias", "Evans", "Fontaine",
    "Gupta", "Hansen", "Ito", "Johansson", "Kim", "Lindqvist", "Moreau", "Nielsen", "Ortiz", "Park",
    "Rahman", "Suzuki", "Torres", "Virtanen", "Walsh", "Young", "Alvarez", "Becker", "Conti",
)  # fmt: skip

# executive positions in order of appearance: (title, department)
_EXECS = (
    ("Chief Executive Officer", "Executive Board"),
    ("Chief Financial Officer", "Finance"),
    ("Chief Information Officer", "IT"),
    ("Chief Operating Officer", "Operations"),
    ("Chief Technology Officer", "Engineering"),
    ("Chief Procurement Officer", "Procurement"),
    ("Chief People Officer", "HR"),
    ("Chief Marketing Officer", "Marketing"),
)
_MANAGER_DEPARTMENTS = ("IT", "Operations", "Procurement", "Finance", "Engineering", "Supply Chain", "HR")
_MANAGER_TITLES: Mapping[str, tuple[str, ...]] = {
    "IT": ("IT Director", "Head of Infrastructure", "IT Manager", "Head of Applications"),
    "Operations": ("Head of Operations", "Operations Manager", "Plant Manager", "Service Manager"),
    "Procurement": ("Procurement Manager", "Head of Purchasing", "Category Manager", "Sourcing Manager"),
    "Finance": ("Finance Director", "Controller", "Head of FP&A", "Finance Manager"),
    "Engineering": ("Head of Engineering", "Engineering Manager", "Architecture Lead", "QA Manager"),
    "Supply Chain": ("Supply Chain Director", "Logistics Manager", "Warehouse Manager", "Planning Lead"),
    "HR": ("HR Director", "HR Business Partner", "Talent Manager", "People Operations Lead"),
}
_OPS_TITLES: Mapping[str, tuple[str, ...]] = {
    "IT": ("Systems Engineer", "IT Analyst", "Network Administrator", "Database Administrator"),
    "Operations": ("Operations Analyst", "Shift Supervisor", "Process Engineer", "Team Lead"),
    "Procurement": ("Buyer", "Procurement Analyst", "Vendor Manager", "Contract Specialist"),
    "Finance": ("Financial Analyst", "Accountant", "Billing Specialist", "Treasury Analyst"),
    "Engineering": ("Software Engineer", "Solutions Architect", "DevOps Engineer", "Test Engineer"),
    "Supply Chain": ("Planner", "Logistics Coordinator", "Inventory Analyst", "Dispatcher"),
    "HR": ("HR Specialist", "Recruiter", "Payroll Specialist", "Training Coordinator"),
}
# manager department -> executive title it reports to (first one present wins)
_REPORTS_UP: Mapping[str, tuple[int, ...]] = {
    "IT": (2, 4),
    "Operations": (3,),
    "Procurement": (5, 1),
    "Finance": (1,),
    "Engineering": (4, 2),
    "Supply Chain": (3,),
    "HR": (6,),
}

_STAFF_TITLES: Mapping[TeamRole, tuple[str, Level]] = {
    TeamRole.ACCOUNT_REP: ("Key Account Manager", Level.MANAGEMENT),
    TeamRole.SOLUTION_SPECIALIST: ("Solution Architect", Level.OPERATIONAL),
    TeamRole.DELIVERY_LEAD: ("Delivery Manager", Level.MANAGEMENT),
    TeamRole.EXECUTIVE_SPONSOR: ("Vice President", Level.EXECUTIVE),
    TeamRole.CUSTOMER_SUCCESS: ("Customer Success Manager", Level.OPERATIONAL),
}
# staff pool: accounts covered per person of each role (and a floor)
_STAFF_RATIO: tuple[tuple[TeamRole, int, int], ...] = (
    (TeamRole.ACCOUNT_REP, 6, 4),
    (TeamRole.SOLUTION_SPECIALIST, 10, 3),
    (TeamRole.DELIVERY_LEAD, 12, 2),
    (TeamRole.EXECUTIVE_SPONSOR, 30, 2),
    (TeamRole.CUSTOMER_SUCCESS, 10, 2),
)

_SUBJECTS: Mapping[InteractionKind, tuple[str, ...]] = {
    InteractionKind.EXEC_VISIT: (
        "Executive business review", "Strategy dinner", "Board-level partnership review",
        "Executive site visit", "Annual planning with leadership",
    ),
    InteractionKind.MEETING: (
        "Quarterly business review", "Roadmap workshop", "Integration design session",
        "Renewal negotiation", "Steering committee", "Solution demo", "Project kick-off",
    ),
    InteractionKind.CALL: (
        "Weekly check-in", "Pricing call", "Escalation call", "Status update", "Discovery call",
    ),
    InteractionKind.EMAIL: (
        "Proposal follow-up", "Meeting notes", "Contract draft", "Release notes", "Introduction",
    ),
    InteractionKind.EVENT: ("Customer summit", "User group", "Partner webinar", "Industry fair"),
    InteractionKind.SUPPORT: ("Support ticket review", "Incident follow-up", "Service request"),
}  # fmt: skip

_KINDS_EXEC = ((InteractionKind.EXEC_VISIT, 3), (InteractionKind.MEETING, 4), (InteractionKind.CALL, 2),
               (InteractionKind.EMAIL, 1))  # fmt: skip
_KINDS_MGMT = ((InteractionKind.MEETING, 35), (InteractionKind.CALL, 30), (InteractionKind.EMAIL, 35))
_KINDS_OPS = ((InteractionKind.MEETING, 20), (InteractionKind.CALL, 25), (InteractionKind.EMAIL, 40),
              (InteractionKind.SUPPORT, 15))  # fmt: skip
_KINDS_GROUP = ((InteractionKind.MEETING, 1),)
_KINDS_EVENT = ((InteractionKind.EVENT, 1),)

# relative share of contacts / interactions per tier ("prospect" is a potential-tier account
# without revenue and without interactions)
_TIER_MIX = (("strategic", 0.10), ("key", 0.30), ("potential", 0.50), ("prospect", 0.10))
_CONTACT_FACTOR = {"strategic": 2.0, "key": 1.2, "potential": 0.6, "prospect": 0.4}
_INTERACTION_FACTOR = {"strategic": 3.0, "key": 1.3, "potential": 0.5, "prospect": 0.0}
_REVENUE = {"strategic": (2e6, 20e6), "key": (5e5, 3e6), "potential": (5e4, 5e5), "prospect": (0.0, 0.0)}
_MOVER_EXTRA = 3  # interactions with a contact at their new employer

# The demo's showcase accounts (fixed slots, independent of the seed):
# (name, industry, region, tier, archetype)
_DEMO_LAYOUT: tuple[tuple[str, str, str, str, str], ...] = (
    ("Northwind Logistics", "logistics", "Europe", "strategic", "single_threaded"),
    ("Contoso Manufacturing", "manufacturing", "Europe", "strategic", "healthy"),
    ("Fabrikam Health", "healthcare", "North America", "key", "exec_only"),
    ("Woodgrove Bank", "finance", "North America", "strategic", "healthy"),
    ("Tailspin Retail", "retail", "Europe", "key", "rep_concentration"),
    ("Alpine Energy", "energy", "Nordics", "prospect", "prospect"),
    ("Litware Systems", "technology", "Asia Pacific", "key", "single_threaded"),
    ("Coho Stores", "retail", "Latin America", "key", "rep_concentration"),
    ("Blue Yonder Freight", "logistics", "Europe", "key", "going_cold"),
    ("Lucerne Publishing", "media", "Europe", "potential", "rep_concentration"),
    ("Proseware Analytics", "technology", "North America", "key", "exec_only"),
    ("Trey Pharma", "healthcare", "Europe", "strategic", "healthy"),
    ("Adatum Insurance", "finance", "Middle East & Africa", "prospect", "prospect"),
    ("Margie's Travel Services", "public sector", "Asia Pacific", "potential", "single_threaded"),
    ("Humongous Energy", "energy", "North America", "key", "healthy"),
    ("Wide World Importers", "retail", "Europe", "key", "normal"),
    ("Southridge Telecom", "telecommunications", "Nordics", "key", "normal"),
)
# demo job changes: (from slot, to slot, "champion" or "manager")
_DEMO_MOVES = ((15, 5, "champion"), (16, 3, "manager"))
# demo referral chain over slots: Contoso -> Woodgrove -> Trey -> Adatum (lead)
_DEMO_CHAIN = (1, 3, 11, 12)

_ARCHETYPE_MIX = (
    ("normal", 0.52),
    ("healthy", 0.20),
    ("single_threaded", 0.08),
    ("exec_only", 0.06),
    ("going_cold", 0.06),
)


# --------------------------------------------------------------------------------------------
# the plan: account-level decisions, cheap to hold even for the bench size
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AccountPlan:
    index: int
    id: str
    name: str
    domain: str
    industry: str
    region: str
    tier: str  # strategic | key | potential | prospect
    archetype: str
    annual_revenue: float
    potential_revenue: float
    n_contacts: int
    n_interactions: int  # own interactions, without extras for movers
    contact_base: int  # number of its first contact
    team: tuple[tuple[str, TeamRole], ...]
    champion_manager: int  # 0 (IT) or 1 (Operations)
    renewal_day: int  # day of year of the yearly renewal
    customer_since: date


@dataclass(frozen=True, slots=True)
class _Move:
    from_index: int
    to_index: int
    position: int  # position of the contact in the old account's org chart
    on: date  # first day at the new employer
    champion: bool


@dataclass(frozen=True, slots=True)
class _ReferralPlan:
    source_index: int
    source_position: int | None  # None: the account refers, else a contact position
    target_index: int
    at: date
    status: ReferralStatus


@dataclass
class _Plan:
    spec: SizeSpec
    seed: int
    staff: list[Staff]
    accounts: list[_AccountPlan]
    moves_by_segment: dict[int, list[_Move]] = field(default_factory=dict)
    referrals_by_segment: dict[int, list[_ReferralPlan]] = field(default_factory=dict)
    concentration_rep: dict[int, str] = field(default_factory=dict)
    contact_width: int = 6
    interaction_width: int = 8
    total_interactions: int = 0
    total_contacts: int = 0


def _layout(n: int) -> tuple[int, int, int]:
    """Executives, managers and operational people of an org chart of ``n`` contacts."""
    n_exec = max(1, min(len(_EXECS), round(n * 0.1)))
    if n >= 4:
        n_exec = max(2, n_exec)
    n_mgr = max(1, min(n - n_exec, round(n * 0.28)))
    if n >= 6:
        n_mgr = max(3, n_mgr)
    return n_exec, n_mgr, n - n_exec - n_mgr


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _pick(rng: random.Random, weighted: Iterable[tuple[str, float]]) -> str:
    items = list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _make_plan(size: str, seed: int) -> _Plan:
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: use one of {', '.join(SIZES)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    spec = SIZES[size]
    rng = random.Random(seed)
    n_accounts = spec.accounts

    # our staff pool
    staff: list[Staff] = []
    pools: dict[TeamRole, list[str]] = {}
    counts = [(role, max(floor, math.ceil(n_accounts / per))) for role, per, floor in _STAFF_RATIO]
    width = max(3, len(str(sum(c for _, c in counts))))
    used_emails: set[str] = set()
    for role, count in counts:
        title, level = _STAFF_TITLES[role]
        for _ in range(count):
            sid = f"stf-{len(staff) + 1:0{width}d}"
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            local = _unique_local(f"{first}.{last}", used_emails)
            staff.append(
                Staff(sid, f"{first} {last}", f"{local}@{STAFF_DOMAIN}", title, level, team_role=role)
            )
            pools.setdefault(role, []).append(sid)

    # account identities and archetypes
    n_layout = len(_DEMO_LAYOUT) if size == "demo" else 0
    names: set[str] = set()
    rows: list[tuple[str, str, str, str, str]] = []
    for i in range(n_accounts):
        if i < n_layout:
            rows.append(_DEMO_LAYOUT[i])
            names.add(_DEMO_LAYOUT[i][0])
            continue
        industry, suffixes = rng.choice(_INDUSTRIES)
        name = f"{rng.choice(_PREFIXES)} {rng.choice(suffixes)}"
        region = rng.choice(_REGIONS)
        if name in names:
            name = f"{name} {region}"
        number = 2
        base = name
        while name in names:
            name, number = f"{base} {number}", number + 1
        names.add(name)
        tier = _pick(rng, _TIER_MIX)
        archetype = "prospect" if tier == "prospect" else _pick(rng, _ARCHETYPE_MIX)
        rows.append((name, industry, region, tier, archetype))
    # one rep holds every tie of three accounts, for every hundred accounts
    concentration: dict[int, str] = {}
    ar_pool = pools[TeamRole.ACCOUNT_REP]
    if size == "demo":
        groups = [[i for i, row in enumerate(rows) if row[4] == "rep_concentration"]]
    else:
        customers = [i for i, row in enumerate(rows) if row[4] in ("normal", "healthy")]
        n_groups = max(1, n_accounts // 100)
        chosen = sorted(rng.sample(customers, 3 * n_groups))
        groups = [chosen[g::n_groups] for g in range(n_groups)]
        for group in groups:
            for i in group:
                name, industry, region, tier, _ = rows[i]
                rows[i] = (name, industry, region, tier, "rep_concentration")
    for g, group in enumerate(groups):
        for i in group:
            concentration[i] = ar_pool[g % len(ar_pool)]
    dedicated = set(concentration.values())
    free_ars = [s for s in ar_pool if s not in dedicated] or ar_pool

    # sizes of every account, normalised so the means match the spec
    mean_cf = sum(_CONTACT_FACTOR[t] * w for t, w in _TIER_MIX)
    mean_if = sum(_INTERACTION_FACTOR[t] * w for t, w in _TIER_MIX)
    accounts: list[_AccountPlan] = []
    contact_total = 0
    acc_width = max(4, len(str(n_accounts)))
    for i, (name, industry, region, tier, archetype) in enumerate(rows):
        arng = random.Random(f"{seed}/plan/{i}")
        n_contacts = max(4, round(spec.contacts_per_account * _CONTACT_FACTOR[tier] / mean_cf
                                  * arng.uniform(0.7, 1.3)))  # fmt: skip
        if archetype in ("single_threaded", "exec_only", "healthy"):
            n_contacts = max(n_contacts, 7)
        n_inter = round(spec.interactions_per_account * _INTERACTION_FACTOR[tier] / mean_if
                        * arng.uniform(0.6, 1.4))  # fmt: skip
        if archetype == "exec_only":
            n_inter = max(6, n_inter // 4)  # exec cadence: a few times a quarter
        elif archetype == "going_cold":
            n_inter = max(40, n_inter)
        low, high = _REVENUE[tier]
        revenue = round(arng.uniform(low, high), -3)
        potential = round(max(revenue, 1e5) * arng.uniform(1.2, 3.0), -3)
        team = _team(arng, i, tier, archetype, pools, free_ars, concentration)
        accounts.append(
            _AccountPlan(
                index=i,
                id=f"acc-{i + 1:0{acc_width}d}",
                name=name,
                domain=f"{_slug(name)}.example",
                industry=industry,
                region=region,
                tier=tier,
                archetype=archetype,
                annual_revenue=revenue,
                potential_revenue=potential,
                n_contacts=n_contacts,
                n_interactions=0 if tier == "prospect" else max(1, n_inter),
                contact_base=contact_total + 1,
                team=team,
                champion_manager=0 if archetype == "single_threaded" else arng.randrange(2),
                renewal_day=arng.randrange(1, 366),
                customer_since=START_DATE - timedelta(days=arng.randrange(30, 3000)),
            )
        )
        contact_total += n_contacts

    plan = _Plan(spec, seed, staff, accounts, concentration_rep=concentration)
    plan.total_contacts = contact_total
    plan.contact_width = max(6, len(str(contact_total)))
    _plan_moves(plan, rng, size)
    _plan_referrals(plan, rng, size)
    extras = sum(len(m) for m in plan.moves_by_segment.values()) * _MOVER_EXTRA
    plan.total_interactions = sum(a.n_interactions for a in accounts) + extras
    plan.interaction_width = max(8, len(str(plan.total_interactions)))
    return plan


def _unique_local(local: str, used: set[str]) -> str:
    local = _slug(local).replace("-", ".")
    candidate, n = local, 2
    while candidate in used:
        candidate, n = f"{local}{n}", n + 1
    used.add(candidate)
    return candidate


def _team(
    rng: random.Random,
    index: int,
    tier: str,
    archetype: str,
    pools: Mapping[TeamRole, list[str]],
    free_ars: list[str],
    concentration: Mapping[int, str],
) -> tuple[tuple[str, TeamRole], ...]:
    if tier == "prospect":
        return ()
    if index in concentration:
        return ((concentration[index], TeamRole.ACCOUNT_REP),)
    team = [(free_ars[rng.randrange(len(free_ars))], TeamRole.ACCOUNT_REP)]
    if archetype == "exec_only" or tier == "strategic":
        team.append((rng.choice(pools[TeamRole.EXECUTIVE_SPONSOR]), TeamRole.EXECUTIVE_SPONSOR))
    if archetype == "exec_only":
        return tuple(team)
    team.append((rng.choice(pools[TeamRole.SOLUTION_SPECIALIST]), TeamRole.SOLUTION_SPECIALIST))
    if tier in ("strategic", "key"):
        team.append((rng.choice(pools[TeamRole.DELIVERY_LEAD]), TeamRole.DELIVERY_LEAD))
    team.append((rng.choice(pools[TeamRole.CUSTOMER_SUCCESS]), TeamRole.CUSTOMER_SUCCESS))
    return tuple(team)


def _plan_moves(plan: _Plan, rng: random.Random, size: str) -> None:
    accounts = plan.accounts
    moves: list[_Move] = []
    if size == "demo":
        for src, dst, what in _DEMO_MOVES:
            n_exec, n_mgr, _ = _layout(accounts[src].n_contacts)
            champion = what == "champion"
            position = _champion_position(accounts[src]) if champion else n_exec + min(2, n_mgr - 1)
            moves.append(_Move(src, dst, position, REFERENCE_DATE - timedelta(days=95 + 60 * len(moves)),
                               champion))  # fmt: skip
    normal = [a.index for a in accounts if a.archetype == "normal" and a.index > 0]
    n_random = max(2, len(accounts) // 12)
    taken = {m.from_index for m in moves}
    for _ in range(n_random):
        src = rng.choice(normal)
        if src in taken:
            continue
        taken.add(src)
        dst = rng.randrange(src)
        plan_src = accounts[src]
        n_exec, n_mgr, n_ops = _layout(plan_src.n_contacts)
        champion = accounts[dst].tier == "prospect" and rng.random() < 0.7
        position = _champion_position(plan_src) if champion else n_exec + rng.randrange(n_mgr + n_ops)
        on = REFERENCE_DATE - timedelta(days=rng.randrange(20, 600))
        moves.append(_Move(src, dst, position, on, champion))
    for move in moves:
        plan.moves_by_segment.setdefault(move.from_index, []).append(move)


def _plan_referrals(plan: _Plan, rng: random.Random, size: str) -> None:
    accounts = plan.accounts
    chains: list[list[int]] = []
    if size == "demo":
        chains.append(list(_DEMO_CHAIN))
    n_chains = max(2, len(accounts) // 25)
    customers = [a.index for a in accounts if a.tier != "prospect"]
    for _ in range(n_chains):
        length = rng.choice((2, 3, 3, 4))
        chains.append(rng.sample(range(len(accounts)), length))
    pairs: set[tuple[str, int]] = set()
    for c, chain in enumerate(chains):
        at = START_DATE + timedelta(days=rng.randrange(30, 200))
        for hop, (src, dst) in enumerate(itertools.pairwise(chain)):
            if accounts[src].tier == "prospect":
                src = rng.choice(customers)
            if src == dst:
                continue
            last = hop == len(chain) - 2
            if accounts[dst].tier == "prospect":
                status = ReferralStatus.LEAD if (size == "demo" and c == 0) else _pick_status(rng, last)
                if status is ReferralStatus.WON:
                    status = ReferralStatus.LEAD
            else:
                status = ReferralStatus.WON if not last or rng.random() < 0.6 else ReferralStatus.LOST
            # every third hop is a person's referral (the source account's champion)
            position: int | None = None
            if hop % 3 == 1 and accounts[src].tier != "prospect":
                position = _champion_position(accounts[src])
            marker = (f"{src}:{position}", dst)
            if marker in pairs:
                continue
            pairs.add(marker)
            ref = _ReferralPlan(src, position, dst, min(at, REFERENCE_DATE - timedelta(days=7)), status)
            plan.referrals_by_segment.setdefault(max(src, dst), []).append(ref)
            at += timedelta(days=rng.randrange(40, 200))


def _pick_status(rng: random.Random, last: bool) -> ReferralStatus:
    if not last:
        return ReferralStatus.WON
    return rng.choice((ReferralStatus.WON, ReferralStatus.LOST, ReferralStatus.LEAD))


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def generate(size: str = "demo", seed: int = 7) -> Iterator[Record]:
    """Stream the records of a demo portfolio, in write order.

    The staff pool comes first, then each account's records (account, contacts, employments,
    reporting lines, influence lines, team, interactions, assessments), then the job changes
    and referrals that join it to accounts generated before it. Only one account is held in
    memory at a time; the iterator is lazy.

    Parameters
    ----------
    size : str
        One of :data:`SIZES`: ``demo`` (50 accounts), ``small``, ``medium`` or ``bench``.
    seed : int
        Random seed; the same seed always gives the same records.

    Returns
    -------
    Iterator[Record]
        Validated :mod:`graph.model` records.

    Raises
    ------
    ValueError
        For an unknown size or a seed that is not an integer.

    Examples
    --------
    >>> from collections import Counter
    >>> counts = Counter(type(r).__name__ for r in generate("demo", seed=7))
    >>> counts["Account"], counts["Staff"]
    (50, 26)
    >>> list(generate("demo", 1))[:5] == list(generate("demo", 1))[:5]
    True
    >>> next(generate("huge"))
    Traceback (most recent call last):
    ...
    ValueError: unknown demo size 'huge': use one of demo, small, medium, bench
    """
    plan = _make_plan(size, seed)  # validates before the first record is asked for
    return _stream(plan)


def archetypes(size: str = "demo", seed: int = 7) -> dict[str, tuple[str, ...]]:
    """Which ids of a portfolio play which part (cheap: no records are generated).

    Keys: ``single_threaded``, ``exec_only``, ``healthy``, ``going_cold``, ``rep_concentration``,
    ``normal`` and ``prospects`` (account ids); ``single_thread_contacts`` (the one contact who
    holds every tie of each single-threaded account, in the same order);
    ``going_cold_contacts`` (the champion whose ties fade, per going-cold account);
    ``rep_concentration_staff`` (our rep who holds every tie of the rep-concentration accounts);
    ``job_change_contacts`` (contacts who moved to another account), ``champion_to_prospect``
    (champions who moved to a prospect) and ``referral_chain`` (accounts of the first referral
    chain, in order).

    Examples
    --------
    >>> guide = archetypes("demo", seed=7)
    >>> guide["exec_only"][:2], guide["rep_concentration_staff"]
    (('acc-0003', 'acc-0011'), ('stf-001',))
    >>> guide["referral_chain"]
    ('acc-0002', 'acc-0004', 'acc-0012', 'acc-0013')
    """
    plan = _make_plan(size, seed)
    by: dict[str, list[str]] = defaultdict(list)
    for a in plan.accounts:
        by["prospects" if a.archetype == "prospect" else a.archetype].append(a.id)
        champion = _contact_id(plan, a, _champion_position(a))
        if a.archetype == "single_threaded":
            by["single_thread_contacts"].append(champion)
        elif a.archetype == "going_cold":
            by["going_cold_contacts"].append(champion)
    by["rep_concentration_staff"] = sorted(set(plan.concentration_rep.values()))
    for moves in plan.moves_by_segment.values():
        for m in moves:
            cid = _contact_id(plan, plan.accounts[m.from_index], m.position)
            by["job_change_contacts"].append(cid)
            if m.champion and plan.accounts[m.to_index].tier == "prospect":
                by["champion_to_prospect"].append(cid)
    chain = _DEMO_CHAIN if size == "demo" else ()
    by["referral_chain"] = [plan.accounts[i].id for i in chain]
    keys = ("single_threaded", "single_thread_contacts", "exec_only", "healthy", "going_cold",
            "going_cold_contacts", "rep_concentration", "rep_concentration_staff", "normal", "prospects",
            "job_change_contacts", "champion_to_prospect", "referral_chain")  # fmt: skip
    return {k: tuple(by.get(k, ())) for k in keys}


def expected_counts(size: str = "demo", seed: int = 7) -> dict[str, int]:
    """Exact numbers of accounts, contacts, staff and interactions ``generate`` will stream.

    Examples
    --------
    >>> expected_counts("bench")["accounts"]
    10000
    """
    plan = _make_plan(size, seed)
    return {
        "accounts": len(plan.accounts),
        "contacts": plan.total_contacts,
        "staff": len(plan.staff),
        "interactions": plan.total_interactions,
    }


def batches(records: Iterable[Record], batch_size: int = 10_000) -> Iterator[GraphBatch]:
    """Cut a record stream into :class:`~graph.store.GraphBatch` es of ``batch_size`` records.

    Written in order, every line finds its nodes in the same or an earlier batch.

    Examples
    --------
    >>> [b.size() for b in batches(generate("demo"), 4000)][0]
    4000
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    batch = GraphBatch()
    n = 0
    for record in records:
        batch.add(record)
        n += 1
        if n == batch_size:
            yield batch
            batch, n = GraphBatch(), 0
    if n:
        yield batch


def load(store: GraphStore, size: str = "demo", seed: int = 7, batch_size: int = 10_000) -> WriteSummary:
    """Write a demo portfolio into ``store`` (idempotent: loading it again changes nothing) and
    store :data:`REFERENCE_DATE` as the data's reference date, the day the API and the CLI then
    analyse by default."""
    summary = store.write_many(batches(generate(size, seed), batch_size))
    store.set_reference_date(REFERENCE_DATE)
    return summary


# --------------------------------------------------------------------------------------------
# streaming, one account at a time
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    position: int
    id: str
    name: str
    email: str
    title: str
    department: str
    level: Level
    influence: int
    stance: Stance
    political: PoliticalStatus | None
    roles: set[Role]
    since: date
    until: date | None
    manager: int | None


@dataclass(slots=True)
class _Thread:
    staff: tuple[str, ...]
    contacts: tuple[int, ...]
    kinds: tuple[tuple[InteractionKind, int], ...]
    weight: float
    start: int  # day offsets from START_DATE, end exclusive
    end: int
    decay: bool = False
    sample: int = 0  # > 0: take this many of ``contacts`` per interaction


_HISTORY_DAYS = (REFERENCE_DATE - START_DATE).days + 1


def _champion_position(account: _AccountPlan) -> int:
    n_exec, n_mgr, _ = _layout(account.n_contacts)
    return n_exec + min(account.champion_manager, n_mgr - 1)


def _contact_id(plan: _Plan, account: _AccountPlan, position: int) -> str:
    return f"con-{account.contact_base + position:0{plan.contact_width}d}"


def _stream(plan: _Plan) -> Iterator[Record]:
    yield from plan.staff
    counter = [0]
    for account in plan.accounts:
        yield from _segment(plan, account, counter)


#: The day the demo's dated values last changed: a year before the reference date.
_HISTORY_CHANGE = REFERENCE_DATE - timedelta(days=365)


def _revenue_history(p: _AccountPlan) -> tuple[tuple[date, float], ...]:
    """Every account with revenue grew 25 % a year ago (no random draws: the stream is unchanged)."""
    if p.annual_revenue <= 0:
        return ()
    return ((START_DATE, round(p.annual_revenue * 0.8, 2)), (_HISTORY_CHANGE, p.annual_revenue))


def _tier_history(p: _AccountPlan) -> tuple[tuple[date, Tier], ...]:
    """Every third strategic account was a key account until a year ago."""
    if p.tier == "strategic" and p.index % 3 == 0:
        return ((START_DATE, Tier.KEY), (_HISTORY_CHANGE, Tier.STRATEGIC))
    return ()


def _stance_history(person: _Person) -> tuple[tuple[date, Stance], ...]:
    """Every third champion was a supporter until a year ago (no random draws)."""
    if person.stance is Stance.CHAMPION and person.position % 3 == 0:
        return ((START_DATE, Stance.SUPPORTER), (_HISTORY_CHANGE, Stance.CHAMPION))
    return ()


def _segment(plan: _Plan, p: _AccountPlan, counter: list[int]) -> Iterator[Record]:
    rng = random.Random(f"{plan.seed}/account/{p.index}")
    team = dict((role, sid) for sid, role in p.team)
    owner = team.get(TeamRole.ACCOUNT_REP)
    yield Account(
        p.id,
        p.name,
        industry=p.industry,
        region=p.region,
        tier=Tier.POTENTIAL if p.tier == "prospect" else Tier(p.tier),
        annual_revenue=p.annual_revenue,
        potential_revenue=p.potential_revenue,
        owner=owner,
        domains=(p.domain,),
        strategic_fit=rng.randint(1, 5),
        relationship_cost=rng.randint(1, 5),
        tier_history=_tier_history(p),
        revenue_history=_revenue_history(p),
    )
    moves = plan.moves_by_segment.get(p.index, [])
    people = _org(plan, p, rng, moves)
    for person in people:
        yield Contact(
            person.id,
            person.name,
            email=person.email,
            title=person.title,
            department=person.department,
            level=person.level,
            influence=person.influence,
            stance=person.stance,
            political_status=person.political,
            stance_history=_stance_history(person),
        )
    for person in people:
        yield Employment(
            person.id,
            p.id,
            title=person.title,
            department=person.department,
            level=person.level,
            roles=frozenset(person.roles),
            since=person.since,
            until=person.until,
        )
    for move in moves:
        person = people[move.position]
        target = plan.accounts[move.to_index]
        yield Employment(
            person.id,
            target.id,
            title=_promoted(person),
            department=person.department,
            level=Level.EXECUTIVE if person.level is Level.EXECUTIVE else Level.MANAGEMENT,
            roles=frozenset() if target.tier == "prospect" else frozenset({Role.INFLUENCER}),
            since=move.on,
        )
    for person in people:
        if person.manager is not None:
            boss = people[person.manager]
            ends = [d for d in (person.until, boss.until) if d is not None]
            since, until = max(person.since, boss.since), min(ends) if ends else None
            if until is None or since <= until:  # else they never worked together
                yield ReportingLine(person.id, boss.id, since=since, until=until)
    yield from _influence_lines(p, people, rng)
    for sid, role in p.team:
        yield TeamMembership(sid, p.id, role, since=p.customer_since + timedelta(days=rng.randrange(0, 200)))
    yield from _interactions(plan, p, people, team, moves, rng, counter)
    yield from _assessments(p, people, team, rng)
    if plan.spec.signals:
        yield from _business_signals(plan, p, people)
    for ref in plan.referrals_by_segment.get(p.index, []):
        source = plan.accounts[ref.source_index]
        target = plan.accounts[ref.target_index]
        if ref.source_position is None:
            source_id, kind = source.id, "account"
        else:
            source_id, kind = _contact_id(plan, source, ref.source_position), "contact"
        value = target.annual_revenue if ref.status is ReferralStatus.WON else 0.0
        yield Referral(source_id, kind, target.id, ref.at, ref.status, value)


def _org(plan: _Plan, p: _AccountPlan, rng: random.Random, moves: list[_Move]) -> list[_Person]:
    n_exec, n_mgr, _ = _layout(p.n_contacts)
    used: set[str] = set()
    people: list[_Person] = []
    mgr_seen: dict[str, int] = defaultdict(int)
    for pos in range(p.n_contacts):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        manager: int | None
        if pos < n_exec:
            title, department = _EXECS[pos]
            level, influence = Level.EXECUTIVE, 5 if pos == 0 else rng.randint(4, 5)
            manager = 0 if pos else None
            political: PoliticalStatus | None = PoliticalStatus.INNER_CIRCLE
            since_back = rng.randrange(300, 4000)
        elif pos < n_exec + n_mgr:
            k = pos - n_exec
            department = _MANAGER_DEPARTMENTS[k % len(_MANAGER_DEPARTMENTS)]
            titles = _MANAGER_TITLES[department]
            title = titles[min(mgr_seen[department], len(titles) - 1)]
            mgr_seen[department] += 1
            level, influence = Level.MANAGEMENT, rng.randint(3, 4)
            ups = [e for e in _REPORTS_UP[department] if e < n_exec]
            manager = ups[0] if ups else 0
            political = rng.choice((PoliticalStatus.POLITICAL_STRUCTURE, PoliticalStatus.OUTSIDE, None))
            since_back = rng.randrange(200, 3000)
        else:
            k = pos - n_exec - n_mgr
            boss = n_exec + k % n_mgr
            department = people[boss].department
            title = rng.choice(_OPS_TITLES[department])
            level, influence = Level.OPERATIONAL, rng.randint(1, 3)
            manager = boss
            political = rng.choice((PoliticalStatus.OUTSIDE, None, None))
            since_back = rng.randrange(100, 2500)
        local = _unique_local(f"{first}.{last}", used)
        people.append(
            _Person(
                pos,
                _contact_id(plan, p, pos),
                f"{first} {last}",
                f"{local}@{p.domain}",
                title,
                department,
                level,
                influence,
                _pick_stance(rng),
                political,
                set(),
                REFERENCE_DATE - timedelta(days=since_back),
                None,
                manager,
            )
        )
    _assign_roles(p, people, n_exec, n_mgr, rng)
    for move in moves:
        person = people[move.position]
        person.until = move.on - timedelta(days=1)
        if person.since >= person.until:
            person.since = person.until - timedelta(days=365)
        # "a.berg" at the new employer: never the "first.last" form of the people generated there
        first, last = person.name.split(" ", 1)
        person.email = (
            f"{_slug(first)[0]}.{_slug(last).replace('-', '.')}@{plan.accounts[move.to_index].domain}"
        )
    if p.archetype in ("normal", "going_cold"):
        moved = {m.position for m in moves}
        for person in people[n_exec + n_mgr :]:
            if not person.roles and person.position not in moved and rng.random() < 0.05:
                person.until = REFERENCE_DATE - timedelta(days=rng.randrange(10, 500))
                if person.since >= person.until:
                    person.since = person.until - timedelta(days=200)
    return people


def _pick_stance(rng: random.Random) -> Stance:
    return rng.choices((Stance.SUPPORTER, Stance.NEUTRAL, Stance.SKEPTIC), weights=(30, 55, 15))[0]


def _assign_roles(
    p: _AccountPlan, people: list[_Person], n_exec: int, n_mgr: int, rng: random.Random
) -> None:
    execs = people[:n_exec]
    managers = people[n_exec : n_exec + n_mgr]
    ops = people[n_exec + n_mgr :]
    execs[0].roles.add(Role.DECISION_MAKER)
    (execs[1] if n_exec > 1 else execs[0]).roles.add(Role.ECONOMIC_BUYER)
    sponsor = execs[min(n_exec - 1, 2 + rng.randrange(2))] if n_exec > 2 else execs[0]
    sponsor.roles.add(Role.EXECUTIVE_SPONSOR)
    managers[0].roles.add(Role.TECHNICAL_BUYER)
    managers[min(1, n_mgr - 1)].roles.add(Role.USER_BUYER)
    (managers[2] if n_mgr > 2 else (execs[5] if n_exec > 5 else managers[-1])).roles.add(Role.PROCUREMENT)
    champion = managers[min(p.champion_manager, n_mgr - 1)]
    champion.roles.add(Role.CHAMPION)
    champion.stance = Stance.CHAMPION
    champion.influence = min(5, champion.influence + 1)
    if ops:
        ops[0].roles.add(Role.COACH)
        ops[0].stance = Stance.SUPPORTER
        if len(ops) > 1:
            ops[-1].roles.add(Role.INFLUENCER)
        if len(ops) > 2 and rng.random() < 0.3:
            ops[1].roles.add(Role.GATEKEEPER)
    if p.archetype != "healthy" and n_mgr > 3 and rng.random() < 0.3:
        blocker = managers[3 + rng.randrange(n_mgr - 3)]
        blocker.roles.add(Role.BLOCKER)
        blocker.stance = Stance.BLOCKER


def _promoted(person: _Person) -> str:
    if person.level is Level.EXECUTIVE:
        return person.title
    return f"Director of {person.department}" if person.department != "IT" else "Chief Information Officer"


def _influence_lines(p: _AccountPlan, people: list[_Person], rng: random.Random) -> Iterator[InfluenceLine]:
    holders = {role: person for person in people for role in person.roles}
    pairs: list[tuple[_Person, _Person, float]] = []
    if Role.CHAMPION in holders and Role.ECONOMIC_BUYER in holders:
        pairs.append((holders[Role.CHAMPION], holders[Role.ECONOMIC_BUYER], rng.uniform(0.5, 0.9)))
    if Role.COACH in holders and Role.TECHNICAL_BUYER in holders:
        pairs.append((holders[Role.COACH], holders[Role.TECHNICAL_BUYER], rng.uniform(0.3, 0.7)))
    n_exec, n_mgr, _ = _layout(p.n_contacts)
    for _ in range(max(0, len(people) // 15)):
        source = rng.choice(people[n_exec:]) if len(people) > n_exec else people[0]
        target = rng.choice(people[: n_exec + n_mgr])
        pairs.append((source, target, rng.uniform(0.2, 0.6)))
    seen: set[tuple[str, str]] = set()
    for source, target, weight in pairs:
        key = (source.id, target.id)
        if source.id != target.id and key not in seen:
            seen.add(key)
            yield InfluenceLine(source.id, target.id, round(weight, 2))


def _interactions(
    plan: _Plan,
    p: _AccountPlan,
    people: list[_Person],
    team: Mapping[TeamRole, str],
    moves: list[_Move],
    rng: random.Random,
    counter: list[int],
) -> Iterator[Interaction]:
    planned: list[tuple[datetime, InteractionKind, tuple[str, ...], str]] = []
    threads = _threads(p, people, team, rng) if p.n_interactions else []
    if threads:
        picks = rng.choices(threads, weights=[t.weight for t in threads], k=p.n_interactions)
        renewals = _renewals(p.renewal_day)
        for thread in picks:
            at = _when(thread, renewals, rng)
            kind = rng.choices([k for k, _ in thread.kinds], weights=[w for _, w in thread.kinds])[0]
            if thread.sample:
                chosen = rng.sample(thread.contacts, min(thread.sample, len(thread.contacts)))
            else:
                chosen = list(thread.contacts)
            ids = (*thread.staff, *(people[c].id for c in chosen))
            planned.append((at, kind, ids, p.id))
    for move in moves:  # the contact keeps in touch from the new employer
        person = people[move.position]
        target = plan.accounts[move.to_index]
        target_team = dict((role, sid) for sid, role in target.team)
        staff = target_team.get(TeamRole.ACCOUNT_REP) or team.get(TeamRole.ACCOUNT_REP) or plan.staff[0].id
        first = (move.on - START_DATE).days
        for _ in range(_MOVER_EXTRA):
            day = min(_HISTORY_DAYS - 1, first + rng.randrange(5, 90))
            at = _timestamp(day, rng)
            kind = rng.choice((InteractionKind.CALL, InteractionKind.EMAIL, InteractionKind.MEETING))
            planned.append((at, kind, (staff, person.id), target.id))
    planned.sort(key=lambda item: item[0])
    width = plan.interaction_width
    for at, kind, participants, about in planned:
        counter[0] += 1
        yield Interaction(
            f"int-{counter[0]:0{width}d}",
            kind,
            at,
            source=SOURCE,
            subject=rng.choice(_SUBJECTS[kind]),
            participants=participants,
            accounts=(about,),
        )


@dataclass(frozen=True, slots=True)
class _Crew:
    """Who of the account team carries which conversations (missing roles fall back to the rep)."""

    rep: str
    sponsor: str
    specialist: str
    working: tuple[str, ...]  # specialist, delivery lead, customer success: the day-to-day people

    @classmethod
    def of(cls, team: Mapping[TeamRole, str]) -> _Crew:
        rep = team.get(TeamRole.ACCOUNT_REP, "")
        specialist = team.get(TeamRole.SOLUTION_SPECIALIST, rep)
        day_to_day = (specialist, team.get(TeamRole.DELIVERY_LEAD), team.get(TeamRole.CUSTOMER_SUCCESS))
        return cls(
            rep, team.get(TeamRole.EXECUTIVE_SPONSOR, rep), specialist, tuple(s for s in day_to_day if s)
        )


def _threads(
    p: _AccountPlan, people: list[_Person], team: Mapping[TeamRole, str], rng: random.Random
) -> list[_Thread]:
    """The conversation threads of an account: who of ours talks to whom, how much, over which days."""
    crew = _Crew.of(team)
    champion = next(x for x in people if Role.CHAMPION in x.roles)
    if p.archetype == "single_threaded":
        return _single_threaded(crew, champion)
    if p.archetype == "exec_only":
        executives = people[: _layout(p.n_contacts)[0]]
        return [_Thread((crew.sponsor,), (x.position,), _KINDS_EXEC, 1, *_window(x)) for x in executives]
    threads = _one_to_one_threads(people, crew, p.archetype == "healthy", rng)
    threads += _group_threads(people, crew)
    _let_threads_decay(p, threads, champion, rng)
    if p.archetype == "rep_concentration":
        for thread in threads:
            thread.staff = (crew.rep,)
    return [t for t in threads if t.end - t.start >= 14] or threads[:1]


def _window(*persons: _Person) -> tuple[int, int]:
    """The days (offsets from :data:`START_DATE`, end exclusive) all of ``persons`` were at the account."""
    start = max([0, *((x.since - START_DATE).days for x in persons)])
    ends = [(x.until - START_DATE).days + 1 for x in persons if x.until is not None]
    return start, min([_HISTORY_DAYS, *ends])


def _single_threaded(crew: _Crew, champion: _Person) -> list[_Thread]:
    """Every conversation goes through the champion: the rep, the specialist, and both together."""
    s, e = _window(champion)
    return [
        _Thread((crew.rep,), (champion.position,), _KINDS_MGMT, 3, s, e),
        _Thread((crew.specialist,), (champion.position,), _KINDS_OPS, 1, s, e),
        _Thread(tuple(sorted({crew.rep, crew.specialist})), (champion.position,), _KINDS_GROUP, 1, s, e),
    ]


def _one_to_one_threads(
    people: list[_Person], crew: _Crew, healthy: bool, rng: random.Random
) -> list[_Thread]:
    """One thread per contact we talk to (see :func:`_one_to_one`)."""
    threads = [_one_to_one(x, crew, healthy, rng) for x in people]
    return [t for t in threads if t is not None]


#: Chance that a non-healthy account talks to a contact who holds no buying role, per level.
_TALK_CHANCE = {Level.EXECUTIVE: 0.5, Level.MANAGEMENT: 0.7}
_TALK_CHANCE_OPERATIONAL = 0.6


def _one_to_one(x: _Person, crew: _Crew, healthy: bool, rng: random.Random) -> _Thread | None:
    """The thread with one contact, carried by the team member of their level, or ``None``.

    A healthy account talks to everyone; otherwise role holders always, the others by chance.
    """
    if not (healthy or x.roles or rng.random() < _TALK_CHANCE.get(x.level, _TALK_CHANCE_OPERATIONAL)):
        return None
    if x.level is Level.EXECUTIVE:
        return _Thread((crew.sponsor,), (x.position,), _KINDS_EXEC, 0.8, *_window(x))
    if x.level is Level.MANAGEMENT:
        technical = x.department in ("IT", "Engineering") and rng.random() >= 0.5
        staff = (crew.specialist,) if technical else (crew.rep,)
        return _Thread(staff, (x.position,), _KINDS_MGMT, 2.0, *_window(x))
    staff = (rng.choice(crew.working),) if crew.working else (crew.rep,)
    return _Thread(staff, (x.position,), _KINDS_OPS, 1.0, *_window(x))


def _group_threads(people: list[_Person], crew: _Crew) -> list[_Thread]:
    """Group meetings of the rep and specialist with the core buyers, and events for those who stay."""
    threads: list[_Thread] = []
    core = [x for x in people if x.roles & {Role.CHAMPION, Role.TECHNICAL_BUYER, Role.USER_BUYER}]
    core = [x for x in core if x.until is None]
    if core:
        pair = tuple(sorted({crew.rep, crew.specialist}))
        threads.append(_Thread(pair, tuple(x.position for x in core), _KINDS_GROUP, 2.0, *_window(*core)))
    stayers = [x.position for x in people if x.until is None]
    if len(stayers) >= 3:
        threads.append(_Thread((crew.rep,), tuple(stayers), _KINDS_EVENT, 0.3, 0, _HISTORY_DAYS, sample=3))
    return threads


def _let_threads_decay(
    p: _AccountPlan, threads: list[_Thread], champion: _Person, rng: random.Random
) -> None:
    """Make ties go cold: every thread to a going-cold account's champion, and some of a normal account's."""
    for thread in threads:
        if p.archetype == "going_cold" and champion.position in thread.contacts:
            thread.decay, thread.end = True, min(thread.end, _HISTORY_DAYS - 150)
        elif p.archetype == "normal" and thread.sample == 0 and rng.random() < 0.12:
            thread.decay = True
            thread.end = min(thread.end, _HISTORY_DAYS - rng.randrange(120, 400))


def _renewals(day_of_year: int) -> list[int]:
    days = []
    for year in range(START_DATE.year, REFERENCE_DATE.year + 1):
        day = date(year, 1, 1) + timedelta(days=day_of_year - 1)
        offset = (day - START_DATE).days
        if 60 <= offset < _HISTORY_DAYS:
            days.append(offset)
    return days


def _when(thread: _Thread, renewals: list[int], rng: random.Random) -> datetime:
    start, end = thread.start, max(thread.start + 1, thread.end)
    if thread.decay:  # density falls linearly to nothing at ``end``: the tie goes cold
        day = start + int((end - start) * (1 - math.sqrt(1 - rng.random())))
    else:
        day = -1
        if renewals and rng.random() < 0.25:  # burst in the 60 days before a renewal
            renewal = rng.choice(renewals)
            low, high = max(start, renewal - 60), min(end, renewal)
            if low < high:
                day = rng.randrange(low, high)
        if day < 0:
            day = rng.randrange(start, end)
    weekday = (START_DATE + timedelta(days=day)).weekday()
    if weekday >= 5 and day - (weekday - 4) >= start:
        day -= weekday - 4  # weekends move to the Friday before
    return _timestamp(min(day, _HISTORY_DAYS - 1), rng)


def _timestamp(day: int, rng: random.Random) -> datetime:
    base = START_DATE + timedelta(days=day)
    return datetime(
        base.year, base.month, base.day, rng.randint(7, 17), rng.choice((0, 15, 30, 45)), tzinfo=UTC
    )


def _assessments(
    p: _AccountPlan, people: list[_Person], team: Mapping[TeamRole, str], rng: random.Random
) -> Iterator[Assessment]:
    ar = team.get(TeamRole.ACCOUNT_REP)
    if ar is None:
        return
    champion = next(x for x in people if Role.CHAMPION in x.roles)
    buyer = next(x for x in people if Role.ECONOMIC_BUYER in x.roles)
    ratings: list[tuple[str, _Person, AssessedLevel]] = []
    if p.archetype == "exec_only":
        ratings.append((team.get(TeamRole.EXECUTIVE_SPONSOR, ar), people[0], AssessedLevel.TRUSTED_ADVISOR))
    else:
        level = AssessedLevel.TRUSTED_ADVISOR if p.archetype != "going_cold" else AssessedLevel.PROBLEM_SOLVER
        ratings.append((ar, champion, level))
        buyer_level = rng.choice((AssessedLevel.VENDOR, AssessedLevel.CREDIBLE_SOURCE))
        if p.archetype == "single_threaded":
            # A credible-source floor (0.3) would reach the thread threshold and add a second
            # thread; a single-threaded account's rep only knows the buyer as a vendor.
            buyer_level = AssessedLevel.VENDOR
        ratings.append((ar, buyer, buyer_level))
    for staff_id, person, level in ratings:
        at = REFERENCE_DATE - timedelta(days=rng.randrange(30, 300))
        if person.until is not None:
            at = min(at, person.until)
        yield Assessment(staff_id, person.id, level, max(at, person.since))


#: Roles of the ``demo`` portfolio with the default seed, see :func:`archetypes`.
DEMO_ARCHETYPES: Mapping[str, tuple[str, ...]] = MappingProxyType(archetypes("demo", 7))


# --------------------------------------------------------------------------------------------
# business signals: contracts, opportunities, surveys, usage, support cases
# --------------------------------------------------------------------------------------------

#: NPS answers by archetype: (low, high) of the draw; going-cold champions' accounts grow unhappy.
_NPS_RANGE: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "healthy": (8, 10),
        "normal": (6, 10),
        "single_threaded": (5, 9),
        "exec_only": (6, 9),
        "going_cold": (2, 7),
    }
)
#: Adoption share of licensed seats by archetype.
_ADOPTION_RANGE: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "healthy": (0.78, 0.95),
        "normal": (0.6, 0.9),
        "single_threaded": (0.5, 0.8),
        "exec_only": (0.45, 0.75),
        "going_cold": (0.35, 0.55),
    }
)
_SEVERITY_MIX = (
    (CaseSeverity.LOW, 0.4),
    (CaseSeverity.MEDIUM, 0.35),
    (CaseSeverity.HIGH, 0.2),
    (CaseSeverity.CRITICAL, 0.05),
)


def _business_signals(plan: _Plan, p: _AccountPlan, people: list[_Person]) -> Iterator[Record]:
    """The account's contracts, opportunities, surveys, usage and support cases.

    Drawn from their own random stream, so the relationship records are the same with or
    without them. Yearly contracts renew on the account's renewal day; going-cold accounts renew
    within the next 90 days with nothing signed (their renewal is at risk); about one account in
    seven reports no usage and one in five has no recent survey, so health shows them as missing.
    """
    rng = random.Random(f"{plan.seed}/signals/{p.index}")
    active = [x for x in people if x.until is None]
    decision = [x for x in active if x.roles & {Role.ECONOMIC_BUYER, Role.CHAMPION, Role.EXECUTIVE_SPONSOR}]
    if p.tier == "prospect":
        if decision or active:
            who = (decision or active)[0]
            yield Opportunity(
                f"opp-{p.id}-new",
                p.id,
                f"{p.name}: first order",
                REFERENCE_DATE - timedelta(days=rng.randrange(20, 120)),
                round(p.potential_revenue * 0.2, -3),
                close_date=REFERENCE_DATE + timedelta(days=rng.randrange(30, 150)),
                stage="Qualification",
                contact_ids=(who.id,),
            )
        return
    yield from _contracts(p, decision or active, rng)
    if p.index % 5 != 1:
        low, high = _NPS_RANGE.get(p.archetype, (6, 10))
        respondents = [x for x in active if x.level is not Level.OPERATIONAL][:4] or active[:2]
        for quarter in range(4):
            day = REFERENCE_DATE - timedelta(days=30 + 91 * quarter + rng.randrange(0, 20))
            for who in respondents:
                if rng.random() < 0.7:
                    score = rng.randint(low, high)
                    yield SurveyResponse(
                        f"nps-{p.id}-{quarter}-{who.position}", p.id, SurveyKind.NPS, score, day, who.id
                    )
    if p.index % 7 != 3:
        seats = max(10, int(p.annual_revenue / 20_000))
        low_share, high_share = _ADOPTION_RANGE.get(p.archetype, (0.6, 0.9))
        for month in range(12):
            period = date(REFERENCE_DATE.year, REFERENCE_DATE.month, 1) - timedelta(days=1)
            for _ in range(month):
                period = period.replace(day=1) - timedelta(days=1)
            period = period.replace(day=1)
            share = low_share + (high_share - low_share) * rng.random()
            if p.archetype == "going_cold":  # usage fades with the champion
                share = min(1.0, share + 0.03 * month)
            yield UsageSample(p.id, period, active_users=int(seats * share), licensed_users=seats)
    yield from _support_cases(p, active, rng)


def _contracts(p: _AccountPlan, signers: list[_Person], rng: random.Random) -> Iterator[Record]:
    """Yearly contracts up to the current term, a signed renewal for healthy accounts close to
    theirs, and a renewal opportunity when the end is within half a year."""
    if p.archetype == "going_cold":
        end = REFERENCE_DATE + timedelta(days=30 + p.index % 50)
    else:
        end = date(REFERENCE_DATE.year, 1, 1) + timedelta(days=p.renewal_day - 1)
        while end < REFERENCE_DATE:
            end = _years_after(end, 1)
    start = _years_after(end, -1) + timedelta(days=1)
    terms: list[tuple[date, date]] = []
    while start >= p.customer_since and len(terms) < 3:
        terms.append((start, end))
        end = start - timedelta(days=1)
        start = _years_after(end, -1) + timedelta(days=1)
    for number, (start, end) in enumerate(reversed(terms)):
        yield Contract(
            f"ctr-{p.id}-{number + 1}", p.id, start, end, p.annual_revenue, signed=start - timedelta(days=14)
        )
    if not terms:
        return
    current_end = terms[0][1]
    days_left = (current_end - REFERENCE_DATE).days
    contact_ids = tuple(x.id for x in signers[:2])
    if p.archetype == "healthy" and days_left <= 90:
        renewal_start = current_end + timedelta(days=1)
        yield Contract(
            f"ctr-{p.id}-{len(terms) + 1}",
            p.id,
            renewal_start,
            _years_after(renewal_start, 1) - timedelta(days=1),
            round(p.annual_revenue * 1.05, 2),
            signed=REFERENCE_DATE - timedelta(days=10),
        )
    elif days_left <= 180:
        yield Opportunity(
            f"opp-{p.id}-renewal",
            p.id,
            f"{p.name}: renewal {current_end.year + (1 if current_end.month == 12 else 0)}",
            current_end - timedelta(days=150),
            p.annual_revenue,
            close_date=current_end,
            stage="Negotiation" if days_left <= 90 else "Proposal",
            renewal=True,
            contact_ids=contact_ids,
        )
    if rng.random() < 0.5:
        opened = REFERENCE_DATE - timedelta(days=rng.randrange(200, 400))
        won = rng.random() < 0.6
        yield Opportunity(
            f"opp-{p.id}-expansion",
            p.id,
            f"{p.name}: expansion",
            opened,
            round(p.annual_revenue * rng.uniform(0.1, 0.3), -3),
            close_date=opened + timedelta(days=rng.randrange(60, 150)),
            stage="Closed Won" if won else "Closed Lost",
            status=OpportunityStatus.WON if won else OpportunityStatus.LOST,
            contact_ids=contact_ids,
        )


def _years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _support_cases(p: _AccountPlan, active: list[_Person], rng: random.Random) -> Iterator[Record]:
    """A case every few months (more for larger accounts); going-cold accounts have an open
    critical case and a complaint of the last weeks."""
    n = max(1, int(math.log10(max(p.annual_revenue, 10)) * 2) - 6) + rng.randrange(0, 4)
    reporters = active[-3:] or active
    for number in range(n):
        opened = REFERENCE_DATE - timedelta(days=rng.randrange(0, 540))
        severity = CaseSeverity(_pick(rng, ((s.value, w) for s, w in _SEVERITY_MIX)))
        duration = rng.randrange(1, 20)
        closed = opened + timedelta(days=duration)
        hours = round(
            rng.uniform(0.2, 1.5) * {"critical": 1, "high": 4, "medium": 8, "low": 24}[severity.value], 1
        )
        yield SupportCase(
            f"case-{p.id}-{number + 1}",
            p.id,
            opened,
            severity,
            closed=closed if closed <= REFERENCE_DATE else None,
            first_response_hours=hours,
            subject=f"{severity.value} issue",
            contact_id=reporters[number % len(reporters)].id if reporters else None,
        )
    if p.archetype == "going_cold":
        yield SupportCase(
            f"case-{p.id}-outage",
            p.id,
            REFERENCE_DATE - timedelta(days=12),
            CaseSeverity.CRITICAL,
            first_response_hours=3.5,
            complaint=True,
            subject="outage not resolved: escalation by the customer",
            contact_id=reporters[0].id if reporters else None,
        )
