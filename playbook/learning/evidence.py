"""Evidence in the meeting: the team's record with each response, blended into the playbook's order.

The playbook's authors list an objection's responses best first; that order is the prior. The
team's record (how often each response, as the last one used, ended with the objection
resolved) may move a response, but only when it is strong enough:

- A response's record counts from MIN_USES uses. At 2 uses even a perfect 2 of 2 has a Wilson
  95% interval of 34-100%: no better known than a coin, so it moves nothing. From 5 uses a
  perfect record's interval starts at 57%, and a response resolving 4 of 5 or better begins to
  stand apart from a team average near 50%.
- Its rate is shrunk towards the team's average for that objection (a Beta prior worth
  PRIOR_USES uses): (resolved + 10 x average) / (uses + 10). At 10 uses the record and the
  average weigh the same; at 50 the record is five sixths of the estimate.
- Each place in the playbook's list is worth ORDER_STEP (5 points of resolution rate): to pass
  the response above it, a response needs a shrunk rate more than 5 points higher.

The why-view says what the record is, in counts ("resolved 8 of 10 times in this team (since
March)"), also when it is too thin to count. A playbook turns all this off with `evidence: false`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Mapping, Sequence

from ..i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from ..store.sqlite import Store

MIN_USES = 5
PRIOR_USES = 10.0
ORDER_STEP = 0.05
# Translated with the context "month" (the catalogue entries meeting/dates.py marks).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December")


@dataclass(frozen=True)
class Record:
    """A response's record in the team: uses with a known result, how many resolved, since when."""

    uses: int
    resolved: int
    since: float  # epoch seconds of the first use counted

    @property
    def counts(self) -> bool:
        return self.uses >= MIN_USES


@dataclass(frozen=True)
class Evidence:
    """The team's records, by objection and response."""

    records: Mapping[str, Mapping[str, Record]] = field(default_factory=dict)

    def of(self, objection: str) -> Mapping[str, Record]:
        return self.records.get(objection, {})


@dataclass(frozen=True)
class Ranked:
    response: str
    score: float  # the blended key: shrunk resolution rate less ORDER_STEP per place
    why: str  # the record in words, "" when the team never used the response


def team_evidence(store: "Store", exclude_session: str = "") -> Evidence:
    """Every response's record in the store's meetings (but `exclude_session`, the one under way)."""
    rows = store.read(
        "SELECT objection, response, count(*), sum(CASE WHEN result = 'resolved' THEN 1 ELSE 0 END), min(at)"
        " FROM learning_responses WHERE result <> 'open' AND session_id <> ? GROUP BY objection, response",
        (exclude_session,),
    )
    records: dict[str, dict[str, Record]] = {}
    for objection, response, uses, resolved, since in rows:
        records.setdefault(objection, {})[response] = Record(int(uses), int(resolved or 0), float(since))
    return Evidence(records)


def blend(order: Sequence[str], records: Mapping[str, Record], now: float | None = None) -> list[Ranked]:
    """The responses (given in the playbook's order) best first, once the team's records are
    weighed in. Without a record that counts, the order is the playbook's."""
    uses = sum(r.uses for r in records.values())
    average = sum(r.resolved for r in records.values()) / uses if uses else 0.0
    ranked = []
    for place, response in enumerate(order):
        record = records.get(response)
        rate = average
        if record is not None and record.counts:
            rate = (record.resolved + PRIOR_USES * average) / (record.uses + PRIOR_USES)
        ranked.append((rate - ORDER_STEP * place, place, Ranked(response, rate - ORDER_STEP * place, describe(record, now))))
    ranked.sort(key=lambda item: (-round(item[0], 9), item[1]))
    return [item[2] for item in ranked]


def describe(record: Record | None, now: float | None = None) -> str:
    """The record in words, counts only: "resolved 8 of 10 times in this team (since March)"."""
    if record is None or record.uses == 0:
        return ""
    text = ngettext("resolved {resolved} of {uses} time in this team (since {since})",
                    "resolved {resolved} of {uses} times in this team (since {since})", record.uses)
    text = text.format(resolved=record.resolved, uses=record.uses, since=since(record.since, now))
    if not record.counts:
        text += _("; too few uses to change the order (it takes {minimum})").format(minimum=MIN_USES)
    return text


def since(moment: float, now: float | None = None) -> str:
    """A month in words, with its year when it is not this year's."""
    then = datetime.fromtimestamp(moment)
    current = datetime.fromtimestamp(now) if now is not None else datetime.now()
    month = pgettext("month", MONTHS[then.month - 1])
    return month if then.year == current.year else f"{month} {then.year}"
