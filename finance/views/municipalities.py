"""Pages where a functional administrator adds a municipality, and where they or the
municipality's own administrator add its consultants, products and arrangements (with the
amount per four weeks). Who may: ``olteams.services.municipalities.municipalities_managed_by``
(others: 403; a municipality they do not manage is a 404, as if it did not exist).
No client data on these pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from finance.constants import TariffKind
from finance.forms import ArrangementForm, ConsultantForm, MunicipalityForm, ProductForm
from finance.models import Tariff
from finance.selectors import can_work_with_accounts
from finance.services.municipalities import arrangement_with_tariff_create
from olteams.forms import add_service_errors
from olteams.models import Municipality, MunicipalityRole
from olteams.services.municipalities import (
    can_manage_municipalities,
    consultant_create,
    municipalities_managed_by,
    municipality_create,
)
from olteams.types import AuthenticatedHttpRequest
from wmo.models import Arrangement, MunicipalProduct
from wmo.services.catalogue import product_create


def _managed(request: AuthenticatedHttpRequest) -> Any:
    if not can_manage_municipalities(request.user):
        raise PermissionDenied
    return municipalities_managed_by(request.user)


def _municipality(request: AuthenticatedHttpRequest, municipality_id: int) -> Municipality:
    try:
        return _managed(request).get(pk=municipality_id)
    except Municipality.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET"])
def municipality_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipalities = _managed(request).annotate(
        consultants=Count("consultant_roles", distinct=True),
        products=Count("wmo_products", distinct=True),
        arrangements=Count("wmo_arrangements", distinct=True),
    )
    return render(
        request,
        "finance/municipality_list.html",
        {
            "municipalities": municipalities.order_by("name"),
            "can_create": request.user.is_functional_admin,
        },
    )


def _form_page(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    success: str,
    municipality: Municipality | None = None,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = save(form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return done(created)
        status = 400
    return render(
        request,
        "finance/municipality_form.html",
        {"form": form, "title": title, "back": back, "municipality": municipality},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def municipality_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_functional_admin:
        raise PermissionDenied
    return _form_page(
        request,
        MunicipalityForm(request.POST if request.method == "POST" else None),
        title=_("Gemeente toevoegen"),
        back="finance:municipality-list",
        save=lambda data: municipality_create(actor=request.user, **data),
        done=lambda m: redirect("finance:municipality-detail", municipality_id=m.pk),
        success=_("De gemeente is toegevoegd."),
    )


@require_http_methods(["GET"])
def municipality_detail_view(
    request: AuthenticatedHttpRequest, municipality_id: int
) -> HttpResponse:
    municipality = _municipality(request, municipality_id)
    today = timezone.localdate()
    tariffs = Tariff.objects.filter(kind=TariffKind.WMO_FIXED).order_by("-valid_from")
    arrangements = (
        Arrangement.objects.filter(municipality=municipality)
        .select_related("product")
        .prefetch_related(Prefetch("tariffs", queryset=tariffs, to_attr="dated_tariffs"))
        .order_by("name")
    )
    return render(
        request,
        "finance/municipality_detail.html",
        {
            "municipality": municipality,
            "consultants": MunicipalityRole.objects.filter(municipality=municipality)
            .select_related("user")
            .order_by("user__last_name", "user__username"),
            "products": MunicipalProduct.objects.filter(municipality=municipality)
            .select_related("category")
            .order_by("code"),
            "arrangements": arrangements,
            "today": today,
            "can_edit_tariffs": can_work_with_accounts(request.user),
        },
    )


def _detail(municipality: Municipality) -> Callable[[Any], HttpResponse]:
    return lambda _created: redirect("finance:municipality-detail", municipality_id=municipality.pk)


@require_http_methods(["GET", "POST"])
def consultant_create_view(request: AuthenticatedHttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _municipality(request, municipality_id)

    def save(data: dict[str, Any]) -> Any:
        return consultant_create(actor=request.user, municipality=municipality, **data)

    return _form_page(
        request,
        ConsultantForm(request.POST if request.method == "POST" else None),
        title=_("Wmo-consulent toevoegen"),
        back="finance:municipality-detail",
        save=save,
        done=_detail(municipality),
        success=_("De consulent is toegevoegd; bij de eerste keer inloggen volgt de tweede stap."),
        municipality=municipality,
    )


@require_http_methods(["GET", "POST"])
def product_create_view(request: AuthenticatedHttpRequest, municipality_id: int) -> HttpResponse:
    municipality = _municipality(request, municipality_id)

    def save(data: dict[str, Any]) -> Any:
        return product_create(actor=request.user, municipality=municipality, **data)

    return _form_page(
        request,
        ProductForm(request.POST if request.method == "POST" else None),
        title=_("Product toevoegen"),
        back="finance:municipality-detail",
        save=save,
        done=_detail(municipality),
        success=_("Het product is toegevoegd."),
        municipality=municipality,
    )


@require_http_methods(["GET", "POST"])
def arrangement_create_view(
    request: AuthenticatedHttpRequest, municipality_id: int
) -> HttpResponse:
    municipality = _municipality(request, municipality_id)

    def save(data: dict[str, Any]) -> Any:
        return arrangement_with_tariff_create(actor=request.user, municipality=municipality, **data)

    return _form_page(
        request,
        ArrangementForm(
            request.POST if request.method == "POST" else None, municipality=municipality
        ),
        title=_("Arrangement toevoegen"),
        back="finance:municipality-detail",
        save=save,
        done=_detail(municipality),
        success=_("Het arrangement en zijn bedrag per 4 weken zijn toegevoegd."),
        municipality=municipality,
    )
