"""`python -m bench [NAME ...]`: run the named benchmarks (default: all) and print their tables."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("startup", "loading", "engine", "authoring", "tui", "serve", "transcript", "matcher", "hostile", "report",
              "accounts", "team")


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        print(module.run())
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
