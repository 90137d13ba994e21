"""Every screen of the app in French, through Pilot: each shows French words, and no English
sentence of the catalogue (a string rendered without _(), or a class-level string not translated
where it is shown). Snapshots of the meeting and its summary in French; `--lang` on the CLI."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from playbook.format import load_playbook
from playbook.i18n import LOCALE_DIR, language
from playbook.meeting import MeetingSession
from playbook.store import Store
from tui.app import PlaybookApp

FRENCH = load_playbook("builtin:fr")
ENGLISH = load_playbook(None)
SIZE = (150, 50)
NOW = 1_767_261_600.0  # 2026-01-01 10:00 UTC


def english_fragments() -> list[tuple[str, re.Pattern]]:
    """Pieces of English that only a string shown untranslated can put on a French screen: the
    literal parts of each catalogue message whose French differs, and the first words of each
    (a long sentence may wrap)."""
    with open(LOCALE_DIR / "fr" / "LC_MESSAGES" / "playbook.po", "rb") as po:
        catalogue = read_po(po, locale="fr")
    fragments = {}
    for message in catalogue:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        for source in sources:
            for chunk in re.split(r"\{[^}]*\}", source):
                chunk = " ".join(chunk.split()).strip(" :;,.()?")
                words = chunk.split(" ")
                for piece in {chunk, " ".join(words[:3])}:
                    if re.search(r"[A-Za-z]{2}", piece) and piece not in targets:
                        # a whole word or phrase: "text" is not in "texte", nor "closing" in the ref "closing:assumptive"
                        fragments[piece] = re.compile(rf"(?<![\w-]){re.escape(piece)}(?![\w-])(?!:\w)")
    return sorted(fragments.items())


FRAGMENTS = english_fragments()


def shown(app: PlaybookApp) -> str:
    """The text of the screen on top, as the terminal shows it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def english_on(text: str) -> list[str]:
    return [piece for piece, pattern in FRAGMENTS if pattern.search(text)]


def test_the_leak_check_can_fail() -> None:
    assert english_on("Nouveau rendez-vous\n y Yes  n Non") == ["Yes"]
    assert english_on("Documents are saved in /tmp") and not english_on("Les documents sont enregistrés dans /tmp")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        self.now += 30
        return self.now


def french_meeting(store: Store) -> MeetingSession:
    session = MeetingSession.start(FRENCH, store, "Anne Durand", "Transports Martin", clock=Clock(), spec="builtin:fr",
                                   planned_minutes=45)
    session.set_stage("discovery")
    session.answer("problem_to_solve", "La clôture mensuelle prend deux jours")
    session.answer("need_confirmed", "yes")
    session.set_stage("presentation")
    session.raise_objection("c'est mon patron qui décide", "authority")
    session.settle_objection(1, "parked")
    session.raise_objection("franchement c'est trop cher pour nous", "price")
    session.add_action("Envoyer la synthèse d'une page", "Moi", "2026-01-02")
    session.note("Rappeler après le comité")
    session.record_outcome("next_meeting", "avec la directrice")
    return session


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def visit(pilot, seen: dict, name: str, *keys: str) -> None:
    if keys:
        await pilot.press(*keys)
    await settle(pilot)
    seen[name] = shown(pilot.app)


async def test_every_meeting_screen_and_dialog_in_french(tmp_path: Path) -> None:
    """Start, meeting, every dialog, help, palette and summary, with the French playbook."""
    seen: dict[str, str] = {}
    with Store.open(tmp_path / "s.db") as store:
        session = french_meeting(store)
        app = PlaybookApp(FRENCH, store, export_dir=tmp_path, spec="builtin:fr", clock=lambda: NOW + 12 * 60)
        async with app.run_test(size=SIZE) as pilot:
            assert language() == "fr"  # the app follows the playbook's language
            await visit(pilot, seen, "start")
            await pilot.press("tab", "tab", "tab")  # to the list of meetings to resume
            await visit(pilot, seen, "meeting", "enter")
            await pilot.press("ctrl+p")
            await pilot.pause(0.5)  # the palette gathers its commands in a worker of its own
            seen["palette"] = shown(app)
            commands = {command.title for command in app.get_system_commands(app.screen_stack[-2])}
            assert {"Thème", "Quitter", "Aide", "Ajouter une action : qui fait quoi pour quand"} <= commands
            assert not commands & {"Keys", "Touches"}  # Textual's key panel would show untranslated words
            await visit(pilot, seen, "help", "escape", "question_mark")
            await visit(pilot, seen, "signals", "escape", "s")
            await visit(pilot, seen, "action", "escape", "a")
            await visit(pilot, seen, "note", "escape", "m")
            await visit(pilot, seen, "outcome", "escape", "d")
            await visit(pilot, seen, "answer", "escape", "k", "enter")
            await visit(pilot, seen, "why", "escape", "g", "w")
            await visit(pilot, seen, "closing", "escape", "c", "enter")
            await visit(pilot, seen, "situation", "escape", "j", "i")
            await pilot.press("escape", "o", *"le temps qu'il fera demain", "enter")
            await visit(pilot, seen, "category")
            await visit(pilot, seen, "refused answer", "escape", "escape", "k", "n")
            await visit(pilot, seen, "summary", "e")
            await visit(pilot, seen, "finished", "f")
    expected = {
        "start": "Nouveau rendez-vous", "meeting": "Le client dit", "help": "Écran du rendez-vous", "palette": "Chercher",
        "signals": "Signaux d'achat", "action": "Nouvelle action", "note": "Échap la garde en brouillon",
        "outcome": "Comment le rendez-vous s'est-il terminé ?", "answer": "Entrée pour valider", "why": "Pourquoi ce conseil ?",
        "closing": "D'accord", "situation": "Qu'y a-t-il derrière", "category": "Qu'a dit le client ?",
        "summary": "Ce que nous avons appris", "finished": "Rendez-vous terminé",
    }
    for name, french in expected.items():
        assert french in seen[name], (name, seen[name])
    leaks = {name: english_on(text) for name, text in seen.items() if english_on(text)}
    assert not leaks, leaks
    assert "Aide" in seen["palette"] and "toutes les touches, touche : ?" in seen["palette"]
    assert "ven. 2 janv. 2026" in seen["meeting"] and "prochain rendez-vous" in seen["meeting"].lower()


async def test_role_play_and_scorecard_in_french(tmp_path: Path) -> None:
    from playbook.i18n import set_language
    from playbook.training.roleplay import RecordedRolePlay

    set_language("fr")  # as `playbook roleplay` does before the customer's first line
    seen: dict[str, str] = {}
    with Store.open(tmp_path / "s.db") as store:
        game = RecordedRolePlay(FRENCH, FRENCH.scenario("price_sensitive_owner"), store, "Sam", seed=1, clock=Clock())
        async with PlaybookApp(FRENCH, store, roleplay=game).run_test(size=SIZE) as pilot:
            await visit(pilot, seen, "chat", *"Quel problème voulez-vous résoudre ?", "enter", "ctrl+g")
            await visit(pilot, seen, "scorecard", "ctrl+e")
    assert "Entendu : question" in seen["chat"] and "Indice (-" in seen["chat"] and "Vous" in seen["chat"]
    assert "Bilan : " in seen["scorecard"] and "Retour à l'échange" in seen["scorecard"]
    leaks = {name: english_on(text) for name, text in seen.items() if english_on(text)}
    assert not leaks, leaks


async def test_the_editor_in_french(tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    app = PlaybookApp(FRENCH, store=None, edit="builtin:fr", editing=True)
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, seen, "editor", "ctrl+t", *"trop cher")
    assert "Essayer (ctrl+t)" in seen["editor"] and "Problèmes" in seen["editor"]
    assert not english_on(seen["editor"])


async def test_lang_overrides_the_playbook_language(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        app = PlaybookApp(FRENCH, store, language="en")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "New meeting" in shown(app) and "Nouveau" not in shown(app)
        app = PlaybookApp(ENGLISH, store, language="fr")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Nouveau rendez-vous" in shown(app)


# -- snapshots ------------------------------------------------------------------------------------

@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("playbook.store.sqlite.uuid.uuid4", lambda: uuid.UUID("c0ffee00-0000-4000-8000-000000000002"))


def test_meeting_screen_in_french(snap_compare, tmp_path: Path, utc) -> None:
    store = Store.open(tmp_path / "snap.db")
    session = french_meeting(store)
    app = PlaybookApp(FRENCH, store, resume=session.id, export_dir=Path("/home/rep/Documents/playbook"), spec="builtin:fr",
                      clock=lambda: NOW + 12 * 60)
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_summary_screen_in_french(snap_compare, tmp_path: Path, utc) -> None:
    store = Store.open(tmp_path / "snap.db")
    session = french_meeting(store)
    app = PlaybookApp(FRENCH, store, resume=session.id, export_dir=Path("/home/rep/Documents/playbook"), spec="builtin:fr",
                      clock=lambda: NOW + 12 * 60)
    assert snap_compare(app, terminal_size=(120, 40), press=["e"], run_before=settle)


# -- the CLI --------------------------------------------------------------------------------------

def test_cli_lang_on_the_commands_that_print_prose(cli, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    db = tmp_path / "s.db"
    with Store.open(db) as store:
        session = french_meeting(store)
    recap = cli("sessions", "export", session.id[:8], "--db", str(db))
    assert recap.code == 0 and "# Compte rendu de rendez-vous : Anne Durand" in recap.out  # the playbook's language
    english = cli("sessions", "export", session.id[:8], "--db", str(db), "--lang", "en")
    assert "# Meeting recap: Anne Durand" in english.out
    notes = cli("sessions", "show", session.id[:8], "--db", str(db))
    assert "## Ce que nous avons appris" in notes.out
    listing = cli("sessions", "list", "--db", str(db), "--lang", "fr")
    assert "dernière activité" in listing.out and "prochain rdv" in listing.out
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n1\n"))
    drill = cli("drill", "--playbook", "builtin:fr", "--rounds", "1", "--seed", "3")
    assert drill.code == 0 and drill.out.startswith("Entraînement : ") and "Terminé : " in drill.out
    drill = cli("drill", "--rounds", "1", "--seed", "3", "--lang", "fr")
    assert drill.out.startswith("Entraînement : ")
    scenarios = cli("roleplay", "--list", "--playbook", "builtin:fr")
    assert "facile" in scenarios.out or "moyen" in scenarios.out or "difficile" in scenarios.out
    with pytest.raises(SystemExit) as refused:
        cli("sessions", "list", "--db", str(db), "--lang", "de")
    assert refused.value.code == 2 and "no interface in 'de' (available: en, fr)" in capsys.readouterr().err


def french_account(store: Store) -> None:
    """A French meeting with Transports Martin (filed under its account when the app opens), a
    person, a logged call with a follow-up already late, and an account with a value."""
    from playbook.accounts import AccountBook

    french_meeting(store)
    book = AccountBook(store, lambda: NOW + 600)
    account = book.add("Transports Martin", "prospect", reason="premier contact", buying_stage="comparing_prices")
    book.update(account, value=48000, need="fiabiliser les tournées")
    book.add_contact(account, "Claire Petit", "decision_maker", "directrice financière")
    book.log(account, "call", "Rappel : envoyer les références", "2026-01-02", "fr")
    book.add("Boulangeries Lefèvre", "suspect")


async def test_account_screens_and_dialogs_in_french(tmp_path: Path) -> None:
    """The accounts list (F2) and its segments, one account and each of its dialogs, preparing a
    meeting, the agenda (F3) and its recap, all with the French playbook: French words, and no
    English sentence of the catalogue."""
    from tui.screens.account import AccountScreen
    from tui.screens.accounts import AccountsScreen
    from tui.screens.agenda import AgendaScreen
    from tui.screens.prepare import PrepareScreen

    seen: dict[str, str] = {}
    with Store.open(tmp_path / "s.db") as store:
        french_account(store)
        app = PlaybookApp(FRENCH, store, export_dir=tmp_path, spec="builtin:fr", clock=lambda: NOW + 3 * 86_400)
        async with app.run_test(size=SIZE) as pilot:
            await visit(pilot, seen, "start")
            await visit(pilot, seen, "accounts", "f2")
            assert isinstance(app.screen, AccountsScreen)
            await visit(pilot, seen, "segments", "v")
            await visit(pilot, seen, "segments by need", "v")
            await visit(pilot, seen, "new account", "n")
            await visit(pilot, seen, "account", "escape", "enter")
            assert isinstance(app.screen, AccountScreen)
            await visit(pilot, seen, "log", "l")
            await visit(pilot, seen, "contact", "escape", "c")
            await visit(pilot, seen, "stage", "escape", "s")
            await visit(pilot, seen, "recap", "escape", "r")
            await visit(pilot, seen, "prepare", "escape", "p")
            assert isinstance(app.screen, PrepareScreen)
            await visit(pilot, seen, "objective", "o")
            await visit(pilot, seen, "agenda", "escape", "escape", "escape", "escape", "f3")
            assert isinstance(app.screen, AgendaScreen)
            await visit(pilot, seen, "agenda recap", "down", "r")
    expected = {
        "start": "2 relances en retard : F3 ouvre l'agenda", "accounts": "Dernier contact", "segments": "Comptes par étape du tunnel",
        "segments by need": "besoin", "new account": "Nouveau compte", "account": "Personnes (c)", "log": "Noter un échange avec",
        "contact": "Décideur", "stage": "(actuelle)", "recap": "Compte rendu", "prepare": "Préparation : Rendez-vous commercial",
        "objective": "Un objectif pour ce rendez-vous", "agenda": "Relances au 2026-01-04", "agenda recap": "Compte rendu",
    }
    for name, french in expected.items():
        assert french in seen[name], (name, seen[name])
    assert "prospect" in seen["accounts"] and "achat : comparaison des prix" in seen["account"]
    assert "Décideur" in seen["account"] and "Claire Petit" in seen["account"]
    leaks = {name: english_on(text) for name, text in seen.items() if english_on(text)}
    assert not leaks, leaks

