// kamgraph web: sign-in, hash routing and the page frame. Views live in views/*.js.
import { GraphQLError, getToken, gql, setToken } from "./gql.js";
import { day, esc, setReferenceDay } from "./format.js";
import { applyDocumentLang, locale, onLocaleChange, setLocale, t, te } from "./i18n.js";
import { REFERENCE_DATE, VIEWER, VIEWER_FALLBACK } from "./queries.js";
import { accountsView } from "./views/accounts.js";
import { accountView } from "./views/account.js";
import { portfolioView } from "./views/portfolio.js";
import { referralsView } from "./views/referrals.js";
import { pathsView } from "./views/paths.js";
import { alertsView } from "./views/alerts.js";

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";
export const environment = meta("kamgraph-environment") || "production";
const demoToken = environment === "development" ? meta("kamgraph-demo-token") : "";

const main = document.getElementById("main");
let viewer = null;
let cleanup = null;
let visits = 0;
let referenceLoaded = null; // the promise of the reference date, loaded once
let referenceDate = null;

const ROUTES = [
  [/^#\/accounts$/, () => accountsView],
  [/^#\/account\/([^/]+)\/referrals$/, () => referralsView],
  [/^#\/account\/([^/]+)$/, () => accountView],
  [/^#\/portfolio$/, () => portfolioView],
  [/^#\/paths(?:\/([^/]+))?$/, () => pathsView],
  [/^#\/alerts$/, () => alertsView],
];

function setNav(name) {
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** Who the token belongs to, or null when the token is not accepted. */
async function loadViewer() {
  try {
    const data = await gql(VIEWER);
    if (!data.viewer) return null;
    return data.viewer;
  } catch (err) {
    if (err instanceof GraphQLError && err.unauthorized) return null;
    if (!(err instanceof GraphQLError) || !/Cannot query field/.test(err.message)) throw err;
  }
  // A server without the `viewer` field: any authenticated read proves the token.
  try {
    await gql(VIEWER_FALLBACK);
    return { role: "signed in" }; // shown through t()
  } catch (err) {
    if (err instanceof GraphQLError && err.unauthorized) return null;
    throw err;
  }
}

/** The server's reference date: the default day of every page, shown in the header. */
async function loadReferenceDate() {
  try {
    const data = await gql(REFERENCE_DATE);
    setReferenceDay(data.referenceDate);
    referenceDate = data.referenceDate;
    showReferenceDate();
  } catch (err) {
    if (!(err instanceof GraphQLError) || err.unauthorized) throw err;
  }
}

function showReferenceDate() {
  document.getElementById("reference-label").textContent = referenceDate ? t("data as of {day}", { day: day(referenceDate) }) : "";
}

/** The texts of the static shell (index.html: `data-i18n`, `data-i18n-aria-label`) in the locale. */
function applyShell() {
  applyDocumentLang();
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  document.getElementById("locale-switch").value = locale();
  showReferenceDate();
  if (viewer) showFrame(!document.getElementById("nav").hidden);
}

function showFrame(signedIn) {
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("who").hidden = !signedIn;
  if (signedIn && viewer) {
    const who = viewer.name ?? viewer.tokenName ?? viewer.staffId ?? "";
    document.getElementById("who-label").textContent = `${who ? `${who} · ` : ""}${te(viewer.role)}`;
    const portfolioLink = document.querySelector('#nav a[data-nav="portfolio"]');
    portfolioLink.hidden = false;
  }
}

function signInView(message = "") {
  showFrame(false);
  document.title = `${t("Sign in")} · kamgraph`;
  main.innerHTML = `
    <section class="panel signin" aria-labelledby="signin-title">
      <h1 id="signin-title">${t("Sign in to kamgraph")}</h1>
      <p class="muted">${t("Paste your API token (create one with {command}). It is kept in this browser tab only.", { command: "<code>kamgraph token create</code>" })}</p>
      ${message ? `<p class="error" role="alert">${esc(message)}</p>` : ""}
      <form id="signin-form">
        <div class="field">
          <label for="token">${t("API token")}</label>
          <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false">
        </div>
        <button class="btn" type="submit">${t("Sign in")}</button>
        ${demoToken ? `<button class="btn secondary" type="button" id="demo-signin">${t("Use the demo token (development)")}</button>` : ""}
      </form>
    </section>`;
  const tryToken = async (token) => {
    setToken(token.trim());
    try {
      viewer = await loadViewer();
    } catch (err) {
      setToken(null);
      signInView(err.message);
      return;
    }
    if (!viewer) {
      setToken(null);
      signInView(t("That token was not accepted."));
      return;
    }
    if (!location.hash || location.hash === "#/" || location.hash === "#/signin") location.hash = "#/accounts";
    else route();
  };
  document.getElementById("signin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    tryToken(document.getElementById("token").value);
  });
  document.getElementById("demo-signin")?.addEventListener("click", () => tryToken(demoToken));
  document.getElementById("token").focus();
}

async function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  if (!getToken()) return signInView();
  if (!viewer) {
    try {
      viewer = await loadViewer();
    } catch (err) {
      main.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
      return;
    }
    if (!viewer) {
      setToken(null);
      return signInView(t("Your session has expired; sign in again."));
    }
  }
  try {
    referenceLoaded ??= loadReferenceDate();
    await referenceLoaded;
  } catch (err) {
    referenceLoaded = null;
    main.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
    return;
  }
  showFrame(true);
  const hash = location.hash || "#/accounts";
  for (const [pattern, pick] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      const view = pick();
      setNav(view.nav);
      // Each visit renders into its own container: a slower earlier visit that finishes late
      // writes into a detached node and is ignored.
      const visit = ++visits;
      const box = document.createElement("div");
      box.innerHTML = `<p class="loading" role="status">${t("Loading…")}</p>`;
      main.replaceChildren(box);
      try {
        const done = (await view.render(box, { params: m.slice(1).map((p) => (p ? decodeURIComponent(p) : p)), viewer })) ?? null;
        if (visit !== visits) {
          done?.();
          return;
        }
        cleanup = done;
      } catch (err) {
        if (visit !== visits) return;
        if (err instanceof GraphQLError && err.unauthorized) {
          setToken(null);
          viewer = null;
          return signInView(t("Your session has expired; sign in again."));
        }
        box.innerHTML = `<section class="panel"><h1>${t("Cannot show this page")}</h1>
          <p class="notice" role="alert" data-testid="page-error">${esc(err.message)}</p>
          <p><a href="#/accounts">${t("Back to your accounts")}</a></p></section>`;
      }
      main.focus({ preventScroll: true });
      return;
    }
  }
  location.hash = "#/accounts";
}

document.getElementById("sign-out").addEventListener("click", () => {
  setToken(null);
  viewer = null;
  location.hash = "#/signin";
  signInView();
});

if (environment === "development") document.getElementById("dev-banner").hidden = false;
document.getElementById("locale-switch").addEventListener("change", (ev) => setLocale(ev.target.value));
onLocaleChange(() => {
  applyShell();
  route(); // the page again, in the new language
});
applyShell();
window.addEventListener("hashchange", route);
route();
