"""The live transcript: the last lines with their speakers, and the objection card a customer's
line raised (v accepts it, z dismisses it). The engine decides everything
(playbook.transcript.live); these widgets only show it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from playbook.i18n import _
from playbook.model import Playbook
from playbook.transcript.cards import Card
from playbook.transcript.lines import Line

from .text import safe

ROLE_STYLE = {"customer": "bold", "rep": "dim", None: ""}


def role_name(role: str | None) -> str:
    return {"customer": _("customer"), "rep": _("sales rep")}.get(role or "", "")


class TranscriptPane(Static):
    """The last lines of the transcript, one row each, newest at the bottom. A line too long for the
    row shows its end (the words just said); a partial line ends with …"""

    LABEL_WIDTH = 14

    def show(self, lines: list[tuple[Line, str | None]], waiting: str = "") -> None:
        self._shown = (lines, waiting)
        if not lines:
            self.update(Text(waiting or _("Listening: nothing said yet."), style="dim italic"))
            return
        width = max(20, self.content_size.width or 60)
        names = [(line.speaker or role_name(role) or "?")[: self.LABEL_WIDTH] for line, role in lines]
        label_width = max(len(name) for name in names) + 1
        rows = []
        for (line, role), who in zip(lines, names):
            label = safe(who, "bold cyan" if role == "customer" else "dim" if role == "rep" else "", one_line=True)
            label.pad_right(label_width - label.cell_len)
            room = width - label.cell_len - (0 if line.final else 2)
            words = " ".join(line.text.split())
            if len(words) > room:
                words = "…" + words[-(room - 1):]
            text = safe(words, ROLE_STYLE[role] + ("" if line.final else " italic"), one_line=True)
            if not line.final:
                text.append(" …", style="dim")
            rows.append(Text.assemble(label, text, no_wrap=True, overflow="ellipsis"))
        self.update(Text("\n").join(rows))

    def on_resize(self) -> None:
        if getattr(self, "_shown", None) is not None:
            self.show(*self._shown)


class CardStrip(Static):
    """The objection card waiting for the rep's answer; hidden when there is none."""

    def show(self, card: Card | None, playbook: Playbook) -> None:
        self.display = card is not None
        if card is None:
            self.update("")
            return
        objection = playbook.objection(card.objection)
        title = objection.title if objection else card.objection
        line = Text()
        line.append("⚑ ", style="bold yellow")
        line.append_text(safe(_("{objection} objection?").format(objection=title), "bold", one_line=True))
        line.append(f"  {card.score:.0f}%", style="dim")
        line.append("   ")
        line.append(_("v accept · z dismiss"), style="bold")
        said = Text("“", style="italic")
        said.append_text(safe(card.text, "italic", one_line=True))
        said.append("”", style="italic")
        if card.speaker:
            said.append_text(safe(f"  — {card.speaker}", "dim", one_line=True))
        self.update(Text("\n").join([line, said]))
