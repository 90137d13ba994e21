"""The engine's layout: sub-packages by job, no import circle, no Textual, and light commands.

The import graph is read from the source with `ast`, imports inside functions included (a lazy
circle is still a circle in the design); imports under `if TYPE_CHECKING:` are left out."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
ENGINE = ROOT / "playbook"
SUB_PACKAGES = ("format", "matching", "meeting", "training", "store", "authoring", "model", "cli", "learning", "accounts",
                "transcript")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The engine modules `path` imports, anywhere in the file but under `if TYPE_CHECKING:`."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def resolve(target: str) -> None:
        # `from .x import y` may name a module (x.y) or a name in x: keep the longest known module.
        while target and target not in known:
            target = target.rsplit(".", 1)[0] if "." in target else ""
        if target and target != name:
            found.add(target)
            # Importing a.b.c runs a.b's __init__ first: an edge to every package on the way that
            # is not one the importer sits in (its own packages are already being imported).
            parts = target.split(".")
            for depth in range(2, len(parts)):
                ancestor = ".".join(parts[:depth])
                if ancestor in known and ancestor != name and not name.startswith(ancestor + "."):
                    found.add(ancestor)

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    resolve(alias.name)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    prefix = ".".join(base + ([child.module] if child.module else []))
                else:
                    prefix = child.module or ""
                for alias in child.names:
                    resolve(f"{prefix}.{alias.name}")
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in ENGINE.rglob("*.py")}
    known = set(files)
    return {name: imports_of(path, known) for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_the_cycle_finder_sees_a_circle_through_a_package_init(tmp_path: Path) -> None:
    """x.a imports y.b; y's __init__ re-exports y.c, which imports x.a: importing x.a first fails."""
    for package in ("x", "y"):
        (tmp_path / package).mkdir()
    (tmp_path / "x" / "__init__.py").write_text("")
    (tmp_path / "x" / "a.py").write_text("from ..y.b import thing\n")
    (tmp_path / "y" / "__init__.py").write_text("from .c import other\n")
    (tmp_path / "y" / "b.py").write_text("thing = 1\n")
    (tmp_path / "y" / "c.py").write_text("from ..x.a import thing\n")
    files = {p.relative_to(tmp_path).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__"): p
             for p in tmp_path.rglob("*.py")}
    global ROOT
    saved, ROOT = ROOT, tmp_path.parent
    try:
        graph = {f"{tmp_path.name}.{name}": imports_of(path, {f"{tmp_path.name}.{n}" for n in files}) for name, path in files.items()}
    finally:
        ROOT = saved
    assert find_cycle(graph) is not None


def test_the_engine_has_no_import_circle() -> None:
    graph = import_graph()
    assert "playbook.format.loader" in graph["playbook.format.cache"]  # the walk sees lazy imports
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_lazy_circle(tmp_path: Path) -> None:
    """The check above can fail: a circle made only by an import inside a function is found."""
    package = tmp_path / "playbook"
    package.mkdir()
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("def thing():\n    from .a import other\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\n")
    files = {".".join(p.relative_to(tmp_path).with_suffix("").parts): p for p in package.glob("*.py")}
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        graph = {name: imports_of(path, set(files)) for name, path in files.items()}
    finally:
        ROOT = saved
    assert graph["playbook.c"] == set()
    assert find_cycle(graph) == ["playbook.a", "playbook.b", "playbook.a"]


def test_no_engine_module_imports_textual() -> None:
    offenders = []
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == "textual" or n.startswith("textual.") or n == "tui" or n.startswith("tui.") for n in names):
                offenders.append(module_name(path))
    # The CLI's `run`, `edit`, `roleplay` and `serve` open the app: that is the one sanctioned door.
    assert sorted(set(offenders)) == ["playbook.cli.meeting", "playbook.cli.playbooks", "playbook.cli.serve", "playbook.cli.training"]


def test_the_top_level_is_a_map() -> None:
    top = sorted(p.name for p in ENGINE.iterdir() if p.suffix == ".py")
    assert len(top) <= 10, top
    for package in SUB_PACKAGES:
        assert (ENGINE / package / "__init__.py").is_file(), package


def test_package_init_modules_are_not_imported_by_their_own_modules() -> None:
    """A package's __init__ may re-export its modules; they never import names from it."""
    graph = import_graph()
    offenders = [(name, target) for name, targets in graph.items() for target in targets
                 if name.startswith(target + ".") and target != "playbook"]
    assert offenders == []


def _imported_by(*argv: str, env: dict[str, str]) -> set[str]:
    code = (
        "import sys\nfrom playbook.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, timeout=60)
    return set(result.stderr.split())


@pytest.fixture
def cache_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("PLAYBOOK_NO_CACHE", None)
    return env


def test_help_imports_neither_textual_nor_jsonschema(cache_env: dict[str, str]) -> None:
    modules = _imported_by("--help", env=cache_env)
    assert "playbook.cli" in modules
    assert not {"textual", "jsonschema", "yaml", "rapidfuzz"} & modules


def test_match_from_the_cache_imports_neither_textual_nor_jsonschema(cache_env: dict[str, str]) -> None:
    cold = _imported_by("match", "too expensive", env=cache_env)
    assert "jsonschema" in cold  # the first run checks the playbook in full, and caches it
    warm = _imported_by("match", "too expensive", env=cache_env)
    assert "playbook.matching.matcher" in warm
    assert not {"textual", "jsonschema", "yaml"} & warm


def test_run_imports_roleplay_and_editor_only_when_opened() -> None:
    code = "import sys, tui.app\nprint('\\n'.join(sorted(sys.modules)))"
    modules = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "tui.screens.meeting" in modules
    assert not {"tui.screens.roleplay", "tui.screens.editor", "playbook.training.roleplay", "playbook.authoring.lint"} & modules


def test_every_engine_module_imports_first_in_a_fresh_interpreter() -> None:
    """The static walk above misses what only running shows (a package __init__ re-exporting a
    module that imports back): each module is imported first, alone, in a new interpreter."""
    modules = sorted(name for name in import_graph() if name != "playbook.__main__")
    script = (
        "import importlib, subprocess, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    done = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True, text=True)\n"
        "    if done.returncode:\n"
        "        failed.append(name + ': ' + (done.stderr.strip().splitlines() or ['?'])[-1])\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *modules], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", result.stdout
