"""Real file systems in a bad way: a store in a read-only folder, a disk that fills up during an
import or a scaffold. Each runs `playbook` in a private mount namespace (`unshare -m`), where a
read-only bind mount or a tiny tmpfs is real and disappears with the process; skipped where the
machine does not allow it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store

SCRIPT = Path(sys.executable).with_name("playbook")


def in_namespace(tmp_path: Path, setup: str, command: str, after: str = "") -> subprocess.CompletedProcess[str]:
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("no private mount namespace here (unshare -m)")
    script = f"set -e\n{setup}\ncd {tmp_path}\nset +e\n{command}\necho \"rc=$?\"\n{after}\n"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)


def test_a_wal_store_in_a_read_only_folder_is_readable(tmp_path: Path) -> None:
    """F5: sessions list/show of a store whose folder cannot be written (no -shm can be made)."""
    folder = tmp_path / "store"
    folder.mkdir()
    with Store.open(folder / "s.db") as store:
        session = MeetingSession.start(load_playbook(None), store, "Anna", "Acme")
        session.note("read me")
    before = sorted(p.name for p in folder.iterdir())
    result = in_namespace(
        tmp_path,
        f"mount --bind {folder} {folder}\nmount -o remount,ro,bind {folder}",
        f"{SCRIPT} sessions list --db {folder}/s.db && {SCRIPT} sessions show {session.id} --db {folder}/s.db",
    )
    assert result.stdout.strip().endswith("rc=0"), result.stdout + result.stderr
    assert "Anna, Acme" in result.stdout and "- read me" in result.stdout
    assert result.stderr == ""
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_full_disk_leaves_nothing_half_written(tmp_path: Path, command: str) -> None:
    """D2: on a full disk, one line and exit 1; no 0-byte playbook.yaml, no folder left behind."""
    rows = "\n".join(f"this is objection phrasing number {i},Category {i % 40}" for i in range(3000))
    (tmp_path / "objections.csv").write_text("phrasing,category\n" + rows + "\n")
    disk = tmp_path / "disk"
    disk.mkdir()
    (tmp_path / "filler").write_bytes(b"x" * 60_000)
    fill = f"cp {tmp_path}/filler {disk}/filler"  # leaves ~4 KB: less than any scaffold needs
    run = (f"{SCRIPT} import objections.csv --out {disk}/team" if command == "import" else f"{SCRIPT} new {disk}/team")
    result = in_namespace(tmp_path, f"mount -t tmpfs -o size=64k tmpfs {disk}\n{fill}", run, f"ls -A {disk}")
    status, *listing = result.stdout.strip().splitlines()
    assert status == "rc=1", result.stdout + result.stderr
    assert listing == ["filler"]  # nothing of the playbook, not even its folder
    [line] = result.stderr.strip().splitlines()
    assert line.endswith(": cannot write: No space left on device"), line
