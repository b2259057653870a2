"""Pages of the dated financial data: tariffs, cost rates, team costs, subsidies, business cases.

One list, create and edit page per kind of data, all driven by ``KINDS``; every write goes
through the service of ``finance.services.data`` (Dutch field errors, nothing saved partially).
Functional administrators and controllers only (others: 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from finance.forms import (
    BusinessCaseForm,
    CostRateForm,
    SubsidyForm,
    TariffForm,
    TeamCostForm,
)
from finance.models import BusinessCase, CostRate, Subsidy, Tariff, TeamCost
from finance.selectors import can_work_with_accounts
from finance.services import data as services
from olteams.forms import add_service_errors
from olteams.pagination import paginate
from olteams.types import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DataKind:
    slug: str  # URL name prefix: finance:<slug>-list / -create / -update
    title: StrOrPromise
    singular: StrOrPromise
    queryset: Callable[[], QuerySet]
    form: Any
    create: Callable[..., Model]
    update: Callable[..., Model]
    update_kwarg: str
    columns: tuple[tuple[str, StrOrPromise], ...]  # (attribute, heading)


KINDS: dict[str, DataKind] = {
    kind.slug: kind
    for kind in (
        DataKind(
            "tariff",
            _("Tarieven"),
            _("tarief"),
            lambda: Tariff.objects.select_related(
                "municipality", "team", "product", "insurer", "arrangement"
            ),
            TariffForm,
            services.tariff_create,
            services.tariff_update,
            "tariff",
            (
                ("get_kind_display", _("Soort")),
                ("municipality", _("Gemeente")),
                ("team", _("Team")),
                ("arrangement", _("Arrangement")),
                ("insurer", _("Zorgverzekeraar")),
                ("get_prestatie_display", _("Prestatie")),
                ("get_beroep_display", _("Beroep")),
                ("get_discipline_display", _("Discipline")),
                ("minutes", _("Minuten")),
                ("amount", _("Bedrag (€)")),
                ("valid_from", _("Vanaf")),
                ("valid_to", _("Tot en met")),
            ),
        ),
        DataKind(
            "costrate",
            _("Kostentarieven"),
            _("kostentarief"),
            lambda: CostRate.objects.select_related("organisation"),
            CostRateForm,
            services.cost_rate_create,
            services.cost_rate_update,
            "cost_rate",
            (
                ("organisation", _("Organisatie")),
                ("get_discipline_display", _("Discipline")),
                ("monthly_cost_per_fte", _("Per fte per maand (€)")),
                ("valid_from", _("Vanaf")),
                ("valid_to", _("Tot en met")),
            ),
        ),
        DataKind(
            "teamcost",
            _("Huisvesting en overhead"),
            _("vaste teamkosten"),
            lambda: TeamCost.objects.select_related("team"),
            TeamCostForm,
            services.team_cost_create,
            services.team_cost_update,
            "team_cost",
            (
                ("team", _("Team")),
                ("get_kind_display", _("Soort")),
                ("monthly_amount", _("Per maand (€)")),
                ("valid_from", _("Vanaf")),
                ("valid_to", _("Tot en met")),
            ),
        ),
        DataKind(
            "subsidy",
            _("Subsidies"),
            _("subsidie"),
            lambda: Subsidy.objects.select_related("team"),
            SubsidyForm,
            services.subsidy_create,
            services.subsidy_update,
            "subsidy",
            (
                ("team", _("Team")),
                ("source", _("Bron")),
                ("amount", _("Bedrag (€)")),
                ("valid_from", _("Eerste maand")),
                ("valid_to", _("Laatste maand")),
            ),
        ),
    )
}


PRESELECTABLE = ("kind", "arrangement", "municipality")
DATA_PAGE_SIZE = 100  # the Zvw tariffs alone are ~100 prestaties per insurer and year


def _require(request: AuthenticatedHttpRequest) -> None:
    if not can_work_with_accounts(request.user):
        raise PermissionDenied


def _cell(obj: Any, attribute: str) -> Any:
    if attribute == "minutes":
        if obj.min_minutes is None and obj.max_minutes is None:
            return ""
        return f"{obj.min_minutes or 0}-{obj.max_minutes if obj.max_minutes is not None else '…'}"
    value = getattr(obj, attribute)
    return value() if callable(value) else value


def _kind(slug: str) -> DataKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def _nav() -> list[tuple[str, str]]:
    return [(k.slug, str(k.title)) for k in KINDS.values()] + [
        ("businesscase", str(_("Businesscases")))
    ]


@require_http_methods(["GET"])
def data_list_view(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    _require(request)
    data_kind = _kind(kind)
    page = paginate(request, data_kind.queryset(), per_page=DATA_PAGE_SIZE)
    rows = [
        (obj, [_cell(obj, attribute) for attribute, _heading in data_kind.columns])
        for obj in page.object_list
    ]
    return render(
        request,
        "finance/data_list.html",
        {"kind": data_kind, "rows": rows, "nav": _nav(), "page": page},
    )


def _form_page(
    request: AuthenticatedHttpRequest, data_kind: DataKind, instance: Model | None
) -> HttpResponse:
    # A link may preselect fields of a new row (the arrangement page: "tarief toevoegen").
    initial = {
        name: request.GET[name]
        for name in PRESELECTABLE
        if instance is None and name in request.GET and name in data_kind.form.base_fields
    }
    form = data_kind.form(request.POST or None, instance=instance, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if instance is None:
                    data_kind.create(actor=request.user, **form.cleaned_data)
                else:
                    data_kind.update(
                        actor=request.user,
                        **{data_kind.update_kwarg: instance},
                        **form.cleaned_data,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De gegevens zijn opgeslagen."))
                return redirect(f"finance:{data_kind.slug}-list")
        status = 400
    return render(
        request,
        "finance/data_form.html",
        {"kind": data_kind, "form": form, "instance": instance, "nav": _nav()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def data_create_view(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    _require(request)
    return _form_page(request, _kind(kind), None)


@require_http_methods(["GET", "POST"])
def data_update_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    _require(request)
    data_kind = _kind(kind)
    instance = data_kind.queryset().filter(pk=pk).first()
    if instance is None:
        raise Http404
    return _form_page(request, data_kind, instance)


# --- business cases (a case with its lines per discipline) ---------------------------------


@require_http_methods(["GET"])
def business_case_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    cases = BusinessCase.objects.select_related("team").prefetch_related("lines")
    return render(request, "finance/business_case_list.html", {"cases": cases, "nav": _nav()})


def _business_case_page(
    request: AuthenticatedHttpRequest, instance: BusinessCase | None
) -> HttpResponse:
    form = BusinessCaseForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.business_case_set(
                    actor=request.user,
                    team=data["team"],
                    name=data["name"],
                    target_clients=data["target_clients"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    lines=form.lines(),
                    business_case=instance,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De businesscase is opgeslagen."))
                return redirect("finance:businesscase-list")
        status = 400
    return render(
        request,
        "finance/business_case_form.html",
        {"form": form, "instance": instance, "nav": _nav()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def business_case_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    return _business_case_page(request, None)


@require_http_methods(["GET", "POST"])
def business_case_update_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    instance = BusinessCase.objects.filter(pk=pk).first()
    if instance is None:
        raise Http404
    return _business_case_page(request, instance)
