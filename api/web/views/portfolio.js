// Portfolio dashboard for leadership: accounts ranked by revenue at risk, people ranked by
// exposure, revenue concentration with the 20 % / 30 % lines, alerts.
import { gql } from "../gql.js";
import { ACCOUNT_NAMES, PORTFOLIO, PORTFOLIO_ACTIONS, PORTFOLIO_DIFF } from "../queries.js";
import { normalisePortfolio, normalisePortfolioDiff } from "../model.js";
import { band, day, esc, humanise, money, num, pct, latestDay, referenceDay } from "../format.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Horizontal bars of revenue share per account with the flag (20 %) and severe (30 %) lines. */
function concentrationChart(rows, flag, severe) {
  const top = rows.slice(0, 12);
  const maxShare = Math.max(severe * 1.15, ...top.map((r) => r.share));
  const W = 560;
  const labelW = 170;
  const barH = 20;
  const H = 30 + top.length * (barH + 6) + 20;
  const x = (v) => labelW + (v / maxShare) * (W - labelW - 60);
  const bars = top.map((r, i) => {
    const y = 24 + i * (barH + 6);
    const cls = r.share > severe ? "bar severe" : r.share > flag ? "bar flag" : "bar";
    return `<g data-account="${esc(r.accountId)}"><text class="small" x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(r.name.slice(0, 24))}</text>
      <rect class="${cls}" x="${labelW}" y="${y}" width="${Math.max(1, x(r.share) - labelW).toFixed(1)}" height="${barH}"><title>${esc(r.name)}: ${pct(r.share, 1)} of revenue</title></rect>
      <text class="small" x="${(x(r.share) + 4).toFixed(1)}" y="${y + 14}">${pct(r.share, 1)}</text></g>`;
  }).join("");
  const line = (v, cls, label) => `<line class="threshold ${cls}" x1="${x(v)}" x2="${x(v)}" y1="14" y2="${H - 14}"></line>
    <text class="small" x="${x(v) + 3}" y="12">${label}</text>`;
  return `<svg xmlns="${SVG_NS}" width="100%" viewBox="0 0 ${W} ${H}" role="img" data-testid="concentration-chart"
    aria-label="Revenue share of the ${top.length} largest accounts; flag line at ${pct(flag)}, severe line at ${pct(severe)}">
    <line class="axis" x1="${labelW}" x2="${labelW}" y1="14" y2="${H - 14}"></line>
    ${bars}${line(flag, "t20", `${pct(flag)} flag`)}${line(severe, "t30", `${pct(severe)} severe`)}</svg>`;
}

const ALERT_GROUPS = [
  ["", "all alerts"],
  ["job_change", "job changes"],
  ["cold", "going cold"],
  ["cadence", "cadence breaches"],
  ["single", "single points of contact"],
  ["health", "health"],
];

function alertItems(alerts, group) {
  const chosen = group ? alerts.filter((a) => a.kind.includes(group)) : alerts;
  return chosen.map((a) => `<li data-alert="${esc(a.kind)}">
    <span class="badge ${a.severity === "severe" ? "spoc" : a.severity === "warning" ? "cut" : ""}">${esc(a.severity)}</span>
    <span class="badge">${esc(humanise(a.kind))}</span>
    ${a.accountId ? `<a href="#/account/${encodeURIComponent(a.accountId)}">${esc(a.accountName ?? a.accountId)}</a>: ` : ""}${esc(a.message)}</li>`).join("")
    || `<li class="muted">No alerts of this kind.</li>`;
}

function moves(rows, testid) {
  if (!rows.length) return `<p class="muted">None.</p>`;
  return `<div class="table-wrap"><table data-testid="${testid}"><thead><tr><th scope="col">Account</th>
    <th scope="col" class="num">Coverage</th><th scope="col" class="num">Health</th><th scope="col" class="num">Δ revenue at risk</th></tr></thead>
    <tbody>${rows.map((r) => `<tr data-account="${esc(r.id)}"><td><a href="#/account/${encodeURIComponent(r.id)}">${esc(r.name)}</a></td>
    <td class="num">${num(r.coverageBefore)} → ${num(r.coverageAfter)}</td><td class="num">${num(r.healthBefore)} → ${num(r.healthAfter)}</td>
    <td class="num">${r.rarDelta > 0 ? "+" : ""}${money(r.rarDelta)}</td></tr>`).join("")}</tbody></table></div>`;
}

function portfolioDiffHtml(d) {
  const alerts = (xs) => xs.slice(0, 20).map((a) => `<li><span class="badge">${esc(humanise(a.kind))}</span> ${esc(a.message)}</li>`).join("");
  return `<p data-testid="portfolio-diff-summary">From ${esc(d.from)} to ${esc(d.to)}: <strong>${d.riskier.length}</strong> riskier,
    <strong>${d.improved.length}</strong> improved, ${d.unchanged} unchanged${d.added.length ? `, ${d.added.length} added` : ""}${d.removed.length ? `, ${d.removed.length} removed` : ""};
    ${d.newAlerts.length} new alert(s), ${d.resolvedAlerts.length} resolved.</p>
    <h3>Riskier</h3>${moves(d.riskier, "diff-riskier")}<h3>Improved</h3>${moves(d.improved, "diff-improved")}
    <h3>New alerts</h3><ul class="plain alerts">${alerts(d.newAlerts) || `<li class="muted">None.</li>`}</ul>
    <h3>Resolved alerts</h3><ul class="plain alerts">${alerts(d.resolvedAlerts) || `<li class="muted">None.</li>`}</ul>`;
}

export const portfolioView = {
  nav: "portfolio",
  async render(root) {
    document.title = "Portfolio · kamgraph";
    const asOf = sessionStorage.getItem("kamgraph.asOf") || referenceDay();
    const data = await gql(PORTFOLIO, { asOf });
    if (!data.portfolio) throw new Error("The portfolio is not available to you.");
    let p = normalisePortfolio(data.portfolio);
    // name the accounts outside the ranked lists (people's accounts, alerts)
    const known = new Set([...p.accounts.map((a) => a.id), ...p.concentration.map((c) => c.accountId)]);
    const missing = [...new Set([
      ...data.portfolio.people.flatMap((x) => x.accounts.map((r) => r.accountId)),
      ...data.portfolio.alerts.map((a) => a.accountId).filter(Boolean),
    ])].filter((id) => !known.has(id)).slice(0, 100);
    if (missing.length) {
      const named = await gql(ACCOUNT_NAMES, { ids: missing, first: missing.length });
      const extra = (named.accounts?.edges ?? []).map((e) => ({ accountId: e.node.id, name: e.node.name, share: null }));
      p = normalisePortfolio({ ...data.portfolio, concentration: [...data.portfolio.concentration, ...extra] });
      p.concentration = p.concentration.filter((c) => c.share !== null);
    }
    const accounts = p.accounts.map((a, i) => `<tr data-account="${esc(a.id)}"><td class="num">${i + 1}</td>
      <td><a href="#/account/${encodeURIComponent(a.id)}">${esc(a.name)}</a>
        ${a.spocs.length ? `<span class="badge spoc" title="single point of contact">SPOC</span>` : ""}</td>
      <td class="num" data-testid="account-rar">${a.exposed
        ? `<span class="badge exposed" title="No required role is covered: all of its revenue is exposed">exposed</span> ${money(a.revenueExposed)}`
        : `<span title="relationships ${esc(money(a.rarRelationship))} · role turnover ${esc(money(a.rarTurnover))}">${money(a.revenueAtRisk)}</span>`}</td>
      <td class="num hide-sm">${money(a.revenue)}</td>
      <td class="num">${band(a.healthBand)} ${num(a.healthScore)}</td>
      <td class="num hide-sm">${num(a.coverage)} · ${a.threads === null ? "–" : num(a.threads)}</td></tr>`).join("");
    const people = p.people.map((x, i) => `<tr data-person="${esc(x.id)}" data-side="${esc(x.side)}"><td class="num">${i + 1}</td>
      <td>${x.side === "theirs" ? `<a href="#/paths/${encodeURIComponent(x.id)}" title="Warm paths to ${esc(x.name)}">${esc(x.name)}</a>` : esc(x.name)}</td><td>${esc(x.side)}</td>
      <td class="num" data-value="${esc(x.exposure)}">${money(x.exposure)}</td>
      <td class="hide-sm">${esc(x.accounts.slice(0, 4).join(", "))}${x.accounts.length > 4 ? ` +${x.accounts.length - 4}` : ""}</td></tr>`).join("");
    const t = p.totals;
    root.innerHTML = `
      <h1>Portfolio <span class="muted" style="font-size:.9rem">as of ${esc(day(p.asOf ?? asOf))}${p.materialised ? " · from the last refresh" : ""}</span></h1>
      <div class="toolbar"><div class="field"><label for="p-as-of">As of</label>
        <input id="p-as-of" type="date" value="${esc(asOf)}" max="${latestDay()}"></div></div>
      ${p.totalRevenue === null ? `<p class="muted">Portfolio totals are for leadership; below are your accounts.</p>` : `<div class="kpis">
        <div class="kpi"><div class="v">${money(p.totalRevenue)}</div><div class="l">Annual revenue${t.accounts ? ` · ${num(t.accounts)} accounts` : ""}</div></div>
        <div class="kpi"><div class="v" data-testid="portfolio-rar">${money(p.totalRevenueAtRisk)}</div><div class="l">Revenue at risk${t.revenueRelationship !== undefined ? ` · relationships ${money(t.revenueRelationship)}, role turnover ${money(t.revenueTurnover)}` : ""}</div></div>
        <div class="kpi"><div class="v" data-testid="portfolio-exposed">${t.revenueExposed !== undefined ? money(t.revenueExposed) : "–"}</div><div class="l">Exposed${t.exposed !== undefined ? ` · ${num(t.exposed)} accounts with no role covered` : ""}</div></div>
        <div class="kpi"><div class="v">${t.red !== undefined ? `${band("red")} ${num(t.red)} ${band("yellow")} ${num(t.yellow)} ${band("green")} ${num(t.green)}` : "–"}</div><div class="l">Health bands</div></div>
        <div class="kpi"><div class="v">${t.singleThreaded !== undefined ? num(t.singleThreaded) : "–"}</div><div class="l">Single-threaded accounts</div></div>
      </div>`}
      <div class="portfolio-grid">
        <section class="panel" aria-labelledby="pa-title"><h2 id="pa-title">Accounts by revenue at risk</h2>
          <div class="table-wrap"><table data-testid="ranked-accounts"><thead><tr><th scope="col" class="num">#</th><th scope="col">Account</th>
          <th scope="col" class="num wrap">Revenue at risk</th><th scope="col" class="num hide-sm">Revenue</th><th scope="col" class="num">Health</th>
          <th scope="col" class="num hide-sm wrap">Coverage · threads</th></tr></thead>
          <tbody>${accounts || `<tr><td colspan="6" class="muted">No accounts.</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pp-title"><h2 id="pp-title">Top exposures: people by revenue at risk</h2>
          <div class="table-wrap"><table data-testid="top-exposures"><thead><tr><th scope="col" class="num">#</th><th scope="col">Person</th>
          <th scope="col">Side</th><th scope="col" class="num">Exposure</th><th scope="col" class="hide-sm">Accounts</th></tr></thead>
          <tbody>${people || `<tr><td colspan="5" class="muted">No exposed people.</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pc-title"><h2 id="pc-title">Revenue concentration</h2>
          ${p.concentration.length ? concentrationChart(p.concentration, p.flag, p.severe) : `<p class="muted">No revenue.</p>`}
          <p class="muted">Share of annual revenue per account; above ${pct(p.flag)} is flagged, above ${pct(p.severe)} severe.</p></section>
        <section class="panel" aria-labelledby="al-title"><h2 id="al-title">Alerts</h2>
          <div class="field"><label for="alert-kind">Show</label>
            <select id="alert-kind">${ALERT_GROUPS.map(([v, l]) => `<option value="${v}">${l} (${v ? p.alerts.filter((a) => a.kind.includes(v)).length : p.alerts.length})</option>`).join("")}</select></div>
          <ul class="plain alerts" data-testid="alerts">${alertItems(p.alerts, "")}</ul></section>
        <section class="panel" aria-labelledby="pn-title"><h2 id="pn-title">Next meetings across the portfolio</h2>
          <p class="muted">The best meeting at each of the 20 accounts ranked first, by value (coverage brought in plus revenue at risk taken away).</p>
          <ol class="next-actions" data-testid="portfolio-actions" aria-live="polite"><li class="loading" role="status">Weighing the meetings…</li></ol></section>
        <section class="panel" aria-labelledby="pd-title"><h2 id="pd-title">Changes since</h2>
          <div class="row"><div class="field"><label for="pd-from">Compare with</label>
            <input id="pd-from" type="date" max="${esc(asOf)}"></div>
            <button class="btn secondary" type="button" id="pd-run">Show changes</button></div>
          <div id="pd" data-testid="portfolio-diff" aria-live="polite"></div></section>
      </div>`;
    root.querySelector("#p-as-of").addEventListener("change", (ev) => {
      if (!ev.target.value) return;
      sessionStorage.setItem("kamgraph.asOf", ev.target.value);
      root.innerHTML = `<p class="loading" role="status">Loading the portfolio as of ${esc(ev.target.value)}…</p>`;
      portfolioView.render(root).catch((err) => {
        root.innerHTML = `<p class="notice" role="alert" data-testid="page-error">${esc(err.message)}</p>`;
      });
    });
    const from = root.querySelector("#pd-from");
    const back = new Date(`${asOf}T12:00:00Z`);
    back.setUTCDate(back.getUTCDate() - 91);
    from.value = back.toISOString().slice(0, 10);
    root.querySelector("#pd-run").addEventListener("click", async () => {
      const out = root.querySelector("#pd");
      if (!from.value) return;
      out.innerHTML = `<p class="loading" role="status">Comparing ${esc(from.value)} with ${esc(asOf)}…</p>`;
      try {
        const d = await gql(PORTFOLIO_DIFF, { from: from.value, to: asOf });
        out.innerHTML = portfolioDiffHtml(normalisePortfolioDiff(d.portfolioDiff));
      } catch (err) {
        out.innerHTML = `<p class="error">${esc(err.message)}</p>`;
      }
    });
    (async () => {
      const list = root.querySelector('[data-testid="portfolio-actions"]');
      try {
        const d = await gql(PORTFOLIO_ACTIONS, { asOf });
        const rows = d.portfolio?.recommendedActions ?? [];
        list.innerHTML = rows.length
          ? rows.map((r) => `<li data-account="${esc(r.accountId)}" data-staff="${esc(r.action.staffId)}" data-contact="${esc(r.action.contactId)}">
              <a href="#/account/${encodeURIComponent(r.accountId)}">${esc(r.name)}</a>:
              <strong>${esc(r.action.staff?.name ?? r.action.staffId)}</strong> meets <strong>${esc(r.action.contact?.name ?? r.action.contactId)}</strong>
              <div>coverage ${num(r.action.coverageBefore)} → ${num(r.action.coverageAfter)} · value ${money(r.action.value)}</div></li>`).join("")
          : `<li class="muted">No meeting would add coverage or take risk away.</li>`;
      } catch (err) {
        list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    })();
    root.querySelector("#alert-kind").addEventListener("change", (ev) => {
      root.querySelector('[data-testid="alerts"]').innerHTML = alertItems(p.alerts, ev.target.value);
    });
  },
};
