"""The words shown for an account's codes (its funnel stage, its buying stage) in the interface's
language. The codes stay English in the database, the CSV files and the command line's options;
screens, the timeline and the segments show these words."""

from __future__ import annotations

from ..i18n import _, pgettext


def stage_name(stage: str) -> str:
    """'customer' -> 'customer' or 'client': a funnel stage as the rep reads it (an unknown code as it is)."""
    names = {
        "suspect": pgettext("funnel stage", "suspect"),
        "prospect": pgettext("funnel stage", "prospect"),
        "customer": pgettext("funnel stage", "customer"),
        "lost": pgettext("funnel stage", "lost"),
    }
    return names.get(stage, stage)


def buying_stage_name(stage: str) -> str:
    """'comparing_prices' -> 'comparing prices': where the customer is in their own buying cycle."""
    names = {
        "research": pgettext("buying stage", "research"),
        "gathering_information": pgettext("buying stage", "gathering information"),
        "comparing_prices": pgettext("buying stage", "comparing prices"),
        "qualifying_vendors": pgettext("buying stage", "qualifying vendors"),
        "setting_criteria": pgettext("buying stage", "setting criteria"),
        "budgeting": pgettext("buying stage", "budgeting"),
        "approving": pgettext("buying stage", "approving"),
        "ordering": pgettext("buying stage", "ordering"),
        "reviewing": pgettext("buying stage", "reviewing"),
        "trusting": pgettext("buying stage", "trusting"),
    }
    return names.get(stage, stage.replace("_", " "))


def status_name(status: str) -> str:
    """An objection left open by a meeting: 'open', 'unresolved' or 'parked', in words."""
    names = {"open": _("open"), "unresolved": _("unresolved"), "parked": _("parked")}
    return names.get(status, status)


def objection_name(playbook, objection: str) -> str:
    """An objection category's title in `playbook` (its id when the playbook has no such category)."""
    found = playbook.objection(objection) if playbook is not None else None
    return found.title if found is not None else objection
