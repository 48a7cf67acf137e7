// The alert inbox: the open alerts (new, acknowledged, snoozed) you may see, with buttons to
// acknowledge, snooze until a day or resolve each one. Every button calls the API and updates its row;
// a refusal (not yours, already resolved, a snooze into the past) is shown on the row.
import { GraphQLError, gql, unwrap } from "../gql.js";
import { ACKNOWLEDGE_ALERT, ALERT_INBOX, RESOLVE_ALERT, SNOOZE_ALERT } from "../queries.js";
import { announce, day, esc } from "../format.js";
import { t, te } from "../i18n.js";
import { alertDetail, alertTitle } from "../alert-text.js";

const PAGE = 100;
const SEVERITY_BADGE = { severe: "spoc", warning: "cut", info: "" };

function lower(value) {
  return String(value ?? "").toLowerCase();
}

function inDays(days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function statusText(a) {
  const status = lower(a.status);
  if (status === "snoozed" && a.snoozedUntil) return t("snoozed until {day}", { day: day(a.snoozedUntil) });
  return te(status);
}

function age(days) {
  if (days === 0) return t("today");
  return days === 1 ? t("1 day") : t("{n} days", { n: days });
}

function rowHtml(a) {
  const severity = lower(a.alert.severity);
  const status = lower(a.status);
  const account = a.alert.accountId
    ? `<a href="#/account/${encodeURIComponent(a.alert.accountId)}">${esc(a.accountName ?? a.alert.accountId)}</a>`
    : `<span class="muted">${t("portfolio")}</span>`;
  const canAck = status === "new" || status === "snoozed";
  return `<tr data-key="${esc(a.key)}" data-status="${esc(status)}">
    <td><span class="badge ${SEVERITY_BADGE[severity] ?? ""}" data-testid="alert-severity" data-severity="${esc(severity)}">${esc(te(severity))}</span></td>
    <td>${account}</td>
    <td><span class="badge" data-testid="alert-title">${esc(alertTitle(a.alert))}</span> <span data-testid="alert-message" title="${esc(a.alert.message)}">${esc(alertDetail(a.alert))}</span></td>
    <td>${esc(a.ownerName ?? a.ownerId ?? "–")}</td>
    <td class="num" title="${esc(t("open since {day}", { day: day(a.openSince) }))}">${esc(age(a.ageDays))}</td>
    <td><span class="badge status-badge ${esc(status)}" data-testid="alert-status">${esc(statusText(a))}</span>
      ${a.notified?.length ? `<span class="small muted">${esc(t("notified: {who}", { who: a.notified.join(", ") }))}</span>` : ""}</td>
    <td class="actions">
      <button type="button" class="btn secondary" data-action="acknowledge" ${canAck ? "" : "disabled"}>${t("Acknowledge")}</button>
      <form data-action="snooze">
        <label class="sr-only" for="until-${esc(a.key)}">${t("Snooze until")}</label>
        <input type="date" id="until-${esc(a.key)}" name="until" value="${esc(inDays(7))}" required>
        <button type="submit" class="btn secondary">${t("Snooze")}</button>
      </form>
      <button type="button" class="btn secondary" data-action="resolve">${t("Resolve")}</button>
      <span class="error row-error" role="alert" data-testid="row-error" hidden></span>
    </td></tr>`;
}

async function loadAll() {
  const nodes = [];
  let after = null;
  for (;;) {
    const data = await gql(ALERT_INBOX, { first: PAGE, after });
    const page = data.alertInbox;
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return { nodes, total: page.totalCount };
    after = page.pageInfo.endCursor;
  }
}

export const alertsView = {
  nav: "alerts",
  async render(root) {
    document.title = `${t("Alert inbox")} · kamgraph`;
    const { nodes } = await loadAll();
    const counts = (list) => ["new", "acknowledged", "snoozed"].map((s) => `${list.filter((a) => lower(a.status) === s).length} ${te(s)}`).join(t(", "));
    const summaryText = (list) => t("{n} open alert(s): {counts}.", { n: list.length, counts: counts(list) });
    root.innerHTML = `<section class="panel" aria-labelledby="alerts-title">
      <h1 id="alerts-title">${t("Alert inbox")}</h1>
      <p class="muted" data-testid="alerts-summary"><span class="counts">${esc(summaryText(nodes))}</span> ${t("Most severe first, then oldest.")}
        ${t("Acknowledge an alert to stop its escalation; snooze it until a day; resolve it when it is dealt with.")}</p>
      ${nodes.length ? `<div class="table-wrap"><table class="inbox-table" data-testid="alerts-table">
        <thead><tr><th scope="col">${t("Severity")}</th><th scope="col">${t("Account")}</th><th scope="col">${t("Alert")}</th><th scope="col">${t("Owner")}</th>
        <th scope="col" class="num">${t("Age")}</th><th scope="col">${t("Status")}</th><th scope="col">${t("Actions")}</th></tr></thead>
        <tbody>${nodes.map(rowHtml).join("")}</tbody></table></div>`
        : `<p data-testid="alerts-empty">${t("No open alerts. Well done.")}</p>`}
    </section>`;
    const table = root.querySelector('[data-testid="alerts-table"]');
    if (!table) return null;
    const summary = root.querySelector('[data-testid="alerts-summary"] .counts');
    const recount = () => {
      const rows = [...table.querySelectorAll("tbody tr[data-key]")].map((r) => ({ status: r.dataset.status }));
      summary.textContent = summaryText(rows);
    };

    async function act(row, action, extra = {}) {
      const key = row.dataset.key;
      const error = row.querySelector('[data-testid="row-error"]');
      error.hidden = true;
      error.textContent = "";
      const buttons = [...row.querySelectorAll("button")];
      buttons.forEach((b) => { b.disabled = true; });
      const [doc, field] = {
        acknowledge: [ACKNOWLEDGE_ALERT, "acknowledgeAlert"],
        snooze: [SNOOZE_ALERT, "snoozeAlert"],
        resolve: [RESOLVE_ALERT, "resolveAlert"],
      }[action];
      try {
        const data = await gql(doc, { key, ...extra });
        const state = unwrap(data[field], "AlertState");
        if (lower(state.status) === "resolved") {
          row.remove();
          recount();
          announce(t("Alert resolved: {message}", { message: alertDetail(state.alert) }));
          if (!table.querySelector("tbody tr")) table.insertAdjacentHTML("afterend", `<p data-testid="alerts-empty">${t("No open alerts. Well done.")}</p>`);
          return;
        }
        const fresh = document.createElement("tbody");
        fresh.innerHTML = rowHtml(state);
        const next = fresh.firstElementChild;
        next.classList.add("updated");
        row.replaceWith(next);
        recount();
        announce(t("Alert {status}: {message}", { status: statusText(state), message: alertDetail(state.alert) }));
      } catch (err) {
        buttons.forEach((b) => { b.disabled = false; });
        if (action === "acknowledge" && !["new", "snoozed"].includes(row.dataset.status)) buttons[0].disabled = true;
        const message = err instanceof GraphQLError ? err.message : t("Something went wrong: {message}", { message: err.message });
        error.textContent = t(`Could not ${action} this alert: {message}`, { message });
        error.hidden = false;
      }
    }

    const onClick = (ev) => {
      const button = ev.target.closest("button[data-action]");
      if (!button) return;
      const row = button.closest("tr[data-key]");
      if (button.dataset.action === "resolve") act(row, "resolve");
      else act(row, "acknowledge");
    };
    const onSubmit = (ev) => {
      const form = ev.target.closest('form[data-action="snooze"]');
      if (!form) return;
      ev.preventDefault();
      const until = form.querySelector('input[name="until"]').value;
      const row = form.closest("tr[data-key]");
      if (!until) {
        const error = row.querySelector('[data-testid="row-error"]');
        error.textContent = t("Pick the day the snooze ends.");
        error.hidden = false;
        return;
      }
      act(row, "snooze", { until });
    };
    table.addEventListener("click", onClick);
    table.addEventListener("submit", onSubmit);
    return () => {
      table.removeEventListener("click", onClick);
      table.removeEventListener("submit", onSubmit);
    };
  },
};
