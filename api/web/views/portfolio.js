// Portfolio dashboard for leadership: accounts ranked by revenue at risk, people ranked by
// exposure, revenue concentration with the 20 % / 30 % lines, alerts.
import { gql } from "../gql.js";
import { ACCOUNT_NAMES, PORTFOLIO, PORTFOLIO_ACTIONS, PORTFOLIO_DIFF } from "../queries.js";
import { normalisePortfolio, normalisePortfolioDiff } from "../model.js";
import { band, day, esc, money, num, pct, latestDay, referenceDay } from "../format.js";
import { t, te } from "../i18n.js";
import { alertDetail, alertTitle } from "../alert-text.js";

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
      <rect class="${cls}" x="${labelW}" y="${y}" width="${Math.max(1, x(r.share) - labelW).toFixed(1)}" height="${barH}"><title>${esc(t("{name}: {share} of revenue", { name: r.name, share: pct(r.share, 1) }))}</title></rect>
      <text class="small" x="${(x(r.share) + 4).toFixed(1)}" y="${y + 14}">${pct(r.share, 1)}</text></g>`;
  }).join("");
  const line = (v, cls, label) => `<line class="threshold ${cls}" x1="${x(v)}" x2="${x(v)}" y1="14" y2="${H - 14}"></line>
    <text class="small" x="${x(v) + 3}" y="12">${label}</text>`;
  return `<svg xmlns="${SVG_NS}" width="100%" viewBox="0 0 ${W} ${H}" role="img" data-testid="concentration-chart"
    aria-label="${esc(t("Revenue share of the {n} largest accounts; flag line at {flag}, severe line at {severe}", { n: top.length, flag: pct(flag), severe: pct(severe) }))}">
    <line class="axis" x1="${labelW}" x2="${labelW}" y1="14" y2="${H - 14}"></line>
    ${bars}${line(flag, "t20", esc(t("{share} flag", { share: pct(flag) })))}${line(severe, "t30", esc(t("{share} severe", { share: pct(severe) })))}</svg>`;
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
  return chosen.map((a) => `<li data-alert="${esc(a.kind)}" title="${esc(a.message)}">
    <span class="badge ${a.severity === "severe" ? "spoc" : a.severity === "warning" ? "cut" : ""}">${esc(te(a.severity))}</span>
    <span class="badge" data-testid="alert-title">${esc(alertTitle(a))}</span>
    ${a.accountId ? `<a href="#/account/${encodeURIComponent(a.accountId)}">${esc(a.accountName ?? a.accountId)}</a>${t(": ")}` : ""}<span data-testid="alert-message">${esc(alertDetail(a))}</span></li>`).join("")
    || `<li class="muted">${t("No alerts of this kind.")}</li>`;
}

function moves(rows, testid) {
  if (!rows.length) return `<p class="muted">${t("None.")}</p>`;
  return `<div class="table-wrap"><table data-testid="${testid}"><thead><tr><th scope="col">${t("Account")}</th>
    <th scope="col" class="num">${t("Coverage")}</th><th scope="col" class="num">${t("Health")}</th><th scope="col" class="num">${t("Δ revenue at risk")}</th></tr></thead>
    <tbody>${rows.map((r) => `<tr data-account="${esc(r.id)}"><td><a href="#/account/${encodeURIComponent(r.id)}">${esc(r.name)}</a></td>
    <td class="num">${num(r.coverageBefore)} → ${num(r.coverageAfter)}</td><td class="num">${num(r.healthBefore)} → ${num(r.healthAfter)}</td>
    <td class="num">${r.rarDelta > 0 ? "+" : ""}${money(r.rarDelta)}</td></tr>`).join("")}</tbody></table></div>`;
}

function portfolioDiffHtml(d) {
  const alerts = (xs) => xs.slice(0, 20).map((a) => `<li title="${esc(a.message)}"><span class="badge">${esc(alertTitle(a))}</span> ${esc(alertDetail(a))}</li>`).join("");
  const parts = [
    t("{n} unchanged", { n: d.unchanged }),
    ...(d.added.length ? [t("{n} added", { n: d.added.length })] : []),
    ...(d.removed.length ? [t("{n} removed", { n: d.removed.length })] : []),
  ];
  return `<p data-testid="portfolio-diff-summary">${t("From {from} to {to}: {riskier} riskier, {improved} improved, {rest}; {alerts} new alert(s), {resolved} resolved.", {
    from: esc(day(d.from)), to: esc(day(d.to)), riskier: `<strong>${d.riskier.length}</strong>`, improved: `<strong>${d.improved.length}</strong>`,
    rest: parts.join(t(", ")), alerts: d.newAlerts.length, resolved: d.resolvedAlerts.length,
  })}</p>
    <h3>${t("Riskier")}</h3>${moves(d.riskier, "diff-riskier")}<h3>${t("Improved")}</h3>${moves(d.improved, "diff-improved")}
    <h3>${t("New alerts")}</h3><ul class="plain alerts">${alerts(d.newAlerts) || `<li class="muted">${t("None.")}</li>`}</ul>
    <h3>${t("Resolved alerts")}</h3><ul class="plain alerts">${alerts(d.resolvedAlerts) || `<li class="muted">${t("None.")}</li>`}</ul>`;
}

export const portfolioView = {
  nav: "portfolio",
  async render(root) {
    document.title = `${t("Portfolio")} · kamgraph`;
    const asOf = sessionStorage.getItem("kamgraph.asOf") || referenceDay();
    const data = await gql(PORTFOLIO, { asOf });
    if (!data.portfolio) throw new Error(t("The portfolio is not available to you."));
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
        ${a.spocs.length ? `<span class="badge spoc" title="${t("single point of contact")}">${t("SPOC")}</span>` : ""}</td>
      <td class="num" data-testid="account-rar">${a.exposed
        ? `<span class="badge exposed" title="${t("No required role is covered: all of its revenue is exposed")}">${t("exposed")}</span> ${money(a.revenueExposed)}`
        : `<span title="${esc(t("relationships {a} · role turnover {b}", { a: money(a.rarRelationship), b: money(a.rarTurnover) }))}">${money(a.revenueAtRisk)}</span>`}</td>
      <td class="num hide-sm">${money(a.revenue)}</td>
      <td class="num">${band(a.healthBand)} ${num(a.healthScore)}</td>
      <td class="num hide-sm">${num(a.coverage)} · ${a.threads === null ? "–" : num(a.threads)}</td></tr>`).join("");
    const people = p.people.map((x, i) => `<tr data-person="${esc(x.id)}" data-side="${esc(x.side)}"><td class="num">${i + 1}</td>
      <td>${x.side === "theirs" ? `<a href="#/paths/${encodeURIComponent(x.id)}" title="${esc(t("Warm paths to {name}", { name: x.name }))}">${esc(x.name)}</a>` : esc(x.name)}</td><td>${esc(te(x.side))}</td>
      <td class="num" data-value="${esc(x.exposure)}">${money(x.exposure)}</td>
      <td class="hide-sm">${esc(x.accounts.slice(0, 4).join(", "))}${x.accounts.length > 4 ? ` +${x.accounts.length - 4}` : ""}</td></tr>`).join("");
    const tot = p.totals;
    root.innerHTML = `
      <h1>${t("Portfolio")} <span class="muted" style="font-size:.9rem" data-testid="portfolio-as-of">${esc(t("as of {day}", { day: day(p.asOf ?? asOf) }))}${p.materialised ? esc(t(" · from the last refresh")) : ""}</span></h1>
      <div class="toolbar"><div class="field"><label for="p-as-of">${t("As of")}</label>
        <input id="p-as-of" type="date" value="${esc(asOf)}" max="${latestDay()}"></div></div>
      ${p.totalRevenue === null ? `<p class="muted">${t("Portfolio totals are for leadership; below are your accounts.")}</p>` : `<div class="kpis">
        <div class="kpi"><div class="v" data-testid="portfolio-revenue">${money(p.totalRevenue)}</div><div class="l">${t("Annual revenue")}${tot.accounts ? t(" · {n} accounts", { n: num(tot.accounts) }) : ""}</div></div>
        <div class="kpi"><div class="v" data-testid="portfolio-rar">${money(p.totalRevenueAtRisk)}</div><div class="l">${t("Revenue at risk")}${tot.revenueRelationship !== undefined ? t(" · relationships {a}, role turnover {b}", { a: money(tot.revenueRelationship), b: money(tot.revenueTurnover) }) : ""}</div></div>
        <div class="kpi"><div class="v" data-testid="portfolio-exposed">${tot.revenueExposed !== undefined ? money(tot.revenueExposed) : "–"}</div><div class="l">${t("Exposed")}${tot.exposed !== undefined ? t(" · {n} accounts with no role covered", { n: num(tot.exposed) }) : ""}</div></div>
        <div class="kpi"><div class="v">${tot.red !== undefined ? `${band("red")} ${num(tot.red)} ${band("yellow")} ${num(tot.yellow)} ${band("green")} ${num(tot.green)}` : "–"}</div><div class="l">${t("Health bands")}</div></div>
        <div class="kpi"><div class="v">${tot.singleThreaded !== undefined ? num(tot.singleThreaded) : "–"}</div><div class="l">${t("Single-threaded accounts")}</div></div>
      </div>`}
      <div class="portfolio-grid">
        <section class="panel" aria-labelledby="pa-title"><h2 id="pa-title">${t("Accounts by revenue at risk")}</h2>
          <div class="table-wrap"><table data-testid="ranked-accounts"><thead><tr><th scope="col" class="num">#</th><th scope="col">${t("Account")}</th>
          <th scope="col" class="num wrap">${t("Revenue at risk")}</th><th scope="col" class="num hide-sm">${t("Revenue")}</th><th scope="col" class="num">${t("Health")}</th>
          <th scope="col" class="num hide-sm wrap">${t("Coverage · threads")}</th></tr></thead>
          <tbody>${accounts || `<tr><td colspan="6" class="muted">${t("No accounts.")}</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pp-title"><h2 id="pp-title">${t("Top exposures: people by revenue at risk")}</h2>
          <div class="table-wrap"><table data-testid="top-exposures"><thead><tr><th scope="col" class="num">#</th><th scope="col">${t("Person")}</th>
          <th scope="col">${t("Side")}</th><th scope="col" class="num">${t("Exposure")}</th><th scope="col" class="hide-sm">${t("Accounts")}</th></tr></thead>
          <tbody>${people || `<tr><td colspan="5" class="muted">${t("No exposed people.")}</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pc-title"><h2 id="pc-title">${t("Revenue concentration")}</h2>
          ${p.concentration.length ? concentrationChart(p.concentration, p.flag, p.severe) : `<p class="muted">${t("No revenue.")}</p>`}
          <p class="muted">${t("Share of annual revenue per account; above {flag} is flagged, above {severe} severe.", { flag: pct(p.flag), severe: pct(p.severe) })}</p></section>
        <section class="panel" aria-labelledby="al-title"><h2 id="al-title">${t("Alerts")}</h2>
          <div class="field"><label for="alert-kind">${t("Show")}</label>
            <select id="alert-kind">${ALERT_GROUPS.map(([v, l]) => `<option value="${v}">${t(l)} (${v ? p.alerts.filter((a) => a.kind.includes(v)).length : p.alerts.length})</option>`).join("")}</select></div>
          <ul class="plain alerts" data-testid="alerts">${alertItems(p.alerts, "")}</ul></section>
        <section class="panel" aria-labelledby="pn-title"><h2 id="pn-title">${t("Next meetings across the portfolio")}</h2>
          <p class="muted">${t("The best meeting at each of the 20 accounts ranked first, by value (coverage brought in plus revenue at risk taken away), at most two for any one of our people.")}</p>
          <ol class="next-actions" data-testid="portfolio-actions" aria-live="polite"><li class="loading" role="status">${t("Weighing the meetings…")}</li></ol></section>
        <section class="panel" aria-labelledby="pd-title"><h2 id="pd-title">${t("Changes since")}</h2>
          <div class="row"><div class="field"><label for="pd-from">${t("Compare with")}</label>
            <input id="pd-from" type="date" max="${esc(asOf)}"></div>
            <button class="btn secondary" type="button" id="pd-run">${t("Show changes")}</button></div>
          <div id="pd" data-testid="portfolio-diff" aria-live="polite"></div></section>
      </div>`;
    root.querySelector("#p-as-of").addEventListener("change", (ev) => {
      if (!ev.target.value) return;
      sessionStorage.setItem("kamgraph.asOf", ev.target.value);
      root.innerHTML = `<p class="loading" role="status">${esc(t("Loading the portfolio as of {day}…", { day: day(ev.target.value) }))}</p>`;
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
      out.innerHTML = `<p class="loading" role="status">${esc(t("Comparing {from} with {to}…", { from: day(from.value), to: day(asOf) }))}</p>`;
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
              ${t("{staff} meets {contact}", { staff: `<strong>${esc(r.action.staff?.name ?? r.action.staffId)}</strong>`, contact: `<strong>${esc(r.action.contact?.name ?? r.action.contactId)}</strong>` })}
              <div>${t("coverage {before} → {after} · value {value}", { before: num(r.action.coverageBefore), after: num(r.action.coverageAfter), value: money(r.action.value) })}</div></li>`).join("")
          : `<li class="muted">${t("No meeting would add coverage or take risk away.")}</li>`;
      } catch (err) {
        list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    })();
    root.querySelector("#alert-kind").addEventListener("change", (ev) => {
      root.querySelector('[data-testid="alerts"]').innerHTML = alertItems(p.alerts, ev.target.value);
    });
  },
};
