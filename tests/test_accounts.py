"""Accounts, unit by unit on a real SQLite file: names and fuzzy finding, the funnel, contacts,
logged interactions, the timeline, carrying open items into the next meeting, the agenda,
segments, CSV in and out, and meetings recorded before accounts existed."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from playbook.accounts import (
    AccountBook,
    AccountError,
    AmbiguousAccount,
    NoSuchAccount,
    adopt_sessions,
    agenda,
    complete,
    open_questions,
    overdue_count,
    prepare,
    save_preparation,
    segments,
    settle,
    start_meeting,
    timeline,
)
from playbook.accounts.csvio import export_csv, import_csv
from playbook.accounts.names import NameIndex
from playbook.accounts.segments import chart
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.model.accounts import name_key
from playbook.store import SCHEMA_VERSION, Store

CORE = load_playbook(None)
REVIEW = load_playbook("builtin:review")
DAY = 86400.0
T0 = 1_767_261_600.0  # 2026-01-01 10:00 UTC
RELEASE_DB = Path(__file__).parent / "data" / "sessions-schema2.db"


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def book(tmp_path: Path):
    store = Store.open(tmp_path / "a.db")
    yield AccountBook(store, Clock())
    store.close()


def test_names_compare_without_case_accents_punctuation_or_legal_form() -> None:
    assert name_key("ACME ltd.") == name_key("Acme Ltd") == "acme"
    assert name_key("Société Générale des Eaux SA") == "societe generale des eaux"
    assert name_key("Co") == "co"  # a legal form alone is still a name
    assert name_key("  ") == ""


def test_an_account_is_found_by_id_name_prefix_or_near_miss_and_ties_are_candidates() -> None:
    names = {1: "Acme Ltd", 2: "Initech", 3: "Globex Corporation", 4: "Acme Industries"}
    index = NameIndex({i: (n, name_key(n)) for i, n in names.items()})
    assert index.resolve("2")[0].name == "Initech"
    assert index.resolve("acme ltd.")[0].how == "exact"
    assert index.resolve("acme ind")[0].name == "Acme Industries"
    best, _ = index.resolve("glbex")
    assert best.name == "Globex Corporation" and best.score == pytest.approx(fuzz.WRatio("glbex", "globex"))
    best, candidates = index.resolve("ac")  # two names start with it: the rep chooses
    assert best is None and {c.name for c in candidates} >= {"Acme Ltd", "Acme Industries"}
    assert index.resolve("zzz") == (None, [])


def test_adding_finding_and_refusing_in_words(book: AccountBook) -> None:
    acme = book.add("Acme Ltd", value="48,000", need="training")
    assert (acme.stage, acme.value, acme.need) == ("suspect", 48000.0, "training")
    with pytest.raises(AccountError, match="already exists"):
        book.add("ACME ltd.")
    with pytest.raises(AccountError, match="not a funnel stage"):
        book.add("Globex", stage="hot lead")
    with pytest.raises(AccountError, match="not an amount"):
        book.update(acme, value="lots")
    book.add("Acme Industries")
    assert book.find("acme").id == acme.id
    with pytest.raises(AmbiguousAccount) as ambiguous:
        book.find("ac")
    assert "Acme Ltd (id 1)" in str(ambiguous.value) and "Acme Industries (id 2)" in str(ambiguous.value)
    with pytest.raises(NoSuchAccount, match="no account matches 'Hooli'"):
        book.find("Hooli")


def test_funnel_moves_are_dated_events_with_a_reason(book: AccountBook) -> None:
    acme = book.add("Acme")
    with pytest.raises(AccountError, match="say why"):
        book.set_stage(acme, "prospect", "  ")
    book.clock.now += DAY
    acme = book.set_stage(acme, "prospect", "budget confirmed in the first meeting")
    moves = book.tables.stage_changes(acme.id)
    assert [(m.previous, m.stage, m.reason, m.at) for m in moves] == [
        ("suspect", "prospect", "budget confirmed in the first meeting", T0 + DAY), ("", "suspect", "account created", T0)]
    with pytest.raises(AccountError, match="already a prospect"):
        book.set_stage(acme, "prospect", "again")


def test_logging_reads_follow_up_dates_in_words_and_refuses_past_ones(book: AccountBook) -> None:
    acme = book.add("Acme")
    call = book.log(acme, "call", "Left a message for the CFO", due="friday")
    assert call.due == "2026-01-02"  # 2026-01-01 is a Thursday
    with pytest.raises(AccountError, match="in the past"):
        book.log(acme, "email", "x", due="2025-12-01")
    with pytest.raises(AccountError, match="not a kind of interaction"):
        book.log(acme, "fax", "x")
    with pytest.raises(AccountError, match="empty"):
        book.log(acme, "note", "  \n ")
    assert book.get(acme.id).last_contact_at == T0


def _meeting(book: AccountBook, account, clock: Clock) -> MeetingSession:
    s = start_meeting(book, CORE, account, "Anna Martin", spec="builtin")
    s.answer("budget", "limited")
    s.raise_objection("that is too expensive for us", "price")
    s.settle_objection(1, "parked")
    s.raise_objection("I must ask my director", "authority")
    s.add_action("Send the pricing options", "me", "2026-01-05")
    s.add_action("Book a demo with the director", "Anna", "2026-01-20")
    s.set_action_done(1)
    s.record_outcome("next_meeting")
    s.end()
    return s


def test_the_second_meeting_starts_from_the_first_ones_open_items(book: AccountBook) -> None:
    acme = book.add("Acme")
    first = _meeting(book, acme, book.clock)
    book.clock.now += 7 * DAY
    sheet = prepare(book, CORE, acme)
    assert [o.text for o in sheet.parked_objections] == ["that is too expensive for us"]
    assert [o.text for o in sheet.open_objections] == ["I must ask my director"]
    assert [a.text for a in sheet.due_actions] == ["Book a demo with the director"]
    assert "budget" in {k.question for k in sheet.known} and "budget" not in {q.id for q in sheet.unanswered}
    assert any("decision-maker" in gap for gap in sheet.gaps)
    assert sheet.suggestions[0] == 'Settle the objection left parked: "that is too expensive for us"'
    save_preparation(book, sheet, objectives=["Meet the director", sheet.suggestions[0]], research={"news": "New CFO"})
    second = start_meeting(book, CORE, acme, spec="builtin")
    state = second.state
    assert [(o.text, o.outcome, o.carried_from) for o in state.objections] == [
        ("that is too expensive for us", "parked", f"{first.id}#1"), ("I must ask my director", "open", f"{first.id}#2")]
    assert [(a.text, a.due, a.carried_from) for a in state.actions] == [("Book a demo with the director", "2026-01-20", f"{first.id}#2")]
    assert state.answers == {"budget": "limited"}
    assert [o.text for o in state.objectives] == ["Meet the director", sheet.suggestions[0]]
    assert book.tables.open_preparation(acme.id) is None  # taken up by the meeting
    # Across meetings, each open item counts once: where it stands now.
    shown = timeline(book, acme)
    assert [(i.session_id, i.text) for i in shown.open_objections] == [(second.id, "that is too expensive for us"),
                                                                        (second.id, "I must ask my director")]
    second.settle_objection(2, "resolved")
    second.set_action_done(1)
    shown = timeline(book, acme)
    assert [i.text for i in shown.open_objections] == ["that is too expensive for us"] and shown.open_actions == ()
    assert [e.kind for e in shown.entries][:2] == ["meeting", "meeting"] and shown.last_meeting == second.id


def test_the_agenda_sorts_follow_ups_into_overdue_today_and_this_week(book: AccountBook) -> None:
    acme, globex = book.add("Acme"), book.add("Globex")
    _meeting(book, acme, book.clock)
    book.log(globex, "call", "Call back about the pilot", due="2026-01-06")
    book.log(globex, "offer", "Sent the offer", due="2026-01-30")
    plan = agenda(book, date(2026, 1, 6))
    assert [f.text for f in plan.overdue] == []  # the first action is done
    assert [(f.account, f.text) for f in plan.due_today] == [("Globex", "Call back about the pilot")]
    assert plan.this_week == ()
    plan = agenda(book, date(2026, 1, 14))
    assert [f.text for f in plan.overdue] == ["Call back about the pilot"]
    assert [f.text for f in plan.this_week] == ["Book a demo with the director"]
    assert overdue_count(book, date(2026, 1, 14)) == 1
    complete(book, plan.overdue[0].ref)
    complete(book, plan.this_week[0].ref)
    assert agenda(book, date(2026, 1, 14)).empty
    with pytest.raises(AccountError, match="not an agenda item"):
        complete(book, "X:1")


def test_segments_show_where_the_value_is(book: AccountBook) -> None:
    for name, value, need, stage in [("A", 100_000, "training", "customer"), ("B", 50_000, "fleet", "customer"),
                                     ("C", 20_000, "training", "prospect"), ("D", 5_000, "", "prospect"),
                                     ("E", 3_000, "fleet", "suspect"), ("F", None, "software", "suspect")]:
        book.add(f"{name} Corp", stage, value=value, need=need)
    by_value = segments(book, "value")
    assert by_value.pareto == (2, 5) and "80% of the value comes from 2 of 5 accounts" in by_value.pareto_line()
    assert [(s.key, s.accounts, s.value) for s in by_value.segments] == [
        ("top_20", 1, 100_000), ("next_30", 2, 70_000), ("bottom_50", 2, 8_000), ("unknown", 1, 0.0)]
    by_stage = segments(book, "stage")
    assert [(s.key, s.accounts) for s in by_stage.segments] == [("suspect", 2), ("prospect", 2), ("customer", 2), ("lost", 0)]
    by_need = segments(book, "need")
    assert [s.key for s in by_need.segments] == ["training", "fleet", "software", ""]
    drawn = chart(by_stage, width=60, height=10)
    assert "Accounts by funnel stage" in drawn and "customer" in drawn and "█" in drawn


CRM = """Company Name,First Name,Last Name,Job Title,Email,Lifecycle Stage,Role,Next Activity Date,Annual Value,Unused
Acme Ltd,Anna,Martin,Head of Operations,anna@acme.test,opportunity,Champion,2026-02-10,48000,x
ACME ltd.,Paul,Durand,CFO,paul@acme.test,opportunity,Economic Buyer,,,
,No,Company,,,lead,,,,
Globex,Hank,Scorpio,CEO,hank@globex.test,customer,decision maker,2026-02-30,120000,
Umbrella,Alice,Wong,IT,alice@umbrella.test,Subscriber,user,,5000,
Hooli,Gavin,B,CEO,,Banana,,,,
"Stark, Industries",Pepper,Potts,"COO, acting",pepper@stark.test,customer,,,"250,000",
"""


def test_a_crm_export_is_imported_with_each_bad_row_said_and_skipped(book: AccountBook, tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(CRM, encoding="utf-8")
    report = import_csv(book, source, shown="crm.csv")
    assert report.problems == [
        "crm.csv:4: no company name",
        "crm.csv:5: '2026-02-30' is not a date: February 2026 has 28 days",
        "crm.csv:7: 'Banana' is not a funnel stage (suspect, prospect, customer, lost, or a CRM's name for one)",
    ]
    assert (report.accounts_created, report.contacts_added) == (3, 4)
    acme = book.find("acme")
    assert (acme.stage, acme.value) == ("prospect", 48000.0)
    assert [(c.name, c.role, c.title) for c in book.contacts(acme)] == [
        ("Anna Martin", "champion", "Head of Operations"), ("Paul Durand", "decision_maker", "CFO")]
    assert [i.due for i in book.tables.interactions(acme.id)] == ["2026-02-10"]
    assert "Globex" not in {line.account.name for line in book.lines()}
    # Imported again: nothing doubles.
    again = import_csv(book, source, shown="crm.csv")
    assert (again.accounts_created, again.contacts_added) == (0, 0)
    # Exported, then imported into an empty book: the same accounts and people.
    exported = export_csv(book)
    assert exported.splitlines()[0] == "id,company,stage,buying_stage,value,potential,need,effort,last_contact,contact,role,title,email,phone"
    (tmp_path / "out.csv").write_text(exported)
    with Store.open(tmp_path / "b.db") as other:
        fresh = AccountBook(other, Clock())
        assert import_csv(fresh, tmp_path / "out.csv").problems == []
        without_ids = lambda text: sorted(line.split(",", 1)[1] for line in text.splitlines()[1:])  # noqa: E731
        assert without_ids(export_csv(fresh)) == without_ids(exported)


def test_a_failure_of_the_database_during_an_import_writes_nothing(book: AccountBook, tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("company,contact\nAcme,Ann\nGlobex,Hank\n")
    book.store._db.execute("CREATE TRIGGER no_globex BEFORE INSERT ON accounts WHEN NEW.name = 'Globex'"
                           " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    with pytest.raises(Exception):
        import_csv(book, source)
    assert book.lines() == [] and book.store._db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0


def test_cells_that_would_run_as_formulas_are_guarded_and_read_back(book: AccountBook, tmp_path: Path) -> None:
    acme = book.add("=HYPERLINK(\"x\")")
    book.add_contact(acme, "@boss", "decision_maker")
    exported = export_csv(book)
    assert "'=HYPERLINK" in exported and ",'@boss," in exported
    (tmp_path / "e.csv").write_text(exported)
    with Store.open(tmp_path / "b.db") as other:
        fresh = AccountBook(other, Clock())
        import_csv(fresh, tmp_path / "e.csv")
        assert fresh.lines()[0].account.name == "=HYPERLINK(\"x\")"


def test_meetings_from_the_release_before_accounts_are_filed_under_accounts(tmp_path: Path) -> None:
    """The fixture was written by the release with schema 2 (tests/data/make_schema2_db.py)."""
    db = tmp_path / "old.db"
    shutil.copy(RELEASE_DB, db)
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 2
    with Store.open(db) as store:
        book = AccountBook(store, Clock(T0 + 30 * DAY))
        adoption = adopt_sessions(book)
        assert (adoption.created, adoption.linked, adoption.to_ask, adoption.items) == (4, 5, 1, 7)
        assert adopt_sessions(book).linked == 0  # each meeting is looked at once
        names = sorted((l.account.name, l.meetings, l.account.stage) for l in book.lines())
        assert names == [("Acme Ltd", 2, "prospect"), ("Globex Corporation", 1, "prospect"), ("Initech", 1, "prospect"),
                         ("Société Générale des Eaux", 1, "prospect")]
        acme = book.find("acme")
        assert book.tables.stage_changes(acme.id)[0].at == T0  # dated by its first meeting
        shown = timeline(book, acme)
        assert [o.text for o in shown.open_objections] == ["that's too expensive for us", "I need to run it by my director"]
        assert [a.text for a in shown.open_actions] == ["Book a demo with the director", "Draft the proposal"]
        # "Initech Labs" is close to "Initech": the rep is asked, and settles it.
        [question] = open_questions(book)
        assert question.company == "Initech Labs" and question.candidates == ((book.find("Initech").id, "Initech"),)
        new_id = settle(book, [s for s, _p, _t in question.sessions], None, new=True)
        assert book.get(new_id).name == "Initech Labs" and open_questions(book) == []
        # The old meetings still resume, and their actions can be ticked from the agenda.
        plan = agenda(book, date(2026, 1, 20))
        assert [f.text for f in plan.overdue] == ["Envoyer la proposition"]
        complete(book, plan.overdue[0].ref)
        assert agenda(book, date(2026, 1, 20)).overdue == ()
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_damaged_account_row_is_skipped_and_said(book: AccountBook) -> None:
    book.add("Acme")
    book.add("Globex")
    book.store._db.execute("UPDATE accounts SET value = 'lots' WHERE name = 'Globex'")
    lines = book.lines()
    assert [l.account.name for l in lines] == ["Acme"]
    assert book.store.damaged == [f"{book.store.path}: account 2: value holds text, not a number; skipped"]


def test_a_review_is_proposed_for_customers_and_its_preparation_used(book: AccountBook) -> None:
    acme = book.add("Acme", "customer")
    sheet = prepare(book, REVIEW, acme)
    assert sheet.meeting_type == "review" and any("promised" in item for item, _ in sheet.checklist)
    assert {q.id for q in sheet.unanswered} >= {"satisfaction", "promises_kept"}
    prospect = book.add("Globex", "prospect")
    assert prepare(book, REVIEW, prospect).meeting_type == "review"  # the playbook's default for other stages
    assert prepare(book, CORE, prospect).meeting_type == ""
    session = start_meeting(book, REVIEW, acme, "Ann")
    assert session.state.meeting_type == "review" and session.state.stage == "review_welcome"
    assert book.store.info(session.id).account_id == acme.id
