"""`pip install .` (not editable) into a fresh venv gives a working `playbook` that finds its library."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_non_editable_install_ships_library_and_schema(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Dependencies come from the test environment's site-packages; the project itself is built
    # and installed as a wheel, so only what packaging ships is there.
    site = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "deps-from-test-env.pth").write_text(site + "\n")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = env_dir / "bin" / "playbook"
    validate = subprocess.run([str(script), "validate"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("ok: 6 stages")
    where = subprocess.run([str(python), "-c", "import playbook, playbook.loader as l; print(playbook.__file__); print(l.builtin_path())"],
                           cwd=elsewhere, capture_output=True, text=True, env=env, check=True).stdout.split()
    assert str(env_dir) in where[0] and str(env_dir) in where[1], where
    show = subprocess.run([str(script), "show"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert show.returncode == 0 and "OBJECTIONS" in show.stdout
    schema = Path(where[1]).parent / "schema" / "playbook.schema.json"
    assert schema.is_file()
