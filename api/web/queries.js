// Every GraphQL document the page sends, in one place. Analysis results arrive as JSON values
// (snake_case keys, lower-case enum values); model.js turns them into the views' models.

/** Who is signed in (a server without `viewer` falls back to VIEWER_FALLBACK). */
export const VIEWER = `query Viewer { viewer { role staffId tokenName } }`;
export const VIEWER_FALLBACK = `query SignInProbe { accounts(first: 1) { totalCount } }`;

export const ACCOUNTS = `
query Accounts($first: Int!, $after: String, $orderBy: AccountOrder!, $filter: AccountFilterInput, $asOf: Date) {
  accounts(first: $first, after: $after, orderBy: $orderBy, filter: $filter, asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name tier annualRevenue
      health { score band details }
      analysis { coverage threads revenueAtRisk }
    } }
  }
}`;

export const ACCOUNT = `
query Account($id: ID!, $asOf: Date) {
  account(id: $id, asOf: $asOf) {
    id name tier annualRevenue asOf
    health { score band details }
    relationshipMap
    analysis { coverage levelCoverage threads revenueAtRisk }
  }
}`;

export const WHAT_IF = `
query WhatIf($accountId: ID!, $remove: [ID!]!, $asOf: Date) {
  whatIf(accountId: $accountId, remove: $remove, asOf: $asOf) {
    __typename
    ... on WhatIfResult { revenueAtRisk details }
    ... on NotFound { message }
    ... on InvalidInput { message }
  }
}`;

export const PORTFOLIO = `
query Portfolio($asOf: Date) {
  portfolio(asOf: $asOf) { asOf accounts people alerts concentration totals }
}`;

export const REFERRAL_NETWORK = `
query Referrals($rootId: ID!, $depth: Int!, $asOf: Date) {
  referralNetwork(rootId: $rootId, depth: $depth, asOf: $asOf) { asOf rootId accountIds edges root }
}`;

export const ACCOUNT_NAMES = `
query AccountNames($ids: [ID!]!, $first: Int!) {
  accounts(filter: { ids: $ids }, first: $first) { edges { node { id name } } }
}`;

export const SEARCH = `query Search($text: String!) { search(text: $text, first: 20) { kind id name detail } }`;

export const WARM_PATHS = `
query WarmPaths($toPersonId: ID!, $maxHops: Int!, $first: Int!) {
  warmPaths(toPersonId: $toPersonId, maxHops: $maxHops, first: $first) {
    strength people
    hops { source target kind strength evidence }
  }
}`;

/** One query naming up to `ids.length` people by alias (p0, p1, ...). */
export function peopleQuery(ids) {
  const vars = ids.map((_, i) => `$p${i}: ID!`).join(", ");
  const fields = ids.map((_, i) => `p${i}: person(id: $p${i}) { id name title }`).join("\n  ");
  return `query People(${vars}) {\n  ${fields}\n}`;
}
