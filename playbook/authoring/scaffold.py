"""`playbook new DIR`: a team playbook that extends the built-in one, with comments that teach."""

from __future__ import annotations

import re
from pathlib import Path

from ..files import WriteError, write_files
from ..format.schema_check import schema_path
from ..textsafety import printable


class ScaffoldError(Exception):
    pass


PLAYBOOK = """\
# yaml-language-server: $schema={schema}
#
# {name}: your team's playbook. It builds on the built-in library (extends: builtin):
# - an item with a new id is added; an item with a built-in id replaces it;
# - an objection with `extend: true` adds phrasings, keywords and responses to the built-in one;
# - `remove:` takes built-in items away (see objections.yaml).
# Check your work with `playbook validate {dir}`, `playbook lint {dir}` and `playbook test {dir}`,
# and hold a meeting on it with `playbook run --playbook {dir}`.

playbook:
  id: {ident}
  name: "{name}"
  language: en
  extends: builtin
  # includes: [more/objections.yaml]   # more files of this playbook, inside this directory
"""

OBJECTIONS = """\
# yaml-language-server: $schema={schema}

objections:
  # Add what your customers say to a built-in category; the built-in phrasings stay.
  - id: price
    extend: true
    phrasings:
      - Your licence costs more than the one we have
      - per-seat pricing is too high
    keywords: [licence, seat]

  # A category of your own: phrasings as customers say them and as you would jot them down,
  # and responses, each with one of the handling techniques (playbook show lists them).
  - id: security_review
    title: Security review
    description: The customer's security team must approve any new supplier.
    keywords: [security, audit, compliance, certification, questionnaire]
    phrasings:
      - Our security team has to audit you first
      - We need your certifications before anything else
      - Compliance will never approve a cloud tool
      - there's a security questionnaire to fill in
      - infosec must sign off
      - We can't use a supplier that isn't ISO 27001 certified
      - your data centre location is a problem for compliance
      - the pen test report is missing
    responses:
      - id: send_the_pack
        technique: third_party
        text: We have passed audits at three banks; I'll send our certification pack today.
      - id: ask_the_criteria
        technique: question
        text: What does your security team check first? Let's prepare exactly that.
      - id: show_the_controls
        technique: demonstration
        text: Let me show you the access controls and the audit log in the product.
    follow_up:
      - Who leads the security review, and can we meet them?

# remove:                  # take built-in items away
#   objections: [messenger]
#   phrasings: {{price: ["cheaper elsewhere"]}}
"""

TESTS = """\
# yaml-language-server: $schema={schema}
#
# What `playbook test` checks: each line is something a customer says and the objection it must
# be recognised as (none: not an objection). Tests are not inherited: keep your own here.

tests:
  - {{say: "the licence is more than what we pay now", expect: price}}
  - {{say: "way too expensive", expect: price}}
  - {{say: "infosec has to review your company first", expect: security_review}}
  - {{say: "send us your security certifications", expect: security_review}}
  - {{say: "my boss decides", expect: authority}}
  - {{say: "good morning, thanks for coming", expect: none}}
"""


def scaffold(directory: Path) -> list[Path]:
    """Write the three files of a new team playbook, all or none."""
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory}: exists and is not a directory; choose a new one")
    if directory.is_dir() and any(directory.iterdir()):
        raise ScaffoldError(f"{directory}: directory is not empty; choose a new one")
    # The folder's name becomes text in YAML: shown safely, and never closing the quotes it is in.
    name = printable(directory.name, one_line=True).replace("_", " ").replace("-", " ").replace('"', "'").replace("\\", "/").strip() or "team"
    ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "team"
    if not ident[0].isalpha():
        ident = f"team_{ident}"
    values = {"schema": schema_path(), "name": f"{name.title()} playbook", "ident": ident, "dir": printable(str(directory), one_line=True)}
    texts = {filename: template.format(**values)
             for filename, template in (("playbook.yaml", PLAYBOOK), ("objections.yaml", OBJECTIONS), ("tests.yaml", TESTS))}
    try:
        return write_files(directory, texts)
    except WriteError as error:
        raise ScaffoldError(str(error)) from None
