// The relationship map: an inline SVG laid out from a normalised map model (see model.js).
//
// Their people sit in lanes by level (executive, management, operational), each lane ordered by
// the reporting lines (a depth-first walk of the org chart, so reports follow their manager);
// our team is a column on the left. Ties run from our people to theirs; width and opacity follow
// strength. Links between their people (ties from shared interactions, reporting lines, influence
// lines: the links reach and threads run over) form a layer of their own that can be switched
// off (`showContactLinks`); each link shows its evidence on hover or focus (`onLink`). Stance is the fill colour, roles are badges, single points of contact get a red halo,
// cut vertices a dashed amber one, and required roles nobody holds appear as dashed placeholders.

import { t, te } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
export const LEVELS = ["executive", "management", "operational"];
const LEVEL_LABEL = { executive: "Executive", management: "Management", operational: "Operational", unknown: "Level unknown" };
export const STANCE_COLOUR = {
  champion: "#15803d", supporter: "#4d7c0f", neutral: "#6b7280", skeptic: "#c2410c", blocker: "#b91c1c",
};
const OURS = "#1d4ed8";
export const ROLE_ABBR = {
  economic_buyer: "EB", decision_maker: "DM", technical_buyer: "TB", user_buyer: "UB", procurement: "PR",
  executive_sponsor: "ES", champion: "CH", coach: "CO", influencer: "IN", gatekeeper: "GK", blocker: "BL",
};
const ROLE_LEVEL = {
  economic_buyer: "executive", executive_sponsor: "executive", decision_maker: "executive",
  technical_buyer: "management", procurement: "management", champion: "management",
  user_buyer: "operational",
};
const TEAM_COL = 190;
const ROW_H = 64;
const STACK_SHIFT = 40;
const COL_W = 150;
const TOP = 30;

export function humanise(text) {
  return String(text ?? "").replaceAll("_", " ");
}

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/**
 * Order contacts by a depth-first walk of the reporting lines. Siblings (and roots) whose
 * subtree holds the strongest ties to our team come first, so they sit nearest our column;
 * ties break by name.
 */
export function orgOrder(contacts, ties = []) {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const children = new Map();
  const roots = [];
  for (const c of contacts) {
    if (c.managerId && byId.has(c.managerId) && c.managerId !== c.id) {
      if (!children.has(c.managerId)) children.set(c.managerId, []);
      children.get(c.managerId).push(c);
    } else roots.push(c);
  }
  const own = new Map();
  for (const t of ties) own.set(t.contactId, (own.get(t.contactId) ?? 0) + (t.strength ?? 0));
  const weight = new Map();
  const visiting = new Set();
  const subtree = (c) => {
    if (weight.has(c.id)) return weight.get(c.id);
    if (visiting.has(c.id)) return 0;
    visiting.add(c.id);
    let w = own.get(c.id) ?? 0;
    for (const k of children.get(c.id) ?? []) w += subtree(k);
    weight.set(c.id, w);
    return w;
  };
  contacts.forEach(subtree);
  const rank = (a, b) => weight.get(b.id) - weight.get(a.id) || a.name.localeCompare(b.name);
  const order = new Map();
  const seen = new Set();
  const walk = (c) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    order.set(c.id, order.size);
    for (const k of (children.get(c.id) ?? []).sort(rank)) walk(k);
  };
  roots.sort(rank).forEach(walk);
  contacts.filter((c) => !seen.has(c.id)).sort(rank).forEach(walk); // cycles in bad data
  return order;
}

/**
 * Compute positions: {nodes: Map(id -> {x, y}), width, height, lanes, placeholders}.
 *
 * An org-chart layout in level lanes: reports that have no reports of their own and sit in the
 * same lane are stacked in one column under their manager; everyone else gets a column, and a
 * manager is centred over their reports' columns. Collisions within a lane push right.
 */
export function layout(model) {
  const lanes = [...LEVELS];
  if (model.contacts.some((c) => !LEVELS.includes(c.level))) lanes.push("unknown");
  const laneOf = (c) => (LEVELS.includes(c.level) ? c.level : "unknown");
  const byId = new Map(model.contacts.map((c) => [c.id, c]));
  const order = orgOrder(model.contacts, model.ties);
  const kids = new Map();
  for (const c of model.contacts) {
    if (c.managerId && byId.has(c.managerId)) {
      if (!kids.has(c.managerId)) kids.set(c.managerId, []);
      kids.get(c.managerId).push(c);
    }
  }
  for (const list of kids.values()) list.sort((a, b) => order.get(a.id) - order.get(b.id));
  const roots = model.contacts.filter((c) => !(c.managerId && byId.has(c.managerId)))
    .sort((a, b) => order.get(a.id) - order.get(b.id));

  const slotX = new Map(); // contact id -> column index (fractional for managers)
  const stack = new Map(); // contact id -> position in a stacked column
  const depth = new Map(lanes.map((l) => [l, 1]));
  let next = 0;
  const seen = new Set();
  const place = (c) => {
    if (seen.has(c.id)) return slotX.get(c.id) ?? next;
    seen.add(c.id);
    const children = (kids.get(c.id) ?? []).filter((k) => !seen.has(k.id));
    if (!children.length) {
      slotX.set(c.id, next++);
      return slotX.get(c.id);
    }
    const xs = [];
    const groups = new Map(); // lane -> leaf children stacked in one column
    for (const k of children) {
      const leaf = !(kids.get(k.id) ?? []).length && laneOf(k) !== laneOf(c);
      if (leaf) {
        if (!groups.has(laneOf(k))) groups.set(laneOf(k), []);
        groups.get(laneOf(k)).push(k);
      } else xs.push(place(k));
    }
    for (const [lane, group] of groups) {
      const col = next++;
      group.forEach((k, i) => {
        seen.add(k.id);
        slotX.set(k.id, col);
        if (group.length > 1) stack.set(k.id, i);
      });
      depth.set(lane, Math.max(depth.get(lane), group.length));
      xs.push(col);
    }
    slotX.set(c.id, (Math.min(...xs) + Math.max(...xs)) / 2);
    return slotX.get(c.id);
  };
  roots.forEach(place);
  model.contacts.forEach(place);

  // Unfilled required roles go first in their lane (a column of their own, nearest our team,
  // stacked when a lane has several), so the gaps are seen before anything else.
  const placeholders = model.placeholders.map((p) => ({ ...p, level: ROLE_LEVEL[p.role] ?? "management" }));
  const offset = placeholders.length ? 1 : 0;
  for (const lane of lanes) {
    const holes = placeholders.filter((p) => p.level === lane);
    holes.forEach((p, i) => {
      p.col = 0;
      p.stackIndex = i;
    });
    if (holes.length) depth.set(lane, Math.max(depth.get(lane), holes.length));
  }
  // lanes: resolve collisions (same stack row, columns closer than 1) by pushing right
  const col = new Map();
  let maxCol = 0;
  for (const lane of lanes) {
    const members = model.contacts.filter((c) => laneOf(c) === lane)
      .sort((a, b) => slotX.get(a.id) - slotX.get(b.id) || (stack.get(a.id) ?? 0) - (stack.get(b.id) ?? 0));
    const lastByRow = new Map();
    for (const c of members) {
      const row = stack.get(c.id) ?? 0;
      const want = slotX.get(c.id) + offset;
      const prev = lastByRow.get(row);
      const x = prev === undefined ? want : Math.max(want, prev + 1);
      col.set(c.id, x);
      lastByRow.set(row, x);
      maxCol = Math.max(maxCol, x);
    }
  }
  const nodes = new Map();
  const laneBoxes = [];
  let y = TOP;
  for (const lane of lanes) {
    const h = Math.max(depth.get(lane) * ROW_H + 40, 112);
    laneBoxes.push({ lane, y, h, label: t(LEVEL_LABEL[lane]) });
    for (const c of model.contacts) {
      if (laneOf(c) !== lane) continue;
      const stacked = stack.has(c.id);
      nodes.set(c.id, {
        x: TEAM_COL + 40 + col.get(c.id) * COL_W + COL_W / 2 - (stacked ? STACK_SHIFT : 0),
        y: y + 50 + (stack.get(c.id) ?? 0) * ROW_H,
        stacked,
        stackIndex: stack.get(c.id) ?? 0,
      });
    }
    for (const p of placeholders) {
      if (p.level === lane) p.pos = { x: TEAM_COL + 40 + p.col * COL_W + COL_W / 2, y: y + 50 + p.stackIndex * ROW_H };
    }
    y += h + 8;
  }
  const staffGap = 96;
  model.staff.forEach((s, i) => nodes.set(s.id, { x: 70, y: TOP + 50 + i * staffGap }));
  const height = Math.max(y, TOP + 40 + model.staff.length * staffGap);
  const width = TEAM_COL + 40 + (maxCol + 1) * COL_W + 16;
  return { nodes, width, height, lanes: laneBoxes, placeholders };
}

/**
 * Draw the map into `container`. `options`: {removed: Set, selectedTie, onTie(tie), onPerson(person),
 * showContactLinks (default true), onLink(link)}. Returns the SVG element.
 */
export function drawMap(container, model, options = {}) {
  const removed = options.removed ?? new Set();
  const box = layout(model);
  container.replaceChildren();
  const svg = el("svg", {
    width: box.width, height: box.height, viewBox: `0 0 ${box.width} ${box.height}`,
    role: "group", "aria-label": model.accountName ? t("Relationship map of {name}", { name: model.accountName }) : t("Relationship map of the account"),
    "data-testid": "relationship-map",
  }, container);
  const title = el("title", {}, svg);
  title.textContent = t("Relationship map: {theirs} of their people, {ours} of ours, {ties} ties", { theirs: model.contacts.length, ours: model.staff.length, ties: model.ties.length });

  // lanes
  for (const lane of box.lanes) {
    el("rect", { class: "lane", x: TEAM_COL, y: lane.y, width: box.width - TEAM_COL - 4, height: lane.h, rx: 6 }, svg);

  }
  const teamHead = el("text", { class: "lane-label", x: 12, y: TOP - 8 }, svg);
  teamHead.textContent = t("Our team");

  const pos = box.nodes;
  // org chart and influence lines
  const lineLayer = el("g", { "aria-hidden": "true" }, svg);
  for (const r of model.reportingLines) {
    const a = pos.get(r.contactId);
    const b = pos.get(r.managerId);
    if (!a || !b) continue;
    if (a.stacked) {
      // elbow into a stacked column: down from the manager, along a spine left of the column
      const spine = a.x - 30;
      const top = a.y - a.stackIndex * ROW_H - 34;
      el("path", { class: "org", d: `M${b.x},${b.y + 18} L${b.x},${top} L${spine},${top} L${spine},${a.y} L${a.x - 12},${a.y}` }, lineLayer);
    } else {
      el("path", { class: "org", d: `M${a.x},${a.y - 18} C${a.x},${a.y - 50} ${b.x},${b.y + 50} ${b.x},${b.y + 18}` }, lineLayer);
    }
  }
  // links between their people: interaction ties, reporting and influence lines, with evidence
  const names = new Map([...model.contacts, ...model.staff].map((p) => [p.id, p.name]));
  const linkLayer = el("g", { class: "contact-links", "data-testid": "contact-links" }, svg);
  if (options.showContactLinks === false) linkLayer.setAttribute("display", "none");
  for (const link of model.contactLinks ?? []) {
    const a = pos.get(link.a);
    const b = pos.get(link.b);
    if (!a || !b) continue;
    const lift = link.kind === "influences" ? 40 : link.kind === "tie" ? 24 : 0;
    const d = link.kind === "reports_to"
      ? `M${a.x},${a.y - 18} C${a.x},${a.y - 50} ${b.x},${b.y + 50} ${b.x},${b.y + 18}`
      : `M${a.x},${a.y} Q${(a.x + b.x) / 2},${Math.min(a.y, b.y) - lift} ${b.x},${b.y}`;
    const s = Math.max(0, Math.min(1, link.strength ?? 0));
    const gone = removed.has(link.a) || removed.has(link.b);
    const g = el("g", {
      class: `link-group ${link.kind}`, tabindex: 0, role: "button", "data-link": link.id, "data-kind": link.kind,
      "data-a": link.a, "data-b": link.b, "data-strength": s.toFixed(2),
      "aria-label": linkLabel(link, names),
    }, linkLayer);
    if (link.kind === "tie") {
      el("path", {
        class: `cc-tie${link.cold ? " cold" : ""}`, d,
        "stroke-width": (1 + 4 * s).toFixed(1), "stroke-opacity": gone ? 0.08 : (0.3 + 0.7 * s).toFixed(2),
      }, g);
    } else if (link.kind === "influences") {
      el("path", { class: "influence", d }, g);
    }
    el("path", { class: "link hit", d }, g);
    const pick = () => options.onLink?.(link);
    g.addEventListener("mouseenter", pick);
    g.addEventListener("focus", pick);
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
  }

  // ties
  const tieLayer = el("g", {}, svg);
  for (const tie of model.ties) {
    const a = pos.get(tie.staffId);
    const b = pos.get(tie.contactId);
    if (!a || !b) continue;
    const d = `M${a.x + 16},${a.y} C${a.x + 120},${a.y} ${b.x - 120},${b.y} ${b.x},${b.y}`;
    const s = Math.max(0, Math.min(1, tie.strength ?? 0));
    const gone = removed.has(tie.staffId) || removed.has(tie.contactId);
    const g = el("g", {
      class: "tie-group", tabindex: 0, role: "button", "data-tie": tie.id, "data-strength": s.toFixed(2),
      "data-a": tie.staffId, "data-b": tie.contactId,
      "aria-label": t("Tie {a} – {b}, strength {strength}", { a: names.get(tie.staffId), b: names.get(tie.contactId), strength: s.toFixed(2) }) + (tie.band ? ` (${te(tie.band)})` : ""),
    }, tieLayer);
    const line = el("path", {
      class: `tie${tie.cold ? " cold" : ""}${options.selectedTie === tie.id ? " selected" : ""}`, d,
      "stroke-width": (1 + 6 * s).toFixed(1), "stroke-opacity": gone ? 0.08 : (0.25 + 0.75 * s).toFixed(2),
    }, g);
    el("path", { class: "tie hit", d }, g);
    const pick = () => options.onTie?.(tie);
    g.addEventListener("mouseenter", pick);
    g.addEventListener("focus", pick);
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
    line.dataset.id = tie.id;
  }

  // people
  const nodeLayer = el("g", {}, svg);
  const drawPerson = (p, side) => {
    const at = pos.get(p.id);
    if (!at) return;
    const classes = ["node", side];
    if (p.spoc) classes.push("spoc");
    if (p.cut) classes.push("cut");
    if (removed.has(p.id)) classes.push("removed");
    const label = [
      p.name, side === "ours" ? (p.teamRole ? te(p.teamRole) : t("our team")) : te(p.stance),
      p.title, p.roles?.length ? t("roles {roles}", { roles: p.roles.map((r) => te(r)).join(t(", ")) }) : null,
      p.spoc ? t("single point of contact") : null, p.cut ? t("cut vertex") : null,
      removed.has(p.id) ? t("removed in what-if") : null,
    ].filter(Boolean).join(t("; "));
    const g = el("g", {
      class: classes.join(" "), transform: `translate(${at.x},${at.y})`, tabindex: 0, role: "button",
      "data-person": p.id, "data-side": side, "data-spoc": p.spoc ? "true" : "false",
      "aria-label": label, "aria-pressed": removed.has(p.id) ? "true" : "false",
    }, nodeLayer);
    const stacked = Boolean(at.stacked);
    const r = side === "ours" ? 15 : stacked ? 11 + (p.influence ?? 2) : 11 + 2 * (p.influence ?? 2);
    if (p.spoc || p.cut) el("circle", { class: "halo", r: r + 6 }, g);
    el("circle", { class: "body", r, fill: side === "ours" ? OURS : STANCE_COLOUR[p.stance] ?? STANCE_COLOUR.neutral }, g);
    const initials = el("text", { "text-anchor": "middle", y: 4, fill: "#fff", "font-size": 11, "font-weight": 700, "aria-hidden": "true" }, g);
    initials.textContent = p.name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
    initials.style.fill = "#fff";
    const beside = stacked;
    const lx = side === "ours" ? -58 : beside ? r + 6 : 0;
    const anchor = side === "ours" || beside ? "start" : "middle";
    const max = beside ? 15 : 22;
    const nameText = el("text", { "text-anchor": anchor, x: lx, y: beside ? -1 : r + 15 }, g);
    nameText.textContent = p.name.length > max ? `${p.name.slice(0, max - 1)}…` : p.name;
    const sub = el("text", { class: "sub", "text-anchor": anchor, x: lx, y: beside ? 12 : r + 28 }, g);
    const subText = side === "ours" ? (p.teamRole ? te(p.teamRole) : "") : p.title ?? "";
    sub.textContent = subText.length > max + 2 ? `${subText.slice(0, max + 1)}…` : subText;
    // role badges above the node
    const roles = p.roles ?? [];
    roles.forEach((role, i) => {
      const bx = beside ? r + 6 + i * 24 : -((roles.length * 24) / 2) + i * 24;
      const by = beside ? 16 : -r - 20;
      const b = el("g", { transform: `translate(${bx},${by})`, "aria-hidden": "true" }, g);
      el("rect", { width: 22, height: 14, rx: 3, fill: "#e0e7ff", stroke: "#1e3a8a", "stroke-width": 0.6 }, b);
      const txt = el("text", { x: 11, y: 11, "text-anchor": "middle", "font-size": 9.5, "font-weight": 700 }, b);
      txt.textContent = ROLE_ABBR[role] ?? role.slice(0, 2).toUpperCase();
      txt.style.fill = "#1e3a8a";
    });
    if (p.spoc) {
      const tag = el("g", { transform: `translate(${side === "ours" ? 20 : r + 4},${-r - 4})`, "aria-hidden": "true" }, g);
      el("rect", { width: 40, height: 15, rx: 3, fill: "#b91c1c" }, tag);
      const txt = el("text", { x: 20, y: 11, "text-anchor": "middle", "font-size": 9.5, "font-weight": 700 }, tag);
      txt.textContent = t("SPOC");
      txt.style.fill = "#fff";
    }
    const pick = () => options.onPerson?.(p);
    const light = (on) => {
      svg.classList.toggle("focus-person", on);
      for (const t of svg.querySelectorAll(`:is(.tie-group, .link-group)[data-a="${CSS.escape(p.id)}"], :is(.tie-group, .link-group)[data-b="${CSS.escape(p.id)}"]`)) {
        t.classList.toggle("lit", on);
      }
    };
    g.addEventListener("mouseenter", () => light(true));
    g.addEventListener("mouseleave", () => light(false));
    g.addEventListener("focus", () => light(true));
    g.addEventListener("blur", () => light(false));
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
  };
  model.staff.forEach((s) => drawPerson(s, "ours"));
  model.contacts.forEach((c) => drawPerson(c, "theirs"));

  // lane labels last, over the ties, with a halo
  for (const lane of box.lanes) {
    const cx = TEAM_COL + 15;
    const cy = lane.y + lane.h / 2;
    const txt = el("text", { class: "lane-label halo", x: cx, y: cy, "text-anchor": "middle", transform: `rotate(-90 ${cx} ${cy})` }, svg);
    txt.textContent = lane.label;
  }

  for (const p of box.placeholders) {
    if (!p.pos) continue;
    const g = el("g", {
      class: "placeholder", transform: `translate(${p.pos.x},${p.pos.y})`, "data-placeholder": p.role,
      role: "img", "aria-label": t("Nobody holds the required role {role}", { role: te(p.role) }),
    }, nodeLayer);
    el("rect", { x: -58, y: -20, width: 116, height: 40, rx: 6 }, g);
    const t1 = el("text", { "text-anchor": "middle", y: -3 }, g);
    t1.textContent = t("role unfilled");
    const t2 = el("text", { "text-anchor": "middle", y: 12, "font-weight": 700 }, g);
    t2.textContent = te(p.role);
  }
  return svg;
}

/** The accessible name of a link between two of their people, with its evidence in short. */
export function linkLabel(link, names) {
  const a = names.get(link.a) ?? link.a;
  const b = names.get(link.b) ?? link.b;
  const strength = Number(link.strength).toFixed(2);
  if (link.kind === "reports_to") return t("{a} reports to {b}: counts {strength} in reach", { a, b, strength });
  if (link.kind === "influences") return t("{a} influences {b}: weight {strength}", { a, b, strength });
  return t("Tie {a} – {b} from shared interactions, strength {strength}", { a, b, strength }) + (link.band ? ` (${te(link.band)})` : "");
}

/** Map legend as HTML. */
export function legendHtml() {
  const stances = Object.entries(STANCE_COLOUR)
    .map(([k, c]) => `<span><i style="background:${c}"></i>${te(k)}</span>`).join("");
  return `<div class="legend" aria-label="${t("Legend")}" data-testid="map-legend">${stances}<span><i style="background:${OURS}"></i>${t("our team")}</span>
    <span><i style="border:3px solid #b91c1c;background:#fff"></i>${t("single point of contact")}</span>
    <span><i style="border:3px dashed #b45309;background:#fff"></i>${t("cut vertex")}</span>
    <span>${t("line width/opacity = tie strength; dashed tie = going cold; grey = reports to; purple dotted = influences; teal = tie between their people (shared interactions)")}</span>
    <span>${t("badges: {list}", { list: Object.entries(ROLE_ABBR).map(([r, a]) => `${a} ${te(r)}`).join(t(", ")) })}</span></div>`;
}
