// Accounts list: health band, coverage, threads, revenue at risk, last exec interaction;
// sortable (server-side orders, client-side for the rest of the page), filterable and paged.
import { gql } from "../gql.js";
import { ACCOUNTS } from "../queries.js";
import { normaliseAccountRow } from "../model.js";
import { band, day, esc, money, num, announce } from "../format.js";
import { t, te } from "../i18n.js";

const PAGE = 25;
// Server orders have fixed directions: name ascending, revenue and revenue at risk descending,
// health ascending (worst first). Clicking a sorted column again reverses the page locally.
const SERVER_DIR = { NAME: "ascending", REVENUE: "descending", REVENUE_AT_RISK: "descending", HEALTH: "ascending" };
const state = { orderBy: "REVENUE_AT_RISK", local: null, filter: { text: "", tier: "", band: "" }, cursors: [null] };

const COLUMNS = [
  { key: "name", label: "Account", order: "NAME" },
  { key: "tier", label: "Tier", cls: "hide-sm" },
  { key: "healthScore", label: "Health", order: "HEALTH", num: true },
  { key: "coverage", label: "Coverage", num: true, cls: "hide-xs" },
  { key: "threads", label: "Threads", num: true, cls: "hide-xs" },
  { key: "revenue", label: "Revenue", order: "REVENUE", num: true, cls: "hide-sm" },
  { key: "revenueAtRisk", label: "Revenue at risk", order: "REVENUE_AT_RISK", num: true },
  { key: "lastExec", label: "Last exec interaction", cls: "hide-sm" },
];

function row(a) {
  return `<tr data-account="${esc(a.id)}">
    <td><a href="#/account/${encodeURIComponent(a.id)}">${esc(a.name)}</a></td>
    <td class="hide-sm">${esc(te(a.tier))}</td>
    <td class="num">${band(a.healthBand)} ${num(a.healthScore)}</td>
    <td class="num hide-xs">${num(a.coverage)}</td>
    <td class="num hide-xs">${a.threads === null ? "–" : num(a.threads)}</td>
    <td class="num hide-sm">${money(a.revenue)}</td>
    <td class="num">${money(a.revenueAtRisk)}</td>
    <td class="hide-sm">${esc(day(a.lastExec))}</td>
  </tr>`;
}

async function load(root) {
  const after = state.cursors[state.cursors.length - 1];
  const variables = { first: PAGE, after, orderBy: state.orderBy };
  const filter = {};
  if (state.filter.text) filter.nameContains = state.filter.text;
  if (state.filter.tier) filter.tier = state.filter.tier;
  if (Object.keys(filter).length) variables.filter = filter;
  const data = await gql(ACCOUNTS, variables);
  const conn = data.accounts;
  let rows = (conn.edges ?? []).map((e) => normaliseAccountRow(e.node));
  if (state.filter.band) rows = rows.filter((r) => String(r.healthBand).toLowerCase() === state.filter.band);
  if (state.local) {
    const { key, dir } = state.local;
    const sign = dir === "ascending" ? 1 : -1;
    rows.sort((a, b) => {
      const x = a[key] ?? -Infinity;
      const y = b[key] ?? -Infinity;
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  }
  const tbody = root.querySelector("tbody");
  tbody.innerHTML = rows.length ? rows.map(row).join("") : `<tr><td colspan="8" class="muted">${t("No accounts match.")}</td></tr>`;
  const total = conn.totalCount;
  const page = state.cursors.length;
  root.querySelector("#page-info").textContent = total !== undefined && total !== null
    ? t("Page {page} of {pages} · {total} accounts", { page, pages: Math.max(1, Math.ceil(total / PAGE)), total })
    : t("Page {page}", { page });
  root.querySelector("#prev").disabled = page <= 1;
  const next = root.querySelector("#next");
  next.disabled = !conn.pageInfo?.hasNextPage;
  next.dataset.cursor = conn.pageInfo?.endCursor ?? "";
  for (const th of root.querySelectorAll("th[data-key]")) {
    const key = th.dataset.key;
    const col = COLUMNS.find((c) => c.key === key);
    const active = state.local ? state.local.key === key : col.order === state.orderBy;
    if (active) th.setAttribute("aria-sort", state.local ? state.local.dir : SERVER_DIR[state.orderBy]);
    else th.removeAttribute("aria-sort");
  }
  announce(t("{n} accounts shown", { n: rows.length }));
}

export const accountsView = {
  nav: "accounts",
  async render(root) {
    document.title = `${t("Accounts")} · kamgraph`;
    root.innerHTML = `
      <h1>${t("Accounts")}</h1>
      <form class="toolbar" id="filters" role="search" aria-label="${t("Filter accounts")}">
        <div class="field"><label for="f-text">${t("Name contains")}</label>
          <input id="f-text" type="search" value="${esc(state.filter.text)}"></div>
        <div class="field"><label for="f-tier">${t("Tier")}</label>
          <select id="f-tier"><option value="">${t("any")}</option><option value="STRATEGIC">${te("strategic")}</option>
          <option value="KEY">${te("key")}</option><option value="POTENTIAL">${te("potential")}</option></select></div>
        <div class="field"><label for="f-band">${t("Health band (this page)")}</label>
          <select id="f-band"><option value="">${t("any")}</option><option value="green">${te("green")}</option>
          <option value="yellow">${te("yellow")}</option><option value="red">${te("red")}</option></select></div>
        <button class="btn" type="submit">${t("Filter")}</button>
      </form>
      <div class="table-wrap"><table data-testid="accounts-table">
        <caption class="sr-only">${t("Accounts; column buttons sort")}</caption>
        <thead><tr>${COLUMNS.map((c) => `<th scope="col" data-key="${c.key}" class="${c.num ? "num " : ""}${c.cls ?? ""}">
          <button class="sort" type="button">${t(c.label)}</button></th>`).join("")}</tr></thead>
        <tbody></tbody></table></div>
      <div class="pager"><button class="btn secondary" id="prev" type="button">${t("Previous page")}</button>
        <span id="page-info" class="muted"></span>
        <button class="btn secondary" id="next" type="button">${t("Next page")}</button></div>`;
    root.querySelector("#f-tier").value = state.filter.tier;
    root.querySelector("#f-band").value = state.filter.band;
    root.querySelector("#filters").addEventListener("submit", (ev) => {
      ev.preventDefault();
      state.filter = {
        text: root.querySelector("#f-text").value.trim(),
        tier: root.querySelector("#f-tier").value,
        band: root.querySelector("#f-band").value,
      };
      state.cursors = [null];
      load(root).catch((e) => showError(root, e));
    });
    for (const th of root.querySelectorAll("th[data-key]")) {
      th.querySelector("button").addEventListener("click", () => {
        const col = COLUMNS.find((c) => c.key === th.dataset.key);
        if (col.order && (state.orderBy !== col.order || state.local)) {
          state.orderBy = col.order;
          state.local = null;
          state.cursors = [null];
        } else if (col.order) {
          const dir = SERVER_DIR[col.order] === "ascending" ? "descending" : "ascending";
          state.local = { key: col.key, dir };
        } else {
          const dir = state.local?.key === col.key && state.local.dir === "descending" ? "ascending" : "descending";
          state.local = { key: col.key, dir };
        }
        load(root).catch((e) => showError(root, e));
      });
    }
    root.querySelector("#next").addEventListener("click", (ev) => {
      state.cursors.push(ev.currentTarget.dataset.cursor || null);
      load(root).catch((e) => showError(root, e));
    });
    root.querySelector("#prev").addEventListener("click", () => {
      if (state.cursors.length > 1) state.cursors.pop();
      load(root).catch((e) => showError(root, e));
    });
    await load(root);
  },
};

function showError(root, err) {
  root.querySelector("tbody").innerHTML = `<tr><td colspan="8" class="error" role="alert">${esc(err.message)}</td></tr>`;
}
