"""What did the trainee just say? A question, an answer technique, a close, or nothing the playbook knows.

One index over everything a trainee can say that the playbook describes: its qualification
questions (their text and `ask_also` variants), its handling techniques (every response the
playbook offers, filed under the response's technique, plus the technique's cue words) and
its closing methods (their example and `say_also` variants). One index, so that the kinds
compete with each other on the same scale: a trial offer that begins "let's start with" is
heard as the technique it is, not as a close because of two words.

The index is the objection matcher's (playbook/matching): the same normalisation, typo repair,
synonyms, idf weighting and nearest-phrasing scoring, so a trainee is understood the way a
rep is.

Small talk is weighed only once the items have spoken. The playbook's `neutral:` lines are what
a *customer* says without objecting: greetings, but also facts about their company, praise of
the product, requests and buying signals ("can you walk me through how it works?"). Competing
with the items on every line, they swallowed a trainee's pitch and the moves that mirror them
("let me walk you through how it works"). So small talk is heard when no item is, and fits best;
or when an item is heard only weakly and small talk is the majority reading (a greeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from ..matching import Matcher, normalise
from ..matching.textnorm import words
from ..meeting.wording import fill, without_placeholders
from ..model import Playbook

Kind = Literal["question", "technique", "close", "small_talk", "nothing"]
KINDS: tuple[Kind, ...] = ("question", "technique", "close")
# Confidence (0-100, the matcher's scale) below which nothing is heard. Chosen on the dev split of
# tests/data/trainee_lines.tsv; the held-out split measures it.
MIN_CONFIDENCE = 35.0
# Confidence is a share among the items: it says which item is likeliest, not whether the line is
# near any of them. A question reveals a hidden fact, so it must also be asked in words near one of
# its wordings: closeness is the matcher's idf-weighted cosine to the question's nearest wording,
# words the playbook does not use counting against it. (Techniques and closes are not held to it:
# they wrap the customer's own terms, as a synthesis of benefits does.) Chosen on the dev split:
# every question heard right there is 0.23 or closer; "Quelle est la couleur préférée de votre
# chien ?", near a question by "quelle ... votre" alone, is 0.07.
MIN_QUESTION_CLOSENESS = 0.15
# A close is not held to that closeness when it is heard clearly (it wraps the customer's own
# terms); heard by less than half the evidence among the items, it is: "Quelle est la couleur
# préférée de votre chien ?" shares "quelle ... votre" and a word one letter from "préférez" with
# the alternative close, and is 0.14 from its nearest wording (every close of the dev split is
# heard with 99% or more).
# An item heard by less than half the evidence among the items gives way to small talk when small
# talk is more than half of it against all of them: "Bonjour, ravi de vous rencontrer" is heard
# weakly as a question-technique, but mostly as a greeting.
MAJORITY = 50.0
# A technique named on its own (the drill; an answer to an open objection) is heard from a lower
# confidence: the trainee is answering, so the question is only which technique.
MIN_TECHNIQUE_CONFIDENCE = 30.0
# The same, among techniques only (their descriptions included), as the drill used before.
MIN_TECHNIQUE_ONLY_CONFIDENCE = 60.0
# A qualification question is asked as a question: a question mark, or (typed in a hurry) an
# interrogative first word. A statement that shares a question's words ("I have been in this
# business for ten years") is not heard as that question.
INTERROGATIVE = frozenset(
    "who what when where why how which whose whom is are do does did can could would will have has should shall "
    "qui que quoi quel quelle quels quelles quand ou comment combien pourquoi est avez etes pouvez pourriez "
    "faut utilisez qu".split()
)
CANDIDATES = 4
NEIGHBOURS = 40  # nearest wordings looked at for closeness


@dataclass(frozen=True)
class Heard:
    """What the app understood: a kind, the playbook item (an id), how sure (0-100) and the
    playbook wording that came closest."""

    kind: Kind
    item: str = ""
    confidence: float = 0.0
    nearest: str = ""

    @property
    def ref(self) -> str:
        """The playbook item as the scorecard cites it: question:ID, technique:ID, closing:ID."""
        return "" if self.kind in ("nothing", "small_talk") else f"{'closing' if self.kind == 'close' else self.kind}:{self.item}"


NOTHING = Heard("nothing")
SMALL_TALK = Heard("small_talk")


def _spoken_forms(text: str, playbook: Playbook) -> list[str]:
    """How a trainee may say a text with placeholders: without them, or read with its blanks."""
    if "{" not in text:
        return [text]
    return [without_placeholders(text), fill(text, playbook).text]


def _vocabulary(playbook: Playbook) -> set[str]:
    """Words the playbook uses outside the items a trainee may say: its customers' talk. Known to the
    index as words standing for themselves, they are no evidence for any item, and no longer typos
    to "repair" into an item's word ("the best product" is not "the rest")."""
    texts = [*playbook.neutral, *(p for o in playbook.objections for p in o.phrasings)]
    return {word for text in texts for word in words(text)}


class TraineeRecogniser:
    """Built once per playbook (a role-play or a drill); `hear` is cheap."""

    def __init__(self, playbook: Playbook) -> None:
        responses: dict[str, list[str]] = {}
        for objection in playbook.objections:
            for response in objection.responses:
                responses.setdefault(response.technique, []).extend(_spoken_forms(response.text, playbook))
        categories: list[tuple[str, str, list[str], list[str]]] = []
        for question in playbook.questions:
            categories.append((f"question:{question.id}", "", [*_spoken_forms(question.text, playbook), *question.ask_also], []))
        for technique in playbook.techniques:
            categories.append((f"technique:{technique.id}", "", [*responses.get(technique.id, ()), *technique.cues], []))
        for closing in playbook.closings:
            categories.append((f"close:{closing.id}", "", [*_spoken_forms(closing.example, playbook), *closing.say_also], []))
        synonyms: dict[str, Sequence[str]] = {word: () for word in _vocabulary(playbook)}
        synonyms.update((s.word, s.equivalents) for s in playbook.synonyms)
        # The items compete among themselves only (see the module's docstring on small talk).
        self._index = Matcher(categories, synonyms, threshold=0.0)
        # Small talk against the same items, asked only when no item is heard clearly.
        self._small_talk = Matcher(categories, synonyms, threshold=0.0, quiet={"neutral": playbook.neutral})
        # For an answer known to be an answer: techniques alone, described in the playbook's words too.
        self._techniques = Matcher(
            [(f"technique:{t.id}", "", [*responses.get(t.id, ()), *t.cues, t.description], []) for t in playbook.techniques],
            synonyms, threshold=0.0,
        )
        # What the playbook itself offers is heard as what it is, whatever the scores say.
        self._verbatim: dict[str, Heard] = {}
        for ident, _, texts, _ in categories:
            kind, item = ident.split(":", 1)
            for text in texts:
                self._verbatim.setdefault(normalise(text), Heard(kind, item, 100.0, text))  # type: ignore[arg-type]

    def hear(self, text: str) -> Heard:
        """The one thing `text` is, or NOTHING when no playbook item stands out. SMALL_TALK when
        no item is heard and the playbook's small talk fits best, or when an item is heard only
        weakly and small talk is most of the evidence."""
        verbatim = self._verbatim.get(normalise(text))
        if verbatim is not None:
            return verbatim
        asked = is_interrogative(text)
        heard = NOTHING
        for candidate in self._candidates(text):
            if candidate.confidence < MIN_CONFIDENCE:
                break
            if candidate.kind == "question" and (not asked or self._closeness(text, candidate) < MIN_QUESTION_CLOSENESS):
                continue
            if candidate.kind == "close" and candidate.confidence < MAJORITY and self._closeness(text, candidate) < MIN_QUESTION_CLOSENESS:
                continue  # a close heard by less than half the evidence must be worded near one of its wordings
            heard = candidate
            break
        if heard.confidence >= MAJORITY:
            return heard
        small_talk, best_item = self._small_talk_share(text)
        if small_talk > best_item and (heard is NOTHING or small_talk >= MAJORITY):
            return SMALL_TALK
        return heard

    def technique(self, text: str) -> Heard:
        """The handling technique `text` uses, when the trainee is known to be answering an objection."""
        heard = self.hear(text)
        if heard.kind == "technique":
            return heard
        for candidate in self._candidates(text):
            if candidate.kind == "technique" and candidate.confidence >= MIN_TECHNIQUE_CONFIDENCE:
                return candidate
        found = self._techniques.scores(text, top=1)
        if found and found[0].score >= MIN_TECHNIQUE_ONLY_CONFIDENCE:
            return Heard("technique", found[0].objection.split(":", 1)[1], found[0].score, found[0].phrase)
        return NOTHING

    def _candidates(self, text: str) -> list[Heard]:
        """The best few playbook items for `text`, best first."""
        return [Heard(*m.objection.split(":", 1), m.score, m.phrase) for m in self._index.scores(text, top=CANDIDATES)]  # type: ignore[misc]

    def _closeness(self, text: str, heard: Heard) -> float:
        """How near `text` is to the heard item's nearest wording (0-1)."""
        ident = f"{heard.kind}:{heard.item}"
        return max((closeness for category, closeness, _ in self._index.neighbours(text, NEIGHBOURS) if category == ident), default=0.0)

    def _small_talk_share(self, text: str) -> tuple[float, float]:
        """How much of the evidence for `text` goes to the playbook's small talk, and to its best
        item, when the two compete (0-100 each)."""
        if not self._small_talk.query_vector(text)[0]:
            return 0.0, 0.0  # no word the playbook knows
        items = self._small_talk.scores(text, top=len(self._small_talk.ids))
        return 100.0 - sum(m.score for m in items), items[0].score if items else 0.0


def is_interrogative(text: str) -> bool:
    """Asked as a question: a question mark, or a first word that asks."""
    if "?" in text:
        return True
    first = normalise(text).split(" ", 1)[0]
    return first in INTERROGATIVE
