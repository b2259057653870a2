"""The monthly account as a PDF (A4, Dutch), rendered with a lazily imported WeasyPrint.

The figures of the month stand beside the two months before and the same month a year
earlier; 12-month trends are drawn by ``olteams.charts`` (the renderer of the dashboard).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.constants import AccountStatus, LineSection
from finance.models import AccountLine, MonthlyAccount
from finance.selectors.accounts import (
    account_series,
    account_totals,
    business_case_vs_actual,
    organisation_shares,
    zvw_prestaties,
)
from olteams.charts import Chart, Series, line_chart

# (AccountTotals attribute, label, kind) in the order of the report
FIGURES: tuple[tuple[str, Any, str], ...] = (
    ("clients_month_end", gettext_lazy("Cliënten in zorg (einde maand)"), "count"),
    ("clients_average", gettext_lazy("Cliënten in zorg (gemiddeld)"), "number"),
    ("inflow", gettext_lazy("Instroom"), "count"),
    ("outflow", gettext_lazy("Uitstroom"), "count"),
    ("fte", gettext_lazy("Formatie (fte)"), "number"),
    ("direct_hours", gettext_lazy("Directe uren"), "number"),
    ("indirect_hours", gettext_lazy("Indirecte uren"), "number"),
    ("unpaid_hours", gettext_lazy("Onbetaalde uren"), "number"),
    ("revenue", gettext_lazy("Opbrengsten"), "money"),
    ("costs", gettext_lazy("Kosten"), "money"),
    ("result_excl_subsidy", gettext_lazy("Resultaat zonder subsidie"), "money"),
    ("subsidy", gettext_lazy("Subsidie"), "money"),
    ("result_incl_subsidy", gettext_lazy("Resultaat met subsidie"), "money"),
)
SECTION_ORDER = (
    LineSection.PRODUCTION,
    LineSection.REVENUE,
    LineSection.COST,
    LineSection.SUBSIDY,
)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


@dataclass
class FigureRow:
    label: str
    kind: str
    values: list[Any]  # one per comparison column; None where the month has no account


def _value(totals: Any, attribute: str) -> Any:
    return None if totals is None else getattr(totals, attribute)


def comparison(account: MonthlyAccount, totals: Any, series: list) -> tuple[list, list]:
    """Columns (this month, the two before, the same month last year) and one row per figure."""
    by_month = dict(series)
    months = [account.month, add_months(account.month, -1), add_months(account.month, -2)]
    last_year = add_months(account.month, -12)
    if by_month.get(last_year) is not None:
        months.append(last_year)
    columns = [month_label(m) for m in months]
    column_totals = [totals, *[by_month.get(m) for m in months[1:]]]
    rows = [
        FigureRow(str(label), kind, [_value(t, attribute) for t in column_totals])
        for attribute, label, kind in FIGURES
    ]
    return columns, rows


def trend_charts(series: list, *, uid: str = "trend") -> list[Chart]:
    """Clients, FTE and money over the months of ``series`` ((month, totals | None) pairs)."""
    labels = [formats.date_format(month, "b") for month, _t in series]  # axis: "nov"

    def values(attribute: str) -> list[Any]:
        return [_value(totals, attribute) for _m, totals in series]

    period = (
        _("%(first)s tot en met %(last)s")
        % {
            "first": formats.date_format(series[0][0], "YEAR_MONTH_FORMAT"),
            "last": formats.date_format(series[-1][0], "YEAR_MONTH_FORMAT"),
        }
        if series
        else ""
    )
    return [
        line_chart(
            title=_("Cliënten in zorg"),
            description=_("Cliënten in zorg aan het einde van de maand, %(p)s.") % {"p": period},
            labels=labels,
            series=[Series(_("Cliënten"), values("clients_month_end"))],
            uid=f"{uid}-clients",
        ),
        line_chart(
            title=_("Formatie (fte)"),
            description=_("Formatie in fte, %(p)s.") % {"p": period},
            labels=labels,
            series=[Series(_("fte"), values("fte"))],
            uid=f"{uid}-fte",
        ),
        line_chart(
            title=_("Opbrengsten, kosten en resultaat"),
            description=_(
                "Opbrengsten, kosten, resultaat zonder subsidie en resultaat met subsidie in "
                "euro, %(p)s."
            )
            % {"p": period},
            labels=labels,
            series=[
                Series(_("Opbrengsten"), values("revenue")),
                Series(_("Kosten"), values("costs")),
                Series(_("Resultaat"), values("result_excl_subsidy")),
                Series(_("Met subsidie"), values("result_incl_subsidy")),
            ],
            uid=f"{uid}-money",
        ),
    ]


def line_sections(account: MonthlyAccount) -> list[dict[str, Any]]:
    """The account's lines grouped by section, with each money section's sum."""
    lines = list(
        AccountLine.objects.filter(account=account).select_related("organisation", "municipality")
    )
    sections = []
    for section in SECTION_ORDER:
        rows = [line for line in lines if line.section == section]
        if rows:
            total = sum((line.amount for line in rows), Decimal("0"))
            sections.append(
                {
                    "section": section,
                    "label": LineSection(section).label,
                    "lines": rows,
                    "is_money": section != LineSection.PRODUCTION,
                    "total": total,
                }
            )
    return sections


def account_report_context(account: MonthlyAccount, *, now: dt.datetime) -> dict[str, Any]:
    """Everything the PDF shows; the XLSX reads the same figures."""
    totals = account_totals(account)
    series = account_series(team=account.team, end_month=account.month, months=13)
    columns, rows = comparison(account, totals, series)
    business_case = business_case_vs_actual(team=account.team, month=account.month)
    return {
        "account": account,
        "title": account.team.name if account.team_id else _("Alle teams"),  # type: ignore[union-attr]
        "is_draft": account.status == AccountStatus.DRAFT,
        "totals": totals,
        "columns": columns,
        "figure_rows": rows,
        "sections": line_sections(account),
        "organisation_shares": organisation_shares(account),
        "zvw_prestaties": zvw_prestaties(account),
        "charts": trend_charts(series[-12:], uid=f"a{account.pk}"),
        "business_case": business_case,
        "generated_at": timezone.localtime(now),
        "month_label": formats.date_format(account.month, "YEAR_MONTH_FORMAT"),
    }


def account_pdf_html(account: MonthlyAccount, *, now: dt.datetime) -> str:
    return render_to_string("finance/pdf/account.html", account_report_context(account, now=now))


def render_account_pdf(account: MonthlyAccount, *, now: dt.datetime | None = None) -> bytes:
    """One account as an A4 PDF; 'CONCEPT' on every page of a draft."""
    from weasyprint import HTML  # heavy import: only when a PDF is rendered

    html = account_pdf_html(account, now=now or timezone.now())
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]
