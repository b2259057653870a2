"""The steering-group dashboard pages: all teams together, and one team (drill-down).

Aggregates only, so no client is read and nothing is audited per client; every figure comes
suppressed from ``finance.selectors.dashboard`` (counts under 5 as "<5").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.selectors import dashboard as selectors
from finance.selectors.accounts import business_case_vs_actual, lead_accounts
from finance.services.steering import steering_months_ensure
from olteams.forms import MonthInput
from olteams.types import AuthenticatedHttpRequest

# The columns of the per-team table on the overview (latest month), with short headers.
TEAM_COLUMNS = (
    ("clients_in_care", gettext_lazy("In zorg")),
    ("inflow", gettext_lazy("Instroom")),
    ("outflow", gettext_lazy("Uitstroom")),
    ("waiting", gettext_lazy("Wachtend")),
    ("waiting_days_median", gettext_lazy("Wachttijd, mediaan (dagen)")),
    ("wmo_within_14_pct", gettext_lazy("Wmo binnen 14 dagen")),
    ("iroc_coverage_pct", gettext_lazy("I.ROC-dekking")),
    ("plan_coverage_pct", gettext_lazy("Plandekking")),
    ("fte", gettext_lazy("Fte")),
    ("caseload_per_fte", gettext_lazy("Cliënten per fte casemanagement")),
    ("result_incl_subsidy", gettext_lazy("Resultaat met subsidie")),
)


TREND = "clients_in_care"  # the one per-team series on the overview (a sparkline)
TEAMS_PER_PAGE = 50  # the per-team table of the overview, by name; 2,000 teams nationally


class DashboardPeriodForm(forms.Form):
    months = forms.IntegerField(
        label=gettext_lazy("Aantal maanden"),
        min_value=1,
        max_value=selectors.MAX_MONTHS,
        required=False,
        help_text=gettext_lazy("1 tot en met 24; standaard 12."),
        error_messages={
            "invalid": gettext_lazy("Geef een aantal maanden op, van 1 tot en met 24."),
            "min_value": gettext_lazy("Kies minstens 1 maand."),
            "max_value": gettext_lazy("Kies hoogstens 24 maanden."),
        },
    )
    end = forms.DateField(
        label=gettext_lazy("Tot en met maand"),
        input_formats=["%Y-%m"],
        required=False,
        widget=MonthInput(),
        help_text=gettext_lazy("Standaard de laatste volledige maand."),
        error_messages={"invalid": gettext_lazy("Geef een maand op als JJJJ-MM.")},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_end(self) -> dt.date | None:
        end = self.cleaned_data.get("end")
        if end is not None and end > self.today.replace(day=1):
            raise ValidationError(_("Kies een maand tot en met de huidige maand."))
        return end


def _period(request: AuthenticatedHttpRequest) -> tuple[DashboardPeriodForm, dict[str, Any]]:
    today = timezone.localdate()
    form = DashboardPeriodForm(request.GET or None, today=today)
    period: dict[str, Any] = {"today": today}
    if form.is_bound and form.is_valid():
        period["months"] = form.cleaned_data["months"] or selectors.DEFAULT_MONTHS
        period["end_month"] = form.cleaned_data["end"]
    return form, period


def _require_allowed(request: AuthenticatedHttpRequest, *, team: bool = False) -> None:
    allowed = selectors.dashboard_team_allowed if team else selectors.dashboard_allowed
    if not allowed(request.user):
        raise PermissionDenied


def _fill(period: dict[str, Any]) -> bool:
    """Compute the months of the period that were never stored (or went stale). True when
    nothing was computed: the stored figures may then be read on the replica; what this
    request just stored is read from the primary."""
    return not steering_months_ensure(months=selectors.dashboard_period(**period))


def _render(
    request: AuthenticatedHttpRequest, template: str, form: DashboardPeriodForm, context: dict
) -> HttpResponse:
    dashboard = context["dashboard"]
    context["charts"] = selectors.scope_charts(dashboard.scope)
    context["latest_metrics"] = [
        {"label": m.label, "latest": m.latest, "spark": selectors.sparkline(m.cells)}
        for m in dashboard.scope.metrics
    ]
    context["latest_label"] = formats.date_format(dashboard.end_month, "YEAR_MONTH_FORMAT")
    open_until = selectors.steering_open_until(dashboard.end_month)
    if open_until is not None:
        context["open_until"] = open_until
        context["latest_label"] = _("%(month)s (lopende maand, t/m %(day)s)") % {
            "month": context["latest_label"],
            "day": formats.date_format(open_until, "DATE_FORMAT"),
        }
    context["period_label"] = _("%(first)s tot en met %(last)s") % {
        "first": formats.date_format(dashboard.months[0], "YEAR_MONTH_FORMAT"),
        "last": formats.date_format(dashboard.end_month, "YEAR_MONTH_FORMAT"),
    }
    context.update({"form": form, "min_cell": selectors.STEERING_MIN_CELL})
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, template, context, status=status)


def dashboard_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_allowed(request)
    form, period = _period(request)
    from_replica = _fill(period)
    page = Paginator(
        selectors.dashboard_teams_for(request.user).order_by("name", "pk"), TEAMS_PER_PAGE
    ).get_page(request.GET.get("pagina"))
    dashboard = selectors.dashboard_overview(
        user=request.user,
        teams=list(page.object_list),
        team_keys=[key for key, _header in TEAM_COLUMNS],
        team_series=[TREND],
        from_replica=from_replica,
        **period,
    )
    teams = [
        {
            "scope": scope,
            "cells": [scope.metric(key).latest for key, _header in TEAM_COLUMNS],
            "spark": selectors.sparkline(scope.metric(TREND).cells),
            "trend": scope.metric(TREND),
        }
        for scope in dashboard.teams
    ]
    headers = [header for _key, header in TEAM_COLUMNS]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "dashboard": dashboard,
        "teams": teams,
        "headers": headers,
        "page": page,
        "query": query.urlencode(),
    }
    return _render(request, "finance/dashboard.html", form, context)


def dashboard_team_view(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    _require_allowed(request, team=True)
    form, period = _period(request)
    from_replica = _fill(period)
    dashboard = selectors.dashboard_team(
        user=request.user, team_id=team_id, from_replica=from_replica, **period
    )
    context = {
        "dashboard": dashboard,
        "team": dashboard.scope.team,
        "business_case": business_case_vs_actual(
            team=dashboard.scope.team, month=dashboard.end_month
        ),
        # A team lead reads the team's monthly accounts from here (read-only).
        "lead_view": not selectors.dashboard_allowed(request.user),
        "lead_accounts": list(
            lead_accounts(user=request.user, team=dashboard.scope.team).filter(
                month__gte=dashboard.months[0], month__lte=dashboard.end_month
            )
        ),
    }
    return _render(request, "finance/dashboard_team.html", form, context)
