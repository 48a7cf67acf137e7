// Referral network around an account: who referred whom, as a tree, with values and evidence.
import { gql } from "../gql.js";
import { ACCOUNT_NAMES, REFERRAL_NETWORK } from "../queries.js";
import { normaliseReferrals } from "../model.js";
import { esc, humanise, money, today } from "../format.js";

export const referralsView = {
  nav: "accounts",
  async render(root, { params }) {
    const id = params[0];
    const asOf = sessionStorage.getItem("kamgraph.asOf") || today();
    const depth = Number(sessionStorage.getItem("kamgraph.refDepth") || 3);
    const data = await gql(REFERRAL_NETWORK, { rootId: id, depth, asOf });
    if (!data.referralNetwork) throw new Error("This account does not exist or is not visible to you.");
    const net = normaliseReferrals(data.referralNetwork);
    const names = net.names;
    if (!names.has(id)) {
      const named = await gql(ACCOUNT_NAMES, { ids: [id], first: 1 });
      for (const e of named.accounts?.edges ?? []) names.set(e.node.id, e.node.name);
    }
    document.title = `Referral network of ${names.get(id) ?? id} · kamgraph`;
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
        <span class="badge">${esc(humanise(e.status))}</span>${e.value ? ` ${money(e.value)} won` : ""}
        ${e.viaContact ? `<span class="muted">via contact ${esc(e.viaContact)}</span>` : ""}
        ${e.at ? `<span class="muted">on ${esc(String(e.at).slice(0, 10))}</span>` : ""}${tree(e.target, d + 1)}</li>`).join("")}</ul>`;
    };
    const received = net.edges.filter((e) => e.target === id);
    const conv = net.conversion;
    root.innerHTML = `
      <h1>Referral network of ${esc(names.get(id) ?? id)}</h1>
      <p><a href="#/account/${encodeURIComponent(id)}">Back to the relationship map</a></p>
      <div class="toolbar"><div class="field"><label for="ref-depth">Depth (hops)</label>
        <select id="ref-depth">${[1, 2, 3, 4, 5].map((d) => `<option ${d === depth ? "selected" : ""}>${d}</option>`).join("")}</select></div></div>
      <div class="kpis">
        <div class="kpi"><div class="v">${money(net.direct)}</div><div class="l">Direct attributed revenue</div></div>
        <div class="kpi"><div class="v">${money(net.indirect)}</div><div class="l">Indirect attributed revenue (0.5 per hop)</div></div>
        <div class="kpi"><div class="v">${esc(conv.won ?? 0)} / ${esc((conv.won ?? 0) + (conv.lost ?? 0) + (conv.lead ?? 0))}</div><div class="l">Referrals won / made</div></div>
      </div>
      <section class="panel" aria-labelledby="rt-title"><h2 id="rt-title">Referred from here</h2>
        <div data-testid="referral-tree">${tree(id, 1) || `<p class="muted">No referrals made from this account.</p>`}</div></section>
      <section class="panel" aria-labelledby="rr-title"><h2 id="rr-title">Referred to this account</h2>
        <ul class="plain">${received.map((e) => `<li>${label(e.source)} <span class="badge">${esc(humanise(e.status))}</span></li>`).join("") || `<li class="muted">Nobody referred this account.</li>`}</ul></section>`;
    root.querySelector("#ref-depth").addEventListener("change", (ev) => {
      sessionStorage.setItem("kamgraph.refDepth", ev.target.value);
      referralsView.render(root, { params });
    });
  },
};
