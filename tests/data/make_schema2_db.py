"""Writes a session database with the release before accounts (schema 2): the fixture for the
migration test. Run from a checkout of that release: python make_release_db.py OUT.db"""
import sys
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store

class Clock:
    def __init__(self, now): self.now = now
    def __call__(self): return self.now

DAY = 86400.0
T0 = 1_767_261_600.0  # 2026-01-01 10:00 UTC
pb = load_playbook(None)
store = Store.open(sys.argv[1])
# Acme: two meetings under two spellings of the same name
c = Clock(T0)
s = MeetingSession.start(pb, store, "Anna Martin", "Acme Ltd", clock=c, spec="builtin")
s.answer("budget", "limited")
o = s.raise_objection("that's too expensive for us", "price")
s.settle_objection(o.number, "parked")
o2 = s.raise_objection("I need to run it by my director", "authority")
s.add_action("Send the pricing options", "me", "2026-01-09")
s.add_action("Book a demo with the director", "Anna", "2026-01-20")
s.set_action_done(1)
s.record_outcome("next_meeting", "demo with the director")
c.now += 3600; s.end()
c.now = T0 + 10 * DAY
s2 = MeetingSession.start(pb, store, "Anna Martin", "ACME ltd.", clock=c, spec="builtin")
s2.note("Director joined for ten minutes")
s2.add_action("Draft the proposal", "me", "2026-01-25")
c.now += 1800; s2.end()
# Globex: one meeting, left unfinished
c.now = T0 + 2 * DAY
g = MeetingSession.start(pb, store, "Hank Scorpio", "Globex Corporation", clock=c, spec="builtin")
g.answer("timeline", "now")
# Initech and Initech Labs: close names, asked about
c.now = T0 + 3 * DAY
i = MeetingSession.start(pb, store, "Bill Lumbergh", "Initech", clock=c, spec="builtin"); c.now += 600; i.end()
c.now = T0 + 4 * DAY
il = MeetingSession.start(pb, store, "Peter Gibbons", "Initech Labs", clock=c, spec="builtin")
il.raise_objection("we already work with another supplier", "competitor")
c.now += 600; il.end()
# No company, and a French name
c.now = T0 + 5 * DAY
n = MeetingSession.start(pb, store, "Walk-in", "", clock=c, spec="builtin"); c.now += 60; n.end()
c.now = T0 + 6 * DAY
f = MeetingSession.start(load_playbook("builtin:fr"), store, "Élodie Roux", "Société Générale des Eaux", clock=c, spec="builtin:fr")
f.add_action("Envoyer la proposition", "moi", "2026-01-15")
c.now += 900; f.end()
# a role-play session is not a meeting with an account
c.now = T0 + 7 * DAY
r = MeetingSession.start(pb, store, "Trainee", "Acme Ltd", kind="roleplay", clock=c, spec="builtin"); r.end()
store.close()
