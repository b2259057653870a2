"""Import of historical monthly accounts (CSV as the teams printed them before this product).

Every row is stored exactly as given; nothing is corrected. Rows that do not add up are
flagged: a result that is not revenue minus expenses, a "Totaal" row that is not the sum of
that month's teams, a team name we do not know. A file we cannot read as a whole (a bad
month, a non-number, a duplicate month and team) is refused with line-numbered errors and
nothing is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.constants import IMPORT_ROUNDING_TOLERANCE
from finance.models import HistoricalAccount, HistoricalImport
from finance.services.reports import can_use_reports
from olteams.models import Team, User

COLUMNS = (
    "month",
    "team",
    "clients",
    "fte",
    "revenue_eur",
    "expenses_eur",
    "result_excl_subsidy_eur",
    "result_incl_subsidy_eur",
)
TOTAL_NAMES = {"totaal", "total", "alle teams"}
FTE_TOLERANCE = Decimal("0.1")
MAX_ERRORS = 50
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONEY_FIELDS = ("revenue", "expenses", "result_excl_subsidy", "result_incl_subsidy")


@dataclass
class ParsedRow:
    line_number: int
    month: dt.date
    team_name: str
    clients: int
    fte: Decimal
    revenue: Decimal
    expenses: Decimal
    result_excl_subsidy: Decimal
    result_incl_subsidy: Decimal
    flags: list[dict[str, str]] = field(default_factory=list)

    @property
    def is_total(self) -> bool:
        return self.team_name.strip().lower() in TOTAL_NAMES


def _euro(value: Decimal) -> str:
    return f"€ {value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _month(text: str) -> dt.date:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValueError(_("maand '%(v)s' is geen maand in de vorm JJJJ-MM") % {"v": text})
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _decimal(text: str, label: str, *, places: int, digits: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(_("%(f)s '%(v)s' is geen getal") % {"f": label, "v": text}) from None
    if not value.is_finite():
        raise ValueError(_("%(f)s '%(v)s' is geen getal") % {"f": label, "v": text})
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(
            _("%(f)s '%(v)s' heeft meer dan %(n)s decimalen") % {"f": label, "v": text, "n": places}
        )
    if abs(value) >= Decimal(10) ** (digits - places):
        raise ValueError(_("%(f)s '%(v)s' is te groot") % {"f": label, "v": text})
    return value


def _integer(text: str, label: str) -> int:
    if not re.fullmatch(r"-?\d+", text.strip()):
        raise ValueError(_("%(f)s '%(v)s' is geen geheel getal") % {"f": label, "v": text})
    return int(text.strip())


def _parse_row(number: int, values: list[str]) -> ParsedRow:
    """One data row, or ValueError with every problem of the row (in Dutch)."""
    if len(values) != len(COLUMNS):
        raise ValueError(
            _("%(n)s kolommen in plaats van %(c)s") % {"n": len(values), "c": len(COLUMNS)}
        )
    raw = dict(zip(COLUMNS, values, strict=True))
    problems: list[str] = []
    parsed: dict[str, Any] = {}
    parsers = {
        "month": lambda v: _month(v),
        "clients": lambda v: _integer(v, _("cliënten")),
        "fte": lambda v: _decimal(v, _("fte"), places=2, digits=8),
        "revenue": lambda v: _decimal(v, _("opbrengsten"), places=2, digits=14),
        "expenses": lambda v: _decimal(v, _("kosten"), places=2, digits=14),
        "result_excl_subsidy": lambda v: _decimal(
            v, _("resultaat zonder subsidie"), places=2, digits=14
        ),
        "result_incl_subsidy": lambda v: _decimal(
            v, _("resultaat met subsidie"), places=2, digits=14
        ),
    }
    source = {"month": "month", "clients": "clients", "fte": "fte"} | {
        f: f"{f}_eur" for f in _MONEY_FIELDS
    }
    for name, parse in parsers.items():
        try:
            parsed[name] = parse(raw[source[name]])
        except ValueError as exc:
            problems.append(str(exc))
    team_name = raw["team"].strip()
    if not team_name:
        problems.append(_("team ontbreekt"))
    elif len(team_name) > 100:
        problems.append(_("teamnaam is langer dan 100 tekens"))
    if problems:
        raise ValueError("; ".join(problems))
    return ParsedRow(line_number=number, team_name=team_name, **parsed)


def history_parse(content: bytes) -> list[ParsedRow]:
    """All rows of the file, or a ValidationError listing every bad line (nothing is kept)."""
    text = _text(content)
    reader = csv.reader(io.StringIO(text))
    try:
        rows, errors = _read_rows(reader)
    except csv.Error:
        raise ValidationError(
            _("Regel %(n)s: het bestand is geen leesbaar CSV-bestand.") % {"n": reader.line_num}
        ) from None
    if not rows and not errors:
        errors.append(_("Het bestand bevat geen regels."))
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return rows


def _text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationError(_("Het bestand is geen tekstbestand (CSV in UTF-8)."))


def _read_rows(reader: Any) -> tuple[list[ParsedRow], list[str]]:
    header = [h.strip().lower() for h in next(reader, [])]
    if header != list(COLUMNS):
        raise ValidationError(
            _("Regel 1: de kolommen moeten zijn: %(c)s.") % {"c": ",".join(COLUMNS)}
        )
    rows: list[ParsedRow] = []
    errors: list[str] = []
    seen: dict[tuple[dt.date, str], int] = {}
    for values in reader:
        number = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        try:
            row = _parse_row(number, values)
        except ValueError as exc:
            errors.append(_("Regel %(n)s: %(e)s.") % {"n": number, "e": exc})
            continue
        key = (row.month, row.team_name.lower())
        if key in seen:
            errors.append(
                _("Regel %(n)s: %(t)s in %(m)s staat ook op regel %(o)s.")
                % {"n": number, "t": row.team_name, "m": f"{row.month:%Y-%m}", "o": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(row)
    return rows, errors


def _flag(row: ParsedRow, code: str, message: str) -> None:
    row.flags.append({"code": code, "message": message})


def _check_result(row: ParsedRow) -> None:
    expected = row.revenue - row.expenses
    if abs(row.result_excl_subsidy - expected) > IMPORT_ROUNDING_TOLERANCE:
        _flag(
            row,
            "resultaat",
            _(
                "Resultaat zonder subsidie (%(r)s) is niet opbrengsten min kosten (%(e)s); "
                "verschil %(d)s."
            )
            % {
                "r": _euro(row.result_excl_subsidy),
                "e": _euro(expected),
                "d": _euro(row.result_excl_subsidy - expected),
            },
        )


TOTAL_CHECKS: tuple[tuple[str, Any, Decimal], ...] = (
    ("clients", gettext_lazy("cliënten"), Decimal("0")),
    ("fte", gettext_lazy("fte"), FTE_TOLERANCE),
    ("revenue", gettext_lazy("opbrengsten"), IMPORT_ROUNDING_TOLERANCE),
    ("expenses", gettext_lazy("kosten"), IMPORT_ROUNDING_TOLERANCE),
    ("result_excl_subsidy", gettext_lazy("resultaat zonder subsidie"), IMPORT_ROUNDING_TOLERANCE),
    ("result_incl_subsidy", gettext_lazy("resultaat met subsidie"), IMPORT_ROUNDING_TOLERANCE),
)


def _check_total(total: ParsedRow, teams: list[ParsedRow]) -> None:
    for name, label, tolerance in TOTAL_CHECKS:
        given = getattr(total, name)
        summed = sum((getattr(r, name) for r in teams), Decimal("0"))
        if abs(given - summed) > tolerance:
            shown = (
                (_euro(given), _euro(summed))
                if tolerance == IMPORT_ROUNDING_TOLERANCE
                else (str(given).replace(".", ","), str(summed).replace(".", ","))
            )
            _flag(
                total,
                f"totaal_{name}",
                _("Totaal %(f)s (%(g)s) is niet de som van de teams (%(s)s).")
                % {"f": label, "g": shown[0], "s": shown[1]},
            )


def history_check(rows: list[ParsedRow], teams_by_name: dict[str, Team]) -> None:
    """Flag every row that does not add up (the rows themselves are never changed)."""
    by_month: dict[dt.date, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        _check_result(row)
        if not row.is_total:
            by_month[row.month].append(row)
            if row.team_name.lower() not in teams_by_name:
                _flag(
                    row,
                    "onbekend_team",
                    _("Team '%(t)s' is niet bekend; de regel is bewaard zonder team.")
                    % {"t": row.team_name},
                )
    for row in rows:
        if row.is_total:
            _check_total(row, by_month.get(row.month, []))


def can_import_history(user: Any) -> bool:
    return can_use_reports(user)


def history_import(*, actor: User, filename: str, content: bytes) -> HistoricalImport:
    """Store a CSV of historical accounts exactly as given, each row with its findings."""
    if not can_import_history(actor):
        raise PermissionDenied
    rows = history_parse(content)
    teams_by_name = {t.name.lower(): t for t in Team.objects.all()}
    history_check(rows, teams_by_name)
    with transaction.atomic():
        source = HistoricalImport.objects.create(filename=filename[:200], uploaded_by=actor)
        HistoricalAccount.objects.bulk_create(
            HistoricalAccount(
                source=source,
                line_number=row.line_number,
                month=row.month,
                team_name=row.team_name,
                team=None if row.is_total else teams_by_name.get(row.team_name.lower()),
                is_total=row.is_total,
                clients=row.clients,
                fte=row.fte,
                revenue=row.revenue,
                expenses=row.expenses,
                result_excl_subsidy=row.result_excl_subsidy,
                result_incl_subsidy=row.result_incl_subsidy,
                flags=row.flags,
            )
            for row in rows
        )
    return source


def history_import_list(*, user: User) -> Any:
    if not can_import_history(user):
        raise PermissionDenied
    return HistoricalImport.objects.select_related("uploaded_by").annotate(row_count=Count("rows"))


def history_import_get(*, user: User, import_id: int) -> HistoricalImport:
    if not can_import_history(user):
        raise PermissionDenied
    return HistoricalImport.objects.select_related("uploaded_by").get(pk=import_id)
