// Normalisers: the API's answers into the small models the views draw. Enum values arrive in
// their GraphQL casing (STRATEGIC, USER_BUYER), in typed fields and inside the JSON parts (whose
// keys are snake_case); the views compare and show them in lower case (`low`).

const low = (v) => (v === null || v === undefined ? v : String(v).toLowerCase());
const n = (v) => (v === null || v === undefined || v === "" ? null : Number(v));

function lastExec(health) {
  const evidence = health?.evidence ?? health?.details?.evidence;
  return evidence?.cadence?.last_interaction_at ?? null;
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
    revenueAtRisk: n(node.revenueAtRisk ?? an.revenueAtRisk),
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
      holders: (r.holderIds ?? r.holders ?? []).map((id) => names.get(id) ?? id),
    })),
    levels: (levels ?? []).map((l) => ({ level: low(l.level), covered: Boolean(l.covered), strength: n(l.strength) })),
  };
}

/** Rows of a columnar JSON table (`columns` names the fields of each row) as objects. */
export function rows(columns, table) {
  if (!Array.isArray(table)) return [];
  return table.map((row) => (Array.isArray(row) ? Object.fromEntries(columns.map((c, i) => [c, row[i]])) : row));
}

/** The account's health breakdown: components (0-1) by weight, the signals missing, the facts. */
export function normaliseHealth(h) {
  const ev = h?.evidence ?? {};
  return {
    relationshipScore: h?.relationshipScore ?? null,
    relationshipBand: low(h?.relationshipBand),
    components: (h?.components ?? []).map((c) => ({ name: c.name, score: n(c.score), weight: n(c.weight) })),
    missing: (h?.missing ?? []).map((m) => ({ name: m.name, reason: m.reason })),
    renewal: ev.renewal ?? null,
    satisfaction: ev.satisfaction ?? null,
    usage: ev.usage ?? null,
    service: ev.service ?? null,
  };
}

export function normaliseAccount(a) {
  const m = a.relationshipMap ?? {};
  const an = a.analysis ?? {};
  const threads = an.threads ?? {};
  const spocs = (threads.singlePointsOfContact ?? []).map((p) => p.personId);
  const spocSet = new Set(spocs);
  const cuts = new Set(threads.articulationPoints ?? []);
  const managers = new Map();
  for (const line of m.orgLines ?? []) if (low(line.kind) === "reports_to" || !line.kind) managers.set(line.source, line.target);
  const contacts = (m.contacts ?? []).filter((c) => !c.left).map((c) => ({
    id: c.contact_id, name: c.name, title: c.title, level: low(c.level), stance: low(c.stance) ?? "neutral",
    roles: (c.roles ?? []).map(low), influence: n(c.influence), managerId: managers.get(c.contact_id) ?? null,
    spoc: spocSet.has(c.contact_id), cut: cuts.has(c.contact_id),
  }));
  const staff = (m.staff ?? [])
    .map((s) => ({
      id: s.staffId, name: s.name, title: s.title, teamRole: low(s.teamRole), onTeam: Boolean(s.onTeam),
      spoc: spocSet.has(s.staffId), cut: cuts.has(s.staffId),
    }))
    .sort((x, y) => Number(y.onTeam) - Number(x.onTeam));
  const staffIds = new Set(staff.map((s) => s.id));
  const contactIds = new Set(contacts.map((c) => c.id));
  const detailed = new Map();
  for (const t of an.ties ?? []) {
    detailed.set(`${t.a}|${t.b}`, t);
    detailed.set(`${t.b}|${t.a}`, t);
  }
  const ties = rows(m.tieColumns ?? [], m.ties)
    .filter((t) => (staffIds.has(t.a) && contactIds.has(t.b)) || (staffIds.has(t.b) && contactIds.has(t.a)))
    .map((t) => {
      const staffId = staffIds.has(t.a) ? t.a : t.b;
      const contactId = staffId === t.a ? t.b : t.a;
      const d = detailed.get(`${staffId}|${contactId}`);
      return {
        id: `${staffId}|${contactId}`, staffId, contactId, strength: n(t.strength), band: low(t.band),
        cold: Boolean(t.going_cold), lastAt: t.last_at ?? d?.lastAt ?? null, interactions: n(t.interactions),
        raw: n(d?.raw), floor: n(d?.floor), assessed: low(d?.assessedLevel),
        detailed: Boolean(d),
        evidence: (d?.evidence ?? []).map((e) => ({
          id: e.interactionId, kind: low(e.kind), at: e.at, ageDays: n(e.ageDays), weight: n(e.weight),
          decay: n(e.decay), contribution: n(e.contribution),
        })),
      };
    });
  const names = new Map([...(m.contacts ?? []).map((c) => [c.contact_id, c.name]), ...staff.map((s) => [s.id, s.name])]);
  const contactLinks = normaliseContactLinks(m, an, contactIds);
  return {
    id: a.id,
    name: a.name,
    tier: low(a.tier),
    revenue: n(a.annualRevenue),
    asOf: a.asOf,
    healthScore: n(a.health?.score),
    healthBand: low(a.health?.band),
    health: normaliseHealth(a.health),
    coverage: normaliseCoverage(an.coverage, an.levelCoverage, names),
    threads: n(threads.threads),
    revenueAtRisk: n(a.revenueAtRisk ?? an.revenueAtRisk),
    exposed: Boolean(a.exposed),
    lastExec: lastExec(a.health),
    spocNames: spocs.map((id) => names.get(id) ?? id),
    former: (m.former ?? []).map((c) => ({ id: c.contact_id, name: c.name, title: c.title, until: c.until, roles: (c.roles ?? []).map(low) })),
    names,
    map: {
      accountName: a.name,
      contacts,
      staff,
      ties,
      reportingLines: [...managers].filter(([c, mgr]) => contactIds.has(c) && contactIds.has(mgr))
        .map(([contactId, managerId]) => ({ contactId, managerId })),
      influenceLines: (m.influenceLines ?? []).map((l) => ({ sourceId: l.source, targetId: l.target, weight: n(l.weight) })),
      placeholders: (m.placeholders ?? []).map((p) => ({ role: low(p.role) })),
      contactLinks,
    },
  };
}

const evidenceRows = (d) => (d?.evidence ?? []).map((e) => ({
  id: e.interactionId, kind: low(e.kind), at: e.at, ageDays: n(e.ageDays), weight: n(e.weight),
  decay: n(e.decay), contribution: n(e.contribution),
}));

/**
 * The links between the account's current contacts that reach and threads run over: ties from
 * shared interactions (with their evidence when among the 100 strongest), reporting lines (the
 * configured `reporting_line_strength`, default 0.5) and influence lines (their weight).
 */
export function normaliseContactLinks(m, an, contactIds) {
  const detailed = new Map();
  for (const t of an.contactTies ?? []) {
    detailed.set(`${t.a}|${t.b}`, t);
    detailed.set(`${t.b}|${t.a}`, t);
  }
  const reporting = n(an.config?.reporting_line_strength) ?? 0.5;
  const links = [];
  for (const t of rows(m.tieColumns ?? [], m.ties)) {
    if (!(contactIds.has(t.a) && contactIds.has(t.b))) continue;
    const d = detailed.get(`${t.a}|${t.b}`);
    links.push({
      id: `tie|${t.a}|${t.b}`, kind: "tie", a: t.a, b: t.b, strength: n(t.strength), band: low(t.band),
      cold: Boolean(t.going_cold), interactions: n(t.interactions), lastAt: t.last_at ?? d?.lastAt ?? null,
      raw: n(d?.raw), detailed: Boolean(d), evidence: evidenceRows(d),
    });
  }
  for (const line of m.orgLines ?? []) {
    if (!(contactIds.has(line.source) && contactIds.has(line.target))) continue;
    links.push({
      id: `reports_to|${line.source}|${line.target}`, kind: "reports_to", a: line.source, b: line.target,
      strength: reporting, since: line.since ?? null, until: line.until ?? null,
    });
  }
  for (const line of m.influenceLines ?? []) {
    if (!(contactIds.has(line.source) && contactIds.has(line.target))) continue;
    links.push({
      id: `influences|${line.source}|${line.target}`, kind: "influences", a: line.source, b: line.target,
      strength: n(line.weight), since: line.since ?? null, until: line.until ?? null,
    });
  }
  return links;
}

/** An account diff: changes in lower case, lines keyed `kind|source|target` as people pairs. */
export function normaliseAccountDiff(d) {
  const change = (c) => {
    const parts = String(c.key).split("|");
    const kinds = ["reports_to", "influences"];
    let key = c.key;
    if (kinds.includes(low(parts[0]))) key = [low(parts[0]), ...parts.slice(1)].join("|");
    else if (parts.length === 1 && (c.before ?? c.after)?.role) key = low(c.key);
    return { change: low(c.change), key, fields: c.fields ?? [], before: c.before, after: c.after };
  };
  const list = (xs) => (xs ?? []).map(change);
  return {
    from: d.from, to: d.to, changes: n(d.changes), coverageBefore: n(d.coverageBefore), coverageAfter: n(d.coverageAfter),
    people: list(d.people), ties: list(d.ties), lines: list(d.lines), roles: list(d.roles), coverage: list(d.coverage),
  };
}

/** A portfolio diff for the dashboard. */
export function normalisePortfolioDiff(d) {
  const move = (c) => ({
    id: c.accountId, name: c.name, rarDelta: n(c.revenueAtRiskDelta), healthBefore: n(c.healthBefore),
    healthAfter: n(c.healthAfter), coverageBefore: n(c.coverageBefore), coverageAfter: n(c.coverageAfter),
  });
  const alert = (a) => ({
    kind: low(a.kind), severity: low(a.severity), accountId: a.accountId, personId: a.personId, message: a.message ?? "", evidence: a.evidence ?? {},
  });
  return {
    from: d.from, to: d.to, added: d.added ?? [], removed: d.removed ?? [], unchanged: (d.unchanged ?? []).length,
    riskier: (d.riskier ?? []).map(move), improved: (d.improved ?? []).map(move),
    newAlerts: (d.newAlerts ?? []).map(alert), resolvedAlerts: (d.resolvedAlerts ?? []).map(alert),
  };
}

export function normaliseActions(actions, names = new Map()) {
  return (actions ?? []).map((a) => ({
    staff: names.get(a.staffId) ?? a.staffId,
    contact: names.get(a.contactId) ?? a.contactId,
    staffId: a.staffId,
    contactId: a.contactId,
    introducer: a.introducerId ? names.get(a.introducerId) ?? a.introducerId : null,
    coverageBefore: n(a.coverageBefore),
    coverageAfter: n(a.coverageAfter),
    value: n(a.value),
    threadsBefore: n(a.threadsBefore),
    threadsAfter: n(a.threadsAfter),
    levelsClosed: (a.levelsClosed ?? []).map(low),
    rolesImproved: (a.rolesImproved ?? []).map(low),
    evidence: a.evidence ?? [],
  }));
}

export function normaliseWhatIf(w, names = new Map()) {
  return {
    coverageScore: n(w.coverage?.score),
    coverageLost: n(w.coverageLost),
    threads: n(w.threads?.threads),
    threadsLost: n(w.threadsLost),
    revenueAtRisk: n(w.revenueAtRisk),
    rolesLost: (w.rolesLost ?? []).map(low),
    levelsLost: (w.levelsLost ?? []).map(low),
    coverage: normaliseCoverage(w.coverage, w.levelCoverage, names),
  };
}

/** Revenue concentration lines (the analysis defaults: flag above 20 %, severe above 30 %). */
export const CONCENTRATION_FLAG = 0.2;
export const CONCENTRATION_SEVERE = 0.3;

export function normalisePortfolio(p) {
  const names = new Map();
  for (const a of p.accounts ?? []) names.set(a.accountId, a.name);
  for (const c of p.concentration ?? []) names.set(c.accountId, c.name);
  const totals = p.totals ?? {};
  return {
    asOf: p.asOf,
    materialised: Boolean(p.materialised),
    totalRevenue: n(totals.annualRevenue),
    totalRevenueAtRisk: n(totals.revenueAtRisk),
    totals,
    accounts: (p.accounts ?? []).map((a) => ({
      id: a.accountId, name: a.name, tier: low(a.tier), revenue: n(a.annualRevenue), revenueAtRisk: n(a.revenueAtRisk),
      rarRelationship: n(a.revenueRelationship), rarTurnover: n(a.revenueTurnover),
      exposed: Boolean(a.exposed), revenueExposed: n(a.revenueExposed),
      healthScore: n(a.healthScore), healthBand: low(a.healthBand), coverage: n(a.coverageScore), threads: n(a.threads),
      uncovered: (a.uncoveredRoles ?? []).map(low), spocs: a.singlePointsOfContact ?? [],
    })),
    people: (p.people ?? []).map((x) => ({
      id: x.personId, name: x.name ?? x.personId, side: low(x.side), exposure: n(x.revenueAtRisk),
      accounts: (x.accounts ?? []).map((r) => names.get(r.accountId) ?? r.accountId),
    })),
    concentration: (p.concentration ?? []).map((c) => ({ accountId: c.accountId, name: c.name, share: n(c.share) })),
    flag: CONCENTRATION_FLAG,
    severe: CONCENTRATION_SEVERE,
    alerts: (p.alerts ?? []).map((a) => ({
      kind: low(a.kind), severity: low(a.severity), accountId: a.accountId, personId: a.personId,
      message: a.message ?? "", evidence: a.evidence ?? {}, accountName: names.get(a.accountId),
    })),
  };
}

export function normaliseReferrals(r) {
  const names = new Map();
  const edges = (r.edges ?? []).map((e) => {
    if (e.source?.name) names.set(e.sourceId, e.source.name);
    if (e.target?.name) names.set(e.targetId, e.target.name);
    const refs = e.referrals ?? [];
    const first = refs[0] ?? {};
    return {
      source: e.sourceId, target: e.targetId, status: low(e.status),
      value: refs.reduce((sum, x) => sum + (low(x.status) === "won" ? Number(x.value ?? 0) : 0), 0),
      at: first.at ?? null, viaContact: refs.find((x) => x.viaContact)?.viaContact ?? null, count: refs.length,
    };
  });
  const attributed = r.root?.attributed ?? {};
  return {
    accountIds: r.accountIds ?? [],
    names,
    edges,
    direct: n(attributed.direct),
    indirect: n(attributed.indirect),
    conversion: r.root?.conversion ?? {},
    received: (r.root?.received ?? []).map((x) => ({
      source: x.creditedTo ?? x.sourceId, viaContact: x.viaContact ?? (low(x.sourceKind) === "contact" ? x.sourceId : null),
      status: low(x.status), value: n(x.value), at: x.at,
    })),
  };
}

function explainHop(h, name) {
  const e = h.evidence ?? {};
  const a = name(h.source);
  const b = name(h.target);
  switch (low(h.kind)) {
    case "tie":
      return `${a} knows ${b}: ${low(e.band) ?? ""} tie from ${e.interactions ?? 0} interaction(s)` +
        `${e.last_at ? `, last on ${String(e.last_at).slice(0, 10)}` : ""}` +
        `${e.assessed_level ? `, rated ${low(e.assessed_level).replaceAll("_", " ")}` : ""}.`;
    case "colleague":
      return `${a} and ${b} ${e.current === false ? "worked" : "work"} together at ${e.account_name ?? e.account_id ?? "the same company"}` +
        `${e.since ? ` (since ${e.since}${e.until ? `, until ${e.until}` : ""})` : ""}.`;
    case "former_colleague":
      return `${a} and ${b} are former colleagues at ${e.account_name ?? e.account_id ?? "the same company"}.`;
    case "reports_to":
      return e.contact_id ? `${name(e.contact_id)} reports to ${name(e.manager_id)} (org chart).` : `${a} reports to ${b}.`;
    case "manages":
      return `${a} manages ${b}.`;
    case "influences":
      return e.source_id
        ? `${name(e.source_id)} ${String(e.relation ?? "influences").replaceAll("_", " ")} ${name(e.target_id)}.`
        : `${a} influences ${b}.`;
    case "referral":
      return `${a} and ${b} are linked by a referral${e.status ? ` (${low(e.status)})` : ""}${e.at ? ` on ${e.at}` : ""}.`;
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
