"""`preparation:` and `meeting_types:` in the playbook format, the built-in account review, and a
session run as one kind of meeting or another."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest

from playbook.format import check_playbook, load_playbook
from playbook.meeting import MeetingSession, SessionError
from playbook.meeting.summary import to_markdown
from playbook.store import Store

CORE = load_playbook(None)
REVIEW = load_playbook("builtin:review")


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "playbook.yaml").write_text(textwrap.dedent(text))
    return folder


def test_the_core_playbook_prepares_a_meeting_from_the_seed() -> None:
    prep = CORE.preparation
    assert prep is not None and len(prep.checklist) >= 5
    assert {"news", "decision_makers", "connections"} <= {r.id for r in prep.research}
    assert any("20 seconds" in line or "one sentence" in line for line in prep.opening)
    assert CORE.meeting_types == () and CORE.for_meeting("") is CORE


def test_the_review_playbook_adds_an_account_review_it_opens_on() -> None:
    review = REVIEW.meeting_type_of("review")
    assert review is not None and review.accounts == ("customer",)
    assert REVIEW.default_meeting_type == "review"
    assert [s.id for s in review.stages][:3] == ["review_welcome", "satisfaction", "promises"]
    assert {"satisfaction", "promises_kept", "courted", "referral", "users_trained"} <= {q.id for q in REVIEW.questions}
    assert review.preparation is not None and any("promised" in item for item in review.preparation.checklist)
    # The sales meeting of the same playbook asks none of the review's questions, and the other way round.
    sales, meeting = REVIEW.for_meeting(""), REVIEW.for_meeting("review")
    assert "satisfaction" not in {q.id for q in sales.questions} and "budget" in {q.id for q in sales.questions}
    assert {q.stage for q in meeting.questions} <= {s.id for s in review.stages}
    assert meeting.preparation is review.preparation and sales.preparation == CORE.preparation
    assert meeting.for_meeting("") == sales and meeting.whole is REVIEW


def test_a_team_defines_an_after_sale_call_with_its_own_questions(tmp_path: Path) -> None:
    root = write(tmp_path / "team", """\
        playbook: {id: team, name: Team, extends: builtin}
        meeting_types:
          - id: after_sale
            title: After-sale call
            accounts: [customer]
            stages:
              - {id: check_in, title: Check in, goals: [Ask how the first weeks went]}
              - {id: wrap, kind: next_steps, title: Wrap up, goals: [Agree what happens next]}
        questions:
          - {id: first_weeks, stage: check_in, text: How did the first weeks go?, type: text, weight: 5}
        rules:
          - id: ask_first_weeks
            when: {all: [{fact: meeting.type, op: eq, value: after_sale}, {fact: answer.first_weeks, op: exists, value: false}]}
            then: {kind: ask, question: first_weeks, text: Ask how the first weeks went.}
        """)
    playbook, problems = check_playbook(root)
    assert problems == []
    session = MeetingSession.start(playbook, None, "Ann", "Acme", meeting_type="after_sale")
    assert [s.id for s in session.playbook.stages] == ["check_in", "wrap"]
    assert [q.id for q in session.playbook.questions] == ["first_weeks"]
    assert any(g.question == "first_weeks" for g in session.guidance())
    sales = MeetingSession.start(playbook, None, "Ann", "Acme")
    assert "first_weeks" not in {q.id for q in sales.playbook.questions}
    assert not any(g.question == "first_weeks" for g in sales.guidance())


def test_meeting_type_mistakes_are_reported_where_they_are_written(tmp_path: Path) -> None:
    root = write(tmp_path / "bad", """\
        playbook: {id: bad, name: Bad, extends: builtin, meeting_type: reveiw}
        meeting_types:
          - id: review
            title: Review
            stages:
              - {id: discovery, title: Again, goals: [x]}
              - {id: late, kind: opening, title: Late, goals: [x]}
              - {id: later, kind: next_steps, title: Later, goals: [x]}
              - {id: earlier, kind: discovery, title: Earlier, goals: [x]}
        preparation:
          research:
            - {id: news, prompt: What is new?}
            - {id: news, prompt: Again?}
        """)
    _, problems = check_playbook(root)
    shown = sorted(p.format() for p in problems)
    assert any(":6:14: error[duplicate-id]" in line and "stage id 'discovery' (also a stage of the sales meeting)" in line for line in shown), shown
    assert any(":9:29: error[stage-order]" in line for line in shown), shown
    assert any(":1:64: error[unknown-meeting-type]" in line and "did you mean 'review'" in line for line in shown), shown
    assert any(":13:12: error[duplicate-id]" in line and "research id 'news'" in line for line in shown), shown


def test_an_unknown_meeting_type_is_refused_in_words() -> None:
    with pytest.raises(SessionError, match="has no meeting type 'renewal'"):
        MeetingSession.start(REVIEW, None, "Ann", "Acme", meeting_type="renewal")


def test_a_review_meeting_guides_on_satisfaction_promises_and_churn(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        s = MeetingSession.start(REVIEW, store, "Ann", "Acme", spec="builtin:review")
        assert s.state.meeting_type == "review" and s.state.stage == "review_welcome"
        s.set_stage("satisfaction")
        s.answer("satisfaction", "mixed")
        texts = [g.text for g in s.guidance()]
        assert any("Sell nothing and ask for no referral" in t for t in texts)
        assert s.closing_advice() == []  # held while the customer is not satisfied
        s.answer("satisfaction", "delighted")
        s.answer("promises_kept", "all")
        assert any(g.question == "referral" for g in s.guidance())
        s.answer("courted", "yes")
        assert any("Churn risk" in g.text for g in s.guidance())
        # Resumed, the meeting is still a review: its stages, its questions.
        again = MeetingSession.resume(REVIEW, store, s.id)
        assert again.playbook.meeting_type == "review" and again.state.stage == "satisfaction"
        assert again.qualification().score == s.qualification().score
        assert store.info(s.id).meeting_type == "review"


def test_objectives_are_set_checked_off_and_summarised(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        s = MeetingSession.start(CORE, store, "Ann", "Acme")
        first = s.set_objective("Learn who decides")
        second = s.set_objective("Agree a next step")
        s.set_objective_met(first)
        s.set_objective("Agree a dated next step", number=second)
        with pytest.raises(SessionError, match="no objective 9"):
            s.set_objective_met(9)
        with pytest.raises(SessionError, match="needs words"):
            s.set_objective("   ")
        again = MeetingSession.resume(CORE, store, s.id)
        assert [(o.text, o.met) for o in again.state.objectives] == [("Learn who decides", True), ("Agree a dated next step", False)]
        notes = to_markdown(again.summary())
        assert "## Objectives (1 of 2 met)\n\n- [x] Learn who decides\n- [ ] Agree a dated next step" in notes
        again.undo()
        assert not MeetingSession.resume(CORE, store, s.id).state.objectives[1].text.endswith("dated next step")


def test_objections_and_actions_are_kept_as_rows_in_the_same_transaction(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        s = MeetingSession.start(CORE, store, "Ann", "Acme")
        s.raise_objection("too expensive", "price")
        s.settle_objection(1, "parked")
        s.add_action("Send the offer", "me", "2099-01-05")
        s.add_action("Call back", "", "")
        s.set_action_done(2)
        s.remove_action(2)
        s.undo()  # the removal taken back: the action is there again, done
        rows = sqlite3.connect(db).execute(
            "SELECT kind, number, text, detail, due, status FROM meeting_items WHERE session_id = ? ORDER BY kind, number", (s.id,)).fetchall()
        assert rows == [("action", 1, "Send the offer", "me", "2099-01-05", "open"), ("action", 2, "Call back", "", "", "done"),
                        ("objection", 1, "too expensive", "price", "", "parked")]
        seq = sqlite3.connect(db).execute("SELECT items_seq FROM sessions WHERE id = ?", (s.id,)).fetchone()[0]
        assert seq == s.records[-1].seq


def test_an_edit_keeps_a_past_due_date_it_does_not_change(tmp_path: Path) -> None:
    clock = [1_767_261_600.0]
    s = MeetingSession.start(CORE, None, "Ann", "Acme", clock=lambda: clock[0])
    s.add_action("Send the offer", "me", "2026-01-05")
    clock[0] += 30 * 86400
    s.edit_action(1, "Send the revised offer", "me", "2026-01-05")
    assert s.state.actions[0].due == "2026-01-05" and s.state.actions[0].text == "Send the revised offer"
    with pytest.raises(SessionError, match="in the past"):
        s.edit_action(1, "Send the revised offer", "me", "2026-01-06")
