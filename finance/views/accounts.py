"""Pages of the monthly accounts: list per month, detail, recompute, close, adjust, checks.

Controllers and functional administrators only (others: 403 on lists, 404 on an account).
The checks page names clients: it reads them through ``clients_visible_to`` (in the
selector) and records one SEARCH event in the audit log, as the clients' list pages do.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from finance.constants import LineSection, ReportFormat
from finance.forms import AdjustmentForm, CloseForm, MonthForm
from finance.models import MonthlyAccount
from finance.selectors import (
    account_get,
    account_get_for_reading,
    account_list,
    account_series,
    account_totals,
    account_totals_many,
    business_case_vs_actual,
    can_work_with_accounts,
    controller_client_hours,
    mismatches,
    organisation_shares,
    zvw_prestaties,
)
from finance.selectors.close import close_check
from finance.services import account_close, account_compute, accounts_compute_month, adjustment_add
from finance.services.declarations import wmo323_organisations
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest


def _require(request: AuthenticatedHttpRequest) -> None:
    if not can_work_with_accounts(request.user):
        raise PermissionDenied


def _default_month() -> dt.date:
    """The month a controller works on: the latest month with accounts, else last month."""
    latest = MonthlyAccount.objects.order_by("-month").values_list("month", flat=True).first()
    return latest or (timezone.localdate().replace(day=1) - relativedelta(months=1))


@require_http_methods(["GET"])
def account_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["maand"] if form.is_bound and form.is_valid() else _default_month()
    if not form.is_bound:
        form = MonthForm(initial={"maand": month})
    accounts = list(account_list(user=request.user, month=month))
    accounts.sort(key=lambda a: (a.team_id is None, a.team.name if a.team else ""))
    totals = account_totals_many(accounts)
    rows = [(a, totals[a.pk]) for a in accounts]
    return render(
        request,
        "finance/account_list.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "previous": month - relativedelta(months=1),
            "next": month + relativedelta(months=1),
            "all_closed": bool(accounts) and all(a.is_closed for a in accounts),
            # The WMO323 carries BSNs: only a controller of a provider organisation declares.
            "can_declare_wmo": wmo323_organisations(user=request.user).exists(),
        },
    )


@require_POST
def month_compute_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """'Maand openen/herberekenen': the drafts of every team and the consolidated account."""
    _require(request)
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een maand in als JJJJ-MM."))
        return redirect("finance:account-list")
    month = form.cleaned_data["maand"]
    accounts = accounts_compute_month(month=month)
    messages.success(
        request,
        _("De concepten van %(month)s zijn berekend (%(n)s verantwoordingen).")
        % {"month": formats.date_format(month, "YEAR_MONTH_FORMAT"), "n": len(accounts)},
    )
    return redirect(f"{reverse('finance:account-list')}?maand={month:%Y-%m}")


def _sections(account: MonthlyAccount) -> list[tuple[str, list[Any]]]:
    grouped: OrderedDict[str, list[Any]] = OrderedDict(
        (str(label), []) for value, label in LineSection.choices
    )
    labels = dict(LineSection.choices)
    for line in account.lines.select_related("organisation", "municipality").order_by(
        "position", "id"
    ):
        grouped[str(labels[line.section])].append(line)
    return [(name, lines) for name, lines in grouped.items() if lines]


@require_http_methods(["GET"])
def account_detail_view(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    account, read_only = account_get_for_reading(user=request.user, account_id=account_id)
    series = account_series(team=account.team, end_month=account.month, months=3)
    return render(
        request,
        "finance/account_detail.html",
        {
            "account": account,
            "totals": account_totals(account),
            "series": series,
            "series_rows": _series_rows(series),
            "sections": _sections(account),
            "organisation_shares": organisation_shares(account),
            "zvw_prestaties": zvw_prestaties(account),
            "business_case": business_case_vs_actual(team=account.team, month=account.month),
            "report_formats": ReportFormat.choices,
            "can_adjust": not read_only and not account.is_closed and account.team_id is not None,
            "read_only": read_only,
        },
    )


SERIES_ROWS = (
    ("clients_month_end", _lazy("Cliënten in zorg (einde maand)"), False),
    ("clients_average", _lazy("Cliënten in zorg (gemiddeld)"), False),
    ("inflow", _lazy("Instroom"), False),
    ("outflow", _lazy("Uitstroom"), False),
    ("fte", _lazy("Fte"), False),
    ("direct_hours", _lazy("Directe uren"), False),
    ("indirect_hours", _lazy("Indirecte uren"), False),
    ("unpaid_hours", _lazy("Onbetaalde uren"), False),
    ("revenue", _lazy("Opbrengsten"), True),
    ("costs", _lazy("Kosten"), True),
    ("result_excl_subsidy", _lazy("Resultaat zonder subsidie"), True),
    ("subsidy", _lazy("Subsidie"), True),
    ("result_incl_subsidy", _lazy("Resultaat met subsidie"), True),
)


def _series_rows(series: list[tuple[dt.date, Any]]) -> list[tuple[str, list[Any], bool]]:
    return [
        (str(label), [getattr(t, name) if t is not None else None for _m, t in series], money)
        for name, label, money in SERIES_ROWS
    ]


def _back(account: MonthlyAccount) -> HttpResponse:
    return redirect("finance:account-detail", account_id=account.pk)


@require_POST
def account_recompute_view(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    try:
        account_compute(team=account.team, month=account.month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De verantwoording is opnieuw berekend."))
    return _back(account)


@require_http_methods(["GET", "POST"])
def account_close_view(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    """A confirmation page; the POST closes the month (a second close gets a Dutch error)."""
    account = account_get(user=request.user, account_id=account_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            account_close(actor=request.user, account=account, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
                status = 400
            else:
                messages.error(request, " ".join(exc.messages))
                return _back(account)
        else:
            messages.success(request, _("De maand is gesloten."))
            return _back(account)
    totals = account_totals(account)
    return render(
        request,
        "finance/account_close.html",
        {
            "account": account,
            "totals": totals,
            "form": form,
            "check": close_check(account=account, totals=totals, today=timezone.localdate()),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def adjustment_create_view(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    form = AdjustmentForm(request.POST or None, account=account)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                adjustment_add(actor=request.user, account=account, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De correctie is geboekt."))
                return _back(account)
        status = 400
    return render(
        request, "finance/adjustment_form.html", {"account": account, "form": form}, status=status
    )


@require_http_methods(["GET"])
def checks_view(request: AuthenticatedHttpRequest, account_id: int) -> HttpResponse:
    """Hours per client by registering organisation and the four mismatch lists."""
    account = account_get(user=request.user, account_id=account_id)
    context: dict[str, Any] = {"account": account}
    if account.team is not None:
        client_hours = controller_client_hours(
            user=request.user, team=account.team, month=account.month
        )
        today = timezone.localdate()
        found = mismatches(user=request.user, team=account.team, month=account.month, today=today)
        if account.month <= today < account.month + relativedelta(months=1):
            context["open_until"] = today
        audit_record(
            user=request.user,
            event_type=AuditEventType.SEARCH,
            request=request,
            object_type="finance.monthlyaccount",
            object_id=str(account.pk),
            detail=f"controle verantwoording {account.team.name} {account.month:%m-%Y} "
            f"({len(client_hours)} cliënten)",
            client_ids=[row.client.pk for row in client_hours] + found.client_ids,
        )
        context.update(client_hours=client_hours, mismatches=found)
    return render(request, "finance/checks.html", context)
