"""An account's life played through the engine: prepare, meet, follow up, a second meeting that
starts from what the first left open, the deal won, then an account review a few months later.

Run: .venv/bin/python examples/account_life.py [--db PATH]
Without --db everything is kept in a temporary database that is deleted at the end. The clock is
the script's own, so the output is the same every run.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

from playbook.accounts import AccountBook, agenda, complete, prepare, save_preparation, segments, start_meeting, timeline
from playbook.format import load_playbook
from playbook.meeting.summary import to_markdown
from playbook.store import Store

DAY = 86400.0


class Clock:
    """The script's clock: it moves only when the story says so."""

    def __init__(self) -> None:
        self.now = 1_767_261_600.0  # 2026-01-01 10:00 UTC

    def __call__(self) -> float:
        return self.now

    def days(self, n: float) -> None:
        self.now += n * DAY

    @property
    def today(self) -> date:
        return datetime.fromtimestamp(self.now, tz=timezone.utc).date()


def heading(text: str) -> None:
    print(f"\n== {text}")


def show_agenda(book: AccountBook, clock: Clock) -> None:
    plan = agenda(book, clock.today)
    for title, items in (("overdue", plan.overdue), ("today", plan.due_today), ("this week", plan.this_week)):
        for item in items:
            print(f"   {title:9} {item.due}  {item.account}: {item.text}  [{item.ref}]")
    if plan.empty:
        print("   nothing to follow up")


def live(store: Store) -> None:
    clock = Clock()
    book = AccountBook(store, clock)
    core = load_playbook(None)
    review = load_playbook("builtin:review")

    heading("A new account, its people and their roles in the decision")
    dupont = book.add("Dupont Logistics", "suspect", value=48_000, need="reporting", reason="met at a logistics trade fair")
    book.add_contact(dupont, "Anna Martin", "champion", "Head of Finance")
    book.add_contact(dupont, "Paul Durand", "decision_maker", "CFO")
    dupont = book.set_stage(dupont, "prospect", "Anna confirmed a budget for the reporting project")
    print(f"   {dupont.name}: {dupont.stage}, {len(book.contacts(dupont))} people")

    heading("Preparing the first meeting")
    sheet = prepare(book, core, dupont)
    print(f"   gaps: {'; '.join(sheet.gaps) or 'none'}")
    print(f"   not known yet: {len(sheet.unanswered)} questions, the heaviest: {sheet.unanswered[0].text}")
    sheet = save_preparation(book, sheet, objectives=["Put a figure on what month-end reporting costs them", sheet.suggestions[0]],
                             research={"news": "Opened a second warehouse in Lyon in November"},
                             checked=[sheet.checklist[0][0]])
    print(f"   objectives: {' | '.join(sheet.objectives)}")
    print(f"   the first 20 seconds: {sheet.opening[0]}")

    heading("The first meeting")
    clock.days(2)
    first = start_meeting(book, core, dupont, "Anna Martin", spec="builtin", planned_minutes=45)
    first.answer("problem_to_solve", "Month-end reporting takes two people two days")
    first.answer("budget", "limited")
    first.answer("decision_maker", "other")
    first.set_stage("discovery")
    first.answer("cost_estimate", "four person-days a month")
    first.set_objective_met(1)
    price = first.raise_objection("honestly, that's more than we planned", "price")
    first.settle_objection(price.number, "parked")
    first.raise_objection("Paul will want to see it before anything is signed", "authority")
    first.add_action("Send the pricing options", "me", "2026-01-07")
    first.add_action("Book a demo with Paul", "Anna", "2026-01-12")
    first.record_outcome("next_meeting", "demo with the CFO")
    first.end()
    print(f"   {len(first.state.objections)} objections, {len(first.state.actions)} actions, "
          f"objectives met: {sum(o.met for o in first.state.objectives)} of {len(first.state.objectives)}")

    heading("Following up")
    clock.days(3)
    book.log(dupont, "offer", "Sent the three pricing options by e-mail", due="2026-01-09")
    complete(book, f"A:{first.id}#1")
    clock.days(6)
    book.log(dupont, "call", "Anna: Paul is away until the 15th", due="2026-01-15")
    print(f"   agenda on {clock.today}:")
    show_agenda(book, clock)
    complete(book, next(f.ref for f in agenda(book, clock.today).overdue if f.kind == "offer"))

    heading("Preparing the second meeting: what the first left open")
    clock.days(5)
    sheet = prepare(book, core, dupont)
    for item in (*sheet.open_objections, *sheet.parked_objections):
        print(f"   objection {item.detail} ({item.status}): {item.text}")
    for item in (*sheet.overdue_actions, *sheet.due_actions):
        print(f"   action due {item.due}: {item.text}")
    print(f"   known already: {', '.join(k.question for k in sheet.known)}")
    save_preparation(book, sheet, objectives=[s for s in sheet.suggestions if s.startswith("Settle")])

    heading("The second meeting starts from the first one's open items")
    clock.days(1)
    second = start_meeting(book, core, dupont, "Paul Durand", spec="builtin")
    print(f"   carried in: {[o.text for o in second.state.objections]}, {[a.text for a in second.state.actions]}")
    print(f"   answers kept: {sorted(second.state.answers)}")
    for raised in second.state.objections:
        second.use_response(raised.number, second.responses(raised.number)[0][0].id)
        second.settle_objection(raised.number, "resolved")
    second.set_action_done(1)
    for objective in second.state.objectives:
        second.set_objective_met(objective.number)
    second.attempt_close("synthesis_of_benefits", True)
    second.record_outcome("won")
    second.add_action("Kick-off with the finance team", "me", "2026-02-02")
    second.end()
    dupont = book.set_stage(dupont, "customer", "signed the reporting project after the demo")
    notes = to_markdown(second.summary())
    print("   " + notes[notes.index("## Objectives"):notes.index("## What we learned")].strip().replace("\n\n", "\n").replace("\n", "\n   "))

    heading("Three months later: the account review")
    clock.days(90)
    sheet = prepare(book, review, dupont)
    print(f"   proposed: {sheet.meeting_type}; checklist starts with: {sheet.checklist[0][0]}")
    save_preparation(book, sheet, objectives=list(sheet.guide.objectives[:2]))
    meeting = start_meeting(book, review, dupont, "Anna Martin", spec="builtin:review")
    meeting.set_stage("satisfaction")
    meeting.answer("satisfaction", "satisfied")
    meeting.answer("low_point", "the March close was late by a day")
    meeting.set_stage("promises")
    meeting.answer("promises_kept", "mostly")
    meeting.set_stage("growth")
    meeting.answer("users_trained", "some")
    meeting.set_stage("retention")
    meeting.answer("courted", "no")
    meeting.answer("renewal", "January, Paul decides")
    guidance = [g.text for g in meeting.guidance()]
    print(f"   guidance: {guidance[0]}")
    meeting.add_action("Train the two new accountants", "me", "2026-04-20")
    meeting.set_objective_met(1)
    meeting.record_outcome("next_meeting", "next review in July")
    meeting.end()
    print(f"   account health (review score): {meeting.qualification().score:.0f}")

    heading("The account's timeline, newest first")
    shown = timeline(book, book.get(dupont.id))
    for entry in shown.entries:
        when = datetime.fromtimestamp(entry.at, tz=timezone.utc).strftime("%Y-%m-%d")
        print(f"   {when}  {entry.kind:8} {entry.text}" + (f" · {entry.detail}" if entry.detail else ""))
    print(f"   still open: {[i.text for i in shown.open_actions]}")

    heading("Where the value is")
    book.add("Globex", "customer", value=12_000, need="fleet")
    book.add("Initech", "prospect", value=3_000, need="reporting")
    print("   " + segments(book, "value").pareto_line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="PATH", help="keep the account's life in this database")
    args = parser.parse_args()
    if args.db:
        with Store.open(args.db) as store:
            live(store)
        return
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "account_life.db") as store:
        live(store)


if __name__ == "__main__":
    main()
