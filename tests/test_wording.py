"""Wording a rep can read aloud: placeholders filled from what the meeting established, a visible
blank where it has not, never raw `{syntax}`, and lint for a placeholder nothing can fill."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import MINIMAL
from playbook.authoring.lint import lint
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.meeting.state import MeetingState
from playbook.meeting.summary import to_json, to_markdown
from playbook.meeting.wording import Wording, blank, fill, placeholders

LIBRARY = load_playbook(None)
FRENCH = load_playbook("builtin:fr")
RAW = re.compile(r"[{}]")


def test_an_answer_fills_its_placeholder() -> None:
    state = MeetingState(answers={"cost_estimate": "two people for two days a month."})
    wording = fill("Your own estimate: {cost_estimate}. Over a year?", LIBRARY, state)
    assert wording == Wording("Your own estimate: two people for two days a month. Over a year?")
    assert wording.complete


def test_an_unknown_answer_is_a_visible_blank_named_in_the_playbook_s_words() -> None:
    wording = fill("Your own estimate: {cost_estimate}.", LIBRARY)
    assert wording.text == f"Your own estimate: [{LIBRARY.question('cost_estimate').blank}]."
    assert wording.text == "Your own estimate: [the cost you estimated]."
    assert wording.blanks == ("cost_estimate",) and not wording.complete
    assert fill("Estimation : {cost_estimate}.", FRENCH).text == "Estimation : [le coût que vous avez estimé]."
    assert blank(LIBRARY, "purchase_volume") == "[purchase volume]"  # no `blank:`: the id in words
    assert blank(FRENCH, "open_objection") == "[l'objection ouverte]"


def test_choices_read_mid_sentence_numbers_keep_their_unit_and_meeting_facts_fill_too() -> None:
    state = MeetingState(company="Dupont", answers={"timeline": "now", "purchase_volume": 35})
    text = fill("For {company}: {purchase_volume}, needed {timeline}.", LIBRARY, state).text
    assert text == "For Dupont: 35 users, needed within three months."


def test_the_open_objection_is_named_and_only_well_formed_placeholders_are_filled() -> None:
    session = MeetingSession.start(LIBRARY, prospect="Anna")
    session.raise_objection("too expensive", "price")
    assert session.wording("Apart from this point on {open_objection}?").text == "Apart from this point on price?"
    session.settle_objection(1, "resolved")
    assert session.wording("Apart from {open_objection}?").text == "Apart from [the open objection]?"
    assert placeholders("a {Cost} and {b c} and {ok}") == ("Cost", "b c", "ok")


def test_the_session_returns_worded_responses_closings_and_guidance() -> None:
    session = MeetingSession.start(LIBRARY, prospect="Anna", company="Dupont")
    session.answer("cost_estimate", "two days a month")
    raised = session.raise_objection("too expensive", "price")
    ranked = {r.id: r.text for r, _ in session.responses(raised.number)}
    assert "Your own estimate: two days a month." in " ".join(ranked["value_reframe"].split())
    assert "[what you want to achieve]" in " ".join(ranked["simplify_offer"].split())  # not said yet: a blank
    respond = next(g for g in session.guidance() if g.kind == "respond")
    assert not RAW.search(respond.text)
    session.settle_objection(raised.number, "resolved")
    session.answer("need_confirmed", "yes")
    session.answer("problem_to_solve", "Close the month in one day")
    session.set_stage("closing")
    session.observe_signal("positive_agreement")
    example = next(c.example for c, _, _ in session.closing_advice() if c.id == "synthesis_of_benefits")
    assert example.startswith("So, to sum up. What you want: Close the month in one day. How you will judge it: [how you will judge success].")


@pytest.mark.parametrize("library", [LIBRARY, FRENCH], ids=["en", "fr"])
def test_no_built_in_wording_ever_shows_raw_placeholders(library) -> None:
    empty = MeetingState()
    texts = [r.text for o in library.objections for r in o.responses] + [q for o in library.objections for q in o.follow_up]
    texts += [c.example for c in library.closings] + [r.then.text for r in library.rules]
    for text in texts:
        assert not RAW.search(fill(text, library, empty).text), text
    assert any(placeholders(text) for text in texts)  # the library does use them
    assert not [p for p in lint(library) if p.code == "unknown-placeholder"]


def test_exports_show_no_placeholder_syntax() -> None:
    price = LIBRARY.objection("price")
    asking = replace(price, follow_up=("Apart from {open_objection}, what about {cost_estimate}?",))
    library = replace(LIBRARY, objections=tuple(asking if o.id == "price" else o for o in LIBRARY.objections))
    session = MeetingSession.start(library, prospect="Anna", company="Dupont")
    for objection in library.objections:
        session.raise_objection("said so", objection.id)
    summary = session.summary()
    assert "Come back on the price objection: Apart from risk, what about [the cost you estimated]?" in summary.proposed_actions
    assert not RAW.search(to_markdown(summary))
    assert not RAW.search(json.dumps(json.loads(to_json(summary))["proposed_actions"]))


def test_lint_flags_a_placeholder_no_question_can_fill(tmp_path: Path, cli) -> None:
    text = (MINIMAL / "playbook.yaml").read_text().replace(
        "        text: Compared to what?\n",
        "        text: Compared to {budgett}? And {Budget}, {company}, {budget}.\n",
    )
    (tmp_path / "playbook.yaml").write_text(text)
    found = [p for p in lint(load_playbook(tmp_path)) if p.code == "unknown-placeholder"]
    assert [(p.line, p.col, p.message) for p in found] == [
        (27, 5, "price.clarify: {Budget} names no question of this playbook nor a meeting fact ({company}, {open_objection}): "
                "nothing can fill it (did you mean 'budget'?)"),
        (27, 5, "price.clarify: {budgett} names no question of this playbook nor a meeting fact ({company}, {open_objection}): "
                "nothing can fill it (did you mean 'budget'?)"),
    ]
    result = cli("lint", str(tmp_path), "--strict")
    assert result.code == 1
    assert f"{tmp_path}/playbook.yaml:27:5: warning[unknown-placeholder]: price.clarify: {{budgett}}" in result.out
