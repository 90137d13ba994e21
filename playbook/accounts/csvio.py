"""Accounts in and out of CSV: a CRM's export imported (one row per contact, or per company), and
every account with its people exported in the same shape.

Columns are matched by name, case and spacing aside, under the names CRMs use for them ("Company
Name", "Account Name", "Lifecycle Stage"...); unknown columns are ignored. Each bad row (no
company, an impossible date, a stage no CRM uses) is said as `file:line: message` and skipped;
the rest is imported in one transaction, so a failure of the database writes nothing at all.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..i18n import _
from ..model.accounts import BUYING_STAGES, DECISION_ROLES, EFFORT_LEVELS, name_key
from .book import AccountBook, AccountError, checked_amount, checked_choice, one_line

COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "account", "account name", "organization", "organisation", "organization name",
                "organisation name", "client", "customer", "entreprise", "société", "societe"),
    "contact": ("contact", "contact name", "full name", "name", "person", "nom"),
    "first_name": ("first name", "firstname", "given name", "prénom", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "role": ("role", "decision role", "buying role", "contact role", "role in the decision"),
    "title": ("title", "job title", "position", "function", "fonction"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "courriel"),
    "phone": ("phone", "phone number", "telephone", "téléphone", "mobile", "mobile phone", "work phone"),
    "stage": ("stage", "lifecycle stage", "lifecycle", "funnel stage", "lead status", "status", "type", "account type", "étape"),
    "value": ("value", "account value", "annual value", "deal value", "amount", "yearly value", "valeur"),
    "potential": ("potential", "potential value"),
    "need": ("need", "needs", "besoin"),
    "buying_stage": ("buying stage", "buying cycle stage", "buying cycle"),
    "effort": ("effort", "effort level"),
    "last_contact": ("last contact", "last contacted", "last activity", "last activity date", "last contact date"),
    "follow_up": ("follow up", "follow-up", "follow up date", "next follow up", "next step date", "next activity date", "due date"),
}
STAGE_WORDS: dict[str, str] = {
    **{w: "suspect" for w in ("suspect", "lead", "new", "subscriber", "cold", "open", "unqualified", "raw")},
    **{w: "prospect" for w in ("prospect", "opportunity", "qualified", "mql", "sql", "marketing qualified lead",
                               "sales qualified lead", "marketingqualifiedlead", "salesqualifiedlead", "in progress",
                               "working", "contacted", "warm", "hot")},
    **{w: "customer" for w in ("customer", "client", "won", "closed won", "evangelist", "active", "partner")},
    **{w: "lost" for w in ("lost", "closed lost", "churned", "former customer", "disqualified", "unqualified lead", "inactive")},
}
ROLE_WORDS: dict[str, str] = {
    **{w: "decision_maker" for w in ("decision maker", "decision-maker", "decisionmaker", "economic buyer", "signer", "approver")},
    **{w: "influencer" for w in ("influencer", "technical buyer", "evaluator", "advisor", "adviser")},
    **{w: "user" for w in ("user", "end user", "end-user")},
    **{w: "champion" for w in ("champion", "sponsor", "coach")},
    **{w: "blocker" for w in ("blocker", "detractor", "opponent")},
}
EXPORT_HEADER = ("id", "company", "stage", "buying_stage", "value", "potential", "need", "effort", "last_contact",
                 "contact", "role", "title", "email", "phone")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ImportReport:
    accounts_created: int = 0
    accounts_updated: int = 0
    contacts_added: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)  # "file:line: message", one per skipped row
    encoding: str = "utf-8"


def _header_key(text: str) -> str:
    return " ".join(str(text).replace("_", " ").strip().lower().split())


def map_columns(header: list[str]) -> dict[str, int]:
    """Which of our fields each column holds (the first column named for it wins)."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        for field_name, names in COLUMNS.items():
            if key in names and field_name not in found:
                found[field_name] = index
    return found


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    value = row[index] if index is not None and index < len(row) else ""
    value = " ".join(value.split())
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA:  # our own export's guard against formulas
        value = value[1:]
    return value


def read_date(text: str, language: str = "en") -> date:
    """An absolute date from a CRM export; AccountError saying why one is impossible."""
    iso = _ISO.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if not 1 <= month <= 12:
            raise AccountError(_("'{text}' is not a date: there is no month {month}").format(text=text, month=month))
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise AccountError(_("'{text}' is not a date: {month} {year} has {days} days").format(
                text=text, month=calendar.month_name[month], year=year, days=last))
        return date(year, month, day)
    from ..meeting.dates import DateError, parse_due

    try:
        return parse_due(text, language)
    except DateError as error:
        raise AccountError(str(error)) from None


@dataclass(frozen=True)
class _Row:
    line: int
    company: str
    contact: str
    role: str
    title: str
    email: str
    phone: str
    stage: str
    value: float | None
    potential: float | None
    need: str
    last_contact: float | None
    follow_up: str
    buying_stage: str = ""
    effort: str = ""


def _parse_row(row: list[str], columns: dict[str, int], line: int, language: str) -> _Row:
    company = one_line(_cell(row, columns, "company"), _("the company name"))
    if not name_key(company):
        raise AccountError(_("no company name"))
    contact = _cell(row, columns, "contact") or " ".join(
        p for p in (_cell(row, columns, "first_name"), _cell(row, columns, "last_name")) if p)
    role_text, title = _cell(row, columns, "role"), _cell(row, columns, "title")
    role = ROLE_WORDS.get(role_text.lower(), role_text.lower().replace(" ", "_") if role_text.lower().replace(" ", "_") in DECISION_ROLES else "")
    if role_text and not role:
        title = title or role_text  # a CRM's "role" is often a job title
    stage_text = _cell(row, columns, "stage")
    stage = ""
    if stage_text:
        stage = STAGE_WORDS.get(stage_text.lower().replace("_", " "), "")
        if not stage:
            raise AccountError(_("'{stage}' is not a funnel stage (suspect, prospect, customer, lost, or a CRM's name for one)").format(
                stage=stage_text))
    last_text, follow_text = _cell(row, columns, "last_contact"), _cell(row, columns, "follow_up")
    last = read_date(last_text, language) if last_text else None
    follow = read_date(follow_text, language) if follow_text else None
    return _Row(line, company, one_line(contact, _("the contact's name")), role, one_line(title, _("the job title")),
                one_line(_cell(row, columns, "email"), _("the e-mail")), one_line(_cell(row, columns, "phone"), _("the phone")),
                stage, checked_amount(_cell(row, columns, "value"), _("value")),
                checked_amount(_cell(row, columns, "potential"), _("potential")), one_line(_cell(row, columns, "need"), _("the need")),
                datetime(last.year, last.month, last.day, 12).timestamp() if last else None,
                follow.isoformat() if follow else "",
                checked_choice(_cell(row, columns, "buying_stage"), BUYING_STAGES, _("buying-cycle stage")),
                checked_choice(_cell(row, columns, "effort"), EFFORT_LEVELS, _("effort level")))


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-8 (with or without BOM), else Windows-1252 (what
    spreadsheets on Windows save)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def import_csv(book: AccountBook, path: Path, language: str = "en", shown: str | None = None) -> ImportReport:
    """Import a CRM export; OSError when it cannot be read, AccountError when it is not a CSV we
    can use (no header naming a company column)."""
    shown = shown or str(path)
    text, encoding = decode(path.read_bytes())
    report = ImportReport(encoding=encoding)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise AccountError(_("{file}: empty; a CSV with a header row is expected").format(file=shown)) from None
    except csv.Error as error:
        raise AccountError(f"{shown}:1: {error}") from None
    columns = map_columns(header)
    if "company" not in columns:
        raise AccountError(_("{file}:1: no company column (a header such as company, Company Name or Account Name)").format(file=shown))
    rows: list[_Row] = []
    line = reader.line_num + 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.problems.append(f"{shown}:{line}: {error}")
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in raw):
            continue
        report.rows += 1
        try:
            rows.append(_parse_row(raw, columns, start, language))
        except AccountError as error:
            report.problems.append(f"{shown}:{start}: {error}")
    _write(book, rows, report, shown)
    return report


def _write(book: AccountBook, rows: list[_Row], report: ImportReport, shown: str) -> None:
    tables = book.tables
    now = book.clock()
    with tables.transaction():
        for row in rows:
            key = name_key(row.company)
            account = tables.account_by_key(key)
            if account is None:
                account_id = tables.add_account(row.company, key, row.stage or "suspect", now, value=row.value,
                                                potential=row.potential, need=row.need, buying_stage=row.buying_stage,
                                                effort=row.effort)
                tables.change_stage(account_id, row.stage or "suspect", "", _("imported from {file}:{line}").format(
                    file=Path(shown).name, line=row.line), now)
                report.accounts_created += 1
                book.index.add(account_id, row.company)
                account = tables.account(account_id)
            else:
                changes = {k: v for k, v in (("value", row.value), ("potential", row.potential), ("need", row.need),
                                             ("buying_stage", row.buying_stage), ("effort", row.effort)) if v not in (None, "")}
                if row.stage and row.stage != account.stage:
                    tables.change_stage(account.id, row.stage, account.stage, _("imported from {file}:{line}").format(
                        file=Path(shown).name, line=row.line), now)
                if changes:
                    tables.update_account(account.id, now, **changes)
                if changes or (row.stage and row.stage != account.stage):
                    report.accounts_updated += 1
            assert account is not None
            if row.contact:
                known = {(_low(c.name), _low(c.email)) for c in tables.contacts(account.id)}
                if (_low(row.contact), _low(row.email)) not in known:
                    tables.add_contact(account.id, row.contact, now, row.role, row.title, row.email, row.phone)
                    report.contacts_added += 1
            if row.last_contact is not None:
                tables._db.execute("UPDATE accounts SET last_contact_at = max(coalesce(last_contact_at, 0), ?) WHERE id = ?",
                                   (row.last_contact, account.id))
            if row.follow_up:
                tables._db.execute("INSERT INTO interactions (account_id, at, kind, text, due) VALUES (?, ?, 'note', ?, ?)",
                                   (account.id, now, _("Follow-up imported from {file}").format(file=Path(shown).name), row.follow_up))


def _low(text: str) -> str:
    return text.casefold().strip()


def export_csv(book: AccountBook) -> str:
    """Every account with its people, one row per contact (an account without contacts has one row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for line in book.lines(order="name"):
        a = line.account
        last = datetime.fromtimestamp(a.last_contact_at).date().isoformat() if a.last_contact_at else ""
        base = [a.id, a.name, a.stage, a.buying_stage, _amount(a.value), _amount(a.potential), a.need, a.effort, last]
        contacts = book.tables.contacts(a.id) or [None]
        for c in contacts:
            people = [c.name, c.role, c.title, c.email, c.phone] if c else ["", "", "", "", ""]
            writer.writerow([_guarded(v) for v in base + people])
    return out.getvalue()


def _amount(value: float | None) -> str:
    return "" if value is None else (f"{value:.0f}" if value == int(value) else f"{value:.2f}")


def _guarded(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text
