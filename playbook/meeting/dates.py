"""Due dates as the rep types them ("Friday", "in two weeks", "31/01", "vendredi", "2026-12-01")
turned into real dates, in the playbook's language, with a clear refusal for impossible ones.

dateparser does the reading (relative words in many languages are a solved problem); it is
imported on first use, so starting a meeting never pays for it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from ..i18n import _, pgettext


def month_name(month: int) -> str:
    """A month's name in the interface's language (1 = January)."""
    return (pgettext("month", "January"), pgettext("month", "February"), pgettext("month", "March"), pgettext("month", "April"),
            pgettext("month", "May"), pgettext("month", "June"), pgettext("month", "July"), pgettext("month", "August"),
            pgettext("month", "September"), pgettext("month", "October"), pgettext("month", "November"),
            pgettext("month", "December"))[month - 1]


def _short_month(month: int) -> str:
    return (pgettext("short month", "Jan"), pgettext("short month", "Feb"), pgettext("short month", "Mar"),
            pgettext("short month", "Apr"), pgettext("short month", "May"), pgettext("short month", "Jun"),
            pgettext("short month", "Jul"), pgettext("short month", "Aug"), pgettext("short month", "Sep"),
            pgettext("short month", "Oct"), pgettext("short month", "Nov"), pgettext("short month", "Dec"))[month - 1]


def _short_weekday(weekday: int) -> str:
    return (pgettext("short weekday", "Mon"), pgettext("short weekday", "Tue"), pgettext("short weekday", "Wed"),
            pgettext("short weekday", "Thu"), pgettext("short weekday", "Fri"), pgettext("short weekday", "Sat"),
            pgettext("short weekday", "Sun"))[weekday]

_NUMERIC = re.compile(r"^\s*(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*(?:[/.\-]\s*(\d{2,4}))?\s*$")


class DateError(ValueError):
    """A due date that cannot be read, or that does not exist; the message says which, in words."""


def parse_due(text: str, language: str = "en", today: date | None = None) -> date:
    """The date `text` names, relative to `today`; future dates are preferred ("Friday" is the next one)."""
    text = " ".join(text.split())
    today = today or date.today()
    if not text:
        raise DateError(_("the date is empty"))
    impossible = _impossible(text, language)
    if impossible:
        raise DateError(_("'{text}' is not a date: {why}").format(text=text, why=impossible))
    import dateparser  # noqa: PLC0415 (on first use: it takes a while to import)

    languages = [language, "en"] if language != "en" else ["en"]
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY" if _day_first(language) else "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd text; all mean "not a date"
        parsed = None
    if parsed is None:
        raise DateError(_("'{text}' is not a date I can read (try 2026-12-01, Friday or 'in 2 weeks')").format(text=text))
    return parsed.date()


def _day_first(language: str) -> bool:
    return language != "en"  # English playbooks read 03/04 as March 4 only in the US; see README


def _impossible(text: str, language: str) -> str:
    """Why a numeric date such as 31/02/2026 does not exist, or "" when it may."""
    found = _NUMERIC.match(text)
    if not found:
        return ""
    first, second, year_text = found.groups()
    if len(first) == 4:  # ISO: year-month-day is not matched here (three parts, first is the year)
        return ""
    a, b = int(first), int(second)
    day, month = (a, b) if _day_first(language) or a > 12 else (b, a)
    if not 1 <= month <= 12:
        return _("there is no month {month}").format(month=month)
    year = int(year_text) if year_text else date.today().year
    if year_text and len(year_text) == 2:
        year += 2000
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return _("{month} {year} has {days} days").format(month=month_name(month), year=year, days=last)
    return ""


def shown(value: str) -> str:
    """An ISO due date as the rep reads it ("Fri 2 Jan 2026", "ven. 2 janv. 2026"); anything else as it was typed."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return _("{weekday} {day} {month} {year}").format(weekday=_short_weekday(day.weekday()), day=day.day,
                                                       month=_short_month(day.month), year=day.year)
