"""The tables of accounts and of what happens around meetings (schema version 4), in plain SQL.

Kept apart from sqlite.py so that the session store and the account tables read as two parts of
one database; the statements are plain, parameter-free DDL that PostgreSQL also accepts once
`INTEGER PRIMARY KEY` becomes an identity column. No statement or comment holds a semicolon:
migrations are split on it.

- accounts: one company, its funnel stage (suspect, prospect, customer, lost), where it is in its
  buying cycle, and what segments it (value, potential, need, effort).
- contacts: its people and their role in the decision.
- stage_changes: every move in the funnel, dated, with the reason.
- interactions: calls, e-mails, offers and notes logged against the account, each with an
  optional follow-up date.
- meeting_items: each meeting's objections and actions as they stand now, rewritten in the same
  transaction as the event that changes them, so that the agenda and the timeline never fold
  a session's events.
- preparations: what the rep prepared for the next meeting with an account (objectives, ticks,
  research notes), taken up by the meeting that follows.
"""

ACCOUNTS_MIGRATION = """
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT 'suspect',
        buying_stage TEXT NOT NULL DEFAULT '',
        value REAL,
        potential REAL,
        need TEXT NOT NULL DEFAULT '',
        effort TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        last_contact_at REAL
    );
    CREATE UNIQUE INDEX accounts_by_key ON accounts (name_key);
    CREATE INDEX accounts_by_last_contact ON accounts (last_contact_at);
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id),
        name TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL
    );
    CREATE INDEX contacts_by_account ON contacts (account_id);
    CREATE TABLE stage_changes (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id),
        at REAL NOT NULL,
        stage TEXT NOT NULL,
        previous TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX stage_changes_by_account ON stage_changes (account_id, at);
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id),
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        due TEXT NOT NULL DEFAULT '',
        done INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX interactions_by_account ON interactions (account_id, at);
    CREATE INDEX interactions_by_due ON interactions (done, due);
    CREATE INDEX interactions_open_by_account ON interactions (account_id, done, due);
    CREATE TABLE meeting_items (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        kind TEXT NOT NULL,
        number INTEGER NOT NULL,
        text TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        due TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        at REAL NOT NULL,
        carried_from TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (session_id, kind, number)
    ) WITHOUT ROWID;
    CREATE INDEX meeting_items_by_due ON meeting_items (kind, status, due);
    CREATE INDEX meeting_items_by_origin ON meeting_items (carried_from);
    CREATE TABLE preparations (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts (id),
        meeting_type TEXT NOT NULL DEFAULT '',
        objectives TEXT NOT NULL DEFAULT '[]',
        checked TEXT NOT NULL DEFAULT '[]',
        research TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        session_id TEXT REFERENCES sessions (id)
    );
    CREATE INDEX preparations_by_account ON preparations (account_id, session_id);
    ALTER TABLE sessions ADD COLUMN account_id INTEGER REFERENCES accounts (id);
    ALTER TABLE sessions ADD COLUMN meeting_type TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN items_seq INTEGER;
    ALTER TABLE sessions ADD COLUMN account_check TEXT;
    CREATE INDEX sessions_by_account ON sessions (account_id, created_at)
"""
# sessions.items_seq: the event the meeting_items rows were last written at (NULL: written by a
# release before accounts, not yet read). sessions.account_check: NULL until the session's
# company was looked up among the accounts, then 'linked', 'none' (no company) or 'ask' (its
# name is close to more than one account: the rep decides).
