"""Every Cypher statement of the Neo4j store, one named constant each.

Rules every statement follows (and ``python -m tools.cypher_lint`` checks each one with
Neo4j's own linter in CI):

* Values are parameters only (``$rows``, ``$ids``, ...); nothing is ever formatted into a
  statement. Labels and relationship types are written literally, only from
  :data:`LABELS` and :data:`RELATIONSHIP_TYPES`; no statement is composed at run time.
* Writes are ``UNWIND $rows AS row`` batches that ``MERGE`` on identities, so a managed
  transaction the driver retries leaves the same graph.
* Reads return maps (``n {.*}``, ``r {.*, <end ids>}``) parsed by
  :mod:`graph.backends.neo4j.records`.

The graph: ``(:Account)``, ``(:Person:Contact)``, ``(:Person:Staff)``, ``(:Interaction)``
with the relationship types of the design (``WORKS_AT``, ``REPORTS_TO``, ``INFLUENCES``,
``ON_TEAM``, ``PARTICIPATED``, ``ABOUT``, ``ASSESSED``, ``REFERRED``), the account's business
signals ``(:Account)-[:HAS_SIGNAL]->(:Signal)`` (``uid`` ``<kind>:<key>``, ``kind``, ``at`` the
day it is visible from, ``fields`` the record as canonical JSON, ``contacts`` the contacts it
names), plus the store's own
``(:AnalysisResult)``, ``(:ApiToken)`` and ``(:Setting)`` nodes. An account's data version is its
``data_version`` property: it grows by one with every write that changes the account's data.

Examples
--------
>>> "$rows" in UPSERT_ACCOUNTS and UPSERT_ACCOUNTS.lstrip().startswith("UNWIND")
True
>>> sorted(RELATIONSHIP_TYPES)[:3]
['ABOUT', 'ASSESSED', 'HAS_SIGNAL']
"""

from __future__ import annotations

__all__ = [
    "LABELS",
    "RELATIONSHIP_TYPES",
    "SCHEMA_STATEMENTS",
]

#: Every node label a statement may use.
LABELS: frozenset[str] = frozenset(
    {
        "Account",
        "Person",
        "Contact",
        "Staff",
        "Interaction",
        "Signal",
        "AnalysisResult",
        "ApiToken",
        "Setting",
    }
)

#: Every relationship type a statement may use.
RELATIONSHIP_TYPES: frozenset[str] = frozenset(
    {
        "WORKS_AT",
        "REPORTS_TO",
        "INFLUENCES",
        "ON_TEAM",
        "PARTICIPATED",
        "ABOUT",
        "ASSESSED",
        "REFERRED",
        "HAS_SIGNAL",
    }
)

# -- schema (run by init(), one statement at a time) ---------------------------------------

CREATE_ACCOUNT_ID = "CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.id IS UNIQUE"
CREATE_PERSON_ID = "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE"
CREATE_CONTACT_ID = "CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (n:Contact) REQUIRE n.id IS UNIQUE"
CREATE_STAFF_ID = "CREATE CONSTRAINT staff_id IF NOT EXISTS FOR (n:Staff) REQUIRE n.id IS UNIQUE"
CREATE_INTERACTION_ID = (
    "CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE n.id IS UNIQUE"
)
CREATE_RESULT_KEY = (
    "CREATE CONSTRAINT analysis_result_key IF NOT EXISTS "
    "FOR (n:AnalysisResult) REQUIRE (n.kind, n.account_id, n.as_of) IS UNIQUE"
)
CREATE_TOKEN_HASH = (
    "CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.token_hash IS UNIQUE"
)
CREATE_SETTING_KEY = "CREATE CONSTRAINT setting_key IF NOT EXISTS FOR (n:Setting) REQUIRE n.key IS UNIQUE"
CREATE_SIGNAL_UID = "CREATE CONSTRAINT signal_uid IF NOT EXISTS FOR (n:Signal) REQUIRE n.uid IS UNIQUE"
CREATE_PERSON_EMAIL_INDEX = "CREATE INDEX person_email IF NOT EXISTS FOR (n:Person) ON (n.email)"
#: Every interaction read starts from an account or a person, so an index on the instant only
#: cost each write its upkeep (an earlier schema had one).
DROP_INTERACTION_AT_INDEX = "DROP INDEX interaction_at IF EXISTS"
CREATE_WORKS_AT_SINCE_INDEX = "CREATE INDEX works_at_since IF NOT EXISTS FOR ()-[r:WORKS_AT]-() ON (r.since)"
CREATE_ACCOUNT_PENDING_INDEX = (
    "CREATE INDEX account_data_pending IF NOT EXISTS FOR (n:Account) ON (n.data_pending)"
)

#: Influence lines written before lines had a kind are of kind ``influences`` (the kind is part
#: of a line's identity since typed contact-contact relations).
SET_INFLUENCE_KIND = """
MATCH (:Contact)-[r:INFLUENCES]->(:Contact)
WHERE r.kind IS NULL
SET r.kind = $kind
"""

#: The statements ``init()`` runs, in order (all idempotent).
SCHEMA_STATEMENTS: tuple[str, ...] = (
    CREATE_ACCOUNT_ID,
    CREATE_PERSON_ID,
    CREATE_CONTACT_ID,
    CREATE_STAFF_ID,
    CREATE_INTERACTION_ID,
    CREATE_RESULT_KEY,
    CREATE_TOKEN_HASH,
    CREATE_SETTING_KEY,
    CREATE_SIGNAL_UID,
    CREATE_PERSON_EMAIL_INDEX,
    DROP_INTERACTION_AT_INDEX,
    CREATE_WORKS_AT_SINCE_INDEX,
    CREATE_ACCOUNT_PENDING_INDEX,
)


#: Test-only: deletes up to 5,000 nodes and their relationships; ``wipe()`` repeats it until
#: the database is empty (one transaction for a large graph exhausts the server's transaction
#: memory, and so does ``CALL { } IN TRANSACTIONS`` over one ``MATCH (n)``).
WIPE = "MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted"

PING = "RETURN 1 AS ok"

#: Waits (up to 300 s) until the indexes ``init()`` created are online.
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

# -- batch writes: UNWIND $rows, MERGE on identity ----------------------------------------

UPSERT_ACCOUNTS = """
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
SET a += row.props
"""

UPSERT_CONTACTS = """
UNWIND $rows AS row
MERGE (p:Person:Contact {id: row.id})
SET p += row.props
"""

UPSERT_STAFF = """
UNWIND $rows AS row
MERGE (p:Person:Staff {id: row.id})
SET p += row.props
"""

UPSERT_EMPLOYMENTS = """
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (a:Account {id: row.account_id})
MERGE (c)-[r:WORKS_AT {since_key: row.since_key}]->(a)
SET r += row.props
"""

UPSERT_REPORTING_LINES = """
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (m:Contact {id: row.manager_id})
MERGE (c)-[r:REPORTS_TO]->(m)
SET r += row.props
"""

UPSERT_INFLUENCE_LINES = """
UNWIND $rows AS row
MATCH (s:Contact {id: row.source_id})
MATCH (t:Contact {id: row.target_id})
MERGE (s)-[r:INFLUENCES {kind: row.kind}]->(t)
SET r += row.props
"""

UPSERT_TEAM_MEMBERSHIPS = """
UNWIND $rows AS row
MATCH (s:Staff {id: row.staff_id})
MATCH (a:Account {id: row.account_id})
MERGE (s)-[r:ON_TEAM {team_role: row.team_role}]->(a)
SET r += row.props
"""

#: Removes the PARTICIPATED and ABOUT links of updated interactions before they are rewritten.
UNLINK_INTERACTIONS = """
UNWIND $ids AS interaction_id
MATCH (i:Interaction {id: interaction_id})-[r:PARTICIPATED|ABOUT]-()
DELETE r
"""

#: An interaction and its links in one pass. The links are CREATEd: the batch writes only new
#: interactions and updated ones whose links UNLINK_INTERACTIONS removed first, in the same
#: transaction, so none of them has a link yet (one statement instead of three, no MERGE scans).
WRITE_INTERACTIONS = """
UNWIND $rows AS row
MERGE (i:Interaction {id: row.id})
SET i += row.props, i.at = datetime(row.at)
WITH i, row
CALL (i, row) {
  UNWIND row.participants AS person_id
  MATCH (p:Person {id: person_id})
  CREATE (p)-[:PARTICIPATED]->(i)
}
CALL (i, row) {
  UNWIND row.accounts AS account_id
  MATCH (a:Account {id: account_id})
  CREATE (i)-[:ABOUT]->(a)
}
"""

#: New interactions and their links, for an import's interaction writers (see
#: ``Neo4jStore.write_many``): CREATE, no MERGE, since the batch's read found none of the ids;
#: the properties inline (a null one is not stored, as ``SET +=`` would drop it) and the ends
#: matched by list, about a tenth faster than WRITE_INTERACTIONS on the demo portfolio. The
#: properties are those of ``records.interaction_row``.
CREATE_INTERACTIONS = """
UNWIND $rows AS row
CREATE (i:Interaction {
  id: row.id, at: datetime(row.at), kind: row.props.kind, source: row.props.source, subject: row.props.subject
})
WITH i, row
CALL (i, row) {
  MATCH (p:Person) WHERE p.id IN row.participants
  CREATE (p)-[:PARTICIPATED]->(i)
}
CALL (i, row) {
  MATCH (a:Account) WHERE a.id IN row.accounts
  CREATE (i)-[:ABOUT]->(a)
}
"""

#: Holds the node locks of the accounts given until the transaction ends (their data changed;
#: a subgraph read of one of them waits, see ``Neo4jStore.account_subgraph``).
LOCK_ACCOUNTS = """
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
SET a.read_lock = true
REMOVE a.read_lock
"""

UPSERT_ASSESSMENTS = """
UNWIND $rows AS row
MATCH (s:Staff {id: row.staff_id})
MATCH (c:Contact {id: row.contact_id})
MERGE (s)-[r:ASSESSED {at: row.at}]->(c)
SET r += row.props
"""

UPSERT_ACCOUNT_REFERRALS = """
UNWIND $rows AS row
MATCH (s:Account {id: row.source_id})
MATCH (t:Account {id: row.target_id})
MERGE (s)-[r:REFERRED]->(t)
SET r += row.props
"""

UPSERT_CONTACT_REFERRALS = """
UNWIND $rows AS row
MATCH (s:Contact {id: row.source_id})
MATCH (t:Account {id: row.target_id})
MERGE (s)-[r:REFERRED]->(t)
SET r += row.props
"""

#: Business signals by uid; a signal that moved to another account leaves the old one.
UPSERT_SIGNALS = """
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MERGE (s:Signal {uid: row.uid})
SET s.kind = row.kind, s.account_id = row.account_id, s.at = row.at, s.fields = row.fields,
    s.contacts = row.contacts
WITH a, s
OPTIONAL MATCH (s)<-[old:HAS_SIGNAL]-(other:Account)
WHERE other <> a
DELETE old
WITH DISTINCT a, s
MERGE (a)-[:HAS_SIGNAL]->(s)
"""

#: Rewrites the fields and named contacts of signals (a merge of two contacts).
SET_SIGNAL_FIELDS = """
UNWIND $rows AS row
MATCH (s:Signal {uid: row.uid})
SET s.fields = row.fields, s.contacts = row.contacts
"""

#: Removes referrals by identity (source id, target id), whatever the source's kind.
DELETE_REFERRALS = """
UNWIND $rows AS row
MATCH (t:Account {id: row.target_id})<-[r:REFERRED]-(s)
WHERE s.id = row.source_id
DELETE r
"""

#: Adds one to the data version of every account given (a missing version counts as 0).
BUMP_DATA_VERSIONS = """
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
SET a.data_version = coalesce(a.data_version, 0) + 1
"""

#: Marks the accounts given as changed by an import still running (see BUMP_PENDING_DATA_VERSIONS).
MARK_DATA_PENDING = """
UNWIND $account_ids AS account_id
MATCH (a:Account {id: account_id})
SET a.data_pending = true
"""

#: The end of an import: one bump for every account marked pending, and the mark cleared.
BUMP_PENDING_DATA_VERSIONS = """
MATCH (a:Account)
WHERE a.data_pending = true
SET a.data_version = coalesce(a.data_version, 0) + 1
REMOVE a.data_pending
"""

# -- edits ---------------------------------------------------------------------------------

DELETE_PERSON = """
MATCH (p:Person {id: $id})
DETACH DELETE p
"""

SET_ACCOUNT_OWNER = """
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
SET a.owner = $owner
"""

# -- reads: nodes --------------------------------------------------------------------------

GET_ACCOUNTS = """
MATCH (a:Account)
WHERE a.id IN $ids
RETURN a {.*} AS row
"""

#: The accounts of ``$ids`` whose subgraphs are read, each node locked until the transaction
#: ends (writes that touch one of them wait; see ``Neo4jStore.account_subgraphs``), in the order
#: of ``$ids`` (sorted by the caller, so that two reads lock their common accounts in one order).
LOCK_SUBGRAPH_ACCOUNTS = """
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
SET a.read_lock = true
REMOVE a.read_lock
RETURN a {.*} AS row
"""

GET_PEOPLE = """
MATCH (p:Person)
WHERE p.id IN $ids
RETURN CASE WHEN p:Staff THEN 'staff' ELSE 'contact' END AS kind, p {.*} AS row
"""

ACCOUNTS_OWNED_BY = """
MATCH (a:Account)
WHERE a.owner = $owner
RETURN a.id AS id
"""

FIND_PEOPLE_BY_EMAIL = """
MATCH (p:Person)
WHERE p.email IN $emails
RETURN p.id AS id, CASE WHEN p:Staff THEN 'staff' ELSE 'contact' END AS kind, p {.*} AS row
ORDER BY id
"""

FIND_ACCOUNTS_BY_DOMAIN = """
UNWIND $domains AS domain
MATCH (a:Account)
WHERE domain IN a.domains
RETURN domain, a.id AS id, a {.*} AS row
ORDER BY domain, id
"""

LIST_ACCOUNTS = """
MATCH (a:Account)
WHERE ($after IS NULL OR a.id > $after)
  AND ($tier IS NULL OR a.tier = $tier)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($region IS NULL OR a.region = $region)
  AND ($ids IS NULL OR a.id IN $ids)
  AND ($name_contains IS NULL OR toLower(a.name) CONTAINS toLower($name_contains))
RETURN a.id AS id, a {.*} AS row
ORDER BY id
LIMIT $limit
"""

ACCOUNTS_PAGE = """
MATCH (a:Account)
WHERE $after IS NULL OR a.id > $after
RETURN a.id AS id, a {.*} AS row
ORDER BY id
LIMIT $limit
"""

CONTACTS_PAGE = """
MATCH (p:Contact)
WHERE $after IS NULL OR p.id > $after
RETURN p.id AS id, p {.*} AS row
ORDER BY id
LIMIT $limit
"""

STAFF_PAGE = """
MATCH (p:Staff)
WHERE $after IS NULL OR p.id > $after
RETURN p.id AS id, p {.*} AS row
ORDER BY id
LIMIT $limit
"""

#: The row of one interaction ``i`` in every interaction read: its instant as ISO text (the
#: driver's temporal hydration was most of the time of reading many), its participants and
#: accounts. Lower case: a fragment, not a statement of its own.
_interaction_map = """i {
  .*,
  at: toString(i.at),
  participants: [(p:Person)-[:PARTICIPATED]->(i) | p.id],
  accounts: [(i)-[:ABOUT]->(x:Account) | x.id]
}"""

INTERACTIONS_PAGE = f"""
MATCH (i:Interaction)
WHERE $after IS NULL OR i.id > $after
WITH i
ORDER BY i.id
LIMIT $limit
RETURN i.id AS id, {_interaction_map} AS row
ORDER BY id
"""

SEARCH_ACCOUNTS = """
MATCH (a:Account)
WHERE toLower(a.name) CONTAINS $text OR toLower(a.id) CONTAINS $text
RETURN 'account' AS kind, a.id AS id, a.name AS name, a.industry AS detail
ORDER BY name, id
LIMIT $limit
"""

SEARCH_PEOPLE = """
MATCH (p:Person)
WHERE toLower(p.name) CONTAINS $text OR p.email CONTAINS $text
RETURN CASE WHEN p:Staff THEN 'staff' ELSE 'contact' END AS kind, p.id AS id, p.name AS name,
       coalesce(p.email, p.title) AS detail
ORDER BY name, id
LIMIT $limit
"""

#: The data versions of the accounts ``$ids`` (an index seek: asked for on every API request).
DATA_VERSIONS_OF = """
MATCH (a:Account)
WHERE a.id IN $ids AND a.data_version IS NOT NULL
RETURN a.id AS id, a.data_version AS version
ORDER BY id
"""

#: The data version of every account.
ALL_DATA_VERSIONS = """
MATCH (a:Account)
WHERE a.data_version IS NOT NULL
RETURN a.id AS id, a.data_version AS version
ORDER BY id
"""

# -- reads: lines --------------------------------------------------------------------------

EMPLOYMENTS_AT_ACCOUNTS = """
MATCH (c:Contact)-[r:WORKS_AT]->(a:Account)
WHERE a.id IN $ids
RETURN collect(r {.*, contact_id: c.id, account_id: a.id}) AS rows
"""

EMPLOYMENTS_OF_CONTACTS = """
MATCH (c:Contact)-[r:WORKS_AT]->(a:Account)
WHERE c.id IN $ids
RETURN collect(r {.*, contact_id: c.id, account_id: a.id}) AS rows
"""

ALL_EMPLOYMENTS = """
MATCH (c:Contact)-[r:WORKS_AT]->(a:Account)
RETURN r {.*, contact_id: c.id, account_id: a.id} AS row
"""

#: Contacts with a position that started in the window (``$since`` exclusive, ``$as_of`` inclusive).
CONTACTS_WITH_NEW_POSITIONS = """
MATCH (c:Contact)-[r:WORKS_AT]->(:Account)
WHERE r.since IS NOT NULL AND r.since <= $as_of AND ($since IS NULL OR r.since > $since)
RETURN DISTINCT c.id AS id
"""

#: Lines at either end of the contacts. The people are found by index first: ``WHERE c.id IN
#: $ids OR m.id IN $ids`` over the pattern scanned every line of the graph.
REPORTING_LINES_OF_CONTACTS = """
MATCH (x:Contact)
WHERE x.id IN $ids
MATCH (x)-[r:REPORTS_TO]-(:Contact)
WITH DISTINCT r
MATCH (c:Contact)-[r]->(m:Contact)
RETURN collect(r {.*, contact_id: c.id, manager_id: m.id}) AS rows
"""

ALL_REPORTING_LINES = """
MATCH (c:Contact)-[r:REPORTS_TO]->(m:Contact)
RETURN r {.*, contact_id: c.id, manager_id: m.id} AS row
"""

INFLUENCE_LINES_OF_CONTACTS = """
MATCH (x:Contact)
WHERE x.id IN $ids
MATCH (x)-[r:INFLUENCES]-(:Contact)
WITH DISTINCT r
MATCH (s:Contact)-[r]->(t:Contact)
RETURN collect(r {.*, source_id: s.id, target_id: t.id}) AS rows
"""

ALL_INFLUENCE_LINES = """
MATCH (s:Contact)-[r:INFLUENCES]->(t:Contact)
RETURN r {.*, source_id: s.id, target_id: t.id} AS row
"""

TEAM_OF_ACCOUNTS = """
MATCH (s:Staff)-[r:ON_TEAM]->(a:Account)
WHERE a.id IN $ids
RETURN collect(r {.*, staff_id: s.id, account_id: a.id}) AS rows
"""

TEAM_OF_STAFF = """
MATCH (s:Staff)-[r:ON_TEAM]->(a:Account)
WHERE s.id IN $ids
RETURN collect(r {.*, staff_id: s.id, account_id: a.id}) AS rows
"""

ALL_TEAM_MEMBERSHIPS = """
MATCH (s:Staff)-[r:ON_TEAM]->(a:Account)
RETURN r {.*, staff_id: s.id, account_id: a.id} AS row
"""

ASSESSMENTS_OF_PEOPLE = """
MATCH (x:Person)
WHERE x.id IN $ids
MATCH (x)-[r:ASSESSED]-(:Person)
WITH DISTINCT r
MATCH (s:Staff)-[r]->(c:Contact)
RETURN collect(r {.*, staff_id: s.id, contact_id: c.id}) AS rows
"""

SIGNALS_BY_UID = """
MATCH (s:Signal)
WHERE s.uid IN $ids
RETURN collect(s {.uid, .kind, .account_id, .fields}) AS rows
"""

#: The business signals of the accounts of ``$ids`` visible on ``$day``, in one record.
SIGNALS_OF_ACCOUNTS = """
UNWIND $ids AS account_id
MATCH (:Account {id: account_id})-[:HAS_SIGNAL]->(s:Signal)
WHERE s.at <= $day
RETURN collect({account_id: account_id, kind: s.kind, fields: s.fields}) AS rows
"""

SIGNALS_OF_CONTACT = """
MATCH (s:Signal)
WHERE $id IN s.contacts
RETURN s.uid AS uid, s.kind AS kind, s.account_id AS account_id, s.fields AS fields
"""

SIGNALS_OF_KIND = """
MATCH (s:Signal {kind: $kind})
RETURN s.fields AS fields
ORDER BY s.uid
"""

COUNT_SIGNALS = """
MATCH (s:Signal)
RETURN s.kind AS kind, count(s) AS n
"""

ALL_ASSESSMENTS = """
MATCH (s:Staff)-[r:ASSESSED]->(c:Contact)
RETURN r {.*, staff_id: s.id, contact_id: c.id} AS row
"""

REFERRALS_TO_ACCOUNTS = """
MATCH (s)-[r:REFERRED]->(t:Account)
WHERE t.id IN $ids AND (s:Account OR s:Contact)
RETURN collect(r {.*, source_id: s.id, source_kind: CASE WHEN s:Account THEN 'account' ELSE 'contact' END,
          target_id: t.id}) AS rows
"""

REFERRALS_FROM = """
MATCH (s)-[r:REFERRED]->(t:Account)
WHERE s.id IN $ids AND (s:Account OR s:Contact)
RETURN collect(r {.*, source_id: s.id, source_kind: CASE WHEN s:Account THEN 'account' ELSE 'contact' END,
          target_id: t.id}) AS rows
"""

ALL_REFERRALS = """
MATCH (s)-[r:REFERRED]->(t:Account)
WHERE s:Account OR s:Contact
RETURN r {.*, source_id: s.id, source_kind: CASE WHEN s:Account THEN 'account' ELSE 'contact' END,
          target_id: t.id} AS row
"""

# -- reads: interactions (each with all its participants and accounts) ---------------------

INTERACTIONS_BY_IDS = f"""
MATCH (i:Interaction)
WHERE i.id IN $ids
RETURN collect({_interaction_map}) AS rows
"""

#: The interactions of the subgraphs of several accounts (``$account_ids``), strictly before
#: ``$end``: those ABOUT one of the accounts and those of their people (``$ids``), each once
#: (most are both: one read instead of two). All in one record: the driver's cost per record
#: was most of the time of reading hundreds.
INTERACTIONS_OF_ACCOUNTS = f"""
CALL () {{
  UNWIND $account_ids AS account_id
  MATCH (i:Interaction)-[:ABOUT]->(:Account {{id: account_id}})
  WHERE i.at < $end
  RETURN i
  UNION
  MATCH (q:Person)-[:PARTICIPATED]->(i:Interaction)
  WHERE q.id IN $ids AND i.at < $end
  RETURN i
}}
RETURN collect({_interaction_map}) AS rows
"""

#: Interactions with one of the people among the participants, strictly before ``$end``.
INTERACTIONS_OF_PEOPLE = f"""
MATCH (q:Person)-[:PARTICIPATED]->(i:Interaction)
WHERE q.id IN $ids AND i.at < $end
WITH DISTINCT i
RETURN collect({_interaction_map}) AS rows
"""

# -- counts --------------------------------------------------------------------------------

COUNT_ACCOUNTS = "MATCH (n:Account) RETURN count(n) AS n"
COUNT_CONTACTS = "MATCH (n:Contact) RETURN count(n) AS n"
COUNT_STAFF = "MATCH (n:Staff) RETURN count(n) AS n"
COUNT_INTERACTIONS = "MATCH (n:Interaction) RETURN count(n) AS n"
COUNT_EMPLOYMENTS = "MATCH (:Contact)-[r:WORKS_AT]->(:Account) RETURN count(r) AS n"
COUNT_REPORTING_LINES = "MATCH (:Contact)-[r:REPORTS_TO]->(:Contact) RETURN count(r) AS n"
COUNT_INFLUENCE_LINES = "MATCH (:Contact)-[r:INFLUENCES]->(:Contact) RETURN count(r) AS n"
COUNT_TEAM_MEMBERSHIPS = "MATCH (:Staff)-[r:ON_TEAM]->(:Account) RETURN count(r) AS n"
COUNT_ASSESSMENTS = "MATCH (:Staff)-[r:ASSESSED]->(:Contact) RETURN count(r) AS n"
COUNT_REFERRALS = "MATCH ()-[r:REFERRED]->(:Account) RETURN count(r) AS n"

# -- materialised results and tokens -------------------------------------------------------

PUT_RESULTS = """
UNWIND $rows AS row
MERGE (r:AnalysisResult {kind: row.kind, account_id: row.account_id, as_of: row.as_of})
SET r.payload = row.payload, r.data_version = row.data_version, r.computed_at = row.computed_at
"""

GET_RESULTS = """
MATCH (r:AnalysisResult)
WHERE r.kind = $kind AND r.as_of = $as_of AND ($ids IS NULL OR r.account_id IN $ids)
RETURN r {.*} AS row
"""

PUT_TOKEN = """
MERGE (t:ApiToken {token_hash: $token_hash})
SET t += $props
"""

#: Store-wide settings (the data's reference date), one ``(:Setting {key, value})`` node each.
PUT_SETTING = """
MERGE (s:Setting {key: $key})
SET s.value = $value
"""

GET_SETTING = """
MATCH (s:Setting {key: $key})
RETURN s.value AS value
"""

DELETE_SETTING = """
MATCH (s:Setting {key: $key})
DELETE s
"""

GET_TOKEN = """
MATCH (t:ApiToken {token_hash: $token_hash})
RETURN t {.*} AS row
"""

LIST_TOKENS = """
MATCH (t:ApiToken)
RETURN t.created_at AS created_at, t.token_hash AS token_hash, t {.*} AS row
ORDER BY created_at, token_hash
"""

REVOKE_TOKEN = """
MATCH (t:ApiToken {token_hash: $token_hash})
SET t.revoked = true
RETURN t.token_hash AS token_hash
"""
