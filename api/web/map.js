// The relationship map: an inline SVG laid out from a normalised map model (see model.js).
//
// Their people sit in lanes by level (executive, management, operational), each lane ordered by
// the reporting lines (a depth-first walk of the org chart, so reports follow their manager);
// our team is a column on the left. Ties run from our people to theirs; width and opacity follow
// strength. Stance is the fill colour, roles are badges, single points of contact get a red halo,
// cut vertices a dashed amber one, and required roles nobody holds appear as dashed placeholders.

const SVG = "http://www.w3.org/2000/svg";
export const LEVELS = ["executive", "management", "operational"];
const LEVEL_LABEL = { executive: "Executive", management: "Management", operational: "Operational", unknown: "Level unknown" };
export const STANCE_COLOUR = {
  champion: "#15803d", supporter: "#65a30d", neutral: "#6b7280", skeptic: "#c2410c", blocker: "#b91c1c",
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
const LANE_H = 120;
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

/** Order contacts by a depth-first walk of the reporting lines (roots by name). */
export function orgOrder(contacts) {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const children = new Map();
  const roots = [];
  for (const c of contacts) {
    if (c.managerId && byId.has(c.managerId) && c.managerId !== c.id) {
      if (!children.has(c.managerId)) children.set(c.managerId, []);
      children.get(c.managerId).push(c);
    } else roots.push(c);
  }
  const byName = (a, b) => a.name.localeCompare(b.name);
  const order = new Map();
  const seen = new Set();
  const walk = (c) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    order.set(c.id, order.size);
    for (const k of (children.get(c.id) ?? []).sort(byName)) walk(k);
  };
  roots.sort(byName).forEach(walk);
  contacts.filter((c) => !seen.has(c.id)).sort(byName).forEach(walk); // cycles in bad data
  return order;
}

/** Compute positions: {nodes: Map(id -> {x, y}), width, height, lanes, placeholders}. */
export function layout(model, viewportWidth = 1000) {
  const order = orgOrder(model.contacts);
  const lanes = [...LEVELS];
  if (model.contacts.some((c) => !LEVELS.includes(c.level))) lanes.push("unknown");
  const rows = new Map(lanes.map((l) => [l, []]));
  for (const c of model.contacts) rows.get(LEVELS.includes(c.level) ? c.level : "unknown").push(c);
  for (const list of rows.values()) list.sort((a, b) => order.get(a.id) - order.get(b.id));
  const placeholders = model.placeholders.map((p) => ({ ...p, level: ROLE_LEVEL[p.role] ?? "management" }));
  const perRow = Math.max(3, Math.floor((Math.max(viewportWidth, 700) - TEAM_COL - 40) / COL_W));
  const nodes = new Map();
  const laneBoxes = [];
  let y = TOP;
  let maxCols = 1;
  for (const lane of lanes) {
    const people = rows.get(lane);
    const holes = placeholders.filter((p) => p.level === lane);
    const count = people.length + holes.length;
    const lines = Math.max(1, Math.ceil(count / perRow));
    const h = lines * LANE_H;
    laneBoxes.push({ lane, y, h, label: LEVEL_LABEL[lane] });
    [...people, ...holes].forEach((item, i) => {
      const col = i % perRow;
      const line = Math.floor(i / perRow);
      maxCols = Math.max(maxCols, Math.min(count, perRow));
      const pos = { x: TEAM_COL + 40 + col * COL_W + COL_W / 2, y: y + line * LANE_H + 52 };
      if (item.role && !item.id) item.pos = pos;
      else nodes.set(item.id, pos);
    });
    y += h + 8;
  }
  const staffGap = Math.max(70, Math.min(100, (y - TOP) / Math.max(1, model.staff.length)));
  model.staff.forEach((s, i) => nodes.set(s.id, { x: 70, y: TOP + 50 + i * staffGap }));
  const height = Math.max(y, TOP + 60 + model.staff.length * staffGap);
  const width = TEAM_COL + 40 + maxCols * COL_W + 20;
  return { nodes, width, height, lanes: laneBoxes, placeholders };
}

/**
 * Draw the map into `container`. `options`: {removed: Set, selectedTie, onTie(tie), onPerson(person)}.
 * Returns the SVG element.
 */
export function drawMap(container, model, options = {}) {
  const removed = options.removed ?? new Set();
  const box = layout(model, container.clientWidth || 1000);
  container.replaceChildren();
  const svg = el("svg", {
    width: box.width, height: box.height, viewBox: `0 0 ${box.width} ${box.height}`,
    role: "group", "aria-label": `Relationship map of ${model.accountName ?? "the account"}`,
    "data-testid": "relationship-map",
  }, container);
  const title = el("title", {}, svg);
  title.textContent = `Relationship map: ${model.contacts.length} of their people, ${model.staff.length} of ours, ${model.ties.length} ties`;

  // lanes
  for (const lane of box.lanes) {
    el("rect", { class: "lane", x: TEAM_COL, y: lane.y, width: box.width - TEAM_COL - 4, height: lane.h, rx: 6 }, svg);
    const t = el("text", { class: "lane-label", x: TEAM_COL + 10, y: lane.y + 16 }, svg);
    t.textContent = lane.label;
  }
  const teamHead = el("text", { class: "lane-label", x: 12, y: TOP - 8 }, svg);
  teamHead.textContent = "Our team";

  const pos = box.nodes;
  // org chart and influence lines
  const lineLayer = el("g", { "aria-hidden": "true" }, svg);
  for (const r of model.reportingLines) {
    const a = pos.get(r.contactId);
    const b = pos.get(r.managerId);
    if (a && b) el("path", { class: "org", d: `M${a.x},${a.y - 18} C${a.x},${a.y - 50} ${b.x},${b.y + 50} ${b.x},${b.y + 18}` }, lineLayer);
  }
  for (const r of model.influenceLines) {
    const a = pos.get(r.sourceId);
    const b = pos.get(r.targetId);
    if (a && b) el("path", { class: "influence", d: `M${a.x},${a.y} Q${(a.x + b.x) / 2},${Math.min(a.y, b.y) - 40} ${b.x},${b.y}` }, lineLayer);
  }

  // ties
  const tieLayer = el("g", {}, svg);
  const names = new Map([...model.contacts, ...model.staff].map((p) => [p.id, p.name]));
  for (const tie of model.ties) {
    const a = pos.get(tie.staffId);
    const b = pos.get(tie.contactId);
    if (!a || !b) continue;
    const d = `M${a.x + 16},${a.y} C${a.x + 120},${a.y} ${b.x - 120},${b.y} ${b.x},${b.y}`;
    const s = Math.max(0, Math.min(1, tie.strength ?? 0));
    const gone = removed.has(tie.staffId) || removed.has(tie.contactId);
    const g = el("g", {
      class: "tie-group", tabindex: 0, role: "button", "data-tie": tie.id, "data-strength": s.toFixed(2),
      "aria-label": `Tie ${names.get(tie.staffId)} – ${names.get(tie.contactId)}, strength ${s.toFixed(2)}${tie.band ? ` (${tie.band})` : ""}`,
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
      p.name, side === "ours" ? humanise(p.teamRole ?? "our team") : humanise(p.stance),
      p.title, p.roles?.length ? `roles ${p.roles.map(humanise).join(", ")}` : null,
      p.spoc ? "single point of contact" : null, p.cut ? "cut vertex" : null,
      removed.has(p.id) ? "removed in what-if" : null,
    ].filter(Boolean).join("; ");
    const g = el("g", {
      class: classes.join(" "), transform: `translate(${at.x},${at.y})`, tabindex: 0, role: "button",
      "data-person": p.id, "data-side": side, "data-spoc": p.spoc ? "true" : "false",
      "aria-label": label, "aria-pressed": removed.has(p.id) ? "true" : "false",
    }, nodeLayer);
    const r = side === "ours" ? 15 : 11 + 2 * (p.influence ?? 2);
    if (p.spoc || p.cut) el("circle", { class: "halo", r: r + 6 }, g);
    el("circle", { class: "body", r, fill: side === "ours" ? OURS : STANCE_COLOUR[p.stance] ?? STANCE_COLOUR.neutral }, g);
    const initials = el("text", { "text-anchor": "middle", y: 4, fill: "#fff", "font-size": 11, "font-weight": 700, "aria-hidden": "true" }, g);
    initials.textContent = p.name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
    initials.style.fill = "#fff";
    const nameText = el("text", { "text-anchor": side === "ours" ? "start" : "middle", x: side === "ours" ? -58 : 0, y: r + 15 }, g);
    nameText.textContent = p.name.length > 22 ? `${p.name.slice(0, 21)}…` : p.name;
    const sub = el("text", { class: "sub", "text-anchor": side === "ours" ? "start" : "middle", x: side === "ours" ? -58 : 0, y: r + 28 }, g);
    sub.textContent = side === "ours" ? humanise(p.teamRole ?? "") : (p.title ?? "").slice(0, 24);
    // role badges above the node
    const roles = p.roles ?? [];
    roles.forEach((role, i) => {
      const bx = -((roles.length * 24) / 2) + i * 24;
      const b = el("g", { transform: `translate(${bx},${-r - 20})`, "aria-hidden": "true" }, g);
      el("rect", { width: 22, height: 14, rx: 3, fill: "#e0e7ff", stroke: "#1e3a8a", "stroke-width": 0.6 }, b);
      const t = el("text", { x: 11, y: 11, "text-anchor": "middle", "font-size": 9.5, "font-weight": 700 }, b);
      t.textContent = ROLE_ABBR[role] ?? role.slice(0, 2).toUpperCase();
      t.style.fill = "#1e3a8a";
    });
    if (p.spoc) {
      const tag = el("g", { transform: `translate(${side === "ours" ? 20 : r + 4},${-r - 4})`, "aria-hidden": "true" }, g);
      el("rect", { width: 40, height: 15, rx: 3, fill: "#b91c1c" }, tag);
      const t = el("text", { x: 20, y: 11, "text-anchor": "middle", "font-size": 9.5, "font-weight": 700 }, tag);
      t.textContent = "SPOC";
      t.style.fill = "#fff";
    }
    const pick = () => options.onPerson?.(p);
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
  };
  model.staff.forEach((s) => drawPerson(s, "ours"));
  model.contacts.forEach((c) => drawPerson(c, "theirs"));

  for (const p of box.placeholders) {
    if (!p.pos) continue;
    const g = el("g", {
      class: "placeholder", transform: `translate(${p.pos.x},${p.pos.y})`, "data-placeholder": p.role,
      role: "img", "aria-label": `Nobody holds the required role ${humanise(p.role)}`,
    }, nodeLayer);
    el("rect", { x: -58, y: -20, width: 116, height: 40, rx: 6 }, g);
    const t1 = el("text", { "text-anchor": "middle", y: -3 }, g);
    t1.textContent = "role unfilled";
    const t2 = el("text", { "text-anchor": "middle", y: 12, "font-weight": 700 }, g);
    t2.textContent = humanise(p.role);
  }
  return svg;
}

/** Map legend as HTML. */
export function legendHtml() {
  const stances = Object.entries(STANCE_COLOUR)
    .map(([k, c]) => `<span><i style="background:${c}"></i>${k}</span>`).join("");
  return `<div class="legend" aria-label="Legend">${stances}<span><i style="background:${OURS}"></i>our team</span>
    <span><i style="border:3px solid #b91c1c;background:#fff"></i>single point of contact</span>
    <span><i style="border:3px dashed #b45309;background:#fff"></i>cut vertex</span>
    <span>line width/opacity = tie strength; dashed tie = going cold; grey = reports to; purple dotted = influences</span>
    <span>badges: ${Object.entries(ROLE_ABBR).map(([r, a]) => `${a} ${humanise(r)}`).join(", ")}</span></div>`;
}
