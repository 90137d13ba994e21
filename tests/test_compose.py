"""Composition: extends, includes, overrides, extension, removal, and their errors; the scaffold."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.format import check_playbook, load_playbook

BASE = load_playbook(None)


def write(directory: Path, **files: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (directory / name.replace("__", "/")).write_text(text)
    return directory


META = "playbook: {id: team, name: Team, extends: builtin}\n"


def test_extends_builtin_adds_overrides_and_inherits(tmp_path: Path) -> None:
    team = write(tmp_path / "team", **{"playbook.yaml": META + (
        "objections:\n"
        "  - id: timing\n    title: Not now\n    phrasings: [call me next year]\n"
        "    responses: [{id: later, technique: question, text: What changes next year?}]\n"
        "  - id: legal\n    title: Legal\n    phrasings: [legal must review the contract]\n"
        "    responses: [{id: redline, technique: question, text: Which clauses worry them?}]\n"
    )})
    playbook = load_playbook(team)
    ids = [o.id for o in playbook.objections]
    assert ids == [o.id for o in BASE.objections] + ["legal"]
    timing = playbook.objection("timing")
    assert (timing.title, timing.phrasings) == ("Not now", ("call me next year",))
    assert playbook.objection("price") == BASE.objection("price")
    assert playbook.stages == BASE.stages and playbook.rules == BASE.rules and playbook.neutral == BASE.neutral
    assert playbook.tests == ()  # tests are never inherited
    assert str(playbook.objection("legal").origin).startswith(str(team / "playbook.yaml").lstrip("/")) or "team/playbook.yaml" in str(playbook.objection("legal").origin)
    assert "rules/objections.yaml" in str(playbook.objection("price").origin)


def test_extend_true_adds_to_the_base_category(tmp_path: Path) -> None:
    team = write(tmp_path / "team", **{"playbook.yaml": META + (
        "objections:\n  - id: price\n    extend: true\n    phrasings: [the licence is steep]\n    keywords: [licence]\n"
        "    responses: [{id: value_reframe, technique: question, text: Steep compared to what?},"
        " {id: tco, technique: superior_benefit, text: Look at the total cost over three years.}]\n"
    )})
    price = load_playbook(team).objection("price")
    base = BASE.objection("price")
    assert price.phrasings == base.phrasings + ("the licence is steep",)
    assert "licence" in price.keywords
    assert [r.id for r in price.responses] == [r.id for r in base.responses] + ["tco"]
    assert price.response("value_reframe").text == "Steep compared to what?"  # same id replaces


def test_remove_items_phrasings_and_responses(tmp_path: Path) -> None:
    team = write(tmp_path / "team", **{"playbook.yaml": META + (
        "remove:\n  objections: [messenger]\n  rules: [discovery_running_long]\n"
        "  phrasings: {price: [too exp]}\n  responses: {price: [peer_roi]}\n"
    )})
    playbook = load_playbook(team)
    assert playbook.objection("messenger") is None
    assert "discovery_running_long" not in [r.id for r in playbook.rules]
    assert "too exp" not in playbook.objection("price").phrasings
    assert playbook.objection("price").response("peer_roi") is None


def test_removing_a_response_a_situation_needs_is_a_located_error(tmp_path: Path) -> None:
    team = write(tmp_path / "team", **{"playbook.yaml": META + "remove:\n  responses: {price: [simplify_offer]}\n"})
    _, problems = check_playbook(team)
    assert any(p.code == "unknown-response" and "simplify_offer" in p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("remove:\n  objections: [mesenger]\n", "remove-unknown", "cannot remove objection 'mesenger': there is none (did you mean 'messenger'?)"),
        ("remove:\n  phrasings: {price: [not a phrasing]}\n", "remove-unknown", "'not a phrasing' is not among the phrasings of 'price'"),
        ("objections:\n  - {id: pricing, extend: true, phrasings: [x]}\n", "extend-unknown", "'pricing' extends nothing: the base has no objection of that id (did you mean 'price'?)"),
    ],
)
def test_composition_errors_are_located(tmp_path: Path, text: str, code: str, message: str) -> None:
    team = write(tmp_path / "team", **{"playbook.yaml": META + text})
    _, problems = check_playbook(team)
    assert [(p.code, p.message) for p in problems] == [(code, message)]
    assert problems[0].line > 1


def test_extends_a_path_and_detects_cycles(tmp_path: Path) -> None:
    write(tmp_path / "a", **{"playbook.yaml": "playbook: {id: a, name: A, extends: ../b}\n"})
    write(tmp_path / "b", **{"playbook.yaml": "playbook: {id: b, name: B, extends: ../a}\n"})
    _, problems = check_playbook(tmp_path / "a")
    cycle = next(p for p in problems if p.code == "extends-cycle")
    assert cycle.message.endswith("a -> " + str(tmp_path / "b").lstrip("/").split("/")[-1] + " -> " + "a") or " -> " in cycle.message
    assert cycle.message.count(" -> ") == 2
    assert (cycle.line, cycle.col) == (1, 37)  # reported in b, whose extends closes the loop


def test_extends_missing_and_invalid_base(tmp_path: Path) -> None:
    write(tmp_path / "a", **{"playbook.yaml": "playbook: {id: a, name: A, extends: ../nowhere}\n"})
    _, problems = check_playbook(tmp_path / "a")
    assert [(p.code, p.message) for p in problems] == [("extends-missing", "extends '../nowhere': no such playbook")]
    write(tmp_path / "broken", **{"playbook.yaml": "playbook: {id: b, name: B}\nstages: oops\n"})
    write(tmp_path / "c", **{"playbook.yaml": "playbook: {id: c, name: C, extends: ../broken}\n"})
    _, problems = check_playbook(tmp_path / "c")
    assert {p.code for p in problems} == {"extends-invalid", "schema-type"}


def test_includes_stay_inside_and_exist(tmp_path: Path) -> None:
    team = write(tmp_path / "team", **{
        "playbook.yaml": "playbook: {id: t, name: T, extends: builtin, includes: [more__extra.yaml]}\n".replace("__", "/"),
        "more__extra.yaml": "objections:\n  - {id: legal, title: Legal, phrasings: [legal review], responses: [{id: ask, technique: question, text: Which clauses?}]}\n",
    })
    assert load_playbook(team).objection("legal") is not None
    write(tmp_path / "escape", **{"playbook.yaml": "playbook: {id: e, name: E, includes: [../team/playbook.yaml, missing.yaml]}\n"})
    _, problems = check_playbook(tmp_path / "escape")
    assert [p.code for p in problems] == ["include-outside", "include-missing"]
    assert "outside the playbook's directory" in problems[0].message


def test_scaffold_validates_and_passes_its_own_tests(tmp_path: Path, cli) -> None:
    target = tmp_path / "acme-sales"
    result = cli("new", str(target))
    assert result.code == 0
    assert sorted(p.name for p in target.iterdir()) == ["objections.yaml", "playbook.yaml", "tests.yaml"]
    assert (target / "playbook.yaml").read_text().startswith("# yaml-language-server: $schema=/")
    assert cli("validate", str(target)).code == 0
    tested = cli("test", str(target))
    assert tested.code == 0 and tested.out.splitlines()[-1].startswith("ok: 6/6 passed")
    assert load_playbook(target).id == "acme_sales"
    assert cli("new", str(target)).code == 1  # never over an existing playbook


def test_show_resolved_names_each_item_s_origin(tmp_path: Path, cli) -> None:
    target = tmp_path / "team"
    cli("new", str(target))
    shown = cli("show", "--resolved", str(target))
    assert shown.code == 0
    line = next(l for l in shown.out.splitlines() if l.strip().startswith("security_review"))
    assert "team/objections.yaml:" in line
    assert "rules/objections.yaml:" in next(l for l in shown.out.splitlines() if l.strip().startswith("timing"))
