"""End to end, with real speech and no audio hardware (issue 20): espeak-ng speaks a short meeting in
two voices, sox mixes them into a two-channel call and splits it again (the rep's microphone, the
customer's line), PocketSphinx transcribes each channel with its bundled English model (through
examples/pocketsphinx_live.py, the language model built from the playbook's sentences by
PocketSphinx's own builder), `playbook transcript convert` turns its output into transcript lines,
and the meeting app, following the file, raises the price card from the customer's voice.

Run by `make test-e2e` (and CI), never by `make test`. Nothing is downloaded: espeak-ng and sox
are Debian packages, PocketSphinx and its model a PyPI wheel (the `speech` extra)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MISSING = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
if MISSING:
    pytest.skip(f"{' and '.join(MISSING)} missing: apt-get install espeak-ng sox to run the end-to-end speech test",
                allow_module_level=True)
pytest.importorskip("pocketsphinx", reason="pocketsphinx missing: pip install '.[speech]' (make test-e2e does)")

from playbook.format import load_playbook  # noqa: E402
from playbook.meeting import MeetingSession  # noqa: E402
from playbook.store import Store  # noqa: E402
from playbook.transcript.live import Following  # noqa: E402
from tui.app import PlaybookApp  # noqa: E402
from tui.widgets.transcript_pane import CardStrip  # noqa: E402

ROOT = Path(__file__).parent.parent
REP_VOICE, CUSTOMER_VOICE = "en-us+klatt", "en-us+klatt3"  # two of espeak-ng's voices, told apart by ear
REP_SAYS = "Thanks for making the time today."
CUSTOMER_SAYS = "Honestly, it is way too expensive for us."


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


def seconds(wav: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True).stdout)


def make_call(folder: Path) -> Path:
    """A stereo call: the rep on channel 1, then the customer on channel 2."""
    rep, customer = folder / "rep.wav", folder / "customer.wav"
    run("espeak-ng", "-v", REP_VOICE, "-s", "150", "-w", str(rep), REP_SAYS)
    run("espeak-ng", "-v", CUSTOMER_VOICE, "-s", "160", "-w", str(customer), CUSTOMER_SAYS)
    rep_track, customer_track = folder / "rep_track.wav", folder / "customer_track.wav"
    run("sox", str(rep), str(rep_track), "pad", "0.3", f"{seconds(customer) + 1.5:.2f}")
    run("sox", str(customer), str(customer_track), "pad", f"{seconds(rep) + 0.8:.2f}", "1.0")
    call = folder / "call.wav"
    run("sox", "-M", str(rep_track), str(customer_track), str(call))
    return call


def pipeline(call: Path, channel: int, role: str, transcript: Path) -> str:
    """One channel: sox | pocketsphinx | playbook transcript convert >> transcript."""
    python = sys.executable
    return (f"sox {call} -r 16000 -b 16 -e signed-integer -t raw - remix {channel}"
            f" | {python} {ROOT / 'examples' / 'pocketsphinx_live.py'} --lm-from-playbook builtin"
            f" | {python} -m playbook transcript convert --from pocketsphinx --role {role} --out {transcript}")


async def test_the_price_card_is_raised_from_the_customers_voice(tmp_path: Path) -> None:
    call = make_call(tmp_path)
    assert subprocess.run(["soxi", "-c", str(call)], capture_output=True, text=True).stdout.strip() == "2"
    transcript = tmp_path / "call.jsonl"
    transcript.write_text("")
    library = load_playbook(None)
    with Store.open(tmp_path / "sessions.db") as store:
        session = MeetingSession.start(library, store, "Anna Martin", "Dupont", spec="builtin")
        app = PlaybookApp(library, store, resume=session.id, spec="builtin", following=Following(transcript))
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.screen.session.matcher_ready:
                await pilot.pause(0.05)
            for channel, role in ((1, "rep"), (2, "customer")):
                process = await asyncio.create_subprocess_shell(pipeline(call, channel, role, transcript),
                                                                stderr=asyncio.subprocess.PIPE)
                _, errors = await process.communicate()
                assert process.returncode == 0, errors.decode()[-2000:]
            strip = app.screen.query_one(CardStrip)
            for _ in range(200):
                if app.screen.live.card is not None:
                    break
                await pilot.pause(0.05)
            card = app.screen.live.card
            assert card is not None, transcript.read_text()
            assert card.objection == "price" and "expensive" in card.text and strip.display
            lines = {line.role: line.text for line, _ in app.screen.live.recent(10)}
            assert set(lines) == {"rep", "customer"}, lines
            await pilot.press("v")
            await pilot.pause()
        kept = store.transcript(session.id)
        assert [row["role"] for row in kept] == ["rep", "customer"]
        assert [o.objection for o in MeetingSession.resume(library, store, session.id).state.objections] == ["price"]
