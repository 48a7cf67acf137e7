// Normalisers: the API's shapes into the small models the views draw. Enum values arrive as
// GraphQL enum names (EXECUTIVE); the views use the lower-case values (executive).

const low = (v) => (v === null || v === undefined ? v : String(v).toLowerCase());
const n = (v) => (v === null || v === undefined || v === "" ? null : Number(v));

export function normaliseAccountRow(node) {
  const s = node.summary ?? node.risk ?? {};
  return {
    id: node.id,
    name: node.name,
    tier: low(node.tier),
    revenue: n(node.annualRevenue),
    healthScore: n(node.health?.score),
    healthBand: low(node.health?.band),
    coverage: n(s.coverageScore ?? node.coverage?.score),
    threads: n(s.threads),
    revenueAtRisk: n(s.revenueAtRisk),
    lastExec: s.lastExecInteraction ?? null,
  };
}

function normaliseCoverage(cov) {
  return {
    score: n(cov?.score),
    roles: (cov?.roles ?? []).map((r) => ({
      role: low(r.role),
      covered: Boolean(r.covered),
      reach: n(r.reach),
      holders: (r.holders ?? []).map((h) => (typeof h === "string" ? h : h.name ?? h.id)),
    })),
    levels: (cov?.levels ?? []).map((l) => ({ level: low(l.level), covered: Boolean(l.covered), strength: n(l.strength) })),
  };
}

export function normaliseAccount(a) {
  const m = a.relationshipMap ?? {};
  const risk = a.risk ?? {};
  const spocs = new Set(risk.singlePointsOfContact ?? []);
  const cuts = new Set(risk.cutVertices ?? []);
  const managers = new Map((m.orgLines ?? []).map((l) => [l.source, l.target]));
  const contacts = (m.contacts ?? []).filter((c) => !c.left).map((c) => ({
    id: c.contactId, name: c.name, title: c.title, level: low(c.level), stance: low(c.stance) ?? "neutral",
    roles: (c.roles ?? []).map(low), influence: n(c.influence), managerId: c.managerId ?? managers.get(c.contactId) ?? null,
    spoc: spocs.has(c.contactId), cut: cuts.has(c.contactId),
  }));
  const staffIds = new Set((m.staff ?? []).map((s) => s.staffId));
  const staff = (m.staff ?? []).map((s) => ({
    id: s.staffId, name: s.name, title: s.title, teamRole: low(s.teamRole), onTeam: s.onTeam,
    spoc: spocs.has(s.staffId), cut: cuts.has(s.staffId),
  }));
  const ties = (m.ties ?? []).map((t) => {
    const staffId = staffIds.has(t.a) ? t.a : t.b;
    const contactId = staffId === t.a ? t.b : t.a;
    return {
      id: `${staffId}|${contactId}`, staffId, contactId, strength: n(t.strength), band: low(t.band), raw: n(t.raw),
      cold: Boolean(t.goingCold), lastAt: t.lastAt, assessed: low(t.assessedLevel),
      evidence: (t.evidence ?? []).map((e) => ({ id: e.interactionId, kind: low(e.kind), at: e.at, ageDays: n(e.ageDays), weight: n(e.weight), contribution: n(e.contribution) })),
    };
  }).filter((t) => staffIds.has(t.staffId));
  const names = new Map([...contacts, ...staff].map((p) => [p.id, p.name]));
  return {
    id: a.id,
    name: a.name,
    tier: low(a.tier),
    revenue: n(a.annualRevenue),
    asOf: a.asOf,
    healthScore: n(a.health?.score),
    healthBand: low(a.health?.band),
    coverage: normaliseCoverage(a.coverage),
    threads: n(risk.threads),
    revenueAtRisk: n(risk.revenueAtRisk),
    lastExec: risk.lastExecInteraction ?? null,
    spocNames: [...spocs].map((id) => names.get(id) ?? id),
    map: {
      accountName: a.name,
      contacts,
      staff,
      ties,
      reportingLines: (m.orgLines ?? []).map((l) => ({ contactId: l.source, managerId: l.target })),
      influenceLines: (m.influenceLines ?? []).map((l) => ({ sourceId: l.source, targetId: l.target, weight: n(l.weight) })),
      placeholders: (m.placeholders ?? []).map((p) => ({ role: low(p.role) })),
    },
  };
}

export function normaliseWhatIf(w) {
  return {
    coverageScore: n(w.coverageScore ?? w.coverage?.score),
    threads: n(w.threads),
    revenueAtRisk: n(w.revenueAtRisk),
    coverage: normaliseCoverage(w.coverage),
  };
}

export function normalisePortfolio(p) {
  const names = new Map((p.accounts ?? []).map((a) => [a.accountId, a.name]));
  return {
    asOf: p.asOf,
    totalRevenue: n(p.totalRevenue),
    totalRevenueAtRisk: n(p.totalRevenueAtRisk),
    accounts: (p.accounts ?? []).map((a) => ({
      id: a.accountId, name: a.name, revenue: n(a.revenue), revenueAtRisk: n(a.revenueAtRisk),
      healthScore: n(a.healthScore), healthBand: low(a.healthBand), coverage: n(a.coverageScore), threads: n(a.threads),
    })),
    people: (p.people ?? []).map((x) => ({
      id: x.personId, name: x.name, side: low(x.kind), exposure: n(x.exposure),
      accounts: (x.accountIds ?? []).map((id) => names.get(id) ?? id),
    })),
    concentration: (p.concentration?.accounts ?? []).map((c) => ({ accountId: c.accountId, name: c.name, share: n(c.share) })),
    flag: n(p.concentration?.flag) ?? 0.2,
    severe: n(p.concentration?.severe) ?? 0.3,
    alerts: (p.alerts ?? []).map((a) => ({ ...a, kind: low(a.kind), severity: low(a.severity), accountName: names.get(a.accountId) })),
  };
}

export function normaliseReferrals(r) {
  return {
    nodes: r.nodes ?? [],
    edges: (r.edges ?? []).map((e) => ({ ...e, status: low(e.status), value: n(e.value) })),
    direct: n(r.attributed?.direct),
    indirect: n(r.attributed?.indirect),
  };
}

export function normalisePaths(paths) {
  return (paths ?? []).map((p) => ({
    strength: n(p.strength),
    hops: (p.hops ?? []).map((h) => ({
      fromName: h.sourceName ?? h.source, toName: h.targetName ?? h.target, kind: low(h.kind),
      strength: n(h.strength), explanation: h.explanation ?? "",
    })),
  }));
}
