"""Every sentence the role-play and the drill show, in one place.

Two kinds. What the simulated customer says when the scenario has no line of its own is part
of the role-play's content, so it follows the playbook's language (`CUSTOMER`, by language
code). What the coach and the scorecard say is the interface: English templates here, named
by what they mean, so that a message catalogue can take them over without touching the engine.
Templates use `str.format` fields.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerLines:
    """The customer's stock reactions, for scenarios that give none of their own."""

    deflections: tuple[str, ...]
    pushback: tuple[str, ...]
    acknowledge: tuple[str, ...]
    listening: tuple[str, ...]
    small_talk: tuple[str, ...]
    not_ready: str
    no_need_known: str
    not_like_that: str
    not_my_concern: str
    won: str
    impatient: str
    leaves: str
    unsure: str


CUSTOMER: dict[str, CustomerLines] = {
    "en": CustomerLines(
        deflections=("I'd rather not get into that.", "Why do you ask?"),
        pushback=("That doesn't really answer my concern.", "Hm. I'm not convinced.", "You're not hearing me."),
        acknowledge=("Fair enough.", "Alright, that makes sense.", "OK, I can see that."),
        listening=("I see.", "Go on.", "Interesting.", "OK."),
        small_talk=("Likewise.", "Thank you.", "Yes, yes."),
        not_ready="I'm not ready to decide anything yet.",
        no_need_known="Hold on, you don't even know what we need yet.",
        not_like_that="No, not like that.",
        not_my_concern="That's not really a question for us.",
        won="Alright, let's do it.",
        impatient="I'll be honest, we're running out of time here.",
        leaves="I'm sorry, I have to stop here. Send me an email.",
        unsure="I'm not sure about this.",
    ),
    "fr": CustomerLines(
        deflections=("Je préfère ne pas entrer là-dedans.", "Pourquoi me demandez-vous ça ?"),
        pushback=("Ça ne répond pas vraiment à ma question.", "Hum. Je ne suis pas convaincu.", "Vous ne m'écoutez pas."),
        acknowledge=("D'accord, c'est juste.", "Bon, ça se tient.", "OK, je vois."),
        listening=("Je vois.", "Continuez.", "Intéressant.", "D'accord."),
        small_talk=("De même.", "Merci.", "Oui, oui."),
        not_ready="Je ne suis pas prêt à décider quoi que ce soit.",
        no_need_known="Attendez, vous ne savez même pas ce dont nous avons besoin.",
        not_like_that="Non, pas comme ça.",
        not_my_concern="Ce n'est pas vraiment un sujet chez nous.",
        won="Bon, allons-y.",
        impatient="Je vais être franc, le temps file.",
        leaves="Désolé, je dois m'arrêter là. Envoyez-moi un e-mail.",
        unsure="Je ne suis pas sûr.",
    ),
}


def customer_lines(language: str) -> CustomerLines:
    return CUSTOMER.get(language, CUSTOMER["en"])


# -- what the app heard, after each of the trainee's turns ----------------------------------------
HEARD_QUESTION = "Heard: question \u201c{question}\u201d"
HEARD_QUESTION_AS_ANSWER = "Heard: question \u201c{question}\u201d, an answer by the technique {technique}"
HEARD_TECHNIQUE = "Heard: technique {technique}"
HEARD_TECHNIQUE_NO_OBJECTION = "Heard: technique {technique}, but no objection is open: taken as a pitch"
HEARD_CLOSE = "Heard: close, {closing}"
HEARD_CLOSE_UNKNOWN = "Heard: a close, but no closing method the playbook knows"
HEARD_SMALL_TALK = "Heard: small talk"
HEARD_NOTHING_QUESTION = "Heard: no question the playbook knows"
HEARD_NOTHING_ANSWER = "Heard: no answer technique the playbook knows"
HEARD_NOTHING_PITCH = "Heard: nothing the playbook knows; taken as a pitch"

# -- the coach -------------------------------------------------------------------------------------
STAGE = "Stage: {stage}"
HINT = "Hint (-{cost:g} points): {advice}"
HINT_OBJECTION = "Answer the {objection} objection with a technique such as {technique}."
HINT_NEED = "Ask about the need first, e.g. \u201c{question}\u201d"
HINT_NEED_DEFAULT = "What problem do you want to solve?"
HINT_MISSING = "You still need to know this before closing: \u201c{question}\u201d"
HINT_CLOSE = "Time to close. Try: \u201c{example}\u201d"
HINT_CLOSE_DEFAULT = "Shall we go ahead?"
BRIEF = "Brief: {brief}"
PATIENCE_LOST = "The customer ran out of patience."

# -- the scorecard ---------------------------------------------------------------------------------
UNCOVERED = "Uncovered: {question}"
NEVER_ASKED = "Never asked: {question}{why}"
SETTLED_AT_ONCE = "{objection}: settled at once with {technique}"
SETTLED_AFTER = "{objection}: settled after {attempts} tries; fitting first time: {accepted}"
LEFT_UNANSWERED = "{objection}: left unanswered; it called for {accepted}"
NEVER_REACHED = "{objection}: never reached (the meeting did not get that far)"
IN_SITUATION = "{objection} ({situation})"
PITCHED_EARLY = "Pitched before the need was known: ask and confirm the need first."
CLOSED_EARLY = "Tried to close too early ({why})."
CLOSED_EARLY_OPEN = "objections still open"
CLOSED_EARLY_MISSING = "not yet known: {missing}"
DISCIPLINE_BASE = "Discipline base"
DISCIPLINE_KEPT = "Qualified before pitching and closing"
CLOSED_WITH = "Closed with {closing}, a method that fits this customer"
NOT_CLOSED = "Not closed ({tried}); this customer responds to: {fits}"
NO_CLOSE_TRIED = "no close attempted"
UNKNOWN_CLOSE = "a close the playbook does not know"
HINTS_USED = "{count} hint used"
HINTS_USED_MANY = "{count} hints used"
OUT_OF_PATIENCE = ("The customer ended the meeting after {count} turns that did not help "
                   "(a {difficulty} customer gives {patience}); each question, answer or close the playbook knows wins some back")

# -- the drill -------------------------------------------------------------------------------------
DRILL_CATEGORY_RIGHT = "Yes: {objection}."
DRILL_CATEGORY_WRONG = "No ({said}): it is {objection}. {description}"
DRILL_CATEGORY_NOT = "not {objection}"
DRILL_NOT_RECOGNISED = "not recognised"
DRILL_PICK_NUMBER = "Pick a number from 1 to {count}, or type the words."
DRILL_RESPONSE_FITS = "Good: {technique} fits this objection ({objection})."
DRILL_RESPONSE_OTHER = "That answer belongs to another objection. Fitting techniques here: {fitting}."
DRILL_OWN_WORDS_FIT = "Good: that is {technique}, which fits."
DRILL_OWN_WORDS_MISS = "Not quite ({heard}). Fitting here: {fitting}."
DRILL_SOUNDS_LIKE = "that sounds like {technique}"
DRILL_NO_TECHNIQUE = "no technique recognised"
DRILL_TIME_UP = "Time is up ({seconds:g} s): this round counts as missed. It was {objection}."
DRILL_INTRO = "Drill: {rounds} objections (seed {seed}). Name the category, then pick or type a response. Ctrl+D stops."
DRILL_INTRO_TIMED = ("Drill: {rounds} objections (seed {seed}), {seconds:g} s each. Name the category, then pick or type "
                     "a response. Ctrl+D stops.")
DRILL_CATEGORIES = "Categories: {categories}"
DRILL_ROUND = "[{number}/{rounds}] Customer: \u201c{phrasing}\u201d"
DRILL_ASK_CATEGORY = "Which objection? "
DRILL_ASK_RESPONSE = "Your answer (a number, or your own words)? "
DRILL_SCORE = "score {score}/{most}, {seconds:.1f} s"
DRILL_DONE = "Done: {score}/{most} points over {played} objections, {average:.1f} s per objection{missed}."
DRILL_MISSED = ", {count} missed on time"

# -- progress (`playbook sessions list --roleplay`) ------------------------------------------------
TREND_TITLE = "{trainee}: share of points per area, role-play after role-play (%)"
TREND_LEGEND = "q qualification   o objections   d discipline   c closing"
TREND_LINE = "  {area:14} {first:>4.0f}% -> {last:>4.0f}%  ({change:+.0f})"
TREND_FEW = "{trainee}: one scored role-play so far; the trend shows from the second."
