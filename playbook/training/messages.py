"""Every sentence the role-play and the drill show, in one place.

Two kinds. What the simulated customer says when the scenario has no line of its own is part
of the role-play's content, so it follows the playbook's language (`CUSTOMER`, by language
code). What the coach and the scorecard say is the interface: English templates here, named
by what they mean and marked for the message catalogue; `messages.NAME` reads the template in
the interface's language (see playbook.i18n). Templates use `str.format` fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _, ngettext


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


_TEMPLATES = {
    # -- what the app heard, after each of the trainee's turns ----------------------------------------
    "HEARD_QUESTION": N_("Heard: question \u201c{question}\u201d"),
    "HEARD_QUESTION_AS_ANSWER": N_("Heard: question \u201c{question}\u201d, an answer by the technique {technique}"),
    "HEARD_TECHNIQUE": N_("Heard: technique {technique}"),
    "HEARD_TECHNIQUE_NO_OBJECTION": N_("Heard: technique {technique}, but no objection is open: taken as a pitch"),
    "HEARD_CLOSE": N_("Heard: close, {closing}"),
    "HEARD_CLOSE_UNKNOWN": N_("Heard: a close, but no closing method the playbook knows"),
    "HEARD_SMALL_TALK": N_("Heard: small talk"),
    "HEARD_NOTHING_QUESTION": N_("Heard: no question the playbook knows"),
    "HEARD_NOTHING_ANSWER": N_("Heard: no answer technique the playbook knows"),
    "HEARD_NOTHING_PITCH": N_("Heard: nothing the playbook knows; taken as a pitch"),

    # -- the coach -------------------------------------------------------------------------------------
    "STAGE": N_("Stage: {stage}"),
    "HINT": N_("Hint (-{cost:g} points): {advice}"),
    "HINT_OBJECTION": N_("Answer the {objection} objection with a technique such as {technique}."),
    "HINT_NEED": N_("Ask about the need first, e.g. \u201c{question}\u201d"),
    "HINT_NEED_DEFAULT": N_("What problem do you want to solve?"),
    "HINT_MISSING": N_("You still need to know this before closing: \u201c{question}\u201d"),
    "HINT_CLOSE": N_("Time to close. Try: \u201c{example}\u201d"),
    "HINT_CLOSE_DEFAULT": N_("Shall we go ahead?"),
    "BRIEF": N_("Brief: {brief}"),
    "PATIENCE_LOST": N_("The customer ran out of patience."),

    # -- the scorecard ---------------------------------------------------------------------------------
    "UNCOVERED": N_("Uncovered: {question}"),
    "NEVER_ASKED": N_("Never asked: {question}{why}"),
    "SETTLED_AT_ONCE": N_("{objection}: settled at once with {technique}"),
    "SETTLED_AFTER": N_("{objection}: settled after {attempts} tries; fitting first time: {accepted}"),
    "LEFT_UNANSWERED": N_("{objection}: left unanswered; it called for {accepted}"),
    "NEVER_REACHED": N_("{objection}: never reached (the meeting did not get that far)"),
    "IN_SITUATION": N_("{objection} ({situation})"),
    "PITCHED_EARLY": N_("Pitched before the need was known: ask and confirm the need first."),
    "CLOSED_EARLY": N_("Tried to close too early ({why})."),
    "CLOSED_EARLY_OPEN": N_("objections still open"),
    "CLOSED_EARLY_MISSING": N_("not yet known: {missing}"),
    "DISCIPLINE_BASE": N_("Discipline base"),
    "DISCIPLINE_KEPT": N_("Qualified before pitching and closing"),
    "CLOSED_WITH": N_("Closed with {closing}, a method that fits this customer"),
    "NOT_CLOSED": N_("Not closed ({tried}); this customer responds to: {fits}"),
    "NO_CLOSE_TRIED": N_("no close attempted"),
    "UNKNOWN_CLOSE": N_("a close the playbook does not know"),
    "OUT_OF_PATIENCE": N_("The customer ended the meeting after {count} turns that did not help "
                       "(a {difficulty} customer gives {patience}); each question, answer or close the playbook knows wins some back"),

    # -- the drill -------------------------------------------------------------------------------------
    "DRILL_CATEGORY_RIGHT": N_("Yes: {objection}."),
    "DRILL_CATEGORY_WRONG": N_("No ({said}): it is {objection}. {description}"),
    "DRILL_CATEGORY_NOT": N_("not {objection}"),
    "DRILL_NOT_RECOGNISED": N_("not recognised"),
    "DRILL_PICK_NUMBER": N_("Pick a number from 1 to {count}, or type the words."),
    "DRILL_RESPONSE_FITS": N_("Good: {technique} fits this objection ({objection})."),
    "DRILL_RESPONSE_OTHER": N_("That answer belongs to another objection. Fitting techniques here: {fitting}."),
    "DRILL_OWN_WORDS_FIT": N_("Good: that is {technique}, which fits."),
    "DRILL_OWN_WORDS_MISS": N_("Not quite ({heard}). Fitting here: {fitting}."),
    "DRILL_SOUNDS_LIKE": N_("that sounds like {technique}"),
    "DRILL_NO_TECHNIQUE": N_("no technique recognised"),
    "DRILL_TIME_UP": N_("Time is up ({seconds:g} s): this round counts as missed. It was {objection}."),
    "DRILL_INTRO": N_("Drill: {rounds} objections (seed {seed}). Name the category, then pick or type a response. Ctrl+D stops."),
    "DRILL_INTRO_TIMED": N_("Drill: {rounds} objections (seed {seed}), {seconds:g} s each. Name the category, then pick or type "
                         "a response. Ctrl+D stops."),
    "DRILL_CATEGORIES": N_("Categories: {categories}"),
    "DRILL_ROUND": N_("[{number}/{rounds}] Customer: \u201c{phrasing}\u201d"),
    "DRILL_ASK_CATEGORY": N_("Which objection? "),
    "DRILL_ASK_RESPONSE": N_("Your answer (a number, or your own words)? "),
    "DRILL_SCORE": N_("score {score}/{most}, {seconds:.1f} s"),
    "DRILL_DONE": N_("Done: {score}/{most} points over {played} objections, {average:.1f} s per objection{missed}."),
    "DRILL_MISSED": N_(", {count} missed on time"),

    # -- progress (`playbook sessions list --roleplay`) ------------------------------------------------
    "TREND_TITLE": N_("{trainee}: share of points per area, role-play after role-play (%)"),
    "TREND_LEGEND": N_("q qualification   o objections   d discipline   c closing"),
    "TREND_LINE": N_("  {area:14} {first:>4.0f}% -> {last:>4.0f}%  ({change:+.0f})"),
    "TREND_FEW": N_("{trainee}: one scored role-play so far; the trend shows from the second."),
}


# Words stored in English (scorecards, events) and shown in the interface's language.
AREA_WORDS = {"qualification": N_("qualification"), "objections": N_("objections"), "discipline": N_("discipline"),
              "closing": N_("closing"), "hints": N_("hints")}
SPEAKER_WORDS = {"customer": N_("customer"), "trainee": N_("trainee"), "coach": N_("coach")}
CARD_OUTCOME_WORDS = {"won": N_("won"), "not won": N_("not won")}
DIFFICULTY_WORDS = {"easy": N_("easy"), "medium": N_("medium"), "hard": N_("hard")}


def word(words: dict[str, str], key: str) -> str:
    """A stored English word in the interface's language (an unknown one as it is)."""
    return _(words[key]) if key in words else key


def hints_used(count: int) -> str:
    return ngettext("{count} hint used", "{count} hints used", count).format(count=count)


def __getattr__(name: str) -> str:
    """`messages.HINT` is the template in the interface's language at the moment it is read (the
    language is set once a playbook is loaded, long after this module is imported)."""
    if name in _TEMPLATES:
        return _(_TEMPLATES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
