"""What a meeting records beyond the basics (issue 11): the outcome, the playbook it ran on, drafts,
action items with real dates, long notes; the store's migration to version 2; and the exported
documents, escaped for their format and never written over one another."""

from __future__ import annotations

import html.parser
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from playbook.format import load_playbook
from playbook.meeting import MeetingSession, SessionError
from playbook.meeting.dates import DateError, parse_due, shown
from playbook.meeting.recap import default_export_dir, to_recap_html, to_recap_markdown, write_documents
from playbook.meeting.summary import md, to_json, to_markdown
from playbook.store import SCHEMA_VERSION, Store

LIBRARY = load_playbook(None)
NOW = 1_767_261_600.0  # 2026-01-01 10:00 UTC, a Thursday
HOSTILE = [
    "[click here](http://evil.example/x) and ![img](http://evil.example/i.png)",
    "<script>alert('x')</script> <b>bold</b> &lt;kept&gt;",
    "*stars* _under_ `code` ~~strike~~ | a | b |",
    "# heading\n> quote\n- item\n1. first\n+ plus",
    "<http://evil.example> <a href='x'>a</a> \\ back\\slash",
    "line with \x1b]52;c;aGk=\x07 escape and \u202e bidi",
]


def session(store: Store | None = None, **kw) -> MeetingSession:
    return MeetingSession.start(LIBRARY, store, "Anna", "Acme", clock=lambda: NOW, spec="builtin", **kw)


# -- outcome ----------------------------------------------------------------------------------------


def test_the_outcome_is_an_event_undone_like_any_other(store_backend) -> None:
    with Store.open(store_backend) as store:
        s = session(store)
        s.record_outcome("won", "signed on the spot")
        assert (s.state.outcome, s.state.outcome_note) == ("won", "signed on the spot")
        assert store.info(s.id).outcome == "won"
        s.record_outcome("next_meeting")
        assert store.info(s.id).outcome == "next_meeting"
        s.undo()
        assert s.state.outcome == "won" and store.info(s.id).outcome == "won"
        s.undo()
        assert s.state.outcome == "" and store.info(s.id).outcome is None
        with pytest.raises(SessionError, match="one of won, lost, next_meeting, no_decision"):
            s.record_outcome("maybe")
        assert MeetingSession.resume(LIBRARY, store, s.id).state.outcome == ""


def test_a_session_records_its_playbook_spec_hash_and_planned_length(store_backend) -> None:
    with Store.open(store_backend) as store:
        s = session(store, planned_minutes=45)
        info = store.info(s.id)
        assert (info.playbook, info.playbook_hash) == ("builtin", LIBRARY.digest)
        assert (s.state.playbook, s.state.playbook_hash, s.state.planned_minutes) == ("builtin", LIBRARY.digest, 45)


def test_reopen_and_settle_any_objection() -> None:
    s = session()
    s.raise_objection("too expensive", "price")
    s.raise_objection("my boss decides", "authority")
    s.settle_objection(1, "parked")
    s.settle_objection(2, "resolved")
    s.reopen_objection(2)
    assert [(o.number, o.outcome) for o in s.state.objections] == [(1, "parked"), (2, "open")]
    assert [o.number for o in s.state.open_objections()] == [2]
    with pytest.raises(SessionError, match="already open"):
        s.reopen_objection(2)


# -- action items ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, language, expected", [
    ("Friday", "en", date(2026, 1, 2)),
    ("tomorrow", "en", date(2026, 1, 2)),
    ("in 2 weeks", "en", date(2026, 1, 15)),
    ("2026-12-01", "en", date(2026, 12, 1)),
    ("31/01/2026", "en", date(2026, 1, 31)),
    ("vendredi", "fr", date(2026, 1, 2)),
    ("dans 2 semaines", "fr", date(2026, 1, 15)),
    ("03/04/2026", "fr", date(2026, 4, 3)),
])
def test_due_dates_in_words_become_dates(typed: str, language: str, expected: date) -> None:
    assert parse_due(typed, language, date(2026, 1, 1)) == expected


@pytest.mark.parametrize("typed, message", [
    ("31/02/2026", "'31/02/2026' is not a date: February 2026 has 28 days"),
    ("13/13/2026", "'13/13/2026' is not a date: there is no month 13"),
    ("someday maybe", "'someday maybe' is not a date I can read"),
])
def test_impossible_dates_get_a_clear_error(typed: str, message: str) -> None:
    with pytest.raises(DateError) as error:
        parse_due(typed, "en", date(2026, 1, 1))
    assert str(error.value).startswith(message)


def test_actions_are_added_edited_ticked_and_removed() -> None:
    s = session()
    number = s.add_action("Send the proposal", "Rep", "Friday")
    assert s.state.actions[0].due == "2026-01-02" and shown("2026-01-02") == "Fri 2 Jan 2026"
    s.add_action("Call back", "", "")
    s.edit_action(number, "Send the revised proposal", "Rep", "in 2 weeks")
    s.set_action_done(number)
    assert [(a.number, a.text, a.due, a.done) for a in s.state.actions] == [
        (1, "Send the revised proposal", "2026-01-15", True), (2, "Call back", "", False)]
    with pytest.raises(SessionError, match="in the past"):
        s.edit_action(2, "Call back", "", "2025-06-01")
    with pytest.raises(SessionError, match="February 2026 has 28 days"):
        s.add_action("x", "", "31/02/2026")
    s.remove_action(1)
    assert [a.number for a in s.state.actions] == [2]


# -- long text, drafts -------------------------------------------------------------------------------


def test_long_notes_are_kept_whole_and_too_long_ones_refused_in_words() -> None:
    s = session()
    note = "First paragraph of a pasted e-mail.\n\nSecond one. " + "x" * 2483
    s.note(note)
    assert s.state.notes[0].text == "First paragraph of a pasted e-mail.\n\nSecond one. " + "x" * 2483
    with pytest.raises(SessionError, match="at most 50,000"):
        s.note("y" * 60_000)
    with pytest.raises(SessionError, match="at most 5,000"):
        s.raise_objection("z " * 4000, "price")
    assert len(s.state.notes) == 1 and s.state.objections == ()


def test_drafts_are_kept_per_box_and_cleared(store_backend) -> None:
    with Store.open(store_backend) as store:
        s = session(store)
        s.save_draft("says", "we would need")
        s.save_draft("note", "call")
        s.save_draft("note", "")
        assert store.drafts(s.id) == {"says": "we would need"}
        assert MeetingSession.resume(LIBRARY, store, s.id).draft("says") == "we would need"


# -- the store's migration ---------------------------------------------------------------------------


VERSION_1 = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'meeting', playbook TEXT NOT NULL,
  prospect TEXT NOT NULL DEFAULT '', company TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL,
  updated_at REAL NOT NULL, ended_at REAL, score REAL);
CREATE INDEX sessions_by_update ON sessions (updated_at DESC);
CREATE TABLE events (session_id TEXT NOT NULL REFERENCES sessions (id), seq INTEGER NOT NULL, at REAL NOT NULL,
  type TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
INSERT INTO sessions VALUES ('abc123def456', 'meeting', 'builtin', 'Old', 'Co', 1.0, 2.0, 2.0, 50.0);
INSERT INTO events VALUES ('abc123def456', 1, 1.0, 'meeting_started', '{"prospect": "Old", "company": "Co", "playbook": "builtin", "kind": "meeting"}');
INSERT INTO events VALUES ('abc123def456', 2, 2.0, 'meeting_ended', '{"outcome": "follow-up booked"}');
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_migrated_and_its_meetings_still_read(tmp_path: Path, cli) -> None:
    db = tmp_path / "old.db"
    raw = sqlite3.connect(db)
    raw.executescript(VERSION_1)
    raw.close()
    assert SCHEMA_VERSION >= 5  # 3 adds the learning tables (issue 16), 4 accounts (14), 5 transcripts (20)
    with Store.open(db) as store:
        info = store.info("abc123def456")
        assert (info.playbook, info.playbook_hash, info.outcome) == ("builtin", None, None)
        old = MeetingSession.resume(LIBRARY, store, info.id)
        assert old.state.end_note == "follow-up booked" and old.state.outcome == ""
        assert store.drafts(info.id) == {}
        assert store.transcript(info.id) == [] and store.transcript_source(info.id) is None
        old.record_outcome("next_meeting")
        assert store.info(info.id).outcome == "next_meeting"
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    shown_ = cli("sessions", "show", "abc123", "--db", str(db))
    assert shown_.code == 0 and "Outcome: **Next meeting** (follow-up booked)" in shown_.out


def test_a_version_1_database_opened_without_migrating_reads_with_empty_new_columns(tmp_path: Path) -> None:
    """Reading commands may open a store without migrating it (read-only): the queries still work."""
    db = tmp_path / "old.db"
    raw = sqlite3.connect(db)
    raw.executescript(VERSION_1)
    raw.close()
    store = Store.open(db, readonly=True)  # no migration
    assert [(s.id, s.playbook_hash, s.outcome) for s in store.sessions()] == [("abc123def456", None, None)]
    assert store.drafts("abc123def456") == {}
    assert store.transcript("abc123def456") == [] and store.transcript_source("abc123def456") is None


# -- documents ---------------------------------------------------------------------------------------


class _Html(html.parser.HTMLParser):
    """Tags and text of rendered HTML. A link whose target is its own visible text (a bare URL
    that GitHub-style Markdown autolinks) hides nothing and is not counted as a tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href", "")
        else:
            self.tags.append(tag)

    def handle_endtag(self, tag) -> None:
        self._href = None

    def handle_data(self, data) -> None:
        if self._href is not None and self._href.rstrip("/") != data.rstrip("/"):
            self.tags.append(f"a href={self._href}")
        self.text.append(data)


def _rendered(markdown: str, preset: str = "gfm-like") -> _Html:
    parser = _Html()
    parser.feed(MarkdownIt(preset).render(markdown))
    return parser


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_shows_what_people_typed_as_typed(text: str) -> None:
    for line in text.split("\n"):
        assert set(_rendered(md(line), "commonmark").tags) <= {"p"}, line  # no link at all in CommonMark
        parsed = _rendered(md(line))
        assert set(parsed.tags) <= {"p"}, (line, parsed.tags)
        from playbook.textsafety import printable

        assert "".join(parsed.text).strip() == printable(line).strip()


def hostile_meeting() -> MeetingSession:
    s = session()
    s.update_prospect(HOSTILE[1], HOSTILE[0])
    s.answer("problem_to_solve", HOSTILE[0])
    s.raise_objection(HOSTILE[1], "price")
    s.add_action(HOSTILE[2], HOSTILE[4], "")
    s.note(HOSTILE[3])
    s.note(HOSTILE[5])
    s.record_outcome("next_meeting", HOSTILE[1])
    return s


def test_the_customer_recap_in_markdown_has_no_link_html_or_script() -> None:
    recap = to_recap_markdown(hostile_meeting().summary())
    parsed = _rendered(recap)
    assert set(parsed.tags) <= {"h1", "h2", "p", "ul", "li", "input"}, parsed.tags
    assert "\x1b" not in recap and "\u202e" not in recap
    text = "".join(parsed.text)
    assert "[click here](http://evil.example/x)" in text and "<script>alert('x')</script>" in text


def test_the_internal_notes_in_markdown_have_no_link_html_or_script() -> None:
    notes = to_markdown(hostile_meeting().summary())
    parsed = _rendered(notes)
    assert set(parsed.tags) <= {"h1", "h2", "p", "ul", "li", "strong", "input"}, parsed.tags
    text = "".join(parsed.text)
    assert "# heading" in text and "<b>bold</b>" in text


def test_the_customer_recap_in_html_has_no_markup_from_the_meeting() -> None:
    recap = to_recap_html(hostile_meeting().summary())
    parsed = _Html()
    parsed.feed(recap)
    assert set(parsed.tags) == {"h1", "h2", "p", "ul", "li"}
    assert "<script>alert('x')</script>" in "".join(parsed.text) and "\x1b" not in recap


def test_the_json_export_escapes_control_characters() -> None:
    exported = to_json(hostile_meeting().summary())
    assert "\x1b" not in exported and "\\u001b" in exported and "\\u202e" in exported
    assert json.loads(exported)["notes"][1].startswith("line with \x1b]52")


def test_two_meetings_same_day_same_prospect_never_overwrite(tmp_path: Path) -> None:
    first, second = session(), session()
    first.note("first meeting")
    second.note("second meeting")
    written = write_documents(first.summary(), tmp_path) + write_documents(second.summary(), tmp_path)
    assert [p.name for p in written] == [
        "meeting-2026-01-01-anna-acme-recap.md", "meeting-2026-01-01-anna-acme-notes.md",
        "meeting-2026-01-01-anna-acme-recap-2.md", "meeting-2026-01-01-anna-acme-notes-2.md"]
    assert "first meeting" in written[1].read_text() and "second meeting" in written[3].read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)  # no temporary left


def test_the_default_export_folder_is_documented_and_overridable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLAYBOOK_EXPORTS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_export_dir() == tmp_path / "Documents" / "playbook"
    monkeypatch.setenv("PLAYBOOK_EXPORTS", str(tmp_path / "crm"))
    assert default_export_dir() == tmp_path / "crm"


def test_a_session_from_before_version_2_on_the_french_playbook_resumes_in_french(tmp_path: Path) -> None:
    from playbook.meeting.origin import playbook_for_session
    from playbook.store import SessionInfo

    old = SessionInfo("abc", "meeting", "builtin_fr", "Anne", "", 1.0, 2.0, None, None, 1)
    found = playbook_for_session(old)
    assert (found.spec, found.playbook.language, found.notices) == ("builtin:fr", "fr", ())
    stranger = SessionInfo("def", "meeting", "team_playbook", "Anne", "", 1.0, 2.0, None, None, 1)
    assert "does not record where its playbook" in playbook_for_session(stranger).notices[0]
