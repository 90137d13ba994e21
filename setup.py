"""Package discovery: every package under playbook/ and tui/ is found, never listed by hand, and the
rules library in rules/ ships as the package `playbook.builtin` (pyproject.toml holds the rest)."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["playbook", "playbook.*", "tui", "tui.*"]) + ["playbook.builtin"],
    package_dir={"playbook.builtin": "rules"},
)
