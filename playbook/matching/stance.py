"""The speaker's stance, from a handful of cue words: is the line pushing back, or asking and agreeing?

Ordinary meeting talk reuses every word objections use ("does the price include support", "my
boss wants to see it"): what tells an objection apart is often not its topic but its stance. An
objection negates, doubts or limits ("not", "too", "only", "worried", "but"); a question about the
offer or a buying signal asks or welcomes. These cues are features of the objection gate
(gate.py), never a decision on their own. The words are compared after textnorm's normalisation
(lower case, accents folded, contractions expanded), in the languages the matcher knows.
"""

from __future__ import annotations

from typing import Sequence

NEGATIONS = frozenset(
    """
    not no never nobody nothing none nor without nah nope neither
    pas jamais rien personne aucun aucune sans ni plus non
    """.split()
)
DOUBTS = frozenset(
    """
    too but only already unless though although afraid worried worry worries concern concerned
    scared nervous risky doubt doubts unsure sceptical skeptical hard difficult painful nightmare
    waste forget hmm meh honestly frankly rather instead anyway
    silly steep pricey ridiculous crazy insane robbery brutal headache scary dealbreaker daunting
    trop mais seulement deja sauf pourtant peur inquiet inquiete inquiets crainte doute doutes
    dur difficile galere cauchemar bof franchement plutot quand meme
    cher chere chers cheres abuse delire folie
    """.split()
)
WELCOMES = frozenset(
    """
    love loved loves great keen like liked likes nice good fair perfect happy excited cool brilliant
    impressed impressive glad enjoyed appreciate appreciated excellent thanks thank yes sure
    absolutely definitely sounds
    super genial top bien parfait ravi ravie content contente merci oui volontiers bravo chouette
    aime aimons adore apprecie plu
    """.split()
)
QUESTION_OPENERS = frozenset(
    """
    does do is are can could how what when where which who will would should shall may
    est comment quand ou quel quelle quels quelles combien peut pouvez peux puis faut existe
    """.split()
)
LONG = 20  # words: a line this long or longer counts as long


def cues(text: str, surface: Sequence[str]) -> tuple[float, float, float, float, float]:
    """(negates, doubts, welcomes, asks, length) for a line and its normalised words; each 0 or 1
    except length, the share of LONG words the line has."""
    present = set(surface)
    asks = text.rstrip().endswith("?") or (bool(surface) and surface[0] in QUESTION_OPENERS)
    return (
        float(bool(present & NEGATIONS)),
        float(bool(present & DOUBTS)),
        float(bool(present & WELCOMES)),
        float(asks),
        min(len(surface), LONG) / LONG,
    )
