// Every GraphQL document the page sends, in one place.

export const VIEWER = `query Viewer { viewer { role staffId tokenName } }`;
export const VIEWER_FALLBACK = `query SignInProbe { accounts(first: 1) { totalCount } }`;

/** Server orders of `accounts`; each has a fixed direction (see the schema). */
export const ACCOUNT_ORDERS = ["REVENUE_AT_RISK", "HEALTH", "REVENUE", "NAME"];

export const ACCOUNTS = `
query Accounts($first: Int!, $after: String, $orderBy: AccountOrder!, $filter: AccountFilterInput, $asOf: Date) {
  accounts(first: $first, after: $after, orderBy: $orderBy, filter: $filter, asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name tier annualRevenue
      health { score band }
      summary { coverageScore threads revenueAtRisk lastExecInteraction }
    } }
  }
}`;

const MAP_FIELDS = `
  relationshipMap {
    contacts { contactId name title level roles influence stance left managerId }
    staff { staffId name title teamRole onTeam }
    orgLines { source target }
    influenceLines { source target weight }
    ties { a b strength band raw goingCold lastAt assessedLevel
      evidence { interactionId kind at ageDays weight contribution } }
    placeholders { role }
  }
  coverage { score roles { role covered reach holders } levels { level covered strength } }
  risk { threads singlePointsOfContact cutVertices revenueAtRisk lastExecInteraction }`;

export const ACCOUNT = `
query Account($id: ID!, $asOf: Date) {
  account(id: $id, asOf: $asOf) {
    id name tier annualRevenue asOf
    health { score band }
    ${MAP_FIELDS}
  }
}`;

export const WHAT_IF = `
query WhatIf($accountId: ID!, $remove: [ID!]!, $asOf: Date) {
  whatIf(accountId: $accountId, remove: $remove, asOf: $asOf) {
    __typename
    ... on WhatIf { coverageScore threads revenueAtRisk
      coverage { score roles { role covered reach holders } levels { level covered strength } } }
    ... on NotFound { message }
    ... on Forbidden { message }
    ... on InvalidInput { message }
  }
}`;

export const PORTFOLIO = `
query Portfolio($asOf: Date) {
  portfolio(asOf: $asOf) {
    asOf totalRevenue totalRevenueAtRisk
    accounts { accountId name revenue revenueAtRisk healthScore healthBand coverageScore threads }
    people { personId name kind exposure accountIds }
    concentration { flag severe accounts { accountId name share } }
    alerts { kind severity accountId personId message }
  }
}`;

export const REFERRAL_NETWORK = `
query Referrals($rootId: ID!, $depth: Int, $asOf: Date) {
  referralNetwork(rootId: $rootId, depth: $depth, asOf: $asOf) {
    __typename
    ... on ReferralNetwork {
      nodes { id name }
      edges { source target status value at viaContact }
      attributed { direct indirect }
    }
    ... on NotFound { message }
    ... on Forbidden { message }
  }
}`;

export const SEARCH = `query Search($text: String!) { search(text: $text, first: 20) { kind id name detail } }`;

export const WARM_PATHS = `
query WarmPaths($toPersonId: ID!, $maxHops: Int, $first: Int) {
  warmPaths(toPersonId: $toPersonId, maxHops: $maxHops, first: $first) {
    strength
    hops { source target sourceName targetName kind strength explanation }
  }
}`;
