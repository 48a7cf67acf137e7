// Small formatting and DOM helpers shared by the views. Numbers, money, percentages and dates
// follow the locale (i18n.js): English keeps its compact `4.29 M` / `950 k` money and ISO dates;
// zh-CN uses Intl's compact notation (`429万`, `1.23亿`) and long dates (`2026年11月1日`).
import { locale, t } from "./i18n.js";

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
}

const formatters = new Map();
function formatter(kind, make) {
  const key = `${locale()}|${kind}`;
  if (!formatters.has(key)) formatters.set(key, make(locale()));
  return formatters.get(key);
}

const missingValue = (value) => value === null || value === undefined || Number.isNaN(Number(value));

export function money(value) {
  if (missingValue(value)) return "–";
  const n = Number(value);
  if (locale() !== "en") {
    if (Math.abs(n) >= 1e4) {
      return formatter("money", (l) => new Intl.NumberFormat(l, { notation: "compact", maximumSignificantDigits: 3 })).format(n);
    }
    return formatter("int", (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })).format(n);
  }
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 1 : 2)} M`;
  if (Math.abs(n) >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

export function num(value, digits = 0) {
  if (missingValue(value)) return "–";
  return Number(value).toFixed(digits);
}

export function pct(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  if (locale() !== "en") {
    return formatter(`pct${digits}`, (l) => new Intl.NumberFormat(l, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }))
      .format(Number(value));
  }
  return `${(Number(value) * 100).toFixed(digits)} %`;
}

/** A day (an ISO date or date-time; its first 10 characters): ISO in English, long in zh-CN. */
export function day(value) {
  if (!value) return t("never");
  const iso = String(value).slice(0, 10);
  if (locale() === "en" || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return formatter("day", (l) => new Intl.DateTimeFormat(l, { dateStyle: "long", timeZone: "UTC" })).format(new Date(`${iso}T00:00:00Z`));
}

/** A moment (ISO date-time) to the minute: `2026-11-01 09:30` in English, Intl's in zh-CN. */
export function moment(value) {
  const text = String(value ?? "");
  if (locale() === "en" || !text) return text.slice(0, 16).replace("T", " ");
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return text.slice(0, 16).replace("T", " ");
  return formatter("moment", (l) => new Intl.DateTimeFormat(l, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })).format(d);
}

export function humanise(text) {
  return String(text ?? "").replaceAll("_", " ");
}

export function band(b) {
  const v = String(b ?? "").toLowerCase();
  return v ? `<span class="band ${esc(v)}">${esc(t(v))}</span>` : "–";
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
