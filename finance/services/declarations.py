"""The WMO323 declaration: per provider organisation, municipality and calendar month, the
Wmo hours delivered within each indication and counted as the account counts them (active
indication, per delivered unit, capped at the granted volume), valid against the schema.

An indication granted with an arrangement is declared as the arrangement: its product, one
output ("stuks (output)") for the days of the month it ran, the amount per four weeks
pro-rated by those days, on the client's registering organisation, as the account books it."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.services._compute import MonthComputation, month_end
from olteams.models import ControllerRole, Municipality, Organisation, User
from wmo import iwmo
from wmo.constants import Unit
from wmo.models import Indication


def _cents(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def wmo323_lines(
    *, organisation: Organisation, municipality: Municipality, month: dt.date
) -> list[iwmo.DeclarationLine]:
    """One prestatie per indication with counted Wmo hours of this organisation's workers."""
    computation = MonthComputation(month=month)
    computation.wmo_counted()
    counted = {
        indication_id: figures
        for (org_id, muni_id, indication_id), figures in computation.wmo_by_indication.items()
        if org_id == organisation.pk and muni_id == municipality.pk
    }
    indications = Indication.objects.filter(pk__in=counted).select_related("client", "product")
    lines = _arrangement_lines(organisation=organisation, municipality=municipality, month=month)
    for indication in sorted(indications, key=lambda i: i.pk):
        minutes, amount = counted[indication.pk]
        whole_hours = indication.unit == Unit.UUR and minutes % 60 == 0
        volume = int(minutes / 60) if whole_hours else int(minutes)
        tariff = amount / volume if volume else None
        lines.append(
            iwmo.DeclarationLine(
                bsn=indication.client.bsn or "",
                reference=f"{month:%Y%m}{indication.pk:08d}",
                toewijzing_number=indication.toewijzing_number,
                category=indication.product.category_id,
                product_code=indication.product.code,
                start=max(month, indication.start),
                end=min(month_end(month), indication.end or month_end(month)),
                volume=volume,
                unit=Unit.UUR if whole_hours else Unit.MINUUT,
                tariff_cents=_cents(tariff) if tariff is not None and whole_hours else None,
                amount_cents=_cents(amount),
            )
        )
    return lines


def _arrangement_lines(
    *, organisation: Organisation, municipality: Municipality, month: dt.date
) -> list[iwmo.DeclarationLine]:
    """One prestatie per indication granted with an arrangement and earning in the month."""
    computation = MonthComputation(month=month)
    computation.wmo_arrangements()
    earned = {
        indication_id: figures
        for (org_id, muni_id, indication_id), figures in (
            computation.arrangement_by_indication.items()
        )
        if org_id == organisation.pk and muni_id == municipality.pk and figures.amount > 0
    }
    indications = Indication.objects.filter(pk__in=earned).select_related(
        "client", "arrangement__product"
    )
    lines = []
    for indication in sorted(indications, key=lambda i: i.pk):
        figures = earned[indication.pk]
        product = indication.arrangement.product if indication.arrangement else indication.product
        lines.append(
            iwmo.DeclarationLine(
                bsn=indication.client.bsn or "",
                reference=f"{month:%Y%m}{indication.pk:08d}",
                toewijzing_number=indication.toewijzing_number,
                category=product.category_id,
                product_code=product.code,
                start=figures.start,
                end=figures.end,
                volume=1,
                unit=Unit.STUKS_OUTPUT,
                tariff_cents=None,
                amount_cents=_cents(figures.amount),
            )
        )
    return lines


def wmo323_declaration(
    *,
    organisation: Organisation,
    municipality: Municipality,
    month: dt.date,
    today: dt.date | None = None,
) -> bytes:
    """The schema-valid WMO323 of one organisation to one municipality for one month."""
    _require_agb(organisation)
    lines = wmo323_lines(organisation=organisation, municipality=municipality, month=month)
    return _declaration(organisation, municipality, month, lines, today)


def _require_agb(organisation: Organisation) -> None:
    if not organisation.agb_code:
        raise ValidationError(
            {
                "organisation": _("Leg eerst de AGB-code van %(org)s vast.")
                % {"org": organisation.name}
            }
        )


def _declaration(
    organisation: Organisation,
    municipality: Municipality,
    month: dt.date,
    lines: list[iwmo.DeclarationLine],
    today: dt.date | None,
) -> bytes:
    if any(not line.bsn for line in lines):
        raise ValidationError(_("Niet elke cliënt in deze declaratie heeft een BSN."))
    number = int(f"{month:%y%m}{municipality.pk % 100000:05d}")
    return iwmo.export_wmo323(
        sender_agb=organisation.agb_code,
        municipality=municipality,
        period_start=month,
        period_end=month_end(month),
        lines=lines,
        day=today or timezone.localdate(),
        number=number,
    )


def wmo323_organisations(*, user: User) -> QuerySet[Organisation]:
    """The organisations a controller declares for: their own, or all (a role without one)."""
    roles = ControllerRole.objects.filter(user=user)
    if roles.filter(organisation__isnull=True).exists():
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(controller_roles__user=user).distinct().order_by("name")


def wmo323_export(
    *,
    actor: User,
    organisation: Organisation,
    municipality: Municipality,
    month: dt.date,
    today: dt.date | None = None,
) -> tuple[bytes, list[int]]:
    """A controller's WMO323 download: the declaration and the clients it names (for the
    audit log). Only a controller of ``organisation`` may; a missing AGB or CBS code, a
    month not yet over, or nothing to declare is a ValidationError in plain Dutch."""
    if not wmo323_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    day = today or timezone.localdate()
    month = month.replace(day=1)
    if month > day.replace(day=1):
        raise ValidationError({"month": _("Declareer een maand die al begonnen is.")})
    if not municipality.cbs_code:
        raise ValidationError(
            {"municipality": _("Leg eerst de CBS-code van %(m)s vast.") % {"m": municipality.name}}
        )
    _require_agb(organisation)
    lines = wmo323_lines(organisation=organisation, municipality=municipality, month=month)
    xml = _declaration(organisation, municipality, month, lines, day)
    client_ids = sorted(
        set(
            Indication.objects.filter(
                municipality=municipality,
                toewijzing_number__in=[line.toewijzing_number for line in lines],
            ).values_list("client_id", flat=True)
        )
    )
    return xml, client_ids
