"""The meeting session: intents, state as a fold, undo, qualification, ranked guidance, summary."""

from __future__ import annotations

import pytest

from playbook.model.events import QuestionAnswered, Undone
from playbook.format import load_playbook
from playbook.meeting.qualification import qualify
from playbook.meeting import MeetingSession, SessionError
from playbook.meeting.state import fold

LIBRARY = load_playbook(None)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_767_261_600.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def session() -> MeetingSession:
    return MeetingSession.start(LIBRARY, prospect="Anna", company="Dupont", clock=FakeClock())


def test_start_puts_the_meeting_in_the_first_stage(session: MeetingSession) -> None:
    assert session.state.stage == LIBRARY.stages[0].id
    assert (session.state.prospect, session.state.company) == ("Anna", "Dupont")
    assert session.state.started_at == 1_767_261_600.0


def test_state_is_the_fold_of_the_events(session: MeetingSession) -> None:
    session.set_stage("discovery")
    session.answer("budget", "limited")
    session.raise_objection("too expensive", "price")
    session.use_response(1, "simplify_offer")
    session.settle_objection(1, "resolved")
    session.add_action("Send the summary", "Rep", "Friday")
    assert fold(session.records, LIBRARY.stages[0].id) == session.state
    assert session.state.objections[0].responses == ("simplify_offer",)
    assert session.state.objections[0].outcome == "resolved"


def test_undo_takes_back_the_last_event_and_keeps_it_in_the_log(session: MeetingSession) -> None:
    session.answer("budget", "limited")
    session.answer("timeline", "now")
    undone = session.undo()
    assert undone == QuestionAnswered("timeline", "now")
    assert "timeline" not in session.state.answers and session.state.answers["budget"] == "limited"
    assert isinstance(session.records[-1].event, Undone)
    session.undo()
    assert session.state.answers == {}
    assert session.undo() is None  # the start of the meeting cannot be undone
    assert session.state.prospect == "Anna"


@pytest.mark.parametrize(
    ("question", "value", "stored"),
    [("budget", "Limited", "limited"), ("need_confirmed", "y", "yes"), ("purchase_volume", "35", 35),
     ("purchase_volume", "12,5", 12.5), ("problem_to_solve", "  reporting   takes days ", "reporting takes days")],
)
def test_answers_are_checked_and_normalised(session: MeetingSession, question: str, value, stored) -> None:
    session.answer(question, value)
    assert session.state.answers[question] == stored


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.answer("budget", "lots"), "'lots' is not an answer to this question (one of approved, limited, planned, none)"),
        (lambda s: s.answer("purchase_volume", "many"), "'many' is not a number (users expected)"),
        (lambda s: s.answer("nope", "yes"), "no question 'nope' in this playbook"),
        (lambda s: s.answer("problem_to_solve", "   "), "the answer is empty"),
        (lambda s: s.set_stage("lunch"), "no stage 'lunch' in this playbook"),
        (lambda s: s.raise_objection("x", "weather"), "no objection category 'weather' in this playbook"),
        (lambda s: s.raise_objection("good morning, thanks for coming"), "no objection recognised in that text; pick the category by hand"),
        (lambda s: s.use_response(9, "x"), "no objection 9 in this meeting"),
        (lambda s: s.observe_signal("smiles"), "no buying signal 'smiles' in this playbook"),
        (lambda s: s.attempt_close("magic", True), "no closing method 'magic' in this playbook"),
        (lambda s: s.add_action(" "), "an action needs a description"),
        (lambda s: s.remove_action(3), "no action 3"),
    ],
)
def test_bad_intents_are_refused_and_change_nothing(session: MeetingSession, call, message: str) -> None:
    before = (session.state, len(session.records))
    with pytest.raises(SessionError) as error:
        call(session)
    assert str(error.value) == message
    assert (session.state, len(session.records)) == before


def test_objection_recorded_from_text_uses_the_matcher(session: MeetingSession) -> None:
    raised = session.raise_objection("too exp for us")
    assert raised.objection == "price"
    assert raised.score == session.matcher.match("too exp for us")[0].score


def test_wrong_response_or_situation_for_the_objection(session: MeetingSession) -> None:
    session.raise_objection("too expensive", "price")
    with pytest.raises(SessionError):
        session.use_response(1, "meet_decider")  # an authority response
    with pytest.raises(SessionError):
        session.classify_objection(1, "busy_season")


def test_qualification_score_coverage_and_verdict() -> None:
    weights = {q.id: q.weight for q in LIBRARY.questions}
    total = sum(weights.values())
    q = qualify(LIBRARY, {"budget": "limited", "timeline": "now"})
    budget = LIBRARY.question("budget").answer("limited").score
    timeline = LIBRARY.question("timeline").answer("now").score
    assert q.score == pytest.approx((budget * weights["budget"] + timeline * weights["timeline"]) / (weights["budget"] + weights["timeline"]))
    assert q.coverage == pytest.approx(100 * (weights["budget"] + weights["timeline"]) / total)
    assert q.verdict == "not_yet" and "still to learn" in q.reasons[0]
    assert qualify(LIBRARY, {}).score is None


def test_one_no_go_answer_makes_the_verdict_no_go_with_its_reason() -> None:
    q = qualify(LIBRARY, {"budget": "none", "timeline": "now", "decision_maker": "contact"})
    assert q.verdict == "no_go"
    assert q.reasons == (f"budget: No budget. {LIBRARY.question('budget').answer('none').means}",)


def test_go_needs_enough_known_and_good() -> None:
    good = {"problem_to_solve": "x", "need_confirmed": "yes", "decision_maker": "contact", "budget": "approved",
            "timeline": "now", "cost_of_problem": "high", "approval_process": "known", "current_supplier": "nothing",
            "success_criteria": "x", "cost_estimate": "x", "why_it_matters": "x", "opens_doors": "yes", "own_next_step": "concrete"}
    q = qualify(LIBRARY, good)
    assert q.coverage >= 60 and q.verdict == "go"
    assert any(r.startswith("authority") for r in q.reasons)


def test_next_questions_are_the_stage_s_most_valuable_unanswered(session: MeetingSession) -> None:
    session.set_stage("discovery")
    expected = sorted((q for q in LIBRARY.questions if q.stage == "discovery"), key=lambda q: -q.weight)
    assert [q.id for q in session.next_questions(3)] == [q.id for q in expected[:3]]
    session.answer(expected[0].id, "x" if expected[0].type == "text" else expected[0].answers[0].key)
    assert expected[0].id not in [q.id for q in session.next_questions(3)]


def test_responses_ranked_by_situation(session: MeetingSession) -> None:
    raised = session.raise_objection("too expensive", "price")
    plain = [r.id for r, _ in session.responses(raised.number)]
    assert plain[0] == LIBRARY.objection("price").responses[0].id
    session.classify_objection(raised.number, "half_way")
    ranked = session.responses(raised.number)
    assert [r.id for r, _ in ranked[:2]] == ["meet_half_way", "value_reframe"]
    assert ranked[0][1] == "fits the situation: Wants to meet half-way"


def test_rule_puts_its_response_first_and_used_responses_go_last(session: MeetingSession) -> None:
    session.answer("budget", "limited")
    raised = session.raise_objection("too expensive", "price")
    ranked = [r.id for r, _ in session.responses(raised.number)]
    assert ranked[0] == "simplify_offer"
    session.use_response(raised.number, "simplify_offer")
    assert [r.id for r, _ in session.responses(raised.number)][-1] == "simplify_offer"


def test_fresh_objection_is_answered_first(session: MeetingSession) -> None:
    session.set_stage("objections")
    session.raise_objection("I need my director's approval", "authority")
    first = session.guidance()[0]
    assert (first.kind, first.objection) == ("respond", "authority")


def test_closing_advice_follows_the_signals(session: MeetingSession) -> None:
    session.answer("need_confirmed", "yes")
    session.set_stage("presentation")
    session.observe_signal("compares_options")
    advice = session.closing_advice()
    assert advice[0][0].id == "limited_choice"
    assert any("Hesitates between two options" in reason for reason in advice[0][2])
    session.attempt_close("limited_choice", False)
    assert "already tried and failed" in next(r for c, _, r in session.closing_advice() if c.id == "limited_choice")


def test_guidance_is_ordered_by_priority(session: MeetingSession) -> None:
    session.set_stage("closing")
    session.raise_objection("too expensive", "price")
    session.raise_objection("too risky", "risk")
    priorities = [g.priority for g in session.guidance()]
    assert priorities == sorted(priorities, reverse=True)
    assert session.guidance()[0].source == "rule:settle_objections_before_closing"


def test_summary_proposes_an_action_plan_until_one_is_agreed(session: MeetingSession) -> None:
    session.raise_objection("too expensive", "price")
    summary = session.summary()
    assert summary.actions == ()
    assert "Set up a meeting with the people who decide" in summary.proposed_actions
    assert any(p.startswith("Come back on the price objection") for p in summary.proposed_actions)
    session.add_action("Call back on Friday", "Rep", "Friday")
    assert session.summary().proposed_actions == ()
