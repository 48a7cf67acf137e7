// Alert texts on the pages. The server writes each alert's `message` in English (it is also what
// notifications and the API carry). The pages title an alert by its kind (and severity) in the
// current locale; in English the server's message follows, in other locales a sentence built from
// the alert's evidence (the English message stays as the element's tooltip). Without the facts a
// sentence needs, the English message is shown.
import { day, num, pct } from "./format.js";
import { locale, t, te } from "./i18n.js";

const low = (v) => String(v ?? "").toLowerCase();

/** The alert's title: its kind in the current locale (`single point of contact`, 单点联系人). */
export function alertTitle(alert, { severity = false } = {}) {
  const kind = te(low(alert.kind));
  return severity && alert.severity ? t("{severity} · {kind}", { severity: te(low(alert.severity)), kind }) : kind;
}

const has = (v) => v !== null && v !== undefined && v !== "";

/** Facts of the alert, in words, from its evidence (and the names its English message gives). */
function detail(alert) {
  const ev = alert.evidence ?? {};
  const message = String(alert.message ?? "");
  switch (low(alert.kind)) {
    case "single_point_of_contact": {
      const m = message.match(/^(.+?) \((ours|theirs)\) alone holds/);
      const side = ev.side ?? m?.[2];
      if (!m && !side) return null;
      const text = t("{name} ({side}) alone holds every relationship thread to the decision makers", {
        name: m?.[1] ?? alert.personId ?? "", side: te(side),
      });
      return has(ev.threads) ? `${text}${t("; {n} thread(s)", { n: num(ev.threads) })}` : text;
    }
    case "going_cold": {
      const m = message.match(/^(.+) - (.+): silent for/);
      if (!m || !has(ev.silence_days)) return null;
      const text = t("{a} - {b}: silent for {days} days (usually every {gap})", {
        a: m[1], b: m[2], days: num(ev.silence_days), gap: num(ev.usual_gap_days),
      });
      return ev.last_at ? `${text}${t("; last on {day}", { day: day(ev.last_at) })}` : text;
    }
    case "cadence_breach": {
      if (!has(ev.required_days)) return null;
      const params = { tier: te(low(ev.tier)), required: num(ev.required_days), days: num(ev.days_since) };
      return has(ev.days_since)
        ? t("no exec-level interaction for {days} days ({tier} tier requires one every {required} days)", params)
        : t("no exec-level interaction ever ({tier} tier requires one every {required} days)", params);
    }
    case "health":
      if (!has(ev.score)) return null;
      return t("account health {score} ({band})", { score: num(ev.score), band: te(low(ev.band)) });
    case "renewal_at_risk":
      if (!has(ev.days_left) || !ev.end) return null;
      return t("contract {id} renews in {days} days ({day}), not secured, with a red relationship ({score})", {
        id: ev.contract_id ?? "", days: num(ev.days_left), day: day(ev.end), score: num(ev.relationship_score),
      });
    case "concentration":
      if (!has(ev.share)) return null;
      return t("{share} of portfolio revenue", { share: pct(ev.share) });
    case "job_change_risk": {
      const m = message.match(/^(.+?) left /);
      if (!m || !ev.left_on) return null;
      let text = t("{name} left on {day}", { name: m[1], day: day(ev.left_on) });
      if (has(ev.coverage_before) && has(ev.coverage_after)) {
        text += t("; coverage {before} → {after}", { before: num(ev.coverage_before), after: num(ev.coverage_after) });
      }
      if (ev.roles_lost?.length) text += t("; uncovered: {roles}", { roles: ev.roles_lost.map((r) => te(low(r))).join(t(", ")) });
      return text;
    }
    case "job_change_opportunity": {
      const m = message.match(/^(.+?) started at /);
      if (!m) return null;
      let text = t("{name} started here", { name: m[1] });
      if (ev.new_title) text += t(" as {title}", { title: ev.new_title });
      if (ev.roles?.length) text += t(" (was {roles} at the previous account)", { roles: ev.roles.map((r) => te(low(r))).join(t(", ")) });
      if (ev.warm_paths?.length) text += t("; {n} warm path(s) found", { n: ev.warm_paths.length });
      return text;
    }
    default:
      return null;
  }
}

/** What the page shows after the title: the server's message in English, else the facts in words. */
export function alertDetail(alert) {
  if (locale() === "en") return String(alert.message ?? "");
  return detail(alert) ?? String(alert.message ?? "");
}
