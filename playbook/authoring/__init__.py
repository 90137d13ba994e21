"""Tools for the people who write playbooks: lint, the outline `show` prints, `playbook new`'s
scaffold, and the spreadsheet importer. They sit above the format, matching and meeting layers
because lint runs the matcher and the rules."""

from .importer import ImportProblem, import_spreadsheet
from .lint import lint
from .outline import render_outline, render_resolved
from .scaffold import ScaffoldError, scaffold

__all__ = ["ImportProblem", "ScaffoldError", "import_spreadsheet", "lint", "render_outline", "render_resolved",
           "scaffold"]
