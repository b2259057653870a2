"""The monthly account as a spreadsheet: the same figures as the PDF, numbers as numbers.

One sheet per account. The file of a team account holds that team's sheet; the file of the
consolidated account holds the consolidated sheet first, then one sheet per team of the month.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from finance.constants import AccountStatus
from finance.models import MonthlyAccount
from finance.pdf import FIGURES, line_sections
from finance.selectors.accounts import (
    account_series,
    account_totals,
    organisation_shares,
    zvw_prestaties,
)

EURO = '"€" #,##0.00;[Red]"€" -#,##0.00'
NUMBER = "#,##0.00"
COUNT = "0"
MONTH = "mmm yyyy"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(account: MonthlyAccount, used: set[str]) -> str:
    name = account.team.name if account.team_id else _("Alle teams")  # type: ignore[union-attr]
    title = _SHEET_NAME_FORBIDDEN.sub("-", name)[:31]
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _number_format(kind: str) -> str:
    return {"money": EURO, "count": COUNT}.get(kind, NUMBER)


def _write_sheet(sheet: Any, account: MonthlyAccount, now: dt.datetime) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    name = account.team.name if account.team_id else _("Alle teams")  # type: ignore[union-attr]
    sheet.append([_("Maandverantwoording %(t)s") % {"t": name}, account.month])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["B1"].number_format = MONTH
    if account.status == AccountStatus.DRAFT:
        sheet.append(["CONCEPT", _("Deze maand is nog open; de cijfers kunnen nog veranderen.")])
        sheet["A2"].font = Font(bold=True, color="B91C1C", size=14)
    else:
        sheet.append([_("Gesloten op"), timezone.localtime(account.closed_at).replace(tzinfo=None)])  # type: ignore[arg-type]
    sheet.append([_("Gemaakt op"), timezone.localtime(now).replace(tzinfo=None)])
    sheet.append([])
    _write_lines(sheet, account, bold)
    totals = account_totals(account)
    sheet.append([])
    sheet.append([_("Totalen")])
    sheet.cell(sheet.max_row, 1).font = bold
    for attribute, label, kind in FIGURES:
        sheet.append([str(label), getattr(totals, attribute)])
        sheet.cell(sheet.max_row, 2).number_format = _number_format(kind)
    sheet.append([])
    sheet.append([_("Opbrengsten en kosten per moederorganisatie")])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([_("Organisatie"), _("Opbrengsten"), _("Kosten"), _("Resultaat")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for share in organisation_shares(account):
        sheet.append([share.name, share.revenue, share.costs, share.result])
        for money_column in (2, 3, 4):
            sheet.cell(sheet.max_row, money_column).number_format = EURO
    _write_prestaties(sheet, account, bold)
    _write_series(sheet, account_series(team=account.team, end_month=account.month), bold)
    for column, width in zip("ABCDEFGHIJKLMN", (34, 16, 14, 14, 16, 16, 16, 16), strict=False):
        sheet.column_dimensions[column].width = width


def _write_prestaties(sheet: Any, account: MonthlyAccount, bold: Any) -> None:
    prestaties = zvw_prestaties(account)
    if not prestaties:
        return
    sheet.append([])
    sheet.append([_("Zvw-prestaties (zorgprestatiemodel)")])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([_("Prestatie"), _("Aantal"), _("Bedrag"), _("Code")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for prestatie in prestaties:
        sheet.append([prestatie.label, prestatie.count, prestatie.amount, prestatie.code])
        sheet.cell(sheet.max_row, 2).number_format = NUMBER
        sheet.cell(sheet.max_row, 3).number_format = EURO


def _write_lines(sheet: Any, account: MonthlyAccount, bold: Any) -> None:
    sheet.append(
        [
            _("Onderdeel"),
            _("Omschrijving"),
            _("Aantal"),
            _("Eenheid"),
            _("Bedrag"),
            _("Corrigeert maand"),
            _("Reden"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for section in line_sections(account):
        for line in section["lines"]:
            sheet.append(
                [
                    str(section["label"]),
                    line.label,
                    line.quantity,
                    line.unit,
                    line.amount if section["is_money"] else None,
                    line.adjusts_month,
                    line.reason,
                ]
            )
            row = sheet.max_row
            sheet.cell(row, 3).number_format = NUMBER
            sheet.cell(row, 5).number_format = EURO
            sheet.cell(row, 6).number_format = MONTH
        if section["is_money"]:
            sheet.append(
                [
                    str(section["label"]),
                    _("Totaal %(s)s") % {"s": str(section["label"]).lower()},
                    None,
                    None,
                    section["total"],
                ]
            )
            sheet.cell(sheet.max_row, 2).font = bold
            sheet.cell(sheet.max_row, 5).font = bold
            sheet.cell(sheet.max_row, 5).number_format = EURO


def _write_series(sheet: Any, series: list, bold: Any) -> None:
    sheet.append([])
    sheet.append([_("Ontwikkeling over %(n)s maanden") % {"n": len(series)}])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([_("Maand"), *[str(label) for _a, label, _k in FIGURES]])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for month, totals in series:
        values = [None if totals is None else getattr(totals, a) for a, _l, _k in FIGURES]
        sheet.append([month, *values])
        row = sheet.max_row
        sheet.cell(row, 1).number_format = MONTH
        for offset, (_a, _l, kind) in enumerate(FIGURES, start=2):
            sheet.cell(row, offset).number_format = _number_format(kind)


def accounts_for_workbook(account: MonthlyAccount) -> list[MonthlyAccount]:
    if account.team_id:
        return [account]
    teams = MonthlyAccount.objects.filter(month=account.month, team__isnull=False)
    return [account, *teams.select_related("team").order_by("team__name")]


def render_account_xlsx(account: MonthlyAccount, *, now: dt.datetime | None = None) -> bytes:
    """The workbook of one account (the consolidated one with every team's sheet after it)."""
    from openpyxl import Workbook

    moment = now or timezone.now()
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for item in accounts_for_workbook(account):
        sheet = workbook.create_sheet(sheet_title(item, used))
        _write_sheet(sheet, item, moment)
    workbook.properties.title = _("Maandverantwoording %(m)s") % {
        "m": formats.date_format(account.month, "YEAR_MONTH_FORMAT")
    }
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
