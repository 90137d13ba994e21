"""A live transcript in a meeting: what each line is, whose it is, and what it changes.

Two halves, so that no front end waits on recognition:
- `Listener.hear` (pure, run off the UI thread): the objections the matcher recognises in a line
  and, for a finished line, the qualification question it asks, if any;
- `LiveTranscript.take` (on the session's thread): stores the lines with where following stopped,
  resolves each speaker's role, marks questions the rep asked aloud, and lets the card policy
  decide which line raises a card. `accept` and `dismiss` are the rep's answers to the card.

Whose line: the role the line carries, else the role the rep gave its speaker (key b marks "this
speaker is the customer"), else, once some speaker is marked the customer, the rep; a line
nobody can place yet counts as the customer's for cards and never as the rep's for questions.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..i18n import _
from ..matching.fused import Recogniser
from ..matching.matcher import Match, Matcher
from ..meeting.session import MeetingSession, SessionError
from ..meeting.state import RaisedObjection
from ..model import Playbook
from .cards import DEFAULT_COOLDOWN, Card, CardPolicy, repeats
from .follower import Position
from .lines import Line

RECENT = 200  # lines kept for the transcript pane
POLL_SECONDS = 0.1  # how often the meeting app looks at the transcript file (the contract: at most 0.2)


@dataclass(frozen=True)
class Following:
    """`playbook run --transcript PATH [--replay] [--early]`."""

    path: Path
    replay: bool = False
    early: bool = False


@dataclass(frozen=True)
class Heard:
    """A transcript line with what recognition found in it."""

    line: Line
    matches: tuple[Match, ...] = ()
    question: str | None = None  # the qualification question the line asks


class Listener:
    """Recognition for transcript lines: the meeting's matcher, and the questions a rep may ask."""

    def __init__(self, playbook: Playbook, matcher: Matcher | Recogniser) -> None:
        self.playbook = playbook
        self.matcher = matcher
        self._questions = None  # built on the first finished line (the training package loads only then)

    def hear(self, line: Line) -> Heard:
        if not line.text:
            return Heard(line)
        matches = tuple(self.matcher.match(line.text, strict=True))  # heard, not typed: see matching/gate.py
        question = None
        if line.final and not matches:
            if self._questions is None:
                from ..training.recognition import TraineeRecogniser

                self._questions = TraineeRecogniser(self.playbook)
            heard = self._questions.hear(line.text)
            question = heard.item if heard.kind == "question" else None
        return Heard(line, matches, question)


@dataclass(frozen=True)
class Taken:
    """What a batch of lines changed: the cards raised and the questions marked asked."""

    cards: tuple[Card, ...] = ()
    asked: tuple[str, ...] = ()


class LiveTranscript:
    def __init__(self, session: MeetingSession, early: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.session = session
        cooldown = session.playbook.card_cooldown
        self.policy = CardPolicy(DEFAULT_COOLDOWN if cooldown is None else float(cooldown), early, clock)
        self.card: Card | None = None
        self.lines: OrderedDict[str, Line] = OrderedDict()
        for row in session.transcript()[-RECENT:]:
            self._remember(Line(row["id"], row["text"], row["final"], row["speaker"], row["role"], row["t0"], row["t1"]))

    # -- lines -------------------------------------------------------------------------------

    def role(self, line: Line) -> str | None:
        """customer, rep, or None while nobody can tell."""
        if line.role:
            return line.role
        speakers = self.session.state.speakers
        if line.speaker and line.speaker in speakers:
            return speakers[line.speaker]
        if any(role == "customer" for role in speakers.values()):
            return "rep"
        return None

    def take(self, heard: Iterable[Heard], source: Position | None = None, shown: Iterable[str] = ()) -> Taken:
        """Store a batch of lines (and where following stopped), then act on them. Raises the
        store's error before anything is shown when they cannot be saved."""
        heard = list(heard)
        self.session.keep_transcript([h.line for h in heard], asdict(source) if source is not None else None)
        shown = list(shown)
        cards: list[Card] = []
        asked: list[str] = []
        for item in heard:
            line = item.line
            self._remember(line)
            role = self.role(line)
            if self.card is not None and self.card.line == line.id and not line.text:
                self.card = None  # the utterance was withdrawn
            if role == "rep" and line.final and item.question and self._askable(item.question):
                self.session.mark_asked(item.question, line.text)
                asked.append(item.question)
            open_now = frozenset(o.objection for o in self.session.state.objections if o.outcome == "open")
            card = self.policy.consider(line, item.matches, role != "rep",
                                        bool(item.matches) and repeats(line.text, shown), open_now)
            if card is not None:
                self.card = card
                cards.append(card)
        return Taken(tuple(cards), tuple(asked))

    def _askable(self, question_id: str) -> bool:
        question = self.session.playbook.question(question_id)
        state = self.session.state
        return (question is not None and question.stage == state.stage and question_id not in state.answers
                and question_id not in state.asked)

    def _remember(self, line: Line) -> None:
        if line.id in self.lines and not line.text:
            del self.lines[line.id]  # withdrawn
            return
        if line.text:
            self.lines[line.id] = line
        while len(self.lines) > RECENT:
            self.lines.popitem(last=False)

    def recent(self, count: int) -> list[tuple[Line, str | None]]:
        """The last `count` utterances, each with its speaker's role."""
        lines = list(self.lines.values())[-count:] if count > 0 else []
        return [(line, self.role(line)) for line in lines]

    # -- the rep's answers ---------------------------------------------------------------------

    def accept(self, objection: str | None = None) -> RaisedObjection:
        """The card is an objection (its category, or another the rep picked): recorded exactly as a
        typed objection is."""
        card = self._pending()
        chosen = objection or card.objection
        score = card.score if chosen == card.objection else next((m.score for m in card.also if m.objection == chosen), None)
        raised = self.session.raise_objection(card.text, chosen, score)
        self.card = None
        return raised

    def dismiss(self) -> Card:
        """The card is not an objection: recorded (learning reads it), and gone."""
        card = self._pending()
        self.session.dismiss_card(card.text, card.objection, card.score, card.line)
        self.card = None
        return card

    def _pending(self) -> Card:
        if self.card is None:
            raise SessionError(_("no card to answer"))
        return self.card

    def mark_customer(self, speaker: str) -> None:
        self.session.mark_speaker(speaker, "customer")

    def candidate(self) -> tuple[str, str | None] | None:
        """The speaker key b is about, with the role it has now: the pending card's speaker, else
        the speaker of the latest line that has a label."""
        if self.card is not None and self.card.speaker:
            return self.card.speaker, self.session.state.speakers.get(self.card.speaker)
        for line in reversed(self.lines.values()):
            if line.speaker:
                return line.speaker, self.session.state.speakers.get(line.speaker)
        return None

    def toggle_customer(self) -> tuple[str, str] | None:
        """Key b: the candidate speaker is the customer; pressed again, the rep. Returns the speaker
        and the role now given, or None when no line has a speaker label."""
        found = self.candidate()
        if found is None:
            return None
        speaker, role = found
        new_role = "rep" if role == "customer" else "customer"
        self.session.mark_speaker(speaker, new_role)
        return speaker, new_role


def resume_position(session: MeetingSession, path: str | Path) -> Position | None:
    """Where this meeting stopped following `path` (None: never followed it, or another file)."""
    source = session.transcript_source()
    if source is None or Path(source["path"]).resolve() != Path(path).resolve():
        return None
    return Position(**source)


def on_screen(session: MeetingSession, objection: int | None, limit: int = 6) -> list[str]:
    """What the rep's screen suggests saying now (the current objection's responses, the next
    questions, the guidance, the closing examples), worded for the meeting, as the rep would read
    it aloud."""
    texts: list[str] = []
    if objection is not None and session.state.objection(objection) is not None:
        texts += [session.wording(response.text).text for response, _ in session.responses(objection)]
    texts += [session.wording(question.text).text for question in session.next_questions(limit)]
    texts += [item.text for item in session.guidance()]
    texts += [session.wording(closing.example).text for closing, _, _ in session.closing_advice()[:limit]]
    return texts
