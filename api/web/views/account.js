// Account page: the interactive relationship map, coverage per role and per level, tie
// evidence, what-if removals and time travel (as-of date).
import { gql, unwrap } from "../gql.js";
import {
  ACCOUNT, ACCOUNT_DIFF, ADD_NOTE, ASSESS_TIE, SET_PLAN_GOALS, ADD_PLAN_ACTION, JOURNAL, LOG_INTERACTION, NEXT_ACTIONS, PLAN, UPDATE_PLAN_ACTION, WHAT_IF,
} from "../queries.js";
import { normaliseAccount, normaliseAccountDiff, normaliseActions, normaliseWhatIf } from "../model.js";
import { drawMap, legendHtml } from "../map.js";
import { announce, band, day, esc, humanise, moment, money, num, pct, latestDay, referenceDay, today } from "../format.js";
import { t, te } from "../i18n.js";

/** One line for an audit-trail entry: what was logged, or the mutation and what it wrote. */
function describeWrite(entry, names) {
  const first = (entry.detail?.input ?? [])[0] ?? {};
  if (entry.action === "recordInteraction") {
    const who = (first.participants ?? []).map((p) => names.get(p) ?? p).join(t(", "));
    return t("logged a {kind}{subject} ({who})", {
      kind: first.kind ? te(first.kind) : t("interaction"), subject: first.subject ? t(" \"{subject}\"", { subject: first.subject }) : "", who,
    });
  }
  if (entry.action === "assessTie") {
    return t("rated the tie with {name}: {level}", { name: names.get(first.contact_id) ?? first.contact_id, level: te(first.level, "") });
  }
  const counts = Object.entries(entry.detail?.kinds ?? {}).map(([k, v]) => `${v} ${te(k)}`).join(t(", "));
  return `${humanise(entry.action)}${counts ? `: ${counts}` : ""}`;
}

/** A score tile; with a what-if value, the change is shown under it (red when worse). */
function kpi({ label, value, after, show, testid, better = "higher", afterNote = "" }) {
  let delta = "";
  if (after !== undefined && after !== null) {
    const same = value !== null && Math.abs(Number(after) - Number(value)) < 1e-9;
    const worse = better === "higher" ? Number(after) < Number(value) : Number(after) > Number(value);
    const cls = same ? "muted" : worse ? "bad" : "ok";
    delta = `<div class="delta ${cls}" data-testid="${testid}-after" data-value="${esc(after)}">${esc(t("what-if: {value}", { value: show(after) }))}${afterNote}${same && !afterNote ? t(" (no change)") : ""}</div>`;
  }
  return `<div class="kpi"><div class="v" data-testid="${testid}" data-value="${esc(value ?? "")}">${esc(value === null ? "–" : show(value))}</div>
    <div class="l">${esc(label)}</div>${delta}</div>`;
}

function coverageTables(cov, after) {
  const afterRoles = new Map((after?.roles ?? []).map((r) => [r.role, r]));
  const afterLevels = new Map((after?.levels ?? []).map((r) => [r.level, r]));
  const mark = (ok) => (ok ? `<span class="ok">${t("covered")}</span>` : `<span class="bad">${t("gap")}</span>`);
  const roles = cov.roles.map((r) => {
    const a = afterRoles.get(r.role);
    return `<tr data-role="${esc(r.role)}"><th scope="row">${esc(te(r.role))}</th>
      <td>${mark(r.covered)}${a && a.covered !== r.covered ? ` → ${mark(a.covered)}` : ""}</td>
      <td class="num">${r.reach === null ? "–" : num(r.reach, 2)}</td>
      <td class="wrap">${esc(r.holders.join(t(", ")) || t("nobody"))}</td></tr>`;
  }).join("");
  const levels = cov.levels.map((l) => {
    const a = afterLevels.get(l.level);
    return `<tr data-level="${esc(l.level)}"><th scope="row">${esc(te(l.level))}</th>
      <td>${mark(l.covered)}${a && a.covered !== l.covered ? ` → ${mark(a.covered)}` : ""}</td>
      <td class="num">${l.strength === null ? "–" : num(l.strength, 2)}</td></tr>`;
  }).join("");
  return `<h2>${t("Coverage per role")}</h2>
    <table class="cov-table" data-testid="coverage-roles"><colgroup><col style="width:31%"><col style="width:27%"><col style="width:15%"><col></colgroup>
    <thead><tr><th scope="col">${t("Role")}</th><th scope="col">${t("Status")}</th>
    <th scope="col" class="num">${t("Reach")}</th><th scope="col">${t("Holders")}</th></tr></thead><tbody>${roles || `<tr><td colspan="4" class="muted">${t("No required roles.")}</td></tr>`}</tbody></table>
    <h2>${t("Coverage per level")}</h2>
    <table class="cov-table" data-testid="coverage-levels"><thead><tr><th scope="col">${t("Level")}</th><th scope="col">${t("Status")}</th>
    <th scope="col" class="num">${t("Best tie")}</th></tr></thead><tbody>${levels}</tbody></table>`;
}

function evidenceHtml(tie, names) {
  if (!tie) return `<p class="muted">${t("Hover, focus or select a tie on the map to see its evidence.")}</p>`;
  const shown = [...tie.evidence].sort((x, y) => String(y.at).localeCompare(String(x.at))).slice(0, 12);
  const more = tie.evidence.length - shown.length;
  const rows = shown.map((e) => `<tr><td>${esc(day(e.at))}</td><td>${esc(te(e.kind))}</td>
    <td class="num">${num(e.ageDays)}</td><td class="num">${num(e.weight, 1)}</td><td class="num">${num(e.contribution, 3)}</td></tr>`).join("");
  return `<p><strong>${esc(names.get(tie.staffId) ?? tie.staffId)}</strong> – <strong>${esc(names.get(tie.contactId) ?? tie.contactId)}</strong><br>
    ${t("strength {value}", { value: `<strong data-testid="tie-strength">${num(tie.strength, 2)}</strong>` })}${tie.band ? ` (${esc(te(tie.band))})` : ""}
    ${tie.raw !== null ? ` · ${t("raw {value}", { value: num(tie.raw, 2) })}` : ""}${tie.assessed ? ` · ${esc(t("assessed {level}", { level: te(tie.assessed) }))}` : ""}
    ${tie.cold ? ` · <span class="bad">${t("going cold")}</span>` : ""}${tie.interactions !== null ? ` · ${t("{n} interaction(s)", { n: num(tie.interactions) })}` : ""}
    ${tie.lastAt ? ` · ${esc(t("last {day}", { day: day(tie.lastAt) }))}` : ""}</p>
    ${rows ? `<div class="table-wrap"><table><caption class="sr-only">${t("Interactions behind the tie")}</caption><thead><tr><th scope="col">${t("Date")}</th><th scope="col">${t("Kind")}</th>
    <th scope="col" class="num">${t("Age (days)")}</th><th scope="col" class="num">${t("Weight")}</th><th scope="col" class="num">${t("Contribution")}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>${more > 0 ? `<p class="muted">${t("and {n} more", { n: more })}</p>` : ""}
    ${tie.interactions > tie.evidence.length ? `<p class="muted">${t("The strongest contributions are listed.")}</p>` : ""}`
    : tie.detailed
      ? `<p class="muted">${tie.floor ? t("No interactions: the strength is the floor of the assessment ({floor}).", { floor: num(tie.floor, 2) }) : t("No interactions.")}</p>`
      : `<p class="muted">${t("Interaction details are listed for the 100 strongest ties of the account.")}</p>`}`;
}

/** The evidence of a link between two of their people (a tie, a reporting or an influence line). */
function linkEvidenceHtml(link, names) {
  const a = esc(names.get(link.a) ?? link.a);
  const b = esc(names.get(link.b) ?? link.b);
  const dates = `${link.since ? esc(t(" since {day}", { day: day(link.since) })) : ""}${link.until ? esc(t(", until {day}", { day: day(link.until) })) : ""}`;
  const strength = `<strong data-testid="link-strength">${num(link.strength, 2)}</strong>`;
  if (link.kind === "reports_to") {
    return `<p data-testid="link-evidence" data-kind="reports_to">${t("{a} reports to {b}", { a: `<strong>${a}</strong>`, b: `<strong>${b}</strong>` })}${dates}${t(".")}<br>
      ${t("A reporting line counts {strength} in reach and threads: a manager can introduce us to a report, and a report to their manager.", { strength })}</p>`;
  }
  if (link.kind === "influences") {
    return `<p data-testid="link-evidence" data-kind="influences">${t("{a} influences {b}", { a: `<strong>${a}</strong>`, b: `<strong>${b}</strong>` })}${dates}${t(".")}<br>
      ${t("The influence line counts its weight {strength} in reach and threads.", { strength })}</p>`;
  }
  const shown = [...link.evidence].sort((x, y) => String(y.at).localeCompare(String(x.at))).slice(0, 12);
  const rows = shown.map((e) => `<tr><td>${esc(day(e.at))}</td><td>${esc(te(e.kind))}</td>
    <td class="num">${num(e.ageDays)}</td><td class="num">${num(e.weight, 1)}</td><td class="num">${num(e.contribution, 3)}</td></tr>`).join("");
  return `<p data-testid="link-evidence" data-kind="tie"><strong>${a}</strong> – <strong>${b}</strong> ${t("(both their people)")}<br>
    ${t("tie from shared interactions: strength {strength}", { strength })}${link.band ? ` (${esc(te(link.band))})` : ""}
    ${link.cold ? ` · <span class="bad">${t("going cold")}</span>` : ""}${link.interactions !== null ? ` · ${t("{n} interaction(s)", { n: num(link.interactions) })}` : ""}
    ${link.lastAt ? ` · ${esc(t("last {day}", { day: day(link.lastAt) }))}` : ""}</p>
    ${rows ? `<div class="table-wrap"><table><caption class="sr-only">${t("Interactions behind the tie")}</caption><thead><tr><th scope="col">${t("Date")}</th><th scope="col">${t("Kind")}</th>
    <th scope="col" class="num">${t("Age (days)")}</th><th scope="col" class="num">${t("Weight")}</th><th scope="col" class="num">${t("Contribution")}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>` : `<p class="muted">${t("Interaction details are listed for the 100 strongest ties between their people.")}</p>`}`;
}


/** The changes of the account's map between two days, per subject. */
function diffHtml(d, names) {
  const name = (key) => key.split("|").map((k) => esc(names.get(k) ?? humanise(k))).join(" – ");
  const shown = (v) => {
    if (v === null || v === undefined) return "–";
    if (typeof v === "number") return num(v, Number.isInteger(v) ? 0 : 2);
    if (typeof v === "boolean") return v ? t("yes") : t("no");
    if (Array.isArray(v)) return esc(v.map((x) => names.get(x) ?? te(x)).join(t(", ")) || t("none"));
    return esc(names.get(v) ?? te(v));
  };
  const section = (title, rows, subject) => `<h3>${t(title)} <span class="muted">(${rows.length})</span></h3>
    ${rows.length ? `<ul class="plain diff-list" data-subject="${subject}">${rows.map((c) => `<li data-change="${esc(c.change)}" data-key="${esc(c.key)}">
      <span class="badge change ${esc(c.change)}">${esc(te(c.change))}</span> ${name(c.key)}
      ${c.fields.length ? `<span class="muted">${c.fields.map((f) => `${esc(te(f))} ${shown(c.before?.[f])} → ${shown(c.after?.[f])}`).join(t("; "))}</span>` : ""}</li>`).join("")}</ul>` : `<p class="muted">${t("No change.")}</p>`}`;
  return `<p data-testid="diff-summary">${t("{n} change(s) from {from} to {to}", { n: `<strong>${num(d.changes)}</strong>`, from: esc(day(d.from)), to: esc(day(d.to)) })}
    ${d.coverageBefore !== null ? ` · ${t("coverage {before} → {after}", { before: num(d.coverageBefore, 1), after: num(d.coverageAfter, 1) })}` : ""}</p>
    ${section("People", d.people, "people")}${section("Coverage per required role", d.coverage, "coverage")}
    ${section("Roles held", d.roles, "roles")}${section("Ties", d.ties, "ties")}${section("Reporting and influence lines", d.lines, "lines")}`;
}

export const accountView = {
  nav: "accounts",
  async render(root, { params, viewer }) {
    const id = params[0];
    const st = { asOf: sessionStorage.getItem("kamgraph.asOf") || referenceDay(), removed: new Set(), tie: null, account: null, whatIf: null, seq: 0 };

    const fetchAccount = async () => {
      const data = await gql(ACCOUNT, { id, asOf: st.asOf });
      return normaliseAccount(unwrap(data.account, "Account", t("Account {id} does not exist or is not visible to you.", { id })));
    };
    st.account = await fetchAccount();
    document.title = `${st.account.name} · kamgraph`;

    root.innerHTML = `
      <h1 id="account-title">${esc(st.account.name)} <span class="muted" style="font-size:.9rem">${esc(te(st.account.tier))}
        · ${t("revenue {value}", { value: `<span data-testid="account-revenue">${money(st.account.revenue)}</span>` })}</span></h1>
      <div class="toolbar">
        <div class="field"><label for="as-of">${t("As of")}</label><input id="as-of" type="date" value="${esc(st.asOf)}" max="${latestDay()}"></div>
        <button class="btn secondary" type="button" id="as-of-back-q">${t("3 months back")}</button>
        <button class="btn secondary" type="button" id="as-of-back-y">${t("1 year back")}</button>
        <button class="btn secondary" type="button" id="as-of-today">${t("Today")}</button>
        <a class="btn-link" href="#/account/${encodeURIComponent(id)}/referrals">${t("Referral network")}</a>
      </div>
      <div id="kpis" class="kpis" aria-live="polite"></div>
      <div class="account-grid">
        <section aria-labelledby="map-title">
          <div class="row" style="justify-content:space-between">
            <h2 id="map-title">${t("Relationship map")} <span class="muted" id="map-date" style="font-weight:400"></span></h2>
            <div class="field"><label for="zoom">${t("Zoom")}</label>
              <select id="zoom"><option value="1">${pct(1)}</option><option value="0.75">${pct(0.75)}</option>
              <option value="0.5">${pct(0.5)}</option><option value="fit">${t("fit to width")}</option></select></div>
          </div>
          <div class="row"><label><input type="checkbox" id="contact-links" checked data-testid="contact-links-toggle">
            ${t("Show links between their people (ties, reporting and influence lines)")}</label></div>
          <div id="map" class="map-wrap"></div>
          ${legendHtml()}
          <p id="former" class="muted"></p>
          <section class="panel" aria-labelledby="person-title" id="person-panel" hidden>
            <h2 id="person-title">${t("Person")}</h2><div id="person"></div>
          </section>
          <section class="panel evidence" aria-labelledby="ev-title" id="evidence-panel">
            <h2 id="ev-title">${t("Tie evidence")}</h2><div id="evidence" data-testid="tie-evidence"></div>
          </section>
          <section class="panel" aria-labelledby="diff-title" id="diff-panel">
            <h2 id="diff-title">${t("Changes since")}</h2>
            <div class="row"><div class="field"><label for="diff-from">${t("Compare with")}</label><input id="diff-from" type="date"></div>
              <button class="btn secondary" type="button" id="diff-run">${t("Show changes")}</button></div>
            <div id="diff" data-testid="account-diff" aria-live="polite"></div>
          </section>
        </section>
        <aside>
          <section class="panel" aria-labelledby="hl-title" id="health-panel" data-testid="health-panel"></section>
          <section class="panel" aria-labelledby="na-title">
            <h2 id="na-title">${t("Recommended next meetings")}</h2>
            <p class="muted">${t("Each adds a tie of ours (a few good meetings) and is valued on top of the ones above it: coverage brought in, revenue at risk taken away, levels and threads added.")}</p>
            <ol class="next-actions" id="next-actions" data-testid="next-actions" aria-live="polite"></ol>
          </section>
          <section class="panel" aria-labelledby="pl-title" id="plan-panel">
            <h2 id="pl-title">${t("Account plan")}</h2>
            <div id="plan-goals" class="muted"></div>
            <ol class="plain plan-actions" id="plan-actions" data-testid="plan-actions" aria-live="polite"></ol>
            <form id="goals-form" class="stack" hidden data-testid="goals-form">
              <div class="field"><label for="goal-target">${t("Target coverage")}</label>
                <input id="goal-target" type="number" min="0" max="100" step="1" style="width:5rem"></div>
              <div class="field"><label for="goal-summary">${t("Goal")}</label><input id="goal-summary" maxlength="2000"></div>
              <button class="btn secondary" type="submit">${t("Save goals")}</button>
            </form>
            <form id="plan-form" class="stack" hidden data-testid="plan-form">
              <div class="field"><label for="plan-title">${t("Action")}</label><input id="plan-title" maxlength="300" required></div>
              <div class="field"><label for="plan-due">${t("Due")}</label><input id="plan-due" type="date"></div>
              <button class="btn secondary" type="submit">${t("Add action")}</button>
            </form>
            <p id="plan-status" role="status" aria-live="polite"></p>
          </section>
          <section class="panel" aria-labelledby="jr-title" id="journal-panel">
            <h2 id="jr-title">${t("Log and notes")}</h2>
            <form id="log-form" class="stack" hidden data-testid="log-form">
              <div class="field"><label for="log-kind">${t("Log a")}</label>
                <select id="log-kind"><option value="MEETING">${te("meeting")}</option><option value="CALL">${te("call")}</option>
                <option value="EMAIL">${t("e-mail")}</option><option value="EXEC_VISIT">${te("exec_visit")}</option></select></div>
              <div class="field"><label for="log-staff">${t("Ours")}</label><select id="log-staff"></select></div>
              <div class="field"><label for="log-contact">${t("With")}</label><select id="log-contact"></select></div>
              <div class="field"><label for="log-day">${t("On")}</label><input id="log-day" type="date" required></div>
              <div class="field"><label for="log-subject">${t("Subject")}</label><input id="log-subject" maxlength="200"></div>
              <button class="btn" type="submit">${t("Log it")}</button>
            </form>
            <form id="rate-form" class="stack" hidden data-testid="rate-form">
              <div class="field"><label for="rate-contact">${t("Rate my tie with")}</label><select id="rate-contact"></select></div>
              <div class="field"><label for="rate-level">${t("as")}</label>
                <select id="rate-level">${["VENDOR", "CREDIBLE_SOURCE", "PROBLEM_SOLVER", "TRUSTED_ADVISOR"].map((l) => `<option value="${l}">${te(l.toLowerCase())}</option>`).join("")}</select></div>
              <button class="btn secondary" type="submit">${t("Rate")}</button>
            </form>
            <form id="note-form" class="stack" hidden data-testid="note-form">
              <div class="field"><label for="note-text">${t("Note")}</label><textarea id="note-text" rows="2" maxlength="4000" required></textarea></div>
              <button class="btn secondary" type="submit">${t("Add note")}</button>
            </form>
            <p id="journal-status" role="status" aria-live="polite"></p>
            <ol class="plain journal" id="journal" data-testid="journal"></ol>
          </section>
          <section class="panel" aria-labelledby="wi-title">
            <h2 id="wi-title">${t("What-if: remove people")}</h2>
            <p class="muted">${t("Tick people (ours or theirs) to see coverage, threads and revenue at risk without them.")}</p>
            <fieldset style="border:none;padding:0;margin:0"><legend class="sr-only">${t("People to remove")}</legend>
              <ul class="whatif-list" id="whatif-list"></ul></fieldset>
            <p><button class="btn secondary" type="button" id="whatif-reset">${t("Reset what-if")}</button></p>
            <p id="whatif-status" class="muted" role="status"></p>
          </section>
          <section class="panel" id="coverage"></section>
        </aside>
      </div>`;

    const mapEl = root.querySelector("#map");
    const names = () => st.account.names;

    const renderKpis = () => {
      const a = st.account;
      const w = st.whatIf;
      root.querySelector("#kpis").innerHTML = [
        `<div class="kpi"><div class="v">${band(a.healthBand)} <span data-testid="health-score">${num(a.healthScore)}</span></div><div class="l">${t("Health")}</div></div>`,
        kpi({ label: t("Coverage score"), value: a.coverage.score, after: w?.coverageScore, show: (v) => num(v), testid: "coverage-score" }),
        kpi({ label: t("Threads"), value: a.threads, after: w?.threads, show: (v) => num(v), testid: "threads" }),
        kpi({
          label: a.exposed ? t("Revenue at risk · exposed: no role covered") : t("Revenue at risk"), value: a.revenueAtRisk, after: w?.revenueAtRisk, show: money,
          testid: "revenue-at-risk", better: "lower", afterNote: esc(t(" lost")),
        }),
        `<div class="kpi"><div class="v" style="font-size:1rem" data-testid="spoc-names">${esc(a.spocNames.join(t(", ")) || t("none"))}</div>
          <div class="l">${t("Single point of contact")}</div></div>`,
        `<div class="kpi"><div class="v" style="font-size:1rem" data-testid="last-exec">${esc(day(a.lastExec))}</div><div class="l">${t("Last exec interaction")}</div></div>`,
      ].join("");
    };

    const renderMap = () => {
      root.querySelector("#map-date").textContent = t("as of {day}", { day: day(st.asOf) });
      drawMap(mapEl, st.account.map, {
        removed: st.removed,
        selectedTie: st.tie?.id,
        onTie: (tie) => {
          st.tie = tie;
          root.querySelector("#evidence").innerHTML = evidenceHtml(tie, names());
          for (const p of mapEl.querySelectorAll("path.tie.selected")) p.classList.remove("selected");
          mapEl.querySelector(`g[data-tie="${CSS.escape(tie.id)}"] path.tie:not(.hit)`)?.classList.add("selected");
        },
        onPerson: (p) => showPerson(p.id),
        showContactLinks: root.querySelector("#contact-links").checked,
        onLink: (link) => {
          st.tie = null;
          root.querySelector("#evidence").innerHTML = linkEvidenceHtml(link, names());
          for (const g of mapEl.querySelectorAll(".link-group.selected")) g.classList.remove("selected");
          mapEl.querySelector(`g[data-link="${CSS.escape(link.id)}"]`)?.classList.add("selected");
        },
      });
      mapEl.dataset.asOf = st.asOf;
      const former = st.account.former;
      root.querySelector("#former").innerHTML = former.length
        ? t("Left the account: {people}.", { people: former.map((c) => `${esc(c.name)}${c.title ? ` (${esc(c.title)})` : ""}${c.until ? esc(t(" on {day}", { day: day(c.until) })) : ""}`).join(t("; ")) })
        : "";
      applyZoom();
      root.querySelector("#evidence").innerHTML = evidenceHtml(st.tie, names());
    };

    const showPerson = (pid) => {
      const all = [...st.account.map.staff.map((p) => ({ ...p, side: "ours" })), ...st.account.map.contacts.map((p) => ({ ...p, side: "theirs" }))];
      const p = all.find((x) => x.id === pid);
      const panel = root.querySelector("#person-panel");
      if (!p) {
        panel.hidden = true;
        return;
      }
      const ties = st.account.map.ties.filter((t) => t.staffId === pid || t.contactId === pid)
        .sort((x, y) => y.strength - x.strength);
      const removed = st.removed.has(pid);
      panel.hidden = false;
      root.querySelector("#person").innerHTML = `
        <p><strong>${esc(p.name)}</strong> <span class="muted">${p.side === "ours" ? t("our team") : t("their side")}</span><br>
        ${esc(p.title ?? "")}${p.side === "ours" ? ` · ${esc(p.teamRole ? te(p.teamRole) : t("not on the team"))}` : ` · ${esc(p.level ? te(p.level) : t("level unknown"))} · ${esc(te(p.stance))}`}
        ${p.roles?.length ? `<br>${p.roles.map((r) => `<span class="badge">${esc(te(r))}</span>`).join("")}` : ""}
        ${p.spoc ? `<br><span class="badge spoc">${t("single point of contact")}</span>` : ""}${p.cut ? ` <span class="badge cut">${t("cut vertex")}</span>` : ""}</p>
        <p>${ties.length ? t("Ties: {list}", { list: ties.map((x) => `${esc(names().get(p.side === "ours" ? x.contactId : x.staffId))} ${num(x.strength, 2)}`).join(t(", ")) }) : t("No direct ties with the other side.")}</p>
        <p class="row"><button class="btn secondary" type="button" id="person-remove">${removed ? t("Put back (what-if)") : t("Remove in what-if")}</button>
        ${p.side === "theirs" ? `<a href="#/paths/${encodeURIComponent(p.id)}">${esc(t("Warm paths to {name}", { name: p.name }))}</a>` : ""}</p>`;
      root.querySelector("#person-remove").addEventListener("click", () => {
        toggleRemoved(pid);
        showPerson(pid);
      });
    };

    const applyZoom = () => {
      const svg = mapEl.querySelector("svg");
      if (!svg) return;
      const zoom = root.querySelector("#zoom").value;
      const w = Number(svg.getAttribute("width"));
      const h = Number(svg.getAttribute("height"));
      const k = zoom === "fit" ? Math.min(1, (mapEl.clientWidth - 2) / w) : Number(zoom);
      svg.style.width = `${Math.round(w * k)}px`;
      svg.style.height = `${Math.round(h * k)}px`;
    };

    const renderWhatIfList = () => {
      const people = [
        ...st.account.map.staff.map((p) => ({ ...p, side: "ours" })),
        ...st.account.map.contacts.map((p) => ({ ...p, side: "theirs" })),
      ];
      root.querySelector("#whatif-list").innerHTML = people.map((p) => `<li><label>
        <input type="checkbox" data-remove="${esc(p.id)}" ${st.removed.has(p.id) ? "checked" : ""}>
        ${esc(p.name)} <span class="muted">(${te(p.side === "ours" ? "ours" : "theirs")}${p.spoc ? `${t(", ")}${t("single point of contact")}` : ""})</span></label></li>`).join("");
      for (const box of root.querySelectorAll("#whatif-list input")) {
        box.addEventListener("change", () => toggleRemoved(box.dataset.remove, box.checked));
      }
    };

    const renderHealth = () => {
      const a = st.account;
      const h = a.health;
      const rows = h.components.map((c) => `<tr data-component="${esc(c.name)}"><th scope="row">${esc(te(c.name))}</th>
        <td class="num">${num(c.score * 100, 1)}</td><td class="num">${num(c.weight, 2)}</td></tr>`).join("");
      const facts = [];
      if (h.renewal?.end) {
        facts.push(h.renewal.secured
          ? t("Contract renews {day}: secured.", { day: day(h.renewal.end) })
          : t("Contract renews {day}, in {n} days: not secured.", { day: day(h.renewal.end), n: num(h.renewal.days_left) }));
      }
      if (h.satisfaction?.nps !== undefined) {
        facts.push(t("NPS {nps} from {n} answers.", { nps: num(h.satisfaction.nps), n: num(h.satisfaction.nps_responses) }));
      }
      if (h.usage?.adoption !== undefined) facts.push(t("Adoption {share} of seats.", { share: pct(h.usage.adoption) }));
      if (h.service) facts.push(t("{open} open support case(s), {complaints} complaint(s) in the window.", { open: num(h.service.open_cases), complaints: num(h.service.complaints) }));
      root.querySelector("#health-panel").innerHTML = `
        <h2 id="hl-title">${t("Health")} ${band(a.healthBand)} ${num(a.healthScore)}</h2>
        <p class="muted">${t("Relationship alone: {score} ({band}).", { score: num(h.relationshipScore), band: te(h.relationshipBand) })}</p>
        <table class="cov-table" data-testid="health-components"><thead><tr><th scope="col">${t("Component")}</th>
          <th scope="col" class="num">${t("Score")}</th><th scope="col" class="num">${t("Weight")}</th></tr></thead><tbody>${rows}</tbody></table>
        ${h.missing.length ? `<p class="muted" data-testid="health-missing">${t("Not scored (no data, not counted as zero):")}</p>
          <ul class="plain">${h.missing.map((m) => `<li data-missing="${esc(m.name)}"><strong>${esc(te(m.name))}</strong>: ${esc(m.reason)}</li>`).join("")}</ul>` : ""}
        ${facts.length ? `<ul class="plain" data-testid="health-facts">${facts.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>` : ""}`;
    };

    const renderCoverage = () => {
      root.querySelector("#coverage").innerHTML = coverageTables(st.account.coverage, st.whatIf?.coverage);
    };

    const runWhatIf = async () => {
      const seq = ++st.seq;
      const status = root.querySelector("#whatif-status");
      if (!st.removed.size) {
        st.whatIf = null;
        status.textContent = "";
      } else {
        status.textContent = t("Computing…");
        try {
          const data = await gql(WHAT_IF, { accountId: id, remove: [...st.removed], asOf: st.asOf });
          if (seq !== st.seq) return;
          st.whatIf = normaliseWhatIf(unwrap(data.whatIf, "WhatIf"), st.account.names);
          status.textContent = st.removed.size === 1 ? t("Without 1 person.") : t("Without {n} people.", { n: st.removed.size });
          announce(t("What-if: coverage {coverage}, threads {threads}", { coverage: num(st.whatIf.coverageScore), threads: num(st.whatIf.threads) }));
        } catch (err) {
          if (seq !== st.seq) return;
          status.innerHTML = `<span class="error">${esc(err.message)}</span>`;
          return;
        }
      }
      renderKpis();
      renderCoverage();
      renderMap();
    };

    const toggleRemoved = (pid, on = !st.removed.has(pid)) => {
      if (on) st.removed.add(pid);
      else st.removed.delete(pid);
      const box = root.querySelector(`#whatif-list input[data-remove="${CSS.escape(pid)}"]`);
      if (box) box.checked = on;
      renderMap();
      runWhatIf();
    };

    const travel = async (date) => {
      st.asOf = date;
      sessionStorage.setItem("kamgraph.asOf", date);
      root.querySelector("#as-of").value = date;
      root.querySelector("#map-date").textContent = t("loading as of {day}…", { day: day(date) });
      mapEl.setAttribute("aria-busy", "true");
      try {
        st.account = await fetchAccount();
      } catch (err) {
        mapEl.removeAttribute("aria-busy");
        root.querySelector("#whatif-status").innerHTML = `<span class="error">${esc(err.message)}</span>`;
        return;
      }
      st.tie = null;
      mapEl.removeAttribute("aria-busy");
      root.querySelector("#person-panel").hidden = true;
      renderKpis();
      renderCoverage();
      renderWhatIfList();
      renderMap();
      renderActions();
      await runWhatIf();
      announce(t("Map redrawn as of {day}", { day: day(date) }));
    };

    root.querySelector("#as-of").addEventListener("change", (ev) => {
      if (ev.target.value) travel(ev.target.value);
    });
    root.querySelector("#as-of-today").addEventListener("click", () => travel(today()));
    const back = (days) => {
      const d = new Date(`${st.asOf}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() - days);
      travel(d.toISOString().slice(0, 10));
    };
    root.querySelector("#as-of-back-q").addEventListener("click", () => back(91));
    root.querySelector("#as-of-back-y").addEventListener("click", () => back(365));
    root.querySelector("#zoom").addEventListener("change", applyZoom);
    root.querySelector("#contact-links").addEventListener("change", renderMap);
    const diffFrom = root.querySelector("#diff-from");
    const runDiff = async () => {
      const out = root.querySelector("#diff");
      if (!diffFrom.value) return;
      out.innerHTML = `<p class="loading" role="status">${esc(t("Comparing {from} with {to}…", { from: day(diffFrom.value), to: day(st.asOf) }))}</p>`;
      try {
        const data = await gql(ACCOUNT_DIFF, { id, from: diffFrom.value, to: st.asOf });
        const d = normaliseAccountDiff(unwrap(data.accountDiff, "AccountDiff"));
        out.innerHTML = diffHtml(d, names());
      } catch (err) {
        out.innerHTML = `<p class="error">${esc(err.message)}</p>`;
      }
    };
    const back91 = (date) => {
      const d = new Date(`${date}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 91);
      return d.toISOString().slice(0, 10);
    };
    diffFrom.value = back91(st.asOf);
    diffFrom.max = st.asOf;
    root.querySelector("#diff-run").addEventListener("click", runDiff);
    root.querySelector("#whatif-reset").addEventListener("click", () => {
      st.removed.clear();
      renderWhatIfList();
      runWhatIf();
    });

    const writer = Boolean(viewer && (viewer.role === "admin" || viewer.role === "account_manager"));
    const renderActions = async () => {
      const list = root.querySelector("#next-actions");
      list.innerHTML = `<li class="loading" role="status">${t("Weighing the meetings that would help most…")}</li>`;
      try {
        const data = await gql(NEXT_ACTIONS, { id, asOf: st.asOf });
        const actions = normaliseActions(unwrap(data.account, "Account").recommendedActions, names());
        list.innerHTML = actions.length
          ? actions.map((a) => `<li data-staff="${esc(a.staffId)}" data-contact="${esc(a.contactId)}">
              ${t("{staff} meets {contact}", { staff: `<strong>${esc(a.staff)}</strong>`, contact: `<strong>${esc(a.contact)}</strong>` })}${a.introducer ? ` <span class="muted">${esc(t("({name} can introduce)", { name: a.introducer }))}</span>` : ""}
              <div>${t("coverage {before} → {after} · value {value}", { before: num(a.coverageBefore), after: num(a.coverageAfter), value: money(a.value) })}${a.threadsAfter > a.threadsBefore ? ` · ${t("threads {before} → {after}", { before: num(a.threadsBefore), after: num(a.threadsAfter) })}` : ""}</div>
              <div class="muted" lang="en">${esc(a.evidence.filter((e) => !e.endsWith("can introduce")).join("; "))}</div>
              ${writer ? `<button class="btn secondary" type="button" data-plan-add="${esc(a.staffId)}|${esc(a.contactId)}">${t("Add to plan")}</button>` : ""}</li>`).join("")
          : `<li class="muted">${t("Nothing to add: every role and level is covered by strong ties.")}</li>`;
      } catch (err) {
        list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    };

    const status = root.querySelector("#journal-status");
    const renderPlan = async () => {
      const list = root.querySelector("#plan-actions");
      try {
        const data = await gql(PLAN, { id, asOf: st.asOf });
        const plan = unwrap(data.account, "Account").plan;
        const goals = root.querySelector("#plan-goals");
        goals.innerHTML = plan && (plan.targetCoverage !== null || plan.summary)
          ? `${plan.summary ? `${esc(plan.summary)} · ` : ""}${plan.targetCoverage !== null ? t("coverage {value} of a target {target}", { value: num(plan.coverage), target: num(plan.targetCoverage) }) : t("coverage {value}", { value: num(plan.coverage) })}`
          : t("No goals set yet.");
        const actions = plan?.actions ?? [];
        list.innerHTML = actions.length
          ? actions.map((a) => `<li data-action="${esc(a.id)}" data-status="${esc(a.status.toLowerCase())}">
              <strong>${esc(a.title)}</strong> <span class="muted">${esc(names().get(a.ownerId) ?? a.ownerId)}${a.due ? ` · ${esc(t("due {day}", { day: day(a.due) }))}` : ""}${a.overdue ? ` · <span class="error">${t("overdue")}</span>` : ""}</span>
              ${writer ? `<label class="sr-only" for="st-${esc(a.id)}">${esc(t("Status of {title}", { title: a.title }))}</label>
                <select id="st-${esc(a.id)}" data-plan-status="${esc(a.id)}">${["OPEN", "DONE", "DROPPED"].map((s) => `<option value="${s}"${s === a.status ? " selected" : ""}>${esc(te(s))}</option>`).join("")}</select>` : `<span class="badge">${esc(te(a.status))}</span>`}</li>`).join("")
          : `<li class="muted">${writer ? t("No actions yet: add the recommended meetings above.") : t("No actions yet.")}</li>`;
      } catch (err) {
        list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    };
    if (writer) {
      const goalsForm = root.querySelector("#goals-form");
      const planForm = root.querySelector("#plan-form");
      const planStatus = root.querySelector("#plan-status");
      goalsForm.hidden = false;
      planForm.hidden = viewer.role !== "account_manager" && !viewer.staffId;
      goalsForm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const raw = root.querySelector("#goal-target").value;
        try {
          const r = (await gql(SET_PLAN_GOALS, {
            id, target: raw === "" ? null : Number(raw), summary: root.querySelector("#goal-summary").value || null,
          })).setAccountPlan;
          if (r.__typename !== "AccountPlan") throw new Error(r.message);
          planStatus.textContent = t("Goals saved.");
          renderPlan();
          renderJournal();
        } catch (err) {
          planStatus.innerHTML = `<span class="error">${esc(err.message)}</span>`;
        }
      });
      planForm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          const r = (await gql(ADD_PLAN_ACTION, {
            id, title: root.querySelector("#plan-title").value, owner: viewer.staffId, contact: null,
            due: root.querySelector("#plan-due").value || null, recommended: false,
          })).addPlanAction;
          if (r.__typename !== "PlanAction") throw new Error(r.message);
          root.querySelector("#plan-title").value = "";
          planStatus.textContent = t("Action added.");
          renderPlan();
          renderJournal();
        } catch (err) {
          planStatus.innerHTML = `<span class="error">${esc(err.message)}</span>`;
        }
      });
    }
    root.querySelector("#plan-actions").addEventListener("change", async (ev) => {
      const actionId = ev.target?.dataset?.planStatus;
      if (!actionId) return;
      const planStatus = root.querySelector("#plan-status");
      try {
        const r = (await gql(UPDATE_PLAN_ACTION, { id: actionId, status: ev.target.value })).updatePlanAction;
        if (r.__typename !== "PlanAction") throw new Error(r.message);
        planStatus.textContent = t("Marked {status}.", { status: te(r.status) });
        renderPlan();
        renderJournal();
      } catch (err) {
        planStatus.innerHTML = `<span class="error">${esc(err.message)}</span>`;
      }
    });
    root.querySelector("#next-actions").addEventListener("click", async (ev) => {
      const pair = ev.target?.dataset?.planAdd;
      if (!pair) return;
      const [staffId, contactId] = pair.split("|");
      const planStatus = root.querySelector("#plan-status");
      const due = new Date(`${st.asOf}T12:00:00Z`);
      due.setUTCDate(due.getUTCDate() + 30);
      try {
        const title = t("Meet {name}", { name: names().get(contactId) ?? contactId });
        const r = (await gql(ADD_PLAN_ACTION, {
          id, title, owner: staffId, contact: contactId, due: due.toISOString().slice(0, 10), recommended: true,
        })).addPlanAction;
        if (r.__typename !== "PlanAction") throw new Error(r.message);
        planStatus.textContent = t("Added \"{title}\" to the plan.", { title });
        ev.target.disabled = true;
        renderPlan();
        renderJournal();
      } catch (err) {
        planStatus.innerHTML = `<span class="error">${esc(err.message)}</span>`;
      }
    });
    const renderJournal = async () => {
      const list = root.querySelector("#journal");
      try {
        const data = await gql(JOURNAL, { id });
        const acc = unwrap(data.account, "Account");
        const entries = [...acc.notes, ...acc.auditTrail].sort((a, b) => (a.at < b.at ? 1 : -1));
        list.innerHTML = entries.length
          ? entries.map((e) => `<li data-kind="${esc(String(e.kind).toLowerCase())}"><span class="muted">${esc(moment(e.at))}
              · ${esc(names().get(e.staffId) ?? e.actor ?? e.role)}</span>
              ${e.kind === "NOTE" ? esc(e.detail?.text ?? "") : esc(describeWrite(e, names()))}</li>`).join("")
          : `<li class="muted">${t("Nothing logged yet.")}</li>`;
      } catch (err) {
        list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
      }
    };
    if (writer) {
      const logForm = root.querySelector("#log-form");
      const staffSel = root.querySelector("#log-staff");
      const mapStaff = st.account.map.staff ?? [];
      const ours = viewer.role === "account_manager" ? mapStaff.filter((s) => s.id === viewer.staffId) : mapStaff;
      const ourOptions = ours.length ? ours : viewer.staffId ? [{ id: viewer.staffId, name: t("you") }] : [];
      staffSel.innerHTML = ourOptions.map((s) => `<option value="${esc(s.id)}">${esc(s.name ?? s.id)}</option>`).join("");
      root.querySelector("#log-contact").innerHTML = (st.account.map.contacts ?? [])
        .map((c) => `<option value="${esc(c.id)}">${esc(c.name)}${c.title ? ` (${esc(c.title)})` : ""}</option>`).join("");
      root.querySelector("#log-day").value = st.asOf;
      logForm.hidden = false;
      root.querySelector("#note-form").hidden = false;
      const rateForm = root.querySelector("#rate-form");
      if (viewer.staffId) {
        root.querySelector("#rate-contact").innerHTML = root.querySelector("#log-contact").innerHTML;
        rateForm.hidden = false;
        rateForm.addEventListener("submit", async (ev) => {
          ev.preventDefault();
          const input = {
            staffId: viewer.staffId,
            contactId: root.querySelector("#rate-contact").value,
            level: root.querySelector("#rate-level").value,
            at: st.asOf,
          };
          try {
            const r = (await gql(ASSESS_TIE, { input })).assessTie;
            if (r.__typename !== "WriteResult") throw new Error(r.message);
            st.account = await fetchAccount();
            renderKpis();
            renderCoverage();
            renderMap();
            status.textContent = t("Rated.");
            renderJournal();
          } catch (err) {
            status.innerHTML = `<span class="error">${esc(err.message)}</span>`;
          }
        });
      }
      logForm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const dayValue = root.querySelector("#log-day").value;
        const input = {
          id: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`,
          kind: root.querySelector("#log-kind").value,
          at: `${dayValue}T12:00:00Z`,
          source: "web",
          subject: root.querySelector("#log-subject").value || null,
          participants: [staffSel.value, root.querySelector("#log-contact").value],
          accounts: [id],
        };
        status.textContent = t("Logging…");
        try {
          const r = (await gql(LOG_INTERACTION, { input })).recordInteraction;
          if (r.__typename !== "WriteResult") throw new Error(r.message);
          const before = st.account.coverage.score;
          st.account = await fetchAccount();
          renderKpis();
          renderCoverage();
          renderMap();
          status.innerHTML = t("Logged. Coverage {change}.", { change: `<span data-testid="coverage-change">${num(before)} → ${num(st.account.coverage.score)}</span>` });
          renderActions();
          renderJournal();
        } catch (err) {
          status.innerHTML = `<span class="error">${esc(err.message)}</span>`;
        }
      });
      root.querySelector("#note-form").addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const text = root.querySelector("#note-text").value;
        try {
          const r = (await gql(ADD_NOTE, { id, text })).addNote;
          if (r.__typename !== "JournalEntry") throw new Error(r.message);
          root.querySelector("#note-text").value = "";
          status.textContent = t("Note added.");
          renderJournal();
        } catch (err) {
          status.innerHTML = `<span class="error">${esc(err.message)}</span>`;
        }
      });
    }

    renderKpis();
    renderHealth();
    renderCoverage();
    renderWhatIfList();
    renderMap();
    renderActions();
    renderJournal();
    renderPlan();
    return null;
  },
};
