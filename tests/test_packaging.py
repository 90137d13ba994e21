"""`pip install .` (not editable) into a fresh venv gives a working `playbook` that finds its library."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import venv
from pathlib import Path

import pytest

from bench.browser import free_port, wait_listening

ROOT = Path(__file__).parent.parent


COMMANDS = ("validate", "show", "lint", "edit", "new", "match", "test", "import", "sessions", "roleplay", "drill", "run", "serve",
            "report", "learn", "transcript", "sync", "team")


@pytest.mark.slow
def test_installed_wheel_runs_every_command_and_the_app(tmp_path: Path) -> None:
    """Built as a wheel and installed (not editable): every sub-package, the library and the
    styles are in it, each command answers --help, and the app draws its first screen."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "deps-from-test-env.pth").write_text(site + "\n")
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("*.whl")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = env_dir / "bin" / "playbook"
    for command in COMMANDS:
        result = subprocess.run([str(script), command, "--help"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith(f"usage: playbook {command}"), (command, result.stderr)
    imports = ("import playbook.format, playbook.matching, playbook.meeting, playbook.training, playbook.store, "
               "playbook.authoring; print(playbook.format.__file__)")
    where = subprocess.run([str(python), "-c", imports], cwd=elsewhere, capture_output=True, text=True, env=env, check=True).stdout
    assert str(env_dir) in where
    validate = subprocess.run([str(script), "validate"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert validate.returncode == 0 and validate.stdout.startswith("ok: 6 stages"), validate.stderr
    french = subprocess.run([str(script), "test", "builtin:fr"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert "passed" in french.stdout, french.stderr
    report = subprocess.run([str(script), "report", "--db", str(tmp_path / "none.db")], cwd=elsewhere, capture_output=True, text=True,
                            env=env, timeout=60)
    assert report.returncode == 0 and report.stdout.startswith("Team report: 0 meetings"), report.stderr
    schema = Path(where.strip()).parent.parent / "schema" / "playbook.schema.json"
    assert schema.is_file() and (schema.parent / "transcript.schema.json").is_file()
    converted = subprocess.run([str(script), "transcript", "convert", "--from", "pocketsphinx", "--id-prefix", "p-"], cwd=elsewhere,
                               input='{"b": 1.0, "d": 2.0, "p": 0.9, "t": "too expensive"}\n', capture_output=True, text=True,
                               env=env, timeout=60)
    assert converted.returncode == 0 and '"id": "p-1"' in converted.stdout, converted.stderr
    first_screen = (
        "import asyncio, sys\n"
        "import playbook.i18n\n"
        "from playbook.format import load_playbook\n"
        "from playbook.store import Store\n"
        "from tui.app import PlaybookApp\n"
        "from tui.screens.start import StartScreen\n"
        "async def main():\n"
        "    app = PlaybookApp(load_playbook('builtin:fr'), Store.open(sys.argv[1]))\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert isinstance(app.screen, StartScreen), app.screen\n"
        "        print('first screen:', type(app.screen).__name__)\n"
        "        print('catalogues from:', playbook.i18n.LOCALE_DIR)\n"
        "        print('\\n'.join(strip.text for strip in app.screen._compositor.render_strips()))\n"
        "asyncio.run(main())\n"
    )
    app = subprocess.run([str(python), "-c", first_screen, str(tmp_path / "s.db")], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120)
    assert app.returncode == 0, app.stderr
    assert "first screen: StartScreen" in app.stdout
    # The French playbook's first screen in French, from the catalogue inside the installed wheel.
    assert f"catalogues from: {env_dir}" in app.stdout
    assert "Nouveau rendez-vous" in app.stdout and "Nom du prospect" in app.stdout and "^q Quitter" in app.stdout
    assert "New meeting" not in app.stdout
    french_drill = subprocess.run([str(script), "drill", "--playbook", "builtin:fr", "--rounds", "1", "--seed", "1"], input="1\n1\n",
                                  cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert french_drill.returncode == 0 and french_drill.stdout.startswith("Entraînement : "), french_drill.stderr
    # The served page comes from the installed package's template, and its fonts from the server.
    port = free_port()
    server = subprocess.Popen([str(script), "serve", "--port", str(port), "--db", str(tmp_path / "served.db")],
                              cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_listening(server, port)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert 'class="textual-terminal"' in page and "googleapis" not in page
        font = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=30)
        assert len(font.read()) > 10_000
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0
