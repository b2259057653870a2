"""The account PDF: A4, Dutch, comparison columns, trends, business case, page numbers, CONCEPT."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from finance.models import MonthlyAccount
from finance.pdf import account_pdf_html, add_months, render_account_pdf
from finance.services.accounts import account_close, accounts_compute_month
from tests.finance.conftest import TEST_REASON
from tests.finance.report_helpers import MONTH, pdf_text, two_team_month

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 6, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def accounts(team, other_team):
    two_team_month(team, other_team)
    for month in (add_months(MONTH, -2), add_months(MONTH, -1), MONTH):
        accounts_compute_month(month=month)
    return {a.team_id: a for a in MonthlyAccount.objects.filter(month=MONTH)}


def test_draft_pdf_says_concept_on_every_page_with_page_numbers(accounts, team):
    content = render_account_pdf(accounts[team.pk], now=NOW)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "CONCEPT" in page
        assert f"Pagina {number} van {len(pages)}" in page
    assert "Maandverantwoording Team Noord" in text
    for heading in (
        "Kerncijfers",
        "Regels van de verantwoording",
        "Businesscase en werkelijke formatie",
        "Ontwikkeling over 12 maanden",
        "Resultaat zonder subsidie",
    ):
        assert heading in text
    assert "Gemaakt op 1 april 2026 06:00" in text
    # this month beside the two before it (no account a year ago: no column for it)
    assert "maart 2026" in text and "februari 2026" in text and "januari 2026" in text
    assert "maart 2025" not in text


def test_closed_pdf_has_no_concept(accounts, team, controller):
    closed = account_close(actor=controller, account=accounts[team.pk], now=NOW, reason=TEST_REASON)
    text = pdf_text(render_account_pdf(closed, now=NOW))
    assert "CONCEPT" not in text
    assert "Gesloten op 1 april 2026" in text


def test_html_has_three_accessible_trend_charts_and_the_consolidated_title(accounts):
    html = account_pdf_html(accounts[None], now=NOW)
    assert html.count("<svg") == 3
    assert 'role="img"' in html
    for title in ("Cliënten in zorg", "Formatie (fte)", "Opbrengsten, kosten en resultaat"):
        assert f">{title}</title>" in html
    assert "Maandverantwoording Alle teams" in html
    assert "size: A4" in html
