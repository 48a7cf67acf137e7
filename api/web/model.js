// Normalisers: the API's answers into the small models the views draw. Analysis parts arrive
// as JSON (snake_case keys, lower-case enum values); typed fields carry GraphQL enum names
// (STRATEGIC), which the views show in lower case.

const low = (v) => (v === null || v === undefined ? v : String(v).toLowerCase());
const n = (v) => (v === null || v === undefined || v === "" ? null : Number(v));

function lastExec(health) {
  const cadence = health?.details?.evidence?.cadence;
  return cadence?.last_interaction_at ?? null;
}

export function normaliseAccountRow(node) {
  const an = node.analysis ?? {};
  return {
    id: node.id,
    name: node.name,
    tier: low(node.tier),
    revenue: n(node.annualRevenue),
    healthScore: n(node.health?.score),
    healthBand: low(node.health?.band),
    coverage: n(an.coverage?.score),
    threads: n(an.threads?.threads),
    revenueAtRisk: n(an.revenueAtRisk),
    lastExec: lastExec(node.health),
  };
}

function normaliseCoverage(coverage, levels, names) {
  return {
    score: n(coverage?.score),
    roles: (coverage?.roles ?? []).map((r) => ({
      role: low(r.role),
      covered: Boolean(r.covered),
      reach: n(r.strength),
      holders: (r.holders ?? []).map((id) => names.get(id) ?? id),
    })),
    levels: (levels ?? []).map((l) => ({ level: low(l.level), covered: Boolean(l.covered), strength: n(l.strength) })),
  };
}

export function normaliseAccount(a) {
  const m = a.relationshipMap ?? {};
  const an = a.analysis ?? {};
  const threads = an.threads ?? {};
  const spocs = (threads.single_points_of_contact ?? []).map((p) => p.person_id);
  const spocSet = new Set(spocs);
  const cuts = new Set(threads.articulation_points ?? []);
  const managers = new Map();
  for (const line of m.org_lines ?? []) if (line.kind === "reports_to" || !line.kind) managers.set(line.source, line.target);
  const contacts = (m.contacts ?? []).filter((c) => !c.left).map((c) => ({
    id: c.contact_id, name: c.name, title: c.title, level: low(c.level), stance: low(c.stance) ?? "neutral",
    roles: (c.roles ?? []).map(low), influence: n(c.influence), managerId: managers.get(c.contact_id) ?? null,
    spoc: spocSet.has(c.contact_id), cut: cuts.has(c.contact_id),
  }));
  const staff = (m.staff ?? [])
    .map((s) => ({
      id: s.staff_id, name: s.name, title: s.title, teamRole: low(s.team_role), onTeam: Boolean(s.on_team),
      spoc: spocSet.has(s.staff_id), cut: cuts.has(s.staff_id),
    }))
    .sort((x, y) => Number(y.onTeam) - Number(x.onTeam));
  const staffIds = new Set(staff.map((s) => s.id));
  const contactIds = new Set(contacts.map((c) => c.id));
  const ties = (m.ties ?? [])
    .filter((t) => (staffIds.has(t.a) && contactIds.has(t.b)) || (staffIds.has(t.b) && contactIds.has(t.a)))
    .map((t) => {
      const staffId = staffIds.has(t.a) ? t.a : t.b;
      const contactId = staffId === t.a ? t.b : t.a;
      return {
        id: `${staffId}|${contactId}`, staffId, contactId, strength: n(t.strength), band: low(t.band), raw: n(t.raw),
        floor: n(t.floor), cold: Boolean(t.going_cold), lastAt: t.last_at, assessed: low(t.assessed_level),
        evidence: (t.evidence ?? []).map((e) => ({
          id: e.interaction_id, kind: low(e.kind), at: e.at, ageDays: n(e.age_days), weight: n(e.weight),
          decay: n(e.decay), contribution: n(e.contribution),
        })),
      };
    });
  const names = new Map([...(m.contacts ?? []).map((c) => [c.contact_id, c.name]), ...staff.map((s) => [s.id, s.name])]);
  return {
    id: a.id,
    name: a.name,
    tier: low(a.tier),
    revenue: n(a.annualRevenue),
    asOf: a.asOf,
    healthScore: n(a.health?.score),
    healthBand: low(a.health?.band),
    coverage: normaliseCoverage(an.coverage, an.levelCoverage, names),
    threads: n(threads.threads),
    revenueAtRisk: n(an.revenueAtRisk),
    lastExec: lastExec(a.health),
    spocNames: spocs.map((id) => names.get(id) ?? id),
    formerCount: (m.former ?? []).length,
    names,
    map: {
      accountName: a.name,
      contacts,
      staff,
      ties,
      reportingLines: [...managers].filter(([c, mgr]) => contactIds.has(c) && contactIds.has(mgr))
        .map(([contactId, managerId]) => ({ contactId, managerId })),
      influenceLines: (m.influence_lines ?? []).map((l) => ({ sourceId: l.source, targetId: l.target, weight: n(l.weight) })),
      placeholders: (m.placeholders ?? []).map((p) => ({ role: low(p.role) })),
    },
  };
}

export function normaliseWhatIf(w, names = new Map()) {
  const d = w.details ?? {};
  return {
    coverageScore: n(d.coverage?.score),
    coverageLost: n(d.coverage_lost),
    threads: n(d.threads?.threads),
    threadsLost: n(d.threads_lost),
    revenueAtRisk: n(w.revenueAtRisk ?? d.revenue_at_risk),
    rolesLost: (d.roles_lost ?? []).map(low),
    levelsLost: (d.levels_lost ?? []).map(low),
    coverage: normaliseCoverage(d.coverage, d.level_coverage, names),
  };
}

/** The portfolio JSON parts into ranked rows; tolerant of either key style. */
export function normalisePortfolio(p) {
  const get = (o, ...keys) => {
    for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k];
    return null;
  };
  const accountsRaw = p.accounts ?? [];
  const names = new Map(accountsRaw.map((a) => [get(a, "account_id", "accountId", "id"), get(a, "name", "account_name")]));
  const conc = p.concentration ?? {};
  const concRows = Array.isArray(conc) ? conc : get(conc, "accounts", "shares", "rows") ?? [];
  return {
    asOf: p.asOf,
    totalRevenue: n(get(p.totals ?? {}, "revenue", "total_revenue") ?? get(conc, "total_revenue", "total")),
    totalRevenueAtRisk: n(get(p.totals ?? {}, "revenue_at_risk", "total_revenue_at_risk")),
    accounts: accountsRaw.map((a) => ({
      id: get(a, "account_id", "accountId", "id"),
      name: get(a, "name", "account_name"),
      revenue: n(get(a, "annual_revenue", "revenue")),
      revenueAtRisk: n(get(a, "revenue_at_risk", "revenueAtRisk")),
      healthScore: n(get(a, "health", "health_score")?.score ?? get(a, "health_score", "health")),
      healthBand: low(get(a, "band", "health_band") ?? get(a, "health")?.band),
      coverage: n(get(a, "coverage", "coverage_score")?.score ?? get(a, "coverage_score", "coverage")),
      threads: n(get(a, "threads")?.threads ?? get(a, "threads")),
    })),
    people: (p.people ?? []).map((x) => ({
      id: get(x, "person_id", "id"),
      name: get(x, "name") ?? get(x, "person_id"),
      side: low(get(x, "side", "kind")),
      exposure: n(get(x, "revenue_at_risk", "exposure")),
      accounts: (get(x, "accounts") ?? []).map((acc) => {
        const id = Array.isArray(acc) ? acc[0] : typeof acc === "string" ? acc : get(acc, "account_id", "id");
        return names.get(id) ?? id;
      }),
    })),
    concentration: concRows.map((c) => ({
      accountId: get(c, "account_id", "accountId", "id"),
      name: get(c, "name", "account_name") ?? names.get(get(c, "account_id")) ?? get(c, "account_id"),
      share: n(get(c, "share")),
    })).sort((x, y) => y.share - x.share),
    flag: n(get(conc, "flag", "flag_threshold", "threshold")) ?? 0.2,
    severe: n(get(conc, "severe", "severe_threshold")) ?? 0.3,
    alerts: (p.alerts ?? []).map((a) => ({
      kind: low(get(a, "kind")), severity: low(get(a, "severity")), accountId: get(a, "account_id"),
      personId: get(a, "person_id"), message: get(a, "message") ?? "", accountName: names.get(get(a, "account_id")),
    })),
  };
}

export function normaliseReferrals(r) {
  const edges = (r.edges ?? []).map((e) => {
    const ev = e.evidence ?? [];
    const first = ev[0] ?? {};
    return {
      source: e.source, target: e.target, status: low(e.status ?? first.referral?.status),
      value: ev.reduce((sum, x) => sum + (x.referral?.status === "won" ? Number(x.referral.value ?? 0) : 0), 0),
      at: first.referral?.at ?? null, viaContact: first.via_contact ?? null, count: ev.length,
    };
  });
  const attributed = r.root?.attributed ?? {};
  const conv = r.root?.conversion ?? {};
  return {
    accountIds: r.accountIds ?? [],
    edges,
    direct: n(attributed.direct),
    indirect: n(attributed.indirect),
    conversion: conv,
  };
}

function explainHop(h, name) {
  const e = h.evidence ?? {};
  const a = name(h.source);
  const b = name(h.target);
  switch (h.kind) {
    case "tie":
      return `${a} knows ${b}: ${e.band ?? ""} tie from ${e.interactions ?? 0} interaction(s)` +
        `${e.last_at ? `, last on ${String(e.last_at).slice(0, 10)}` : ""}` +
        `${e.assessed_level ? `, rated ${String(e.assessed_level).replaceAll("_", " ")}` : ""}.`;
    case "colleague":
      return `${a} and ${b} ${e.current === false ? "worked" : "work"} together at ${e.account_name ?? e.account_id ?? "the same company"}` +
        `${e.since ? ` (since ${e.since}${e.until ? `, until ${e.until}` : ""})` : ""}.`;
    case "former_colleague":
      return `${a} and ${b} are former colleagues at ${e.account_name ?? e.account_id ?? "the same company"}.`;
    case "reports_to":
      return `${a} reports to ${b}.`;
    case "manages":
      return `${a} manages ${b}.`;
    case "influences":
      return `${a} influences ${b}.`;
    case "referral":
      return `${a} and ${b} are linked by a referral${e.status ? ` (${e.status})` : ""}${e.at ? ` on ${e.at}` : ""}.`;
    default:
      return `${a} → ${b}: ${Object.entries(e).map(([k, v]) => `${k.replaceAll("_", " ")} ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ")}`;
  }
}

export function normalisePaths(paths, names = new Map()) {
  const name = (id) => names.get(id) ?? id;
  return (paths ?? []).map((p) => ({
    strength: n(p.strength),
    people: p.people ?? [],
    hops: (p.hops ?? []).map((h) => ({
      fromName: name(h.source), toName: name(h.target), kind: low(h.kind), strength: n(h.strength),
      explanation: explainHop(h, name),
    })),
  }));
}
