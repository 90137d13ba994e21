"""A meeting's objections and actions as rows of the store's meeting_items table.

The agenda lists every open action of every meeting, and an account's timeline every open
objection: folding thousands of sessions' events for that would be slow, so each event that
changes an objection or an action also rewrites the session's rows, in the same transaction.
"""

from __future__ import annotations

from ..model.events import (
    ActionAdded,
    ActionDone,
    ActionRemoved,
    Event,
    MeetingStarted,
    ObjectionRaised,
    ObjectionSettled,
    Undone,
)
from ..store.sqlite import MeetingItem
from .state import MeetingState

ITEM_EVENTS = (MeetingStarted, ObjectionRaised, ObjectionSettled, ActionAdded, ActionDone, ActionRemoved, Undone)


def changes_items(event: Event) -> bool:
    """Whether the event may change an objection or an action (and so the meeting's rows)."""
    return isinstance(event, ITEM_EVENTS)


def meeting_items(state: MeetingState) -> list[MeetingItem]:
    """The meeting's objections and actions as they stand."""
    items = [MeetingItem("objection", o.number, o.text, o.objection, "", o.outcome, o.at, o.carried_from)
             for o in state.objections]
    items += [MeetingItem("action", a.number, a.text, a.owner, a.due, "done" if a.done else "open", a.at, a.carried_from)
              for a in state.actions]
    return items


def reference(session_id: str, number: int) -> str:
    """How an item of one meeting is named by the meeting it is carried into ("SESSION#N")."""
    return f"{session_id}#{number}"
