"""A live transcript in a meeting (issue 20), through the engine: whose line it is, what it marks,
what the rep's answers to a card record, and that every consumed line is kept with the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.matching import Matcher
from playbook.meeting import MeetingSession
from playbook.meeting.session import SessionError
from playbook.model.events import CardDismissed, ObjectionRaised, QuestionAsked, SpeakerMarked
from playbook.store import Store
from playbook.transcript.follower import Follower, Position
from playbook.transcript.lines import Line
from playbook.transcript.live import Listener, LiveTranscript, on_screen, resume_position

LIBRARY = load_playbook(None)
MATCHER = Matcher.from_playbook(LIBRARY)
PRICE_LINE = "Honestly, it is way too expensive for us"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "sessions.db") as store:
        yield store


def meeting(store: Store | None = None) -> tuple[MeetingSession, LiveTranscript, Listener]:
    session = MeetingSession.start(LIBRARY, store, "Anna", "Dupont", matcher=MATCHER, spec="builtin")
    return session, LiveTranscript(session, clock=Clock()), Listener(LIBRARY, MATCHER)


def hear(live: LiveTranscript, listener: Listener, *lines: Line, shown=()):
    return live.take([listener.hear(line) for line in lines], None, shown)


def events_of(session: MeetingSession, kind: type) -> list:
    return [r.event for r in session.records if isinstance(r.event, kind)]


def test_a_line_with_the_customer_role_raises_a_card_and_one_with_the_rep_role_never() -> None:
    session, live, listener = meeting()
    taken = hear(live, listener, Line("r1", PRICE_LINE, True, "mic", "rep"))
    assert taken.cards == () and live.card is None
    taken = hear(live, listener, Line("c1", PRICE_LINE, True, "line", "customer"))
    assert [c.objection for c in taken.cards] == ["price"] and live.card.line == "c1"


def test_speaker_labels_count_once_the_rep_marks_the_customer() -> None:
    session, live, listener = meeting()
    # Nobody marked yet: a labelled line may be the customer's, and may raise a card.
    assert hear(live, listener, Line("u1", PRICE_LINE, True, "SPEAKER_00")).cards
    live.mark_customer("SPEAKER_01")
    assert events_of(session, SpeakerMarked) == [SpeakerMarked("SPEAKER_01", "customer")]
    assert live.role(Line("x", "", True, "SPEAKER_00")) == "rep"  # everyone else is the rep now
    assert hear(live, listener, Line("u2", "It costs way too much for us", True, "SPEAKER_00")).cards == ()
    assert [c.objection for c in hear(live, listener, Line("u3", "Not now, maybe next quarter", True, "SPEAKER_01")).cards] == ["timing"]
    assert live.role(Line("x", "", True, "SPEAKER_00", "customer")) == "customer"  # a role on the line wins
    session.undo()
    assert live.role(Line("x", "", True, "SPEAKER_00")) is None  # ctrl+z takes the mark back


def test_key_b_marks_the_cards_speaker_else_the_latest_and_again_gives_them_back_to_the_rep() -> None:
    session, live, listener = meeting()
    assert live.toggle_customer() is None  # no speaker label yet
    hear(live, listener, Line("u1", PRICE_LINE, True, "SPEAKER_01"), Line("u2", "Okay, I see.", True, "SPEAKER_00"))
    assert live.card.speaker == "SPEAKER_01"
    assert live.toggle_customer() == ("SPEAKER_01", "customer")  # the card's speaker, not the latest line's
    assert live.toggle_customer() == ("SPEAKER_01", "rep")
    live.dismiss()
    assert live.toggle_customer() == ("SPEAKER_00", "customer")  # no card: the latest line's speaker
    assert session.state.speakers == {"SPEAKER_01": "rep", "SPEAKER_00": "customer"}


def test_the_mark_is_saved_with_the_session(store: Store) -> None:
    session, live, _ = meeting(store)
    live.mark_customer("SPEAKER_01")
    resumed = MeetingSession.resume(LIBRARY, store, session.id, matcher=MATCHER)
    assert resumed.state.speakers == {"SPEAKER_01": "customer"}


def test_a_question_the_rep_asks_aloud_is_marked_asked_and_waits_for_its_answer() -> None:
    session, live, listener = meeting()
    question = next(q for q in LIBRARY.questions if q.stage == session.state.stage)
    assert hear(live, listener, Line("c1", question.text, True, "Anna", "customer")).asked == ()  # the customer asking
    taken = hear(live, listener, Line("r1", question.text, True, "me", "rep"))
    assert taken.asked == (question.id,) and question.id in session.state.asked
    assert question.id not in session.state.answers
    assert events_of(session, QuestionAsked) == [QuestionAsked(question.id, question.text)]
    assert hear(live, listener, Line("r2", question.text, True, "me", "rep")).asked == ()  # once
    later = next(q for q in LIBRARY.questions if q.stage != session.state.stage)
    assert hear(live, listener, Line("r3", later.text, True, "me", "rep")).asked == ()  # another stage's question


def test_accepting_a_card_records_the_same_event_as_a_typed_objection() -> None:
    session, live, listener = meeting()
    hear(live, listener, Line("c1", PRICE_LINE, True, "Anna", "customer"))
    card = live.card
    raised = live.accept()
    typed = MeetingSession.start(LIBRARY, None, "Anna", matcher=MATCHER).raise_objection(PRICE_LINE)
    assert events_of(session, ObjectionRaised) == [ObjectionRaised(1, PRICE_LINE, "price", card.score)]
    assert (raised.objection, raised.text, raised.score) == (typed.objection, typed.text, typed.score)
    assert live.card is None
    assert session.summary().objections  # the summary sees it as any objection


def test_dismissing_a_card_is_recorded_for_learning() -> None:
    session, live, listener = meeting()
    hear(live, listener, Line("c1", PRICE_LINE, True, "Anna", "customer"))
    score = live.card.score
    live.dismiss()
    assert events_of(session, CardDismissed) == [CardDismissed(PRICE_LINE, "price", round(score, 1), "c1")]
    assert session.state.objections == () and session.state.dismissed == 1
    with pytest.raises(SessionError):
        live.dismiss()


def test_a_line_repeating_the_screen_raises_no_card() -> None:
    session, live, listener = meeting()
    session.raise_objection(PRICE_LINE)
    shown = on_screen(session, 1)
    response = session.wording(next(r for r in LIBRARY.objection("price").responses if "expensive" in r.text).text).text
    assert response in shown
    assert hear(live, listener, Line("u1", response, True, "SPEAKER_00"), shown=shown).cards == ()


def test_signals_and_small_talk_raise_no_card() -> None:
    session, live, listener = meeting()
    taken = hear(live, listener, *[Line(f"u{i}", text, True, "Anna", "customer") for i, text in enumerate([
        "Thanks for making the time today.", "How soon could we get started?", "That sounds really good."])])
    assert taken.cards == ()


def test_every_consumed_line_is_kept_with_where_following_stopped(store: Store, tmp_path: Path) -> None:
    session, live, listener = meeting(store)
    path = tmp_path / "call.jsonl"
    path.write_text("")
    follower = Follower(path)
    with open(path, "a") as handle:
        handle.write(Line("u1", "it is", False, "Anna", "customer").dumps() + "\n")
        handle.write(Line("u1", PRICE_LINE, True, "Anna", "customer").dumps() + "\n")
        handle.write(Line("u2", "Send me a brochure", True, "Anna", "customer").dumps() + "\n")
    live.take([listener.hear(u) for u in follower.poll()], follower.position)
    kept = store.transcript(session.id)
    assert [(k["id"], k["text"], k["final"]) for k in kept] == [("u1", PRICE_LINE, True), ("u2", "Send me a brochure", True)]
    position = resume_position(MeetingSession.resume(LIBRARY, store, session.id), path)
    assert position == follower.position and position.offset == path.stat().st_size
    # Resumed: the pane shows what was said, and following continues after it.
    resumed = MeetingSession.resume(LIBRARY, store, session.id, matcher=MATCHER)
    again = LiveTranscript(resumed)
    assert [line.text for line, _ in again.recent(5)] == [PRICE_LINE, "Send me a brochure"]
    with open(path, "a") as handle:
        handle.write(Line("u3", "Not now", True, "Anna", "customer").dumps() + "\n")
    assert [u.id for u in Follower(path, position=position).poll()] == ["u3"]
    assert resume_position(resumed, tmp_path / "another.jsonl") is None


def test_without_a_store_the_transcript_lives_in_memory() -> None:
    session, live, listener = meeting()
    live.take([listener.hear(Line("u1", "hello", True))], Position("/x", 1, 2, 3, 4))
    assert [row["text"] for row in session.transcript()] == ["hello"]
    assert session.transcript_source()["offset"] == 3


def test_the_playbook_sets_the_cooldown(tmp_path: Path) -> None:
    folder = tmp_path / "pb"
    folder.mkdir()
    (folder / "playbook.yaml").write_text("playbook:\n  id: mine\n  name: Mine\n  extends: builtin\n  card_cooldown: 5\n")
    mine = load_playbook(folder)
    assert mine.card_cooldown == 5
    session = MeetingSession.start(mine, None, "Anna", matcher=Matcher.from_playbook(mine))
    assert LiveTranscript(session).policy.cooldown == 5
    assert LiveTranscript(meeting()[0]).policy.cooldown == 60
