// Every GraphQL document the page sends, in one place. Enum values arrive in their GraphQL casing
// everywhere (STRATEGIC, USER_BUYER), in typed fields and inside JSON values (whose keys are
// snake_case); model.js turns them into the views' models.

/** Who is signed in (a server without `viewer` falls back to VIEWER_FALLBACK). */
export const VIEWER = `query Viewer { viewer { role staffId tokenName } }`;
export const VIEWER_FALLBACK = `query SignInProbe { accounts(first: 1) { totalCount } }`;
/** The day the server analyses when no `asOf` is given. */
export const REFERENCE_DATE = `query ReferenceDate { referenceDate }`;

export const ACCOUNTS = `
query Accounts($first: Int!, $after: String, $orderBy: AccountOrder!, $filter: AccountFilterInput, $asOf: Date) {
  accounts(first: $first, after: $after, orderBy: $orderBy, filter: $filter, asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name tier annualRevenue revenueAtRisk
      health { score band evidence }
      analysis { coverage { score } threads { threads } }
    } }
  }
}`;

const COVERAGE = `coverage { score roles { role covered strength holderIds } }
    levelCoverage { level covered strength }`;

export const ACCOUNT = `
query Account($id: ID!, $asOf: Date) {
  account(id: $id, asOf: $asOf) {
    id name tier annualRevenue asOf revenueAtRisk exposed
    health {
      score band evidence relationshipScore relationshipBand
      components { name score weight }
      missing { name reason }
    }
    relationshipMap {
      placeholders { role weight }
      staff { staffId name title teamRole onTeam }
      contacts former orgLines influenceLines tieColumns ties tieCount
    }
    analysis {
      ${COVERAGE}
      threads { threads articulationPoints singlePointsOfContact { personId side } }
      ties(first: 100, kind: STAFF_CONTACT) {
        a b strength raw floor assessedLevel band interactions lastAt goingCold
        evidence { interactionId kind at ageDays weight decay contribution }
      }
      contactTies: ties(first: 100, kind: CONTACT_CONTACT) {
        a b strength raw band interactions lastAt goingCold
        evidence { interactionId kind at ageDays weight decay contribution }
      }
      config
    }
  }
}`;

const CHANGES = `change key fields before after`;

export const ACCOUNT_DIFF = `
query AccountDiff($id: ID!, $from: Date!, $to: Date) {
  accountDiff(id: $id, from: $from, to: $to) {
    __typename from to changes coverageBefore coverageAfter strengthTolerance
    people { ${CHANGES} } ties { ${CHANGES} } lines { ${CHANGES} } roles { ${CHANGES} } coverage { ${CHANGES} }
  }
}`;

export const PORTFOLIO_DIFF = `
query PortfolioDiff($from: Date!, $to: Date) {
  portfolioDiff(from: $from, to: $to) {
    from to added removed unchanged
    riskier { accountId name revenueAtRiskDelta healthBefore healthAfter coverageBefore coverageAfter }
    improved { accountId name revenueAtRiskDelta healthBefore healthAfter coverageBefore coverageAfter }
    newAlerts { kind severity accountId personId message evidence }
    resolvedAlerts { kind severity accountId personId message evidence }
  }
}`;

export const NEXT_ACTIONS = `
query NextActions($id: ID!, $asOf: Date) {
  account(id: $id, asOf: $asOf) {
    recommendedActions(first: 3) {
      staffId contactId introducerId coverageBefore coverageAfter coverageGain value revenueProtected
      threadsBefore threadsAfter levelsClosed rolesImproved evidence
    }
  }
}`;

export const PORTFOLIO_ACTIONS = `
query PortfolioActions($asOf: Date) {
  portfolio(asOf: $asOf) {
    recommendedActions(first: 10, accounts: 20) {
      accountId name
      action { staffId contactId value coverageBefore coverageAfter evidence staff { name } contact { name } }
    }
  }
}`;

export const JOURNAL = `
query Journal($id: ID!) {
  account(id: $id) {
    auditTrail(first: 10) { id at kind actor role staffId action detail }
    notes(first: 10) { id at kind actor role staffId action detail }
  }
}`;

export const LOG_INTERACTION = `
mutation Log($input: InteractionInput!) {
  recordInteraction(input: $input) {
    __typename ... on WriteResult { created updated } ... on Forbidden { message }
    ... on InvalidInput { field message } ... on NotFound { message }
  }
}`;

export const ASSESS_TIE = `
mutation Rate($input: AssessmentInput!) {
  assessTie(input: $input) {
    __typename ... on WriteResult { created updated } ... on Forbidden { message }
    ... on InvalidInput { field message } ... on NotFound { message }
  }
}`;

export const ADD_NOTE = `
mutation Note($id: ID!, $text: String!) {
  addNote(accountId: $id, text: $text) {
    __typename ... on JournalEntry { id } ... on Forbidden { message }
    ... on InvalidInput { field message } ... on NotFound { message }
  }
}`;

export const PLAN = `
query Plan($id: ID!, $asOf: Date) {
  account(id: $id, asOf: $asOf) {
    plan { targetCoverage coverage summary keyContacts { contactId targetLevel }
      actions { id title ownerId contactId due status source overdue } }
  }
}`;

export const SET_PLAN_GOALS = `
mutation SetPlanGoals($id: ID!, $target: Float, $summary: String) {
  setAccountPlan(accountId: $id, targetCoverage: $target, summary: $summary) {
    __typename ... on AccountPlan { targetCoverage } ... on Forbidden { message } ... on InvalidInput { message }
    ... on NotFound { message }
  }
}`;

export const ADD_PLAN_ACTION = `
mutation AddPlanAction($id: ID!, $title: String!, $owner: ID!, $contact: ID, $due: Date, $recommended: Boolean!) {
  addPlanAction(accountId: $id, title: $title, ownerId: $owner, contactId: $contact, due: $due, recommended: $recommended) {
    __typename ... on PlanAction { id } ... on Forbidden { message } ... on InvalidInput { message } ... on NotFound { message }
  }
}`;

export const UPDATE_PLAN_ACTION = `
mutation UpdatePlanAction($id: ID!, $status: String) {
  updatePlanAction(id: $id, status: $status) {
    __typename ... on PlanAction { id status } ... on Forbidden { message } ... on InvalidInput { message } ... on NotFound { message }
  }
}`;

export const WHAT_IF = `
query WhatIf($accountId: ID!, $remove: [ID!]!, $asOf: Date) {
  whatIf(accountId: $accountId, remove: $remove, asOf: $asOf) {
    __typename
    ... on WhatIf {
      coverageBefore coverageLost threadsBefore threadsLost revenueAtRisk rolesLost levelsLost
      ${COVERAGE}
      threads { threads }
    }
    ... on NotFound { message }
    ... on InvalidInput { message }
  }
}`;

export const PORTFOLIO = `
query Portfolio($asOf: Date) {
  portfolio(asOf: $asOf) {
    asOf materialised totals { accounts annualRevenue revenueAtRisk revenueRelationship revenueTurnover exposed
      revenueExposed red yellow green singleThreaded }
    accounts(first: 20) { accountId name tier annualRevenue revenueAtRisk revenueRelationship revenueTurnover exposed
      revenueExposed coverageScore threads healthScore healthBand
      uncoveredRoles singlePointsOfContact keyPersonId }
    people(first: 20) { personId name side revenueAtRisk accounts { accountId revenueAtRisk } }
    alerts(first: 100) { kind severity accountId personId message evidence }
    concentration(first: 12) { accountId name share }
  }
}`;

export const REFERRAL_NETWORK = `
query Referrals($rootId: ID!, $depth: Int!, $asOf: Date) {
  referralNetwork(rootId: $rootId, depth: $depth, asOf: $asOf) {
    asOf rootId accountIds
    edges {
      sourceId targetId status
      source { name } target { name }
      referrals { sourceId sourceKind at status value viaContact }
    }
    root {
      received { sourceId sourceKind at status value creditedTo viaContact }
      attributed { direct indirect total decay }
      conversion { won lost lead rate }
    }
  }
}`;

/** The whole network's edges, to find who referred an account (the rooted view follows referrals forward). */
export const REFERRALS_RECEIVED = `
query ReferralsReceived($asOf: Date) {
  referralNetwork(asOf: $asOf) {
    edges { sourceId targetId status source { name } referrals { at status value viaContact } }
  }
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

// The alert inbox (views/alerts.js).
const ALERT_STATE = `key status snoozedUntil ownerId ownerName accountName ageDays openSince changedBy changedAt notified
    alert { kind severity accountId personId message evidence }`;
const ALERT_RESULT = `__typename
    ... on AlertState { ${ALERT_STATE} }
    ... on NotFound { message }
    ... on Forbidden { message }
    ... on InvalidInput { message field }`;

export const ALERT_INBOX = `
query AlertInbox($first: Int!, $after: String) {
  alertInbox(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { ${ALERT_STATE} }
  }
}`;
export const ACKNOWLEDGE_ALERT = `mutation AcknowledgeAlert($key: ID!) { acknowledgeAlert(key: $key) { ${ALERT_RESULT} } }`;
export const SNOOZE_ALERT = `mutation SnoozeAlert($key: ID!, $until: Date!) { snoozeAlert(key: $key, until: $until) { ${ALERT_RESULT} } }`;
export const RESOLVE_ALERT = `mutation ResolveAlert($key: ID!, $note: String) { resolveAlert(key: $key, note: $note) { ${ALERT_RESULT} } }`;
