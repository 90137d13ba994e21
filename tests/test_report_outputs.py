"""The report's outputs: privacy in every format, the HTML page parsed (inline SVG, one bar per
item, nothing fetched) and looked at in headless Chromium, files written safely, old stores."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.learning.report import build_report
from playbook.learning.simulate import LAST_NAMES
from playbook.meeting import MeetingSession
from playbook.model.events import MeetingStarted, ObjectionRaised, ObjectionSettled, QuestionAnswered, ResponseUsed, event_to_json
from playbook.store import Store
from playbook.store.sqlite import MIGRATIONS

FORMATS = ("text", "json", "csv", "html")


def leaks(text: str, simulation) -> list[str]:
    names = set(simulation.prospects) | set(simulation.companies)
    found = [name for name in names if name in text]
    found += [word for word in LAST_NAMES if re.search(rf"\b{word}\b", text)]
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_prospect_or_company_name_in_any_format(simulated, cli, fmt: str) -> None:
    path, simulation = simulated
    result = cli("report", "--db", str(path), "--format", fmt)
    assert result.code == 0, result.err
    assert not leaks(result.out, simulation)


def test_names_appear_when_asked_for(tmp_path: Path, cli) -> None:
    playbook = load_playbook(None)
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        for _ in range(3):
            session = MeetingSession.start(playbook, store, "Zebulon Quackenbush", "Frobozz Magic", rep="Alice")
            raised = session.raise_objection("Frobozz Magic can't pay that much", "price")
            session.use_response(raised.number, "value_reframe")
            session.settle_objection(raised.number, "resolved")
            session.end()
    for fmt in FORMATS:
        hidden = cli("report", "--db", str(db), "--format", fmt)
        assert "Frobozz" not in hidden.out and "Quackenbush" not in hidden.out and "Zebulon" not in hidden.out
        shown = cli("report", "--db", str(db), "--format", fmt, "--with-names")
        said = "Frobozz Magic can't pay that much"
        assert (html.escape(said) if fmt == "html" else said) in shown.out
    assert '"[name] can\'t pay that much"' in cli("report", "--db", str(db), "--format", "json").out


class Charts(HTMLParser):
    """The page's charts (data-chart -> bars, each with its tooltip), and anything it would fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict] = {}
        self.current: str | None = None
        self.in_title = False
        self.fetches: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "svg":
            self.current = values["data-chart"]
            self.charts[self.current] = {"items": int(values["data-items"]), "bars": [], "titles": []}
        elif tag == "rect" and self.current and values.get("class") == "bar":
            self.charts[self.current]["bars"].append(float(values["width"]))
        elif tag == "title" and self.current:
            self.in_title = True
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if values.get(name):
                self.fetches.append(values[name])
        if tag == "link":
            self.fetches.append(str(values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.current = None
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and self.current:
            self.charts[self.current]["titles"].append(data)


@pytest.fixture(scope="module")
def page(simulated, tmp_path_factory) -> Path:
    path, _ = simulated
    out = tmp_path_factory.mktemp("html") / "report.html"
    from playbook.cli import main

    assert main(["report", "--db", str(path), "--format", "html", "--out", str(out)]) == 0
    return out


def test_the_html_page_is_self_contained_with_one_svg_bar_per_item(page: Path, simulated) -> None:
    path, _ = simulated
    with Store.open(path) as store:
        report = build_report(store, load_playbook(None))
    parser = Charts()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.scripts == 0 and parser.fetches == []
    charts = parser.charts
    objections = charts["objections"]
    assert objections["items"] == len(objections["bars"]) == len(report.objections) == 9
    assert [t.split(":")[0] for t in objections["titles"]] == [o.title for o in report.objections]
    assert objections["bars"] == sorted(objections["bars"], reverse=True) and objections["bars"][0] > 0
    assert charts["closings"]["items"] == len(charts["closings"]["bars"]) == sum(c.record.total > 3 for c in report.closings)
    assert len(charts["responses"]["bars"]) == min(15, sum(r.record.total > 3 for r in report.responses))
    assert len(charts["questions"]["bars"]) == len(report.questions)
    for chart in charts.values():
        assert chart["items"] == len(chart["bars"]) == len(chart["titles"])
    # a bar is as long as its value: the first objection's bar over the last one's
    ratio = objections["bars"][0] / objections["bars"][-1]
    assert ratio == pytest.approx(report.objections[0].count / report.objections[-1].count, rel=0.01)


def test_the_html_page_in_headless_chromium(page: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the page is not looked at")
    shot = tmp_path / "report.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    assert len(data) > 60_000  # text, tables and bars: a blank page compresses to a few KB


def test_out_writes_a_file_and_never_over_one_without_force(simulated, tmp_path: Path, cli) -> None:
    path, _ = simulated
    out = tmp_path / "report.csv"
    result = cli("report", "--db", str(path), "--format", "csv", "--out", str(out))
    assert result.code == 0 and result.out == f"wrote {out}\n"
    assert out.read_text().startswith("section,key,detail,count,total,rate,low,high\n")
    out.write_text("mine")
    again = cli("report", "--db", str(path), "--format", "csv", "--out", str(out))
    assert again.code == 1 and "already exists (use --force to replace it)" in again.err
    assert out.read_text() == "mine"
    assert cli("report", "--db", str(path), "--format", "csv", "--out", str(out), "--force").code == 0
    assert out.read_text().startswith("section,")


def test_a_missing_store_gives_an_empty_report_and_creates_nothing(tmp_path: Path, cli) -> None:
    db = tmp_path / "nothing.db"
    result = cli("report", "--db", str(db))
    assert result.code == 0
    assert result.out.startswith("Team report: 0 meetings (0 finished)\n")
    assert "No meetings recorded here yet" in result.out
    assert json.loads(cli("report", "--db", str(db), "--format", "json").out)["meetings"] == 0
    assert not db.exists()


def test_bad_dates_and_playbooks_are_one_line_errors(tmp_path: Path, cli) -> None:
    result = cli("report", "--db", str(tmp_path / "s.db"), "--since", "the day before never")
    assert result.code == 1 and result.err.startswith("error: 'the day before never' is not a date") and result.err.count("\n") == 1
    assert cli("report", "--since", "2025-13-45", "--db", str(tmp_path / "s.db")).code == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("playbook: [\n")
    assert cli("report", "--playbook", str(broken), "--db", str(tmp_path / "s.db")).code == 1


def test_the_playbook_filter(tmp_path: Path, cli) -> None:
    playbook = load_playbook(None)
    team = tmp_path / "team"
    team.mkdir()
    (team / "playbook.yaml").write_text("playbook:\n  id: team\n  name: Team\n  extends: builtin\n")
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        for book, n in ((playbook, 2), (load_playbook(team), 3)):
            for _ in range(n):
                session = MeetingSession.start(book, store, "P", rep="Alice")
                session.raise_objection("too expensive", "price")
    assert json.loads(cli("report", "--db", str(db), "--format", "json").out)["meetings"] == 5
    assert json.loads(cli("report", "--db", str(db), "--format", "json", "--playbook", str(team)).out)["meetings"] == 3


def test_count_charts_have_whole_number_ticks(tmp_path: Path, cli) -> None:
    """A chart of counts over a small team reads 0, 1, 2: never "0.17 objections"."""
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        session = MeetingSession.start(load_playbook(None), store, "P", rep="Alice")
        session.raise_objection("too expensive", "price")
    text = cli("report", "--db", str(db)).out
    chart = text[text.index("Objections raised"):]
    axis = chart.splitlines()[chart.splitlines().index(next(l for l in chart.splitlines() if "└" in l)) + 1]
    assert axis.split() == ["0", "1"], axis


def version_1_store(path: Path, events: list) -> Path:
    """A database as version 1 wrote it (events only, no learning tables): one finished meeting, id a1b2c3."""
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[1] + ";PRAGMA user_version = 1;")
    db.execute("INSERT INTO sessions (id, kind, playbook, prospect, company, created_at, updated_at, ended_at)"
                " VALUES ('a1b2c3', 'meeting', 'builtin', 'Old Prospect', 'Old Co', 1000, 1100, 1100)")
    for seq, event in enumerate(events, 1):
        payload = event_to_json(event)
        db.execute("INSERT INTO events VALUES ('a1b2c3', ?, ?, ?, ?)", (seq, 1000 + seq, payload["type"], json.dumps(payload["data"])))
    db.commit()
    db.close()
    return path


def test_a_store_from_before_the_learning_tables_is_brought_up_to_date(tmp_path: Path, cli) -> None:
    """A version-1 database (events only): opening it builds the learning tables from its events."""
    db_path = version_1_store(tmp_path / "old.db", [
        MeetingStarted("Old Prospect", "Old Co", "builtin"), QuestionAnswered("budget", "approved"),
        ObjectionRaised(1, "far too expensive", "price", 90.0), ResponseUsed(1, "clarify_compared"),
        ResponseUsed(1, "peer_roi"), ObjectionSettled(1, "resolved")])
    result = cli("report", "--db", str(db_path), "--format", "json")
    assert result.code == 0, result.err
    assert "brought up to date" in result.err
    data = json.loads(result.out)
    assert data["objections"][0]["raised"] == 1 and data["objections"][0]["by_stage"] == {"(unknown)": 1}  # no stage recorded before it
    responses = {r["response"]: r["resolved"] for r in data["responses"]}
    assert responses == {"clarify_compared": {"hits": 0, "total": 1}, "peer_roi": {"hits": 1, "total": 1}}
    assert data["unanswered"] and all(q["unanswered"]["total"] == 1 for q in data["unanswered"])
    budget = next(q for q in data["unanswered"] if q["question"] == "budget")
    assert budget["unanswered"]["hits"] == 0


def test_an_older_store_still_lists_read_only(tmp_path: Path, cli) -> None:
    """`sessions list` opens read-only and never migrates: a version-1 store has no rep column yet."""
    db_path = version_1_store(tmp_path / "old.db", [MeetingStarted("Old Prospect", "Old Co", "builtin")])
    result = cli("sessions", "list", "--db", str(db_path), "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)[0]["rep"] is None
    with sqlite3.connect(db_path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_company_name_that_goes_on_in_a_library_word_is_redacted_whole() -> None:
    from playbook.learning.privacy import Redactor

    redact = Redactor(["Frobozz Magic", "Zebulon Quackenbush"], common={"magic"})
    assert redact("Frobozz Magic can't pay that much") == "[name] can't pay that much"
    assert redact("the magic link failed, Magic happens") == "the magic link failed, Magic happens"
    assert redact("Zebulon Quackenbush from Frobozz Magic said no", "") == "said no"
