"""What the team learns from, kept as small tables beside the event log (a read model).

The event log is the truth; reading 100,000 meetings' events to count objections would take
seconds. So each time a meeting records an event, the session also writes what its state now
says in these tables (only the tables that changed): the objections raised, every response
used with what came of it, the closes tried, the questions answered. Reports and the meeting's
evidence are then plain SQL aggregates, read from covering indexes (a report over 100,000
meetings never sorts a table). Everything here can be rebuilt from the events (the migration
that adds the tables does so for older sessions).
"""

from __future__ import annotations

from dataclasses import dataclass

# A response used on an objection ends as the objection's outcome if it was the last one used
# (resolved, parked, unresolved, or open while nothing is settled), or "superseded" when the rep
# had to try another one after it.
SUPERSEDED = "superseded"

TABLES_SQL = """
    CREATE TABLE learning_objections (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        number INTEGER NOT NULL,
        objection TEXT NOT NULL,
        text TEXT NOT NULL,
        score REAL NOT NULL,
        stage TEXT,
        situation TEXT,
        outcome TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (session_id, number)
    ) WITHOUT ROWID;
    CREATE TABLE learning_responses (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        number INTEGER NOT NULL,
        position INTEGER NOT NULL,
        objection TEXT NOT NULL,
        response TEXT NOT NULL,
        result TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (session_id, number, position)
    ) WITHOUT ROWID;
    CREATE TABLE learning_closings (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        position INTEGER NOT NULL,
        closing TEXT NOT NULL,
        result TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE learning_answers (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        question TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (session_id, question)
    ) WITHOUT ROWID;
    CREATE INDEX learning_objections_by_kind ON learning_objections (objection, stage, outcome);
    CREATE INDEX learning_objections_by_text ON learning_objections (objection, text);
    CREATE INDEX learning_responses_by_kind ON learning_responses (objection, response, result, at);
    CREATE INDEX learning_closings_by_kind ON learning_closings (closing, result);
    CREATE INDEX learning_answers_by_question ON learning_answers (question);
"""

ObjectionRow = tuple[int, str, str, float, "str | None", "str | None", str, float]  # number, objection, text, score, stage, situation, outcome, at
ResponseRow = tuple[int, int, str, str, str, float]  # number, position, objection, response, result, at
ClosingRow = tuple[int, str, str, float]  # position, closing, result, at
AnswerRow = tuple[str, str]  # question, value


@dataclass(frozen=True)
class Projection:
    """One session's rows in the learning tables, and its qualification verdict."""

    objections: tuple[ObjectionRow, ...] = ()
    responses: tuple[ResponseRow, ...] = ()
    closings: tuple[ClosingRow, ...] = ()
    answers: tuple[AnswerRow, ...] = ()
    verdict: str | None = None


_INSERTS = {
    "objections": "INSERT INTO learning_objections (session_id, number, objection, text, score, stage, situation, outcome, at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "responses": "INSERT INTO learning_responses (session_id, number, position, objection, response, result, at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "closings": "INSERT INTO learning_closings (session_id, position, closing, result, at) VALUES (?, ?, ?, ?, ?)",
    "answers": "INSERT INTO learning_answers (session_id, question, value) VALUES (?, ?, ?)",
}


def write(db, session_id: str, new: Projection, old: Projection | None) -> None:
    """Replace the session's rows in every table whose rows changed (`db`: an sqlite3
    connection inside the caller's transaction)."""
    for table, insert in _INSERTS.items():
        rows = getattr(new, table)
        if old is not None and getattr(old, table) == rows:
            continue
        if old is None or getattr(old, table):
            db.execute(f"DELETE FROM learning_{table} WHERE session_id = ?", (session_id,))
        if rows:
            db.executemany(insert, [(session_id, *row) for row in rows])
    if old is None or old.verdict != new.verdict:
        db.execute("UPDATE sessions SET verdict = ? WHERE id = ?", (new.verdict, session_id))
