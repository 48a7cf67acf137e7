"""Every SQL statement of the embedded store, as named module constants.

Values are always bound as parameters (``?``); lists of values are passed as one JSON array
parameter and unpacked with ``json_each(?)``, so no statement is ever built from values.

Storage conventions:

* ``since`` is ``''`` when unknown (it is part of the employment key, and ``'' <= day`` keeps
  the as-of filters simple); ``until`` is ``NULL`` when open.
* Dates are ISO ``YYYY-MM-DD``; interaction timestamps are integer microseconds since the Unix
  epoch (UTC), so "up to the end of day D" is ``at < <midnight after D>``.
* An interaction keeps its participants and accounts as JSON arrays in its own row. The
  ``participation`` and ``about`` tables are posting lists: each write adds, per person and per
  account, one row with the JSON array of the interaction ids it wrote for them. That is one row
  per person per write instead of one per participant, which keeps bulk loads fast. Postings may
  name an interaction whose participants or accounts changed since; reads therefore fetch the
  candidates and keep those whose current participants or accounts match.
* The write path stages a batch in ``temp`` tables (``s_<kind>``, last record per identity
  wins), computes what changed into ``c_<kind>`` (``created`` 1 for new rows, 0 for updated
  ones), checks referential integrity set-wise, and upserts only the changed rows. New
  interactions skip the stage: a bulk load inserts them directly, batch by batch as they stream
  in (each batch inside a savepoint), and their posting lists go straight into
  ``participation``; the write falls back to the stage when a batch meets an interaction that
  exists already or repeats one (see ``store._Grouping``).

The staging statements of the ten record kinds follow one pattern and are generated from the
column lists below when this module is imported; they are still constants, built only from
fixed table and column names.

Examples
--------
>>> UPSERT["influence_line"].split(" ON CONFLICT ")[1]
'(source_id, target_id, kind) DO UPDATE SET weight = excluded.weight'
"""

from __future__ import annotations

__all__ = [
    "CHANGE_COUNTS",
    "COLUMNS",
    "DIFF",
    "KEYS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STAGE_CLEAR",
    "STAGE_COUNT",
    "STAGE_CREATE",
    "STAGE_INSERT",
    "UPSERT",
]

# -- schema and migrations -----------------------------------------------------------------

SCHEMA_V1: tuple[str, ...] = (
    """CREATE TABLE account (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT, region TEXT, tier TEXT NOT NULL,
        annual_revenue REAL NOT NULL, potential_revenue REAL NOT NULL, owner TEXT,
        domains TEXT NOT NULL, strategic_fit INTEGER, relationship_cost INTEGER
    ) WITHOUT ROWID""",
    "CREATE TABLE account_domain (domain TEXT NOT NULL, account_id TEXT NOT NULL, "
    "PRIMARY KEY (domain, account_id)) WITHOUT ROWID",
    """CREATE TABLE person (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, email TEXT, title TEXT,
        department TEXT, level TEXT, influence INTEGER, stance TEXT, political_status TEXT,
        team_role TEXT
    ) WITHOUT ROWID""",
    "CREATE INDEX person_email ON person (email) WHERE email IS NOT NULL",
    """CREATE TABLE employment (
        contact_id TEXT NOT NULL, account_id TEXT NOT NULL, since TEXT NOT NULL, until TEXT,
        title TEXT, department TEXT, level TEXT, roles TEXT NOT NULL,
        PRIMARY KEY (contact_id, account_id, since)
    ) WITHOUT ROWID""",
    "CREATE INDEX employment_account ON employment (account_id, since)",
    """CREATE TABLE reporting_line (
        contact_id TEXT NOT NULL, manager_id TEXT NOT NULL, since TEXT NOT NULL, until TEXT,
        PRIMARY KEY (contact_id, manager_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX reporting_line_manager ON reporting_line (manager_id)",
    """CREATE TABLE influence_line (
        source_id TEXT NOT NULL, target_id TEXT NOT NULL, weight REAL NOT NULL,
        PRIMARY KEY (source_id, target_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX influence_line_target ON influence_line (target_id)",
    """CREATE TABLE team_membership (
        staff_id TEXT NOT NULL, account_id TEXT NOT NULL, team_role TEXT NOT NULL,
        since TEXT NOT NULL, until TEXT, PRIMARY KEY (staff_id, account_id, team_role)
    ) WITHOUT ROWID""",
    "CREATE INDEX team_membership_account ON team_membership (account_id)",
    """CREATE TABLE interaction (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, source TEXT NOT NULL,
        subject TEXT, participants TEXT NOT NULL, accounts TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE TABLE participation (person_id TEXT NOT NULL, ids TEXT NOT NULL)",
    "CREATE INDEX participation_person ON participation (person_id)",
    "CREATE TABLE about (account_id TEXT NOT NULL, ids TEXT NOT NULL)",
    "CREATE INDEX about_account ON about (account_id)",
    """CREATE TABLE assessment (
        staff_id TEXT NOT NULL, contact_id TEXT NOT NULL, at TEXT NOT NULL, level TEXT NOT NULL,
        PRIMARY KEY (staff_id, contact_id, at)
    ) WITHOUT ROWID""",
    "CREATE INDEX assessment_contact ON assessment (contact_id)",
    """CREATE TABLE referral (
        source_id TEXT NOT NULL, target_id TEXT NOT NULL, source_kind TEXT NOT NULL,
        at TEXT NOT NULL, status TEXT NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (source_id, target_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX referral_target ON referral (target_id)",
    "CREATE TABLE data_version (account_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
    """CREATE TABLE result (
        kind TEXT NOT NULL, account_id TEXT NOT NULL, as_of TEXT NOT NULL, payload TEXT NOT NULL,
        data_version INTEGER NOT NULL, computed_at TEXT NOT NULL,
        PRIMARY KEY (kind, as_of, account_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE token (
        token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, staff_id TEXT,
        created_at TEXT NOT NULL, revoked INTEGER NOT NULL
    ) WITHOUT ROWID""",
)

#: Version 2: a staff member's last day with us (``person.until``, staff only), the dated
#: histories of stance, tier and revenue (their text form, see ``graph.model.history_text``)
#: store-wide settings such as the data's reference date, and the kind of an influence line
#: (part of its identity: the table is rebuilt with the new key).
SCHEMA_V2: tuple[str, ...] = (
    "ALTER TABLE person ADD COLUMN until TEXT",
    "ALTER TABLE person ADD COLUMN stance_history TEXT",
    "ALTER TABLE account ADD COLUMN tier_history TEXT",
    "ALTER TABLE account ADD COLUMN revenue_history TEXT",
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # typed contact-contact relations: a pair may have one line of each kind
    """CREATE TABLE influence_line_v2 (
        source_id TEXT NOT NULL, target_id TEXT NOT NULL, weight REAL NOT NULL, kind TEXT NOT NULL,
        PRIMARY KEY (source_id, target_id, kind)
    ) WITHOUT ROWID""",
    "INSERT INTO influence_line_v2 (source_id, target_id, weight, kind) "
    "SELECT source_id, target_id, weight, 'influences' FROM influence_line",
    "DROP TABLE influence_line",
    "ALTER TABLE influence_line_v2 RENAME TO influence_line",
    "CREATE INDEX influence_line_target ON influence_line (target_id)",
)

#: Version 3: the account's business signals (surveys, usage, support cases, contracts,
#: opportunities), one row each: ``uid`` is ``<kind>:<key>``, ``at`` the day it is visible from,
#: ``fields`` the record's plain fields as canonical JSON (``graph.model.signal_fields``) and
#: ``contacts`` the JSON array of the contacts it names (for merges).
SCHEMA_V3: tuple[str, ...] = (
    """CREATE TABLE signal (
        uid TEXT PRIMARY KEY, kind TEXT NOT NULL, account_id TEXT NOT NULL, at TEXT NOT NULL,
        fields TEXT NOT NULL, contacts TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX signal_account ON signal (account_id, at)",
)

#: Schema version this code writes; ``PRAGMA user_version`` holds the version of a file.
SCHEMA_VERSION = 3

#: ``(version, statements)``: applying them in order brings a file from ``version - 1`` to ``version``.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = ((1, SCHEMA_V1), (2, SCHEMA_V2), (3, SCHEMA_V3))

GET_USER_VERSION = "PRAGMA user_version"
#: ``PRAGMA`` takes no parameters; the version is one of the integers of :data:`MIGRATIONS`.
SET_USER_VERSION: dict[int, str] = {v: f"PRAGMA user_version = {int(v)}" for v, _ in MIGRATIONS}
SET_WAL = "PRAGMA journal_mode = WAL"
CONNECTION_PRAGMAS: tuple[str, ...] = (
    "PRAGMA busy_timeout = 30000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -131072",
    "PRAGMA mmap_size = 268435456",
)
BEGIN_READ = "BEGIN DEFERRED"
BEGIN_WRITE = "BEGIN IMMEDIATE"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"
PING = "SELECT 1"

# -- staging ---------------------------------------------------------------------------------

#: Column order of each table (and of the row tuples the store binds).
COLUMNS: dict[str, tuple[str, ...]] = {
    "account": (
        "id",
        "name",
        "industry",
        "region",
        "tier",
        "annual_revenue",
        "potential_revenue",
        "owner",
        "domains",
        "strategic_fit",
        "relationship_cost",
        "tier_history",
        "revenue_history",
    ),
    "person": (
        "id",
        "kind",
        "name",
        "email",
        "title",
        "department",
        "level",
        "influence",
        "stance",
        "political_status",
        "team_role",
        "until",
        "stance_history",
    ),
    "employment": ("contact_id", "account_id", "since", "until", "title", "department", "level", "roles"),
    "reporting_line": ("contact_id", "manager_id", "since", "until"),
    "influence_line": ("source_id", "target_id", "weight", "kind"),
    "team_membership": ("staff_id", "account_id", "team_role", "since", "until"),
    "interaction": ("id", "kind", "at", "source", "subject", "participants", "accounts"),
    "assessment": ("staff_id", "contact_id", "at", "level"),
    "referral": ("source_id", "target_id", "source_kind", "at", "status", "value"),
}

#: Identity columns of each table.
KEYS: dict[str, tuple[str, ...]] = {
    "account": ("id",),
    "person": ("id",),
    "employment": ("contact_id", "account_id", "since"),
    "reporting_line": ("contact_id", "manager_id"),
    "influence_line": ("source_id", "target_id", "kind"),
    "team_membership": ("staff_id", "account_id", "team_role"),
    "interaction": ("id",),
    "assessment": ("staff_id", "contact_id", "at"),
    "referral": ("source_id", "target_id"),
}


def _values(table: str) -> tuple[str, ...]:
    return tuple(c for c in COLUMNS[table] if c not in KEYS[table])


def _stage_create(table: str) -> tuple[str, str]:
    cols = ", ".join(COLUMNS[table])
    keys = ", ".join(KEYS[table])
    extra = ", mixed INTEGER NOT NULL DEFAULT 0" if table == "person" else ""
    ckeys = ", ".join(KEYS[table])
    return (
        f"CREATE TEMP TABLE IF NOT EXISTS s_{table} ({cols}{extra}, PRIMARY KEY ({keys}))",
        f"CREATE TEMP TABLE IF NOT EXISTS c_{table} ({ckeys}, created INTEGER NOT NULL)",
    )


def _stage_insert(table: str) -> str:
    cols = ", ".join(COLUMNS[table])
    marks = ", ".join("?" for _ in COLUMNS[table])
    sets = [f"{c} = excluded.{c}" for c in _values(table)]
    if table == "person":
        sets.append("mixed = mixed OR kind IS NOT excluded.kind")
    conflict = f"DO UPDATE SET {', '.join(sets)}" if sets else "DO NOTHING"
    return (
        f"INSERT INTO temp.s_{table} ({cols}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(KEYS[table])}) {conflict}"
    )


def _diff(table: str) -> str:
    on = " AND ".join(f"t.{k} = s.{k}" for k in KEYS[table])
    changed = " OR ".join(f"s.{c} IS NOT t.{c}" for c in _values(table))
    first = KEYS[table][0]
    where = f"t.{first} IS NULL" + (f" OR {changed}" if changed else "")
    keys = ", ".join(f"s.{k}" for k in KEYS[table])
    return (
        f"INSERT INTO temp.c_{table} SELECT {keys}, t.{first} IS NULL FROM temp.s_{table} s "
        f"LEFT JOIN main.{table} t ON {on} WHERE {where}"
    )


def _upsert(table: str) -> str:
    cols = ", ".join(COLUMNS[table])
    scols = ", ".join(f"s.{c}" for c in COLUMNS[table])
    on = " AND ".join(f"c.{k} = s.{k}" for k in KEYS[table])
    sets = ", ".join(f"{c} = excluded.{c}" for c in _values(table))
    conflict = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
    return (
        f"INSERT INTO {table} ({cols}) SELECT {scols} FROM temp.s_{table} s JOIN temp.c_{table} c "
        f"ON {on} WHERE true ON CONFLICT ({', '.join(KEYS[table])}) {conflict}"
    )


STAGE_CREATE: dict[str, tuple[str, str]] = {t: _stage_create(t) for t in COLUMNS}
STAGE_CLEAR: dict[str, tuple[str, str]] = {
    t: (f"DELETE FROM temp.s_{t}", f"DELETE FROM temp.c_{t}") for t in COLUMNS
}
STAGE_INSERT: dict[str, str] = {t: _stage_insert(t) for t in COLUMNS}
STAGE_COUNT: dict[str, str] = {t: f"SELECT count(*) FROM temp.s_{t}" for t in COLUMNS}
DIFF: dict[str, str] = {t: _diff(t) for t in COLUMNS}
CHANGE_COUNTS: dict[str, str] = {
    t: f"SELECT coalesce(sum(created), 0), count(*) - coalesce(sum(created), 0) FROM temp.c_{t}"
    for t in COLUMNS
}
UPSERT: dict[str, str] = {t: _upsert(t) for t in COLUMNS}

# Interactions come by the million: their stage has no key (duplicates are rare, the store
# detects them while staging and removes them with DEDUPE_INTERACTIONS), and their changes
# point back to the stage by rowid.
_I_COLS = ", ".join(COLUMNS["interaction"])
STAGE_CREATE["interaction"] = (
    f"CREATE TEMP TABLE IF NOT EXISTS s_interaction ({_I_COLS})",
    "CREATE TEMP TABLE IF NOT EXISTS c_interaction (srow INTEGER PRIMARY KEY, id TEXT NOT NULL, "
    "created INTEGER NOT NULL)",
)
STAGE_INSERT["interaction"] = f"INSERT INTO temp.s_interaction ({_I_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
DEDUPE_INTERACTIONS = "DELETE FROM temp.s_interaction WHERE rowid NOT IN (SELECT max(rowid) FROM temp.s_interaction GROUP BY id)"
DIFF["interaction"] = (
    "INSERT INTO temp.c_interaction (srow, id, created) SELECT s.rowid, s.id, t.id IS NULL "
    "FROM temp.s_interaction s LEFT JOIN main.interaction t ON t.id = s.id WHERE t.id IS NULL OR "
    + " OR ".join(f"s.{c} IS NOT t.{c}" for c in COLUMNS["interaction"][1:])
)
UPSERT["interaction"] = (
    f"INSERT INTO interaction ({_I_COLS}) SELECT "
    + ", ".join(f"s.{c}" for c in COLUMNS["interaction"])
    + " FROM temp.c_interaction c JOIN temp.s_interaction s ON s.rowid = c.srow WHERE true "
    "ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS["interaction"][1:])
)
CHANGED_INTERACTIONS = "SELECT id FROM temp.c_interaction"
#: A bulk load of new interactions skips the stage: each batch inserted directly inside a
#: savepoint, rolled back (and the write staged) when one of them exists already.
INSERT_NEW_INTERACTIONS = (
    f"INSERT INTO interaction ({_I_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
SAVEPOINT_NEW_INTERACTIONS = "SAVEPOINT new_interactions"
RELEASE_NEW_INTERACTIONS = "RELEASE new_interactions"
ROLLBACK_NEW_INTERACTIONS = "ROLLBACK TO new_interactions"
ANY_INTERACTION_STORED = "SELECT 1 FROM interaction WHERE id IN (SELECT value FROM json_each(?)) LIMIT 1"
#: Undoes the direct inserts of a write that falls back to the stage (they were all new).
DELETE_INTERACTIONS = "DELETE FROM interaction WHERE id IN (SELECT value FROM json_each(?))"

#: Stage rows per person kind (contact / staff) and changes per person kind.
PERSON_STAGE_COUNTS = "SELECT kind, count(*) FROM temp.s_person GROUP BY kind"
PERSON_CHANGE_COUNTS = (
    "SELECT s.kind, sum(c.created), count(*) - sum(c.created) FROM temp.c_person c "
    "JOIN temp.s_person s ON s.id = c.id GROUP BY s.kind"
)

TOUCHED_CREATE = "CREATE TEMP TABLE IF NOT EXISTS touched (account_id TEXT PRIMARY KEY) WITHOUT ROWID"
TOUCHED_CLEAR = "DELETE FROM temp.touched"
TOUCHED_ADD = "INSERT OR IGNORE INTO temp.touched (account_id) VALUES (?)"
TOUCHED_SELECT = "SELECT account_id FROM temp.touched ORDER BY account_id"

# -- integrity checks (run after the nodes of the batch are upserted) -----------------------

CHECK_PERSON_KIND_MIXED = "SELECT id FROM temp.s_person WHERE mixed ORDER BY id"
CHECK_PERSON_KIND_STORED = (
    "SELECT s.id, s.kind, t.kind FROM temp.s_person s JOIN main.person t ON t.id = s.id "
    "WHERE t.kind IS NOT s.kind ORDER BY s.id"
)
CHECK_EMPLOYMENT = (
    "SELECT s.contact_id, s.account_id, s.since, p.kind, a.id IS NOT NULL FROM temp.s_employment s "
    "LEFT JOIN person p ON p.id = s.contact_id LEFT JOIN account a ON a.id = s.account_id "
    "WHERE p.kind IS NOT 'contact' OR a.id IS NULL ORDER BY 1, 2, 3"
)
CHECK_REPORTING_LINE = (
    "SELECT s.contact_id, s.manager_id, p.kind, m.kind FROM temp.s_reporting_line s "
    "LEFT JOIN person p ON p.id = s.contact_id LEFT JOIN person m ON m.id = s.manager_id "
    "WHERE p.kind IS NOT 'contact' OR m.kind IS NOT 'contact' ORDER BY 1, 2"
)
CHECK_INFLUENCE_LINE = (
    "SELECT s.source_id, s.target_id, p.kind, m.kind FROM temp.s_influence_line s "
    "LEFT JOIN person p ON p.id = s.source_id LEFT JOIN person m ON m.id = s.target_id "
    "WHERE p.kind IS NOT 'contact' OR m.kind IS NOT 'contact' ORDER BY 1, 2"
)
CHECK_TEAM_MEMBERSHIP = (
    "SELECT s.staff_id, s.account_id, s.team_role, p.kind, a.id IS NOT NULL FROM temp.s_team_membership s "
    "LEFT JOIN person p ON p.id = s.staff_id LEFT JOIN account a ON a.id = s.account_id "
    "WHERE p.kind IS NOT 'staff' OR a.id IS NULL ORDER BY 1, 2, 3"
)
CHECK_ASSESSMENT = (
    "SELECT s.staff_id, s.contact_id, s.at, p.kind, m.kind FROM temp.s_assessment s "
    "LEFT JOIN person p ON p.id = s.staff_id LEFT JOIN person m ON m.id = s.contact_id "
    "WHERE p.kind IS NOT 'staff' OR m.kind IS NOT 'contact' ORDER BY 1, 2, 3"
)
CHECK_REFERRAL = (
    "SELECT s.source_id, s.target_id, s.source_kind, "
    "CASE s.source_kind WHEN 'account' THEN (SELECT 'account' FROM account a WHERE a.id = s.source_id) "
    "ELSE (SELECT p.kind FROM person p WHERE p.id = s.source_id) END, "
    "(SELECT 1 FROM account a WHERE a.id = s.target_id) IS NOT NULL "
    "FROM temp.s_referral s ORDER BY 1, 2"
)
#: Participants and accounts of the changed interactions (unchanged ones were checked when
#: they were written) that do not exist: the missing id and the interactions naming it.
CHECK_INTERACTION_PEOPLE = (
    "SELECT g.person_id, g.ids FROM temp.g_participation g "
    "WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = g.person_id) ORDER BY 1"
)
#: The ids of the JSON array ?1 that are nobody (participants posted straight, see ADD_PARTICIPATION).
MISSING_PEOPLE = (
    "SELECT j.value FROM json_each(?1) j WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = j.value) "
    "ORDER BY 1"
)
CHECK_INTERACTION_ACCOUNTS = (
    "SELECT g.account_id, g.ids FROM temp.g_about g "
    "WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.id = g.account_id) ORDER BY 1"
)

# -- touched accounts (what a write changed, per kind) --------------------------------------

TOUCH_ACCOUNT = "INSERT OR IGNORE INTO temp.touched SELECT id FROM temp.c_account"
TOUCH_PERSON = (
    "INSERT OR IGNORE INTO temp.touched SELECT e.account_id FROM temp.c_person c "
    "JOIN employment e ON e.contact_id = c.id "
    "UNION SELECT t.account_id FROM temp.c_person c JOIN team_membership t ON t.staff_id = c.id"
)
TOUCH_EMPLOYMENT = "INSERT OR IGNORE INTO temp.touched SELECT account_id FROM temp.c_employment"
TOUCH_REPORTING_LINE = (
    "INSERT OR IGNORE INTO temp.touched SELECT e.account_id FROM temp.c_reporting_line c "
    "JOIN employment e ON e.contact_id = c.contact_id "
    "UNION SELECT e.account_id FROM temp.c_reporting_line c JOIN employment e ON e.contact_id = c.manager_id"
)
TOUCH_INFLUENCE_LINE = (
    "INSERT OR IGNORE INTO temp.touched SELECT e.account_id FROM temp.c_influence_line c "
    "JOIN employment e ON e.contact_id = c.source_id "
    "UNION SELECT e.account_id FROM temp.c_influence_line c JOIN employment e ON e.contact_id = c.target_id"
)
TOUCH_TEAM_MEMBERSHIP = "INSERT OR IGNORE INTO temp.touched SELECT account_id FROM temp.c_team_membership"
TOUCH_ASSESSMENT = (
    "INSERT OR IGNORE INTO temp.touched SELECT e.account_id FROM temp.c_assessment c "
    "JOIN employment e ON e.contact_id = c.contact_id"
)
TOUCH_REFERRAL = (
    "INSERT OR IGNORE INTO temp.touched SELECT c.target_id FROM temp.c_referral c "
    "UNION SELECT s.source_id FROM temp.c_referral c JOIN temp.s_referral s "
    "ON s.source_id = c.source_id AND s.target_id = c.target_id WHERE s.source_kind = 'account' "
    "UNION SELECT e.account_id FROM temp.c_referral c JOIN employment e ON e.contact_id = c.source_id"
)
#: Interactions touch what they count for (``graph.scope``): the accounts they are ABOUT, and for
#: an interaction about no account the accounts its participants worked at on its (UTC) day;
#: before the write (updated interactions, from ``main.interaction``) and after it (the grouped
#: postings of the write and ``g_loose``, the participants and days of those about no account).
TOUCH_INTERACTION_OLD = (
    "INSERT OR IGNORE INTO temp.touched "
    "SELECT j.value FROM temp.c_interaction c JOIN main.interaction t ON t.id = c.id, "
    "json_each(t.accounts) j WHERE c.created = 0 "
    "UNION SELECT e.account_id FROM temp.c_interaction c JOIN main.interaction t ON t.id = c.id, "
    "json_each(t.participants) p JOIN employment e ON e.contact_id = p.value "
    "WHERE c.created = 0 AND t.accounts = '[]' AND e.since <= date(t.at / 1e6, 'unixepoch') "
    "AND (e.until IS NULL OR e.until >= date(t.at / 1e6, 'unixepoch'))"
)
TOUCH_INTERACTION_NEW = (
    "INSERT OR IGNORE INTO temp.touched SELECT account_id FROM temp.g_about "
    "UNION SELECT e.account_id FROM temp.g_loose g JOIN employment e ON e.contact_id = g.person_id "
    "WHERE e.since <= g.day AND (e.until IS NULL OR e.until >= g.day)"
)

# -- interaction indexes ---------------------------------------------------------------------

GROUPED_CREATE: tuple[str, ...] = (
    "CREATE TEMP TABLE IF NOT EXISTS g_participation (person_id TEXT PRIMARY KEY, ids TEXT NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS g_about (account_id TEXT PRIMARY KEY, ids TEXT NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS g_loose (person_id TEXT, day TEXT, PRIMARY KEY (person_id, day)) WITHOUT ROWID",
)
GROUPED_CLEAR: tuple[str, ...] = (
    "DELETE FROM temp.g_participation",
    "DELETE FROM temp.g_about",
    "DELETE FROM temp.g_loose",
)
#: A participant of a written interaction about no account, and its day.
ADD_LOOSE = "INSERT OR IGNORE INTO temp.g_loose (person_id, day) VALUES (?, ?)"
#: As :data:`ADD_LOOSE` from the changed staged interactions (when the write repeats an id).
GROUP_LOOSE = (
    "INSERT OR IGNORE INTO temp.g_loose (person_id, day) "
    "SELECT j.value, date(s.at / 1e6, 'unixepoch') FROM temp.c_interaction c "
    "JOIN temp.s_interaction s ON s.rowid = c.srow, json_each(s.participants) j WHERE s.accounts = '[]'"
)
#: The changed interactions of a write grouped by participant and by account.
GROUP_PARTICIPATION = (
    "INSERT INTO temp.g_participation (person_id, ids) "
    "SELECT j.value, json_group_array(c.id) FROM temp.c_interaction c "
    "JOIN temp.s_interaction s ON s.rowid = c.srow, json_each(s.participants) j GROUP BY j.value"
)
GROUP_ABOUT = (
    "INSERT INTO temp.g_about (account_id, ids) "
    "SELECT j.value, json_group_array(c.id) FROM temp.c_interaction c "
    "JOIN temp.s_interaction s ON s.rowid = c.srow, json_each(s.accounts) j GROUP BY j.value"
)
ADD_PARTICIPATION_GROUP = "INSERT INTO temp.g_participation (person_id, ids) VALUES (?, ?)"
ADD_ABOUT_GROUP = "INSERT INTO temp.g_about (account_id, ids) VALUES (?, ?)"
#: The postings of a write of new interactions only, straight into the posting list.
ADD_PARTICIPATION = "INSERT INTO participation (person_id, ids) VALUES (?, ?)"
INDEX_PARTICIPATION = (
    "INSERT INTO participation (person_id, ids) SELECT person_id, ids FROM temp.g_participation"
)
INDEX_ABOUT = "INSERT INTO about (account_id, ids) SELECT account_id, ids FROM temp.g_about"
UNINDEX_DOMAINS = "DELETE FROM account_domain WHERE account_id IN (SELECT id FROM temp.c_account)"
INDEX_DOMAINS = (
    "INSERT OR IGNORE INTO account_domain (domain, account_id) "
    "SELECT j.value, s.id FROM temp.c_account c JOIN temp.s_account s ON s.id = c.id, json_each(s.domains) j"
)

BUMP_VERSIONS = (
    "INSERT INTO data_version (account_id, version) "
    "SELECT t.account_id, 1 FROM temp.touched t WHERE EXISTS (SELECT 1 FROM account "
    "a WHERE a.id = t.account_id) "
    "ORDER BY 1 ON CONFLICT (account_id) DO UPDATE SET version = version + 1"
)

# -- reads -------------------------------------------------------------------------------------

ACCOUNT_COLS = ", ".join(f"a.{c}" for c in COLUMNS["account"])
PERSON_COLS = ", ".join(f"p.{c}" for c in COLUMNS["person"])
EMPLOYMENT_COLS = "e.contact_id, e.account_id, e.since, e.until, e.title, e.department, e.level, e.roles"
INTERACTION_COLS = "i.id, i.kind, i.at, i.source, i.subject, i.participants, i.accounts"

GET_ACCOUNTS = f"SELECT {ACCOUNT_COLS} FROM account a WHERE a.id IN (SELECT value FROM json_each(?))"
GET_PEOPLE = f"SELECT {PERSON_COLS} FROM person p WHERE p.id IN (SELECT value FROM json_each(?))"
PERSON_KINDS = "SELECT p.id, p.kind FROM person p WHERE p.id IN (SELECT value FROM json_each(?))"
FIND_PEOPLE_BY_EMAIL = (
    f"SELECT {PERSON_COLS} FROM person p "
    "WHERE p.email IN (SELECT lower(value) FROM json_each(?)) ORDER BY p.id"
)
FIND_ACCOUNTS_BY_DOMAIN = (
    f"SELECT d.domain, {ACCOUNT_COLS} FROM account_domain d JOIN account a ON a.id = d.account_id "
    "WHERE d.domain IN (SELECT lower(value) FROM json_each(?)) ORDER BY d.domain, a.id"
)
#: Parameters: after, tier x2, owner x2, industry x2, region x2, ids (JSON) x2, name_contains x2, limit.
LIST_ACCOUNTS = (
    f"SELECT {ACCOUNT_COLS} FROM account a WHERE a.id > ? "
    "AND (? IS NULL OR a.tier = ?) AND (? IS NULL OR a.owner = ?) "
    "AND (? IS NULL OR a.industry = ?) AND (? IS NULL OR a.region = ?) "
    "AND (? IS NULL OR a.id IN (SELECT value FROM json_each(?))) "
    "AND (? IS NULL OR instr(lower(a.name), lower(?)) > 0) "
    "ORDER BY a.id LIMIT ?"
)

#: Every position of the contacts of the JSON array ?1 started by ?2 (the subgraphs' contacts:
#: where they came from and went to).
POSITIONS_OF_CONTACTS = (
    f"SELECT {EMPLOYMENT_COLS} FROM employment e WHERE e.contact_id IN (SELECT value FROM json_each(?1)) "
    "AND e.since <= ?2"
)
#: The lines among the contacts of the JSON array ?1 (no id twice). The plan drives from one
#: side: for each contact of ?1 (``CROSS JOIN`` keeps ``json_each`` the outer loop) the lines
#: starting there by the primary key's prefix, and the other end is tested against ?1 as a set
#: (the unary ``+`` keeps SQLite from probing the key with every pair of ?1, which grows with
#: the square of the account: 1.4 s instead of 14 ms at 2,000 contacts).
SUBGRAPH_REPORTING_LINES = (
    "SELECT r.contact_id, r.manager_id, r.since, r.until FROM json_each(?1) c "
    "CROSS JOIN reporting_line r ON r.contact_id = c.value "
    "WHERE +r.manager_id IN (SELECT value FROM json_each(?1)) AND r.since <= ?2"
)
#: As :data:`SUBGRAPH_REPORTING_LINES`, for the influence lines.
SUBGRAPH_INFLUENCE_LINES = (
    "SELECT l.source_id, l.target_id, l.weight, l.kind FROM json_each(?1) c "
    "CROSS JOIN influence_line l ON l.source_id = c.value "
    "WHERE +l.target_id IN (SELECT value FROM json_each(?1))"
)
#: Reporting lines with one of the contacts of the JSON array ?1 at either end, started by ?2
#: (the ``until`` of a line is checked by the caller, as for positions).
NEIGHBOURHOOD_REPORTING_LINES = (
    "SELECT r.contact_id, r.manager_id, r.since, r.until FROM json_each(?1) c "
    "CROSS JOIN reporting_line r ON r.contact_id = c.value WHERE r.since <= ?2 "
    "UNION SELECT r.contact_id, r.manager_id, r.since, r.until FROM json_each(?1) c "
    "CROSS JOIN reporting_line r ON r.manager_id = c.value WHERE r.since <= ?2"
)
#: Influence lines with one of the contacts of the JSON array ?1 at either end.
NEIGHBOURHOOD_INFLUENCE_LINES = (
    "SELECT l.source_id, l.target_id, l.weight, l.kind FROM json_each(?1) c "
    "CROSS JOIN influence_line l ON l.source_id = c.value "
    "UNION SELECT l.source_id, l.target_id, l.weight, l.kind FROM json_each(?1) c "
    "CROSS JOIN influence_line l ON l.target_id = c.value"
)
#: The posting lists (see above) of the accounts of the JSON array ?1 and of the people of the
#: JSON array ?2: each row is one JSON array of interaction ids, the candidates of
#: :data:`INTERACTIONS_BY_ID`.
SUBGRAPHS_POSTINGS = (
    "SELECT a.ids FROM about a WHERE a.account_id IN (SELECT value FROM json_each(?1)) "
    "UNION ALL SELECT p.ids FROM participation p WHERE p.person_id IN (SELECT value FROM json_each(?2))"
)
#: Interactions by the JSON array of ids ?1, before ?2 (exclusive upper bound of ``at``).
INTERACTIONS_BY_ID = (
    f"SELECT {INTERACTION_COLS} FROM interaction i WHERE i.id IN (SELECT value FROM json_each(?1)) "
    "AND i.at < ?2 ORDER BY i.at, i.id"
)
ASSESSMENTS_ABOUT = (
    "SELECT staff_id, contact_id, at, level FROM assessment "
    "WHERE contact_id IN (SELECT value FROM json_each(?)) AND at <= ?"
)
ASSESSMENTS_BY_OR_ABOUT = (
    "SELECT staff_id, contact_id, at, level FROM assessment "
    "WHERE (contact_id IN (SELECT value FROM json_each(?1)) OR staff_id IN (SELECT "
    "value FROM json_each(?1))) "
    "AND at <= ?2"
)
#: Candidates (see the posting lists above).
INTERACTIONS_OF_PEOPLE = (
    f"SELECT {INTERACTION_COLS} FROM interaction i WHERE i.id IN ("
    "SELECT j.value FROM participation p, json_each(p.ids) j "
    "WHERE p.person_id IN (SELECT value FROM json_each(?1))"
    ") AND i.at < ?2 ORDER BY i.at, i.id"
)
EMPLOYMENTS_OF = (
    f"SELECT {EMPLOYMENT_COLS} FROM employment e WHERE e.contact_id IN (SELECT value FROM json_each(?)) "
    "ORDER BY e.contact_id, e.since, e.account_id"
)
EMPLOYMENTS_AT = (
    f"SELECT {EMPLOYMENT_COLS} FROM employment e WHERE e.account_id IN (SELECT value FROM json_each(?1)) "
    "AND e.since <= ?2"
)
TEAM_OF_STAFF = (
    "SELECT staff_id, account_id, team_role, since, until FROM team_membership "
    "WHERE staff_id IN (SELECT value FROM json_each(?1)) AND since <= ?2"
)
TEAM_AT = (
    "SELECT staff_id, account_id, team_role, since, until FROM team_membership "
    "WHERE account_id IN (SELECT value FROM json_each(?1)) AND since <= ?2"
)
ACTIVE_TEAM_AT = (
    "SELECT staff_id, account_id, team_role, since, until FROM team_membership "
    "WHERE account_id IN (SELECT value FROM json_each(?1)) AND since <= ?2 AND "
    "(until IS NULL OR until >= ?2) "
    "ORDER BY account_id, staff_id, team_role"
)
TEAM_ACCOUNTS = (
    "SELECT DISTINCT account_id FROM team_membership WHERE staff_id = ?1 AND since <= ?2 "
    "AND (until IS NULL OR until >= ?2) ORDER BY account_id"
)
REFERRAL_COLS = "r.source_id, r.target_id, r.source_kind, r.at, r.status, r.value"
ALL_REFERRALS = f"SELECT {REFERRAL_COLS} FROM referral r WHERE r.at <= ? ORDER BY r.source_id, r.target_id"
#: ?1 JSON array of account ids, ?2 JSON array of contact ids, ?3 as_of.
REFERRALS_BY_OR_TO = (
    f"SELECT {REFERRAL_COLS} FROM referral r WHERE r.at <= ?3 AND ("
    "r.target_id IN (SELECT value FROM json_each(?1)) "
    "OR (r.source_kind = 'account' AND r.source_id IN (SELECT value FROM json_each(?1))) "
    "OR (r.source_kind = 'contact' AND r.source_id IN (SELECT value FROM json_each(?2))))"
)
#: Referrals made by the accounts of ?1 or by their contacts (positions started by ?2).
REFERRALS_FROM = (
    f"SELECT {REFERRAL_COLS} FROM referral r WHERE r.at <= ?2 AND ("
    "(r.source_kind = 'account' AND r.source_id IN (SELECT value FROM json_each(?1))) "
    "OR (r.source_kind = 'contact' AND r.source_id IN ("
    "SELECT e.contact_id FROM employment e WHERE e.account_id IN (SELECT value FROM json_each(?1)) "
    "AND e.since <= ?2)))"
)
JOB_CHANGE_CANDIDATES = (
    "SELECT o.contact_id, o.account_id, o.since, o.until, o.title, o.department, o.level, o.roles, "
    "n.contact_id, n.account_id, n.since, n.until, n.title, n.department, n.level, n.roles "
    "FROM employment n JOIN employment o ON o.contact_id = n.contact_id AND o.account_id <> n.account_id "
    "WHERE n.since <> '' AND n.since > ?1 AND n.since <= ?2 AND o.until IS NOT NULL AND o.until <= n.since "
    "ORDER BY n.contact_id, n.since, n.account_id, o.until"
)
#: Open reporting lines of one contact (as the report or as the manager), ended by a move.
OPEN_REPORTING_LINES_OF = (
    "SELECT r.contact_id, r.manager_id, r.since, r.until FROM reporting_line r "
    "WHERE (r.contact_id = ?1 OR r.manager_id = ?1) AND r.until IS NULL ORDER BY r.contact_id, r.manager_id"
)
OPEN_EMPLOYMENTS = (
    f"SELECT {EMPLOYMENT_COLS} FROM employment e WHERE e.contact_id = ? AND e.until IS NULL ORDER BY e.since"
)
SEARCH_ACCOUNTS = (
    "SELECT id, name, industry FROM account WHERE instr(lower(name), lower(?1)) > 0 "
    "OR instr(lower(id), lower(?1)) > 0 ORDER BY name, id LIMIT ?2"
)
SEARCH_PEOPLE = (
    "SELECT kind, id, name, coalesce(email, title) FROM person WHERE instr(lower(name), lower(?1)) > 0 "
    "OR instr(coalesce(email, ''), lower(?1)) > 0 ORDER BY name, id LIMIT ?2"
)
COUNT_ROWS: dict[str, str] = {
    "account": "SELECT count(*) FROM account",
    "contact": "SELECT count(*) FROM person WHERE kind = 'contact'",
    "staff": "SELECT count(*) FROM person WHERE kind = 'staff'",
    "employment": "SELECT count(*) FROM employment",
    "reporting_line": "SELECT count(*) FROM reporting_line",
    "influence_line": "SELECT count(*) FROM influence_line",
    "team_membership": "SELECT count(*) FROM team_membership",
    "interaction": "SELECT count(*) FROM interaction",
    "assessment": "SELECT count(*) FROM assessment",
    "referral": "SELECT count(*) FROM referral",
}

# -- business signals ------------------------------------------------------------------------

SIGNALS_BY_UID = "SELECT uid, account_id, fields FROM signal WHERE uid IN (SELECT value FROM json_each(?))"
UPSERT_SIGNAL = (
    "INSERT INTO signal (uid, kind, account_id, at, fields, contacts) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind, account_id = excluded.account_id, "
    "at = excluded.at, fields = excluded.fields, contacts = excluded.contacts"
)
#: The signals of the accounts of the JSON array ?1 visible on ?2.
SIGNALS_OF_ACCOUNTS = (
    "SELECT account_id, kind, fields FROM signal "
    "WHERE account_id IN (SELECT value FROM json_each(?1)) AND at <= ?2 ORDER BY account_id, uid"
)
COUNT_SIGNALS = "SELECT kind, count(*) FROM signal GROUP BY kind"
ITER_SIGNALS = "SELECT fields FROM signal WHERE kind = ? ORDER BY uid"
KNOWN_ACCOUNT_IDS = "SELECT id FROM account WHERE id IN (SELECT value FROM json_each(?))"
#: Signals naming a contact (a merge rewrites them to the kept contact).
SIGNALS_OF_CONTACT = (
    "SELECT s.uid, s.kind, s.fields FROM signal s "
    "WHERE EXISTS (SELECT 1 FROM json_each(s.contacts) j WHERE j.value = ?)"
)
SET_SIGNAL_FIELDS = "UPDATE signal SET fields = ?, contacts = ? WHERE uid = ?"
#: The accounts of the signals naming a contact.
SIGNAL_ACCOUNTS_OF_CONTACT = (
    "SELECT DISTINCT s.account_id FROM signal s "
    "WHERE EXISTS (SELECT 1 FROM json_each(s.contacts) j WHERE j.value = ?)"
)

#: Every record of a kind, ordered by identity (for export).
ITER_ROWS: dict[str, str] = {
    "account": f"SELECT {ACCOUNT_COLS} FROM account a ORDER BY a.id",
    "contact": f"SELECT {PERSON_COLS} FROM person p WHERE p.kind = 'contact' ORDER BY p.id",
    "staff": f"SELECT {PERSON_COLS} FROM person p WHERE p.kind = 'staff' ORDER BY p.id",
    "employment": f"SELECT {EMPLOYMENT_COLS} FROM employment e ORDER BY e.contact_id, e.account_id, e.since",
    "reporting_line": "SELECT contact_id, manager_id, since, until FROM reporting_line ORDER BY 1, 2",
    "influence_line": "SELECT source_id, target_id, weight, kind FROM influence_line ORDER BY 1, 2, 4",
    "team_membership": (
        "SELECT staff_id, account_id, team_role, since, until FROM team_membership ORDER BY 1, 2, 3"
    ),
    "interaction": f"SELECT {INTERACTION_COLS} FROM interaction i ORDER BY i.id",
    "assessment": "SELECT staff_id, contact_id, at, level FROM assessment ORDER BY 1, 2, 3",
    "referral": f"SELECT {REFERRAL_COLS} FROM referral r ORDER BY r.source_id, r.target_id",
}

# -- versions, results, tokens ---------------------------------------------------------------

ALL_VERSIONS = "SELECT account_id, version FROM data_version ORDER BY account_id"
VERSIONS_OF = (
    "SELECT account_id, version FROM data_version WHERE account_id IN (SELECT value FROM json_each(?)) "
    "ORDER BY account_id"
)
PUT_RESULT = (
    "INSERT INTO result (kind, account_id, as_of, payload, data_version, "
    "computed_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (kind, as_of, account_id) DO UPDATE SET payload = excluded.payload, "
    "data_version = excluded.data_version, computed_at = excluded.computed_at"
)
GET_RESULTS = (
    "SELECT kind, account_id, as_of, payload, data_version, computed_at FROM result "
    "WHERE kind = ?1 AND as_of = ?2 AND (?3 IS NULL OR account_id IN (SELECT value FROM json_each(?3))) "
    "ORDER BY account_id"
)
PUT_TOKEN = (
    "INSERT INTO token (token_hash, name, role, staff_id, created_at, revoked) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (token_hash) DO UPDATE SET name = excluded.name, role = excluded.role, "
    "staff_id = excluded.staff_id, created_at = excluded.created_at, revoked = excluded.revoked"
)
TOKEN_COLS = "token_hash, name, role, staff_id, created_at, revoked"
#: The data's reference date (key ``reference_date``, an ISO day).
GET_SETTING = "SELECT value FROM setting WHERE key = ?"
PUT_SETTING = "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2"
DELETE_SETTING = "DELETE FROM setting WHERE key = ?"
GET_TOKEN = f"SELECT {TOKEN_COLS} FROM token WHERE token_hash = ?"
LIST_TOKENS = f"SELECT {TOKEN_COLS} FROM token ORDER BY created_at, token_hash"
REVOKE_TOKEN = "UPDATE token SET revoked = 1 WHERE token_hash = ?"

# -- merging two records of one person ---------------------------------------------------------

#: ?1 keep, ?2 duplicate: fill the kept person's missing properties from the duplicate.
MERGE_FILL_PERSON = (
    "UPDATE person SET email = coalesce(person.email, d.email), title = coalesce(person.title, d.title), "
    "department = coalesce(person.department, d.department), level = coalesce(person.level, d.level), "
    "influence = coalesce(person.influence, d.influence), "
    "political_status = coalesce(person.political_status, d.political_status), "
    "team_role = coalesce(person.team_role, d.team_role) "
    "FROM (SELECT * FROM person WHERE id = ?2) d WHERE person.id = ?1"
)
MERGE_STATEMENTS: tuple[str, ...] = (
    (
        "DELETE FROM reporting_line WHERE (contact_id = ?2 AND manager_id = ?1) OR "
        "(contact_id = ?1 AND manager_id = ?2)"
    ),
    (
        "DELETE FROM influence_line WHERE (source_id = ?2 AND target_id = ?1) OR "
        "(source_id = ?1 AND target_id = ?2)"
    ),
    "UPDATE OR IGNORE employment SET contact_id = ?1 WHERE contact_id = ?2",
    "UPDATE OR IGNORE reporting_line SET contact_id = ?1 WHERE contact_id = ?2",
    "UPDATE OR IGNORE reporting_line SET manager_id = ?1 WHERE manager_id = ?2",
    "UPDATE OR IGNORE influence_line SET source_id = ?1 WHERE source_id = ?2",
    "UPDATE OR IGNORE influence_line SET target_id = ?1 WHERE target_id = ?2",
    "UPDATE OR IGNORE team_membership SET staff_id = ?1 WHERE staff_id = ?2",
    "UPDATE OR IGNORE assessment SET staff_id = ?1 WHERE staff_id = ?2",
    "UPDATE OR IGNORE assessment SET contact_id = ?1 WHERE contact_id = ?2",
    "UPDATE OR IGNORE referral SET source_id = ?1 WHERE source_id = ?2 AND source_kind = 'contact'",
    "UPDATE participation SET person_id = ?1 WHERE person_id = ?2",
    "UPDATE account SET owner = ?1 WHERE owner = ?2",
    "DELETE FROM employment WHERE contact_id = ?2",
    "DELETE FROM reporting_line WHERE contact_id = ?2 OR manager_id = ?2",
    "DELETE FROM influence_line WHERE source_id = ?2 OR target_id = ?2",
    "DELETE FROM team_membership WHERE staff_id = ?2",
    "DELETE FROM assessment WHERE staff_id = ?2 OR contact_id = ?2",
    "DELETE FROM referral WHERE source_id = ?2 AND source_kind = 'contact'",
    "DELETE FROM person WHERE id = ?2",
)
#: Candidate interactions of the duplicate, whose participant lists are rewritten.
MERGE_INTERACTIONS = (
    "SELECT i.id, i.participants FROM interaction i WHERE i.id IN ("
    "SELECT j.value FROM participation p, json_each(p.ids) j WHERE p.person_id = ?)"
)
SET_PARTICIPANTS = "UPDATE interaction SET participants = ? WHERE id = ?"
#: Accounts a person's data belongs to: employers, teams, and what their interactions are about.
ACCOUNTS_OF_PERSON = (
    "SELECT account_id FROM employment WHERE contact_id = ?1 "
    "UNION SELECT account_id FROM team_membership WHERE staff_id = ?1 "
    "UNION SELECT a.value FROM interaction i, json_each(i.accounts) a WHERE i.id IN ("
    "SELECT j.value FROM participation p, json_each(p.ids) j WHERE p.person_id = ?1) "
    "AND EXISTS (SELECT 1 FROM json_each(i.participants) q WHERE q.value = ?1)"
)
