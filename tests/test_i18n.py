"""The interface's language: the catalogues are complete, compiled and shipped, nothing shown in
the TUI escapes them, and the engine's prose (summary, recap, role-play, drill) follows the
language. Screens in French are checked in tests/test_i18n_screens.py."""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from playbook import i18n
from playbook.i18n import LOCALE_DIR, N_, _, available_languages, ngettext, pgettext, set_language

ROOT = Path(__file__).parent.parent
FRENCH_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "playbook.po"
FRENCH_MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "playbook.mo"


def extracted() -> dict[tuple[str | None, str | tuple[str, ...]], set[str]]:
    """Every marked string in the engine and the TUI, as `make messages` finds it (babel.cfg)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict = {}
    for folder in ("playbook", "tui"):
        for filename, _lineno, message, _comments, context in extract_from_dir(ROOT / folder, method_map, options_map):
            found.setdefault((context, message), set()).add(f"{folder}/{filename}")
    return found


def french_catalogue():
    with open(FRENCH_PO, "rb") as po:
        return read_po(po, locale="fr")


def key(message) -> tuple:
    return (message.context, message.id)


# -- the catalogues ---------------------------------------------------------------------------------

def test_every_marked_string_has_a_french_translation() -> None:
    """A string wrapped in _() (or N_, ngettext, pgettext) anywhere, and missing from the French
    catalogue or left untranslated there, fails here with its place: run `make messages`,
    translate, `make catalogues`."""
    marked = extracted()
    catalogue = {key(m): m for m in french_catalogue() if m.id}
    missing = sorted(f"{sorted(files)}: {ident!r}" for (context, ident), files in marked.items() if (context, ident) not in catalogue)
    assert not missing, "not in the French catalogue (make messages):\n" + "\n".join(missing)
    untranslated = [m.id for m in catalogue.values()
                    if m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    assert not untranslated, f"untranslated or fuzzy in {FRENCH_PO.name}: {untranslated}"
    stale = sorted(repr(k) for k in catalogue if k not in marked)
    assert not stale, "in the catalogue but no longer in the code (make messages drops them):\n" + "\n".join(stale)
    assert len(marked) > 400  # the whole interface, not a sample


def test_the_template_is_up_to_date() -> None:
    with open(LOCALE_DIR / "playbook.pot", "rb") as pot:
        template = {key(m) for m in read_po(pot) if m.id}
    assert template == set(extracted()), "playbook.pot is stale: run `make messages`"


def test_the_compiled_catalogue_says_what_the_po_says() -> None:
    """The .mo the app loads is the .po compiled (`make catalogues` after every edit)."""
    with open(FRENCH_MO, "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in french_catalogue():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = {n: compiled.ngettext(*message.id, n) for n in (1, 2)}
            assert forms == {1: message.string[0], 2: message.string[-1]}, message.id
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder() -> None:
    """A msgstr with a {field} renamed or dropped would raise KeyError or lose data on screen."""
    for message in french_catalogue():
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(s) for s in sources))
        for target in targets:
            assert fields(target) == wanted, (message.id, target)


def test_catalogues_ship_in_the_package() -> None:
    """The wheel takes what pyproject's package-data names; the .mo must be among it."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["playbook"]
    shipped = {p.relative_to(ROOT / "playbook").as_posix() for pattern in data for p in (ROOT / "playbook").glob(pattern)}
    assert {"locale/fr/LC_MESSAGES/playbook.mo", "locale/fr/LC_MESSAGES/playbook.po"} <= shipped


# -- the entry points -------------------------------------------------------------------------------

def test_set_language_switches_every_later_lookup_and_falls_back_to_english() -> None:
    assert available_languages() == ("en", "fr")
    assert _("New meeting") == "New meeting"
    assert set_language("fr_FR") == "en"
    assert i18n.language() == "fr"
    assert _("New meeting") == "Nouveau rendez-vous"
    assert ngettext("{count} hint used", "{count} hints used", 1) == "{count} indice utilisé"
    assert ngettext("{count} hint used", "{count} hints used", 3) == "{count} indices utilisés"
    assert pgettext("short month", "May") == "mai"
    assert pgettext("session status", "open") == "en cours" and _("open") == "ouverte"  # one word, two meanings
    assert _("a string nobody marked") == "a string nobody marked"
    set_language("de")  # no catalogue: English, the source language
    assert i18n.language() == "de" and _("New meeting") == "New meeting"
    assert N_("Help") == "Help"


# -- nothing shown in the TUI escapes the catalogue ------------------------------------------------

MARKERS = {"_", "N_", "ngettext", "pgettext"}
SHOWN_BY = {"Label", "Static", "Button", "Text", "assemble", "hanging", "notify", "add_row", "append", "SystemCommand",
            "InfoDialog", "ChoiceDialog", "CategoryDialog", "ActionDialog", "Option", "update", "Input", "BoundedInput", "SaysInput"}
SHOWN_FIRST = {"safe", "plain", "printable"}  # their other arguments are styles and flags
SHOWN_KEYWORDS = {"placeholder", "title", "tooltip", "description", "help"}
SHOWN_ATTRIBUTES = {"border_title", "border_subtitle", "title", "sub_title", "placeholder", "description"}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _literal_words(node: ast.AST) -> bool:
    """A string constant or f-string whose own text has words (not only symbols, spaces or fields)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    return False


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""


def unwrapped_strings(source: str, filename: str) -> list[str]:
    """Literal words handed to something that shows them, not wrapped in _() or N_()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node)
            if name in MARKERS:
                continue
            shown = []
            if name == "Binding":
                shown += node.args[2:3]  # key, action, description
            elif name in SHOWN_BY:
                shown += node.args
            elif name in SHOWN_FIRST:
                shown += node.args[:1]
            shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            found += [f"{filename}:{arg.lineno}: {ast.unparse(arg)}" for arg in shown if _literal_words(arg)]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in SHOWN_ATTRIBUTES and _literal_words(node.value):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(node.value)}")
    return found


def test_no_words_in_the_tui_are_left_out_of_the_catalogue() -> None:
    """Every literal sentence a screen or widget shows goes through _() or N_() (a new one that
    does not fails here with its line)."""
    found = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        found += unwrapped_strings(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "shown but not translatable:\n" + "\n".join(found)


def test_the_unwrapped_string_check_can_fail() -> None:
    sample = (
        "self.notify('Saved it')\n"
        "yield Label(f'Hello {name}')\n"
        "Binding('s', 'save', 'Save')\n"
        "self.border_title = 'Problems'\n"
        "Input(placeholder='Type here')\n"
        "self.notify(_('Saved it'))\n"
        "Binding('s', 'save', N_('Save'))\n"
        "Text('✓', style='green')\n"
        "safe('Avoid when: ' + text, 'dim')\n"
        "safe(item.text, 'dim italic')\n"
    )
    assert len(unwrapped_strings(sample, "x.py")) == 6


def test_every_screen_uses_the_translating_footer() -> None:
    """Textual's own Footer shows the bindings' English: screens yield tui.widgets.footer.Footer."""
    offenders = [p.name for p in (ROOT / "tui").rglob("*.py")
                 if p.name != "footer.py" and re.search(r"from textual\.widgets import [^\n]*\bFooter\b", p.read_text())]
    assert not offenders


# -- the engine's prose follows the language -------------------------------------------------------

def test_summary_and_recap_in_french(tmp_path: Path) -> None:
    from playbook.format import load_playbook
    from playbook.meeting import MeetingSession
    from playbook.meeting.recap import to_recap_html, to_recap_markdown
    from playbook.meeting.summary import to_markdown

    french = load_playbook("builtin:fr")
    session = MeetingSession.start(french, None, "Anne Durand", "Transports Martin", clock=lambda: 1_767_261_600.0)
    session.raise_objection("c'est trop cher", "price")
    session.settle_objection(1, "parked")
    set_language("fr")
    summary = session.summary()
    notes = to_markdown(summary)
    assert "# Notes de rendez-vous (internes) : Anne Durand, Transports Martin" in notes
    assert "## Ce que nous avons appris" in notes and "## Plan d'action" in notes
    assert "Aucune action convenue pour l'instant. Proposées :" in notes
    assert "- [ ] Envoyer la synthèse du rendez-vous le jour même" in notes
    assert "**mise de côté**" in notes
    assert "Meeting" not in notes and "Action plan" not in notes
    recap = to_recap_markdown(summary)
    assert "# Compte rendu de rendez-vous : Anne Durand, Transports Martin" in recap
    assert "## Points que vous avez soulevés" in recap and "nous y reviendrons" in recap
    assert "<h2>Ce dont nous avons convenu</h2>" in to_recap_html(summary)
    set_language("en")
    assert "## What we learned" in to_markdown(session.summary())


def test_due_dates_read_in_the_interface_language() -> None:
    from playbook.meeting.dates import shown

    assert shown("2026-01-02") == "Fri 2 Jan 2026"
    set_language("fr")
    assert shown("2026-01-02") == "ven. 2 janv. 2026"


def test_role_play_coach_and_scorecard_in_french() -> None:
    from playbook.format import load_playbook
    from playbook.training.roleplay import RolePlay, scorecard_markdown

    french = load_playbook("builtin:fr")
    set_language("fr")
    game = RolePlay(french, french.scenarios[0], seed=1, clock=iter(range(0, 10_000, 15)).__next__)
    hint = game.hint()
    assert any(t.text.startswith("Indice (-") for t in (hint if isinstance(hint, list) else [hint]))
    game.say("Bonjour, merci de me recevoir.")
    assert game.transcript[-2].kind == "heard" and game.transcript[-2].text.startswith("Entendu : ")
    card = scorecard_markdown(game.end(), game.transcript)
    assert card.startswith("# Bilan : ") and "## Pourquoi" in card and "| domaine | points |" in card
    assert "1 indice utilisé" in card and "**client**" in card
