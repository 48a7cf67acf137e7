// Warm-path finder: search a person, list the best introductions from our people, each hop explained.
import { gql } from "../gql.js";
import { SEARCH, WARM_PATHS, peopleQuery } from "../queries.js";
import { normalisePaths } from "../model.js";
import { esc, num } from "../format.js";
import { t, te } from "../i18n.js";

export const pathsView = {
  nav: "paths",
  async render(root, { params }) {
    document.title = `${t("Warm paths")} · kamgraph`;
    root.innerHTML = `
      <h1>${t("Warm-path finder")}</h1>
      <form class="toolbar" id="find" role="search" aria-label="${t("Find a person")}">
        <div class="field"><label for="q">${t("Person to reach (name or email)")}</label><input id="q" type="search" required minlength="2"></div>
        <button class="btn" type="submit">${t("Search")}</button>
      </form>
      <ul class="plain" id="hits" aria-label="${t("Matching people")}"></ul>
      <section id="paths" aria-live="polite"></section>`;
    const show = async (personId, label) => {
      let name = label;
      const box = root.querySelector("#paths");
      box.innerHTML = `<p class="muted">${esc(t("Finding paths to {name}…", { name: name ?? personId }))}</p>`;
      try {
        const data = await gql(WARM_PATHS, { toPersonId: personId, maxHops: 4, first: 5 });
        const raw = data.warmPaths ?? [];
        const ids = [...new Set(raw.flatMap((p) => p.people ?? []))].slice(0, 20);
        const names = new Map();
        if (ids.length) {
          const vars = Object.fromEntries(ids.map((id, i) => [`p${i}`, id]));
          const people = await gql(peopleQuery(ids), vars);
          for (const person of Object.values(people)) if (person) names.set(person.id, person.name);
        }
        if (!name) name = names.get(personId);
        const paths = normalisePaths(raw, names);
        box.innerHTML = `<h2>${esc(t("Warm paths to {name}", { name: name ?? personId }))}</h2>` + (paths.length ? paths.map((p, i) => `
          <div class="panel" data-testid="warm-path"><h3>${t("Path {n}: strength {strength}", { n: i + 1, strength: num(p.strength, 2) })}</h3>
          <ol class="hops">${p.hops.map((h) => `<li><strong>${esc(h.fromName)}</strong> → <strong>${esc(h.toName)}</strong>
            <span class="badge">${esc(te(h.kind))}</span> ${t("strength {strength}", { strength: num(h.strength, 2) })}
            <div class="muted" lang="en">${esc(h.explanation)}</div></li>`).join("")}</ol></div>`).join("")
          : `<p class="muted">${t("No warm path within 4 hops.")}</p>`);
      } catch (err) {
        box.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
      }
    };
    root.querySelector("#find").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = root.querySelector("#q").value.trim();
      const list = root.querySelector("#hits");
      try {
        const data = await gql(SEARCH, { text });
        const hits = (data.search ?? []).filter((h) => String(h.kind ?? h.__typename).toLowerCase() !== "account");
        list.innerHTML = hits.map((h) => `<li><button type="button" class="link" style="color:var(--accent)" data-person="${esc(h.id)}" data-name="${esc(h.name)}">${esc(h.name)}</button>
          <span class="muted">${esc(h.detail ?? "")}</span></li>`).join("") || `<li class="muted">${t("Nobody found.")}</li>`;
        for (const b of list.querySelectorAll("button[data-person]")) {
          b.addEventListener("click", () => {
            location.hash = `#/paths/${encodeURIComponent(b.dataset.person)}`;
          });
        }
      } catch (err) {
        list.innerHTML = `<li class="error" role="alert">${esc(err.message)}</li>`;
      }
    });
    if (params[0]) await show(params[0]);
  },
};
