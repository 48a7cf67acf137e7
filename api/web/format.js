// Small formatting and DOM helpers shared by the views.

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
}

export function money(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  const n = Number(value);
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)} M`;
  if (Math.abs(n) >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return Number(value).toFixed(digits);
}

export function pct(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  return `${(Number(value) * 100).toFixed(digits)} %`;
}

export function day(value) {
  if (!value) return "never";
  return String(value).slice(0, 10);
}

export function humanise(text) {
  return String(text ?? "").replaceAll("_", " ");
}

export function band(b) {
  const v = String(b ?? "").toLowerCase();
  return v ? `<span class="band ${esc(v)}">${esc(v)}</span>` : "–";
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

let reference = null;

/** Remember the day the server analyses by default (its `referenceDate`). */
export function setReferenceDay(d) {
  reference = d || null;
}

/** The day the server analyses when no date is asked for: its data's reference date, else today. */
export function referenceDay() {
  return reference || today();
}

/** The latest day a date picker offers: today or the reference date, whichever is later. */
export function latestDay() {
  const t = today();
  return reference && reference > t ? reference : t;
}

export function announce(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}
