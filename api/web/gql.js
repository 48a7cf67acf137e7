// GraphQL client of the kamgraph page: the page is one more app calling /graphql.
import { t } from "./i18n.js";
const TOKEN_KEY = "kamgraph.token";

export class GraphQLError extends Error {
  constructor(message, { status = 0, errors = [] } = {}) {
    super(message);
    this.name = "GraphQLError";
    this.status = status;
    this.errors = errors;
  }
  get unauthorized() {
    return this.status === 401 || this.errors.some((e) => e?.extensions?.code === "UNAUTHENTICATED");
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Run one GraphQL operation; resolves to `data` or rejects with a GraphQLError. */
export async function gql(query, variables = {}, token = getToken()) {
  const headers = { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new GraphQLError(t("The server cannot be reached ({reason}).", { reason: err.message }));
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const errors = body?.errors ?? [];
  if (!response.ok && !body?.data) {
    const msg = errors[0]?.message ?? t("The server answered {status}.", { status: response.status });
    throw new GraphQLError(msg, { status: response.status, errors });
  }
  if (errors.length && !body?.data) {
    throw new GraphQLError(errors.map((e) => e.message).join("; "), { status: response.status, errors });
  }
  if (errors.length) {
    // Partial data: surface the first error but keep going where the data allows.
    console.warn("GraphQL errors", errors);
  }
  return body.data;
}

/** A typed union result (`... on NotFound { message }` etc.) into data or a thrown error. */
export function unwrap(result, wanted, missing = null) {
  if (!result) throw new GraphQLError(missing ?? t("Not found, or not visible to you."));
  if (result.__typename && result.__typename !== wanted && typeof result.message === "string") {
    throw new GraphQLError(result.message, { errors: [{ message: result.message, extensions: { code: result.__typename } }] });
  }
  return result;
}
