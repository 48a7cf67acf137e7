// Portfolio dashboard for leadership: accounts ranked by revenue at risk, people ranked by
// exposure, revenue concentration with the 20 % / 30 % lines, alerts.
import { gql } from "../gql.js";
import { PORTFOLIO } from "../queries.js";
import { normalisePortfolio } from "../model.js";
import { band, day, esc, humanise, money, num, pct, today } from "../format.js";

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

export const portfolioView = {
  nav: "portfolio",
  async render(root) {
    document.title = "Portfolio · kamgraph";
    const asOf = sessionStorage.getItem("kamgraph.asOf") || today();
    const data = await gql(PORTFOLIO, { asOf });
    const p = normalisePortfolio(data.portfolio);
    const accounts = p.accounts.map((a, i) => `<tr data-account="${esc(a.id)}"><td class="num">${i + 1}</td>
      <td><a href="#/account/${encodeURIComponent(a.id)}">${esc(a.name)}</a></td>
      <td class="num">${money(a.revenueAtRisk)}</td><td class="num hide-sm">${money(a.revenue)}</td>
      <td class="num">${band(a.healthBand)} ${num(a.healthScore)}</td>
      <td class="num hide-sm">${num(a.coverage)}</td><td class="num hide-sm">${a.threads === null ? "–" : num(a.threads)}</td></tr>`).join("");
    const people = p.people.map((x, i) => `<tr data-person="${esc(x.id)}"><td class="num">${i + 1}</td>
      <td>${esc(x.name)}</td><td>${x.side === "staff" ? "ours" : "theirs"}</td>
      <td class="num">${money(x.exposure)}</td><td class="hide-sm">${esc(x.accounts.join(", "))}</td></tr>`).join("");
    const alerts = p.alerts.map((a) => `<li data-alert="${esc(a.kind)}"><span class="badge ${a.severity === "high" || a.severity === "severe" ? "spoc" : "cut"}">${esc(humanise(a.kind))}</span>
      ${a.accountId ? `<a href="#/account/${encodeURIComponent(a.accountId)}">${esc(a.accountName ?? a.accountId)}</a>: ` : ""}${esc(a.message)}</li>`).join("");
    root.innerHTML = `
      <h1>Portfolio <span class="muted" style="font-size:.9rem">as of ${esc(day(p.asOf ?? asOf))}</span></h1>
      <div class="kpis">
        <div class="kpi"><div class="v">${money(p.totalRevenue)}</div><div class="l">Revenue</div></div>
        <div class="kpi"><div class="v" data-testid="portfolio-rar">${money(p.totalRevenueAtRisk)}</div><div class="l">Revenue at risk</div></div>
        <div class="kpi"><div class="v">${p.alerts.length}</div><div class="l">Alerts</div></div>
      </div>
      <div class="portfolio-grid">
        <section class="panel" aria-labelledby="pa-title"><h2 id="pa-title">Accounts by revenue at risk</h2>
          <div class="table-wrap"><table data-testid="ranked-accounts"><thead><tr><th scope="col" class="num">#</th><th scope="col">Account</th>
          <th scope="col" class="num">Revenue at risk</th><th scope="col" class="num hide-sm">Revenue</th><th scope="col" class="num">Health</th>
          <th scope="col" class="num hide-sm">Coverage</th><th scope="col" class="num hide-sm">Threads</th></tr></thead>
          <tbody>${accounts || `<tr><td colspan="7" class="muted">No accounts.</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pp-title"><h2 id="pp-title">Top exposures: people by revenue at risk</h2>
          <div class="table-wrap"><table data-testid="top-exposures"><thead><tr><th scope="col" class="num">#</th><th scope="col">Person</th>
          <th scope="col">Side</th><th scope="col" class="num">Exposure</th><th scope="col" class="hide-sm">Accounts</th></tr></thead>
          <tbody>${people || `<tr><td colspan="5" class="muted">No exposed people.</td></tr>`}</tbody></table></div></section>
        <section class="panel" aria-labelledby="pc-title"><h2 id="pc-title">Revenue concentration</h2>
          ${concentrationChart(p.concentration, p.flag, p.severe)}
          <p class="muted">Accounts above ${pct(p.flag)} of revenue are flagged, above ${pct(p.severe)} severe.</p></section>
        <section class="panel" aria-labelledby="al-title"><h2 id="al-title">Alerts</h2>
          <ul class="plain" data-testid="alerts">${alerts || `<li class="muted">No alerts.</li>`}</ul></section>
      </div>`;
  },
};
