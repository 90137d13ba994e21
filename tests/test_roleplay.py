"""Role-play and drill: scripted trainees, exact reasons, determinism, storage, and the screens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL
from playbook.training.drill import Drill
from playbook.format import load_playbook
from playbook.training.roleplay import RecordedRolePlay, RolePlay, scorecard_markdown
from playbook.store import Store

LIBRARY = load_playbook(None)
SCRIPT = str(Path(sys.executable).with_name("playbook"))


class Clock:
    def __init__(self) -> None:
        self.now = 1_767_261_600.0

    def __call__(self) -> float:
        self.now += 15
        return self.now


GOOD_BAKERY = [
    "Thanks for having me. What made you want to talk to us now?",
    "What problem would you like this to solve?",
    "What does this problem cost you today?",
    "Who will take the final decision on this?",
    "Is there a budget set aside for this?",
    "By when do you need this in place?",
    "How many shops would use it?",
    "So if I sum up, you want to stop binning bread every evening. Did I get that right?",
    "/next", "/next",
    "I understand it is a real sum. What you gain is two thousand euros a month saved, so it pays for itself within months.",
    "Would you rather pay monthly or quarterly?",
]
POOR_BAKERY = [
    "Our product is the best stock software on the market, let me show you the features.",
    "/next", "/next",
    "Everyone loves it, trust me.",
    "Shall we sign today?",
]


def play(lines: list[str], scenario: str = "price_sensitive_owner", seed: int = 1) -> RolePlay:
    game = RolePlay(LIBRARY, LIBRARY.scenario(scenario), seed=seed, clock=Clock())
    for line in lines:
        game.next_stage() if line == "/next" else game.say(line)
    return game


def test_library_has_five_scenarios_of_different_difficulty() -> None:
    assert len(LIBRARY.scenarios) >= 5
    assert {s.difficulty for s in LIBRARY.scenarios} == {"easy", "medium", "hard"}


def test_a_good_run_scores_high_and_wins() -> None:
    card = play(GOOD_BAKERY).end()
    assert card.outcome == "won"
    assert card.total == 100.0
    assert card.facts_uncovered == card.facts_total == 8
    assert any(l.reason == "price (a real budget limit): settled at once with Superior benefit" and l.ref == "objection:price" for l in card.lines)
    assert any(l.ref == "closing:assumptive" and l.points == 25 for l in card.lines)


def test_a_poor_run_scores_low_with_the_exact_reasons() -> None:
    card = play(POOR_BAKERY).end()
    assert card.outcome == "not won"
    assert card.total == 0.0
    reasons = {(l.reason, l.points, l.ref) for l in card.lines}
    assert ("Pitched before the need was known: ask and confirm the need first.", -10.0, "rule:no_pitch_before_need") in reasons
    assert ("Tried to close too early (objections still open).", -10.0, "rule:settle_objections_before_closing") in reasons
    assert ("price (a real budget limit): left unanswered; it called for Simplify the offer, Superior benefit, Turn it into a question", 0.0, "objection:price") in reasons
    assert sum(1 for l in card.lines if l.reason.startswith("Never asked")) == 8


def test_questions_reveal_facts_in_the_persona_s_voice_and_others_are_deflected() -> None:
    game = play(["Who will take the final decision on this?", "What is your favourite colour?"])
    customer = [t for t in game.transcript if t.speaker == "customer"]
    assert customer[-2].text == LIBRARY.scenario("price_sensitive_owner").fact("decision_maker").says
    assert customer[-1].kind == "deflection"
    assert game.revealed == {"decision_maker"}


def test_objections_come_at_their_stage_and_after_a_premature_close() -> None:
    game = play(["Who decides on this?"], scenario="gatekeeper")
    assert not game.raised
    game.next_stage()
    game.next_stage()
    assert [r.spec.objection for r in game.raised] == ["authority"]
    game.say("Shall we go ahead and sign?")
    assert [r.spec.objection for r in game.raised] == ["authority", "brush_off"]


def test_closing_needs_the_required_facts_and_a_fitting_method() -> None:
    ready = GOOD_BAKERY[:-1]
    wrong_method = play(ready)
    wrong_method.close("Let's go ahead, I'll give you a discount if you sign today.", method="limited_choice")
    assert wrong_method.won_with is None
    right = play(ready)
    right.close("Would you rather pay monthly or quarterly?")
    assert right.won_with == "assumptive"


def test_hints_cost_points() -> None:
    game = play(GOOD_BAKERY[:2])
    before = game.scorecard().total
    turn = game.hint()
    assert turn.speaker == "coach" and turn.text.startswith("Hint (-3 points)")
    assert game.scorecard().total == before - 3


def test_same_seed_same_customer() -> None:
    lines = ["Hello", "/next", "/next", "ok", "What problem do you have?"]
    first = play(lines, scenario="happy_competitor_customer", seed=5)
    again = play(lines, scenario="happy_competitor_customer", seed=5)
    assert first.transcript == again.transcript
    assert first.end() == again.end()


def test_empty_talk_is_not_a_technique() -> None:
    game = play([])
    assert game.recognise_technique("Everyone loves it, trust me.") == ""
    assert game.recognise_technique("One of our customers, a bakery like yours, saved a lot; I can introduce you.") == "third_party"


def test_recorded_role_play_is_stored_as_progress(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("price_sensitive_owner"), store, "Sam", seed=1, clock=Clock())
        for line in POOR_BAKERY:
            game.next_stage() if line == "/next" else game.say(line)
        card = game.end()
        game.end()  # idempotent
        [info] = store.sessions(kind="roleplay")
        assert (info.prospect, info.score, info.finished) == ("Sam", card.total, True)
        events = store.events(game.session_id)
        assert [e.event.type for e in events].count("scorecard_recorded") == 1
        assert [e.event.text for e in events if e.event.type == "turn_taken"] == [t.text for t in game.transcript]


def test_scorecard_markdown_explains_each_point() -> None:
    game = play(POOR_BAKERY)
    text = scorecard_markdown(game.end(), game.transcript)
    assert text.startswith("# Scorecard: The price-sensitive bakery owner\n\n**0/100**, not won, 0/8 facts uncovered")
    assert "- ✗ Pitched before the need was known: ask and confirm the need first. (-10.0) `rule:no_pitch_before_need`" in text
    assert "## Transcript" in text


def test_scenario_mistakes_are_located(tmp_path: Path, cli) -> None:
    text = (MINIMAL / "playbook.yaml").read_text() + (
        "closings:\n  - {id: direct, name: Direct, description: Ask., fits_when: [ready], example: Shall we?}\n"
        "scenarios:\n  - id: s\n    title: S\n    difficulty: easy\n"
        "    persona: {name: A, role: B, company: C, temperament: calm, opening: Hi}\n"
        "    facts: {budget: {answer: huge, says: Lots}}\n"
        "    objections: [{objection: prize, when: closing}]\n"
        "    closes_with: [direct]\n"
    )
    (tmp_path / "playbook.yaml").write_text(text)
    result = cli("validate", str(tmp_path))
    assert result.code == 1
    assert "scenarios[0].persona.temperament: 'calm' is not allowed" in result.err
    (tmp_path / "playbook.yaml").write_text(text.replace("temperament: calm", "temperament: steady"))
    errors = cli("validate", str(tmp_path)).err
    assert "scenarios[0].facts.budget.answer: 'huge' is not an answer to budget (one of approved, none)" in errors
    assert "scenarios[0].objections[0].objection: 'prize' is not a known objection (did you mean 'price'?)" in errors


def test_drill_scores_category_and_response() -> None:
    drill = Drill(LIBRARY, seed=4)
    first = next(drill.rounds(1))
    right_number = [o.id for o in LIBRARY.objections].index(first.objection) + 1
    assert drill.name_category(first, str(right_number)).correct
    title = LIBRARY.objection(first.objection).title
    assert drill.name_category(first, title.lower()[:-1]).correct  # typos allowed
    own = next(i for i, (_, belongs) in enumerate(first.responses, 1) if belongs == first.objection)
    decoy = next(i for i, (_, belongs) in enumerate(first.responses, 1) if belongs != first.objection)
    assert drill.pick_response(first, str(own)).correct
    assert not drill.pick_response(first, str(decoy)).correct
    assert drill.score == 2 + 2 + 1


def test_drill_cli_runs_on_piped_answers_and_stops_at_end_of_input() -> None:
    result = subprocess.run([SCRIPT, "drill", "--rounds", "3", "--seed", "4"], input="1\n2\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[1/3] Customer:" in result.stdout and "[2/3]" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Done: ")
    assert "Traceback" not in result.stderr


def test_roleplay_cli_lists_and_refuses_unknown_scenarios(cli) -> None:
    listing = cli("roleplay", "--list")
    assert listing.code == 0 and "price_sensitive_owner" in listing.out
    unknown = cli("roleplay", "--scenario", "gatekeper")
    assert unknown.code == 1 and "(did you mean 'gatekeeper'?)" in unknown.err


async def test_roleplay_screen_plays_and_shows_the_scorecard(tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from tui.app import PlaybookApp
    from tui.screens.roleplay import RolePlayScreen, ScorecardScreen

    with Store.open(tmp_path / "s.db") as store:
        game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("price_sensitive_owner"), store, "Sam", seed=1)
        app = PlaybookApp(LIBRARY, store, roleplay=game)
        async with app.run_test(size=(120, 40)) as pilot:
            assert isinstance(app.screen, RolePlayScreen)
            await pilot.press(*"Hello", "backspace", "o")  # typed for real once
            app.screen.query_one("#line").value = ""
            for line in GOOD_BAKERY:
                app.screen.query_one("#line").value = line
                await pilot.press("enter")
                await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            assert app.screen.markdown.startswith("# Scorecard: The price-sensitive bakery owner\n\n**100/100**, won")
        assert store.sessions(kind="roleplay")[0].score == 100.0


async def test_roleplay_hint_and_end_keys(tmp_path: Path) -> None:
    from tui.app import PlaybookApp
    from tui.screens.roleplay import ScorecardScreen

    with Store.open(tmp_path / "s.db") as store:
        game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("busy_executive"), store, "Sam", seed=2)
        app = PlaybookApp(LIBRARY, store, roleplay=game)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+g", "ctrl+n")
            await pilot.pause()
            assert game.hints == 1 and game.stage == LIBRARY.stages[1].id
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            assert "1 hint used (-3.0)" in app.screen.markdown


def test_sessions_show_prints_a_stored_role_play(tmp_path: Path, cli) -> None:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("price_sensitive_owner"), store, "Sam", seed=1)
        for line in POOR_BAKERY:
            game.next_stage() if line == "/next" else game.say(line)
        game.end()
    listing = cli("sessions", "list", "--roleplay", "--db", str(db))
    assert "Sam, The price-sensitive bakery owner" in listing.out
    shown = cli("sessions", "show", game.session_id, "--db", str(db))
    assert shown.out.startswith("# Role-play: The price-sensitive bakery owner\n\n**0/100**, not won")
    assert "- **trainee**: Everyone loves it, trust me." in shown.out


def test_scorecard_per_stage_adds_up_to_the_areas() -> None:
    card = play(POOR_BAKERY).end()
    stages = card.by_stage()
    assert stages["discovery"][1] > 0 and stages["closing"] == (0.0, 25.0)
    assert stages["presentation"][0] == -10.0  # the premature close happened there
    assert round(sum(got for got, _ in stages.values()), 6) == round(sum(got for got, _ in card.by_area().values()), 6)
