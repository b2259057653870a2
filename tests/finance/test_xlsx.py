"""The account spreadsheet: one sheet per account, totals equal to the computed totals."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from finance.models import MonthlyAccount
from finance.selectors.accounts import account_totals
from finance.services.accounts import account_close, accounts_compute_month
from finance.xlsx import render_account_xlsx
from tests.finance.conftest import TEST_REASON
from tests.finance.report_helpers import MONTH, two_team_month

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 6, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TOTAL_LABELS = {
    "Opbrengsten": "revenue",
    "Kosten": "costs",
    "Resultaat zonder subsidie": "result_excl_subsidy",
    "Subsidie": "subsidy",
    "Resultaat met subsidie": "result_incl_subsidy",
    "Cliënten in zorg (einde maand)": "clients_month_end",
    "Formatie (fte)": "fte",
}


@pytest.fixture
def accounts(team, other_team):
    two_team_month(team, other_team)
    accounts_compute_month(month=MONTH)
    return {a.team_id: a for a in MonthlyAccount.objects.filter(month=MONTH)}


def _totals_block(sheet) -> dict[str, object]:  # type: ignore[no-untyped-def]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Totalen")
    block = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        block[row[0]] = row[1]
    return block


def test_consolidated_workbook_has_a_sheet_per_account_and_the_computed_totals(accounts):
    book = load_workbook(io.BytesIO(render_account_xlsx(accounts[None], now=NOW)))
    assert book.sheetnames == ["Alle teams", "Team Noord", "Team Zuid"]
    for account in accounts.values():
        name = account.team.name if account.team else "Alle teams"
        block = _totals_block(book[name])
        totals = account_totals(account)
        for label, attribute in TOTAL_LABELS.items():
            assert Decimal(str(block[label])) == Decimal(getattr(totals, attribute)), label
    sheet = book["Alle teams"]
    assert sheet["A2"].value == "CONCEPT"
    assert totals.revenue > 0  # the figures are not all zero
    euro_cells = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and "€" in c.number_format
    ]
    assert euro_cells, "amounts are numbers with a euro format"


def test_team_workbook_has_the_lines_and_a_12_month_series(accounts, team):
    book = load_workbook(io.BytesIO(render_account_xlsx(accounts[team.pk], now=NOW)))
    assert book.sheetnames == ["Team Noord"]
    rows = list(book["Team Noord"].iter_rows(values_only=True))
    header = [row[:7] for row in rows].index(
        ("Onderdeel", "Omschrijving", "Aantal", "Eenheid", "Bedrag", "Corrigeert maand", "Reden")
    )
    assert rows[header + 1][0] == "Productie"
    start = next(i for i, row in enumerate(rows) if row[0] == "Ontwikkeling over 12 maanden")
    months = [row[0].date() for row in rows[start + 2 : start + 14]]
    assert months == [dt.date(2025, m, 1) for m in range(4, 13)] + [
        dt.date(2026, m, 1) for m in (1, 2, 3)
    ]
    assert len(rows) == start + 14  # twelve months, no more


def test_closed_account_has_no_concept_marker(accounts, team, controller):
    closed = account_close(actor=controller, account=accounts[team.pk], now=NOW, reason=TEST_REASON)
    sheet = load_workbook(io.BytesIO(render_account_xlsx(closed, now=NOW)))["Team Noord"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "CONCEPT" not in values
    assert sheet["A2"].value == "Gesloten op"


def test_workbook_and_pdf_show_revenue_and_costs_per_organisation(accounts, team):
    from finance.pdf import account_pdf_html
    from finance.selectors import organisation_shares

    account = accounts[team.pk]
    shares = organisation_shares(account)
    assert shares
    sheet = load_workbook(io.BytesIO(render_account_xlsx(account, now=NOW))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(
        i for i, r in enumerate(rows) if r[0] == "Opbrengsten en kosten per moederorganisatie"
    )
    assert rows[start + 1][:4] == ("Organisatie", "Opbrengsten", "Kosten", "Resultaat")
    block = rows[start + 2 : start + 2 + len(shares)]
    assert [r[0] for r in block] == [s.name for s in shares]
    totals = account_totals(account)
    assert sum(Decimal(str(r[1])) for r in block) == totals.revenue
    assert sum(Decimal(str(r[2])) for r in block) == totals.costs
    html = account_pdf_html(account, now=NOW)
    assert "Opbrengsten en kosten per moederorganisatie" in html


def test_workbook_and_pdf_show_the_zvw_prestaties(accounts, team):
    from finance.pdf import account_pdf_html
    from finance.selectors import zvw_prestaties

    account = accounts[team.pk]
    prestaties = zvw_prestaties(account)
    assert prestaties
    sheet = load_workbook(io.BytesIO(render_account_xlsx(account, now=NOW))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Zvw-prestaties (zorgprestatiemodel)")
    assert rows[start + 1][:4] == ("Prestatie", "Aantal", "Bedrag", "Code")
    block = rows[start + 2 : start + 2 + len(prestaties)]
    assert [(r[0], r[3]) for r in block] == [(p.label, p.code) for p in prestaties]
    assert (
        sum(Decimal(str(r[2])) for r in block) == account_totals(account).revenue_by_stream["zvw"]
    )
    html = account_pdf_html(account, now=NOW)
    assert "Zvw-prestaties (zorgprestatiemodel)" in html
    assert prestaties[0].label in html
