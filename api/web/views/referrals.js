// Referral network around an account: who referred whom, as a tree, with values and evidence.
import { gql } from "../gql.js";
import { ACCOUNT_NAMES, REFERRALS_RECEIVED, REFERRAL_NETWORK, peopleQuery } from "../queries.js";
import { normaliseReferrals } from "../model.js";
import { day, esc, money, referenceDay } from "../format.js";
import { t, te } from "../i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";

const STATUS_COLOUR = { won: "#15803d", lost: "#b91c1c", lead: "#6b7280" };

/** The network as columns by hop from the root (referrers of the root on the left). */
function networkSvg(rootId, edges, names, depth) {
  const hop = new Map([[rootId, 0]]);
  const queue = [rootId];
  while (queue.length) {
    const at = queue.shift();
    for (const e of edges) {
      if (e.source === at && !hop.has(e.target) && hop.get(at) < depth) {
        hop.set(e.target, hop.get(at) + 1);
        queue.push(e.target);
      }
    }
  }
  for (const e of edges) if (e.target === rootId && !hop.has(e.source)) hop.set(e.source, -1);
  const columns = new Map();
  for (const [id, h] of hop) {
    if (!columns.has(h)) columns.set(h, []);
    columns.get(h).push(id);
  }
  const hops = [...columns.keys()].sort((a, b) => a - b);
  const W = 190;
  const H = 58;
  const pos = new Map();
  hops.forEach((h, ci) => columns.get(h).sort().forEach((id, ri) => pos.set(id, { x: 20 + ci * (W + 60), y: 30 + ri * H })));
  const height = 40 + Math.max(...[...columns.values()].map((c) => c.length)) * H;
  const width = 40 + hops.length * (W + 60);
  const lines = edges.filter((e) => pos.has(e.source) && pos.has(e.target)).map((e) => {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    const colour = STATUS_COLOUR[e.status] ?? STATUS_COLOUR.lead;
    return `<path d="M${a.x + W},${a.y + 18} C${a.x + W + 40},${a.y + 18} ${b.x - 40},${b.y + 18} ${b.x - 6},${b.y + 18}"
      stroke="${colour}" stroke-width="2" fill="none" marker-end="url(#arrow-${esc(e.status)})"${e.status === "lead" ? ' stroke-dasharray="5 3"' : ""}>
      <title>${esc(t("{a} referred {b} ({status})", { a: names.get(e.source) ?? e.source, b: names.get(e.target) ?? e.target, status: te(e.status) }))}</title></path>`;
  }).join("");
  const boxes = [...pos].map(([id, p]) => `<g transform="translate(${p.x},${p.y})">
    <rect width="${W}" height="36" rx="6" fill="${id === rootId ? "#dbeafe" : "#fff"}" stroke="#64748b"></rect>
    <text x="10" y="23" class="small">${esc((names.get(id) ?? id).slice(0, 26))}</text></g>`).join("");
  const markers = Object.entries(STATUS_COLOUR).map(([k, c]) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5"
    markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"></path></marker>`).join("");
  return `<div class="map-wrap"><svg xmlns="${SVG_NS}" width="${width}" height="${height}" role="img" data-testid="referral-graph"
    aria-label="${esc(t("Referral network: {accounts} accounts, {referrals} referrals; green won, red lost, dashed grey lead", { accounts: hop.size, referrals: edges.length }))}">
    <defs>${markers}</defs>${lines}${boxes}</svg></div>`;
}

export const referralsView = {
  nav: "accounts",
  async render(root, { params }) {
    const id = params[0];
    const asOf = sessionStorage.getItem("kamgraph.asOf") || referenceDay();
    const depth = Number(sessionStorage.getItem("kamgraph.refDepth") || 3);
    const data = await gql(REFERRAL_NETWORK, { rootId: id, depth, asOf });
    if (!data.referralNetwork) throw new Error(t("This account does not exist or is not visible to you."));
    const net = normaliseReferrals(data.referralNetwork);
    if (!net.received.length) {
      const all = await gql(REFERRALS_RECEIVED, { asOf });
      const whole = normaliseReferrals({ edges: all.referralNetwork?.edges ?? [] });
      for (const [k, v] of whole.names) net.names.set(k, v);
      net.received = whole.edges.filter((e) => e.target === id).map((e) => ({ ...e }));
    }
    const names = net.names;
    const unnamed = [...new Set([id, ...net.received.map((r) => r.source)])].filter((a) => a && !names.has(a)).slice(0, 100);
    if (unnamed.length) {
      const named = await gql(ACCOUNT_NAMES, { ids: unnamed, first: unnamed.length });
      for (const e of named.accounts?.edges ?? []) names.set(e.node.id, e.node.name);
    }
    // referrals received by the root, drawn to its left
    const incoming = net.received.filter((r) => r.source && r.source !== id)
      .map((r) => ({ source: r.source, target: id, status: r.status, value: r.value, at: r.at, viaContact: r.viaContact }));
    const drawn = [...net.edges.filter((e) => e.target !== id), ...incoming];
    document.title = `${t("Referral network of {name}", { name: names.get(id) ?? id })} · kamgraph`;
    const contactIds = [...new Set(drawn.map((e) => e.viaContact).filter(Boolean))].slice(0, 20);
    const contactNames = new Map();
    if (contactIds.length) {
      const people = await gql(peopleQuery(contactIds), Object.fromEntries(contactIds.map((c, i) => [`p${i}`, c])));
      for (const person of Object.values(people)) if (person) contactNames.set(person.id, person.name);
    }
    const out = new Map();
    for (const e of net.edges) {
      if (!out.has(e.source)) out.set(e.source, []);
      out.get(e.source).push(e);
    }
    const seen = new Set([id]);
    const label = (acc) => (names.has(acc)
      ? `<a href="#/account/${encodeURIComponent(acc)}">${esc(names.get(acc))}</a>`
      : `<span>${esc(acc)}</span>`);
    const tree = (node, d) => {
      const kids = (out.get(node) ?? []).filter((e) => !seen.has(e.target));
      if (!kids.length || d > depth) return "";
      kids.forEach((e) => seen.add(e.target));
      return `<ul>${kids.map((e) => `<li data-referral="${esc(e.target)}">${label(e.target)}
        <span class="badge">${esc(te(e.status))}</span>${e.value ? ` ${esc(t("{value} won", { value: money(e.value) }))}` : ""}
        ${e.viaContact ? `<span class="muted">${esc(t("via {name}", { name: contactNames.get(e.viaContact) ?? e.viaContact }))}</span>` : ""}
        ${e.at ? `<span class="muted">${esc(t("on {day}", { day: day(e.at) }))}</span>` : ""}${tree(e.target, d + 1)}</li>`).join("")}</ul>`;
    };
    const received = incoming;
    const conv = net.conversion;
    root.innerHTML = `
      <h1>${esc(t("Referral network of {name}", { name: names.get(id) ?? id }))}</h1>
      <p><a href="#/account/${encodeURIComponent(id)}">${t("Back to the relationship map")}</a></p>
      <div class="toolbar"><div class="field"><label for="ref-depth">${t("Depth (hops)")}</label>
        <select id="ref-depth">${[1, 2, 3, 4, 5].map((d) => `<option ${d === depth ? "selected" : ""}>${d}</option>`).join("")}</select></div></div>
      <div class="kpis">
        <div class="kpi"><div class="v">${money(net.direct)}</div><div class="l">${t("Direct attributed revenue")}</div></div>
        <div class="kpi"><div class="v">${money(net.indirect)}</div><div class="l">${t("Indirect attributed revenue (0.5 per hop)")}</div></div>
        <div class="kpi"><div class="v">${esc(conv.won ?? 0)} / ${esc((conv.won ?? 0) + (conv.lost ?? 0) + (conv.lead ?? 0))}</div><div class="l">${t("Referrals won / made")}</div></div>
      </div>
      <section class="panel" aria-labelledby="rg-title"><h2 id="rg-title">${t("Network")}</h2>
        ${drawn.length ? networkSvg(id, drawn, names, depth) : `<p class="muted">${t("No referrals around this account.")}</p>`}
        <p class="legend"><span><i style="background:#15803d"></i>${te("won")}</span><span><i style="background:#b91c1c"></i>${te("lost")}</span>
        <span><i style="background:#6b7280"></i>${t("lead (dashed)")}</span></p></section>
      <section class="panel" aria-labelledby="rt-title"><h2 id="rt-title">${t("Referred from here")}</h2>
        <div data-testid="referral-tree">${tree(id, 1) || `<p class="muted">${t("No referrals made from this account.")}</p>`}</div></section>
      <section class="panel" aria-labelledby="rr-title"><h2 id="rr-title">${t("Referred to this account")}</h2>
        <ul class="plain">${received.map((e) => `<li>${label(e.source)} <span class="badge">${esc(te(e.status))}</span>
          ${e.value ? esc(t("{value} won", { value: money(e.value) })) : ""} ${e.viaContact ? `<span class="muted">${esc(t("via {name}", { name: contactNames.get(e.viaContact) ?? e.viaContact }))}</span>` : ""}
          ${e.at ? `<span class="muted">${esc(t("on {day}", { day: day(e.at) }))}</span>` : ""}</li>`).join("") || `<li class="muted">${t("Nobody referred this account.")}</li>`}</ul></section>`;
    root.querySelector("#ref-depth").addEventListener("change", (ev) => {
      sessionStorage.setItem("kamgraph.refDepth", ev.target.value);
      referralsView.render(root, { params });
    });
  },
};
