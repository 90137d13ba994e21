"""The customer recap, and writing a meeting's documents to files.

Two documents leave a meeting: the customer recap (what we heard, what we agreed, who does
what by when; ready to paste into an e-mail or a CRM note, with no scores, coaching or
technique names) and the rep's internal notes (summary.to_markdown). Both escape what people
typed for their format, so a note or an objection never becomes a link, HTML or a script.

Files go to a folder the rep can find (`default_export_dir`), each under a free name: a second
meeting with the same prospect on the same day never overwrites the first, and every file is
written atomically (playbook.files).
"""

from __future__ import annotations

import html
import os
import re
from datetime import datetime
from pathlib import Path

from ..files import free_name, write_text
from ..i18n import N_, _
from ..textsafety import printable
from .dates import shown as shown_date
from .summary import Summary, action_line, md, to_json, to_markdown

RAISED_FOR_CUSTOMER = {"resolved": N_("answered"), "parked": N_("we will come back to it"), "open": N_("still open"),
                       "unresolved": N_("still open")}
AGREED = {"won": N_("We agreed to go ahead."), "next_meeting": N_("We agreed to meet again."),
          "no_decision": N_("No decision was taken yet."), "lost": ""}
DOCUMENTS = {"recap": "md", "recap-html": "html", "notes": "md", "json": "json"}


def default_export_dir() -> Path:
    """$PLAYBOOK_EXPORTS, else ~/Documents/playbook: a folder the rep finds without a terminal."""
    if os.environ.get("PLAYBOOK_EXPORTS"):
        return Path(os.environ["PLAYBOOK_EXPORTS"]).expanduser()
    return Path.home() / "Documents" / "playbook"


def _day(summary: Summary) -> str:
    return datetime.fromtimestamp(summary.started_at or 0).strftime("%Y-%m-%d")


def _recap_parts(summary: Summary) -> dict:
    """What the customer reads, as plain text pieces (each format escapes them its own way)."""
    heard = []
    for fact, kind in zip(summary.learned, summary.answer_types or ("",) * len(summary.learned)):
        heard.append(fact.answer if kind == "text" else _("{topic}: {answer}").format(topic=fact.topic.capitalize(), answer=fact.answer))
    raised = [(o.said, _(RAISED_FOR_CUSTOMER.get(o.outcome, o.outcome))) for o in summary.objections]
    agreed = _(AGREED.get(summary.outcome, ""))
    if summary.outcome_note and summary.outcome in ("won", "next_meeting", "no_decision"):
        agreed = f"{agreed.rstrip('.')} ({summary.outcome_note.rstrip('.')})."
    return {"heard": heard, "raised": raised, "agreed": agreed}


def to_recap_markdown(summary: Summary) -> str:
    """The customer recap in Markdown, for an e-mail or a CRM note."""
    who = md(summary.prospect) + (f", {md(summary.company)}" if summary.company else "")
    parts = _recap_parts(summary)
    lines = ["# " + _("Meeting recap: {who}").format(who=who), "", _("Date: {date}").format(date=_day(summary)), "",
             _("Thank you for your time. Here is what we heard and what we agreed."), "", "## " + _("What we heard"), ""]
    lines += [f"- {md(item)}" for item in parts["heard"]] or ["- " + _("(nothing noted)")]
    if parts["raised"]:
        lines += ["", "## " + _("Points you raised"), ""]
        lines += [f"- \"{md(said)}\": {status}" for said, status in parts["raised"]]
    lines += ["", "## " + _("What we agreed"), ""]
    if parts["agreed"]:
        lines += [md(parts["agreed"]), ""]
    if summary.actions:
        lines += [_("Next steps:"), ""] + [action_line(a) for a in summary.actions]
    else:
        lines.append("- " + _("No next step agreed yet."))
    return "\n".join(lines) + "\n"


def to_recap_html(summary: Summary) -> str:
    """The customer recap as an HTML fragment, for an e-mail client that takes HTML."""
    def h(text: str) -> str:
        return html.escape(printable(str(text)), quote=True)

    parts = _recap_parts(summary)
    who = h(summary.prospect) + (f", {h(summary.company)}" if summary.company else "")
    def tag(name: str, text: str) -> str:
        return f"<{name}>{h(text)}</{name}>"

    out = ["<h1>" + h(_("Meeting recap: {who}")).format(who=who) + "</h1>", tag("p", _("Date: {date}").format(date=_day(summary))),
           tag("p", _("Thank you for your time. Here is what we heard and what we agreed.")), tag("h2", _("What we heard")), "<ul>"]
    out += [tag("li", item) for item in parts["heard"]] or [tag("li", _("(nothing noted)"))]
    out.append("</ul>")
    if parts["raised"]:
        out += [tag("h2", _("Points you raised")), "<ul>"]
        out += [f"<li>&ldquo;{h(said)}&rdquo;: {h(status)}</li>" for said, status in parts["raised"]]
        out.append("</ul>")
    out.append(tag("h2", _("What we agreed")))
    if parts["agreed"]:
        out.append(f"<p>{h(parts['agreed'])}</p>")
    out.append("<ul>")
    for action in summary.actions:
        owner = f" ({h(action.owner)})" if action.owner else ""
        due = h(_(", by {date}").format(date=shown_date(action.due))) if action.due else ""
        out.append(f"<li>{'&#9745;' if action.done else '&#9744;'} {h(action.text)}{owner}{due}</li>")
    if not summary.actions:
        out.append(tag("li", _("No next step agreed yet.")))
    out.append("</ul>")
    return "\n".join(out) + "\n"


def render(summary: Summary, document: str) -> str:
    """One document by name: recap, recap-html, notes or json."""
    if document == "recap":
        return to_recap_markdown(summary)
    if document == "recap-html":
        return to_recap_html(summary)
    if document == "notes":
        return to_markdown(summary)
    if document == "json":
        return to_json(summary)
    raise ValueError(f"unknown document {document!r} (one of {', '.join(DOCUMENTS)})")


def export_name(summary: Summary, document: str) -> str:
    """meeting-DATE-prospect-company-DOCUMENT.EXT"""
    who = re.sub(r"[^a-z0-9]+", "-", f"{summary.prospect} {summary.company}".lower()).strip("-") or "meeting"
    kind = document.removesuffix("-html")
    return f"meeting-{_day(summary)}-{who[:60]}-{kind}.{DOCUMENTS[document]}"


def write_documents(summary: Summary, folder: Path, documents: tuple[str, ...] = ("recap", "notes")) -> list[Path]:
    """Write the documents into `folder` (made if needed), each under a name no file has yet.
    Raises playbook.files.WriteError, in one line, when a file cannot be written."""
    from ..files import WriteError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot make the folder: {exc.strerror or exc}") from None
    written = []
    for document in documents:
        text = render(summary, document)
        while True:
            path = free_name(folder / export_name(summary, document))
            try:
                written.append(write_text(path, text))
                break
            except WriteError as error:
                if not path.exists():  # taken by another writer between free_name and the write: try the next
                    raise error
    return written
