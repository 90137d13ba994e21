"""Loading and validating playbooks, and CLI start-up.

Targets (issue 2): built-in library < 150 ms, 20,000 phrasings < 1.5 s, `playbook --help` < 0.3 s.
Baselines in the same run: a bare `yaml.safe_load` (C loader) of the same files, and a bare
Python interpreter start.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.synthetic import write_synthetic
from bench.timing import median, ms, p99, sample, table
from playbook.format import builtin_path, load_playbook


def _bare_parse(path: Path) -> None:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    for file in files:
        yaml.load(file.read_text(), Loader=yaml.CSafeLoader)


def run() -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = write_synthetic(Path(tmp) / "synthetic", categories=200, phrasings=100)
        for name, path, runs, target in (
            ("built-in library", builtin_path(), 30, 0.150),
            ("20,000 phrasings", synthetic, 5, 1.5),
        ):
            ours = sample(lambda: load_playbook(path), runs)
            base = sample(lambda: _bare_parse(path), runs)
            rows.append([name, ms(median(ours)), ms(p99(ours)), ms(median(base)), f"{median(ours) / median(base):.1f}x",
                         ms(target), "ok" if p99(ours) <= target else "MISSED"])
    script = str(Path(sys.executable).with_name("playbook"))
    ours = sample(lambda: subprocess.run([script, "--help"], capture_output=True, check=True), 10)
    base = sample(lambda: subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True), 10)
    rows.append(["playbook --help", ms(median(ours)), ms(p99(ours)), ms(median(base)), f"{median(ours) / median(base):.1f}x",
                 ms(0.3), "ok" if p99(ours) <= 0.3 else "MISSED"])
    headers = ["load + validate", "median", "p99", "baseline median", "ratio", "target", "p99 vs target"]
    return "Loading (baseline: bare yaml.CSafeLoader parse; for --help, bare `python -c pass`)\n" + table(headers, rows)


if __name__ == "__main__":
    print(run())
