"""Writes of the dated financial data: tariffs, cost rates, team costs, subsidies, business cases.

Only controllers and functional administrators write (else ``PermissionDenied``). Bad input
raises ``ValidationError`` with Dutch field errors and saves nothing: a negative amount or
FTE, an end before the start, a field the kind of tariff needs, and overlapping periods
(checked with a query first; the database's exclusion constraint stays the last word and its
error is turned into the same field error).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from finance.constants import (
    FUNDING_FOR_TARIFF,
    UNIT_FOR_TARIFF,
    ZVW_CLASSED,
    ZVW_DURATION_CLASSES,
    TariffKind,
)
from finance.models import (
    BusinessCase,
    BusinessCaseLine,
    CostRate,
    Subsidy,
    Tariff,
    TeamCost,
)
from finance.selectors.accounts import can_work_with_accounts
from olteams.constants import Discipline
from olteams.models import Team, User

logger = logging.getLogger(__name__)

TARIFF_FIELDS = (
    "kind",
    "municipality",
    "team",
    "product",
    "arrangement",
    "discipline",
    "insurer",
    "prestatie",
    "beroep",
    "min_minutes",
    "max_minutes",
    "amount",
    "valid_from",
    "valid_to",
    "note",
)
COST_RATE_FIELDS = ("organisation", "discipline", "monthly_cost_per_fte", "valid_from", "valid_to")
TEAM_COST_FIELDS = ("team", "kind", "monthly_amount", "valid_from", "valid_to")
SUBSIDY_FIELDS = ("team", "source", "amount", "valid_from", "valid_to", "note")
# Which fields each kind of tariff needs.
TARIFF_REQUIRED: dict[str, tuple[str, ...]] = {
    TariffKind.WMO_HOUR: ("municipality",),
    TariffKind.WMO_FIXED: ("municipality",),
    TariffKind.WMO_LUMP_SUM: ("team", "municipality"),
    TariffKind.ZVW_CONSULT: ("prestatie",),
    TariffKind.WLZ_HOUR: (),
}


def _require_writer(actor: User) -> None:
    if not can_work_with_accounts(actor):
        raise PermissionDenied(
            _("Alleen functioneel beheerders en controllers beheren de financiële gegevens.")
        )


def overlap_message() -> str:
    return _("Deze periode overlapt met een bestaande periode voor dezelfde gegevens.")


def _overlapping(qs: QuerySet, valid_from: dt.date, valid_to: dt.date | None) -> QuerySet:
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        qs = qs.filter(valid_from__lte=valid_to)
    return qs


def _period_errors(instance: Any, errors: dict[str, str]) -> None:
    if instance.valid_from is None:
        errors.setdefault("valid_from", _("Vul de begindatum in."))
    elif instance.valid_to is not None and instance.valid_to < instance.valid_from:
        errors.setdefault("valid_to", _("De einddatum ligt vóór de begindatum."))


def _not_negative(instance: Any, field: str, errors: dict[str, str]) -> None:
    value = getattr(instance, field)
    if value is None:
        errors.setdefault(field, _("Vul een bedrag in."))
    elif Decimal(value) < 0:
        errors[field] = _("Een bedrag kan niet negatief zijn.")


def _apply(instance: models.Model, fields: Iterable[str], data: Mapping[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _field_errors(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, str]:
    """Django's own field validation (types, lengths, choices), first message per field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        return {name: messages[0] for name, messages in exc.message_dict.items()}
    return {}


def _save(instance: models.Model, overlap: QuerySet | None, errors: dict[str, str]) -> Any:
    """Raise the collected errors, check overlap, save; an exclusion violation from the
    database (a concurrent write) becomes the same Dutch field error."""
    if not errors and overlap is not None:
        if instance.pk:
            overlap = overlap.exclude(pk=instance.pk)
        if overlap.exists():
            errors["valid_from"] = overlap_message()
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if "overlap" in str(exc):
            raise ValidationError({"valid_from": overlap_message()}) from exc
        raise
    return instance


# --- tariffs -----------------------------------------------------------------------------


def _tariff_overlap(tariff: Tariff) -> QuerySet:
    qs = Tariff.objects.filter(
        kind=tariff.kind,
        municipality=tariff.municipality,
        team=tariff.team,
        product=tariff.product,
        arrangement=tariff.arrangement,
        discipline=tariff.discipline,
        insurer=tariff.insurer,
        prestatie=tariff.prestatie,
        beroep=tariff.beroep,
    )
    if tariff.min_minutes in (None, 0):
        qs = qs.filter(Q(min_minutes__isnull=True) | Q(min_minutes=0))
    else:
        qs = qs.filter(min_minutes=tariff.min_minutes)
    return _overlapping(qs, tariff.valid_from, tariff.valid_to)


_TARIFF_RELATIONS = frozenset({"municipality", "team", "product", "insurer", "arrangement"})


def _arrangement_errors(tariff: Tariff, errors: dict[str, str]) -> None:
    """An arrangement is paid as a fixed amount per four weeks by its own municipality, for
    every team and without a product of its own (the arrangement names the product)."""
    arrangement = tariff.arrangement
    if arrangement is None:
        return
    if tariff.kind != TariffKind.WMO_FIXED:
        errors.setdefault(
            "arrangement",
            _("Een arrangement wordt betaald met een vast bedrag per cliënt per 4 weken."),
        )
        return
    if tariff.municipality_id is None:
        tariff.municipality_id = arrangement.municipality_id
    elif tariff.municipality_id != arrangement.municipality_id:
        errors.setdefault(
            "municipality",
            _("Het arrangement hoort bij %(m)s; kies die gemeente of laat het veld leeg.")
            % {"m": arrangement.municipality},
        )
    if tariff.product_id is not None:
        errors.setdefault(
            "product",
            _("Laat het product leeg: het arrangement bepaalt het product."),
        )
    if tariff.team_id is not None:
        errors.setdefault("team", _("Een arrangementstarief geldt voor elk team; laat dit leeg."))


def _zvw_errors(tariff: Tariff, errors: dict[str, str]) -> None:
    """Insurer, prestatie and beroep belong to Zvw tariffs only; a consult's duration class is
    one of the NZa classes, an MDO and the travel supplement have none."""
    if tariff.kind != TariffKind.ZVW_CONSULT:
        for name in ("insurer", "prestatie", "beroep"):
            if getattr(tariff, f"{name}_id" if name in _TARIFF_RELATIONS else name):
                errors.setdefault(name, _("Dit veld hoort alleen bij een Zvw-prestatie."))
        return
    if not tariff.prestatie:
        return
    if tariff.prestatie not in ZVW_CLASSED:
        if tariff.min_minutes or tariff.max_minutes:
            errors.setdefault("min_minutes", _("Deze prestatie heeft geen duurklasse."))
    elif tariff.min_minutes and tariff.min_minutes not in ZVW_DURATION_CLASSES:
        errors.setdefault(
            "min_minutes",
            _("Kies een duurklasse van de NZa: %(classes)s minuten.")
            % {"classes": ", ".join(str(c) for c in ZVW_DURATION_CLASSES)},
        )


def _tariff_save(tariff: Tariff) -> Tariff:
    errors = _field_errors(tariff, exclude=("funding_stream", "unit"))
    if "arrangement" not in errors:
        _arrangement_errors(tariff, errors)
    kind = tariff.kind
    if kind in TariffKind.values:
        tariff.funding_stream = FUNDING_FOR_TARIFF[TariffKind(kind)]
        tariff.unit = UNIT_FOR_TARIFF[TariffKind(kind)]
        for name in TARIFF_REQUIRED[kind]:
            if not getattr(tariff, f"{name}_id" if name in _TARIFF_RELATIONS else name):
                errors.setdefault(
                    name,
                    _("Dit veld is verplicht voor een tarief van de soort “%(kind)s”.")
                    % {"kind": TariffKind(kind).label},
                )
    if kind != TariffKind.ZVW_CONSULT and (tariff.min_minutes or tariff.max_minutes):
        errors.setdefault("min_minutes", _("Minutenklassen horen alleen bij Zvw-consulten."))
    _zvw_errors(tariff, errors)
    if (
        tariff.min_minutes is not None
        and tariff.max_minutes is not None
        and tariff.max_minutes < tariff.min_minutes
    ):
        errors.setdefault("max_minutes", _("Het maximum ligt onder het minimum."))
    _not_negative(tariff, "amount", errors)
    _period_errors(tariff, errors)
    overlap = None if errors else _tariff_overlap(tariff)
    return _save(tariff, overlap, errors)


def tariff_create(*, actor: User, **data: Any) -> Tariff:
    """A new tariff; funding stream and unit follow from the kind."""
    _require_writer(actor)
    tariff = Tariff(discipline="", prestatie="", beroep="")
    _apply(tariff, TARIFF_FIELDS, data)
    tariff.discipline = tariff.discipline or ""
    tariff.prestatie = tariff.prestatie or ""
    tariff.beroep = tariff.beroep or ""
    tariff.note = tariff.note or ""
    saved = _tariff_save(tariff)
    logger.info("tariff created tariff_id=%s by=%s", saved.pk, actor.pk)
    return saved


def tariff_update(*, actor: User, tariff: Tariff, **data: Any) -> Tariff:
    _require_writer(actor)
    tariff = Tariff.objects.get(pk=tariff.pk)
    _apply(tariff, TARIFF_FIELDS, data)
    tariff.discipline = tariff.discipline or ""
    tariff.prestatie = tariff.prestatie or ""
    tariff.beroep = tariff.beroep or ""
    tariff.note = tariff.note or ""
    saved = _tariff_save(tariff)
    logger.info("tariff updated tariff_id=%s by=%s", saved.pk, actor.pk)
    return saved


# --- cost rates, team costs, subsidies -----------------------------------------------------


def _cost_rate_save(rate: CostRate) -> CostRate:
    errors = _field_errors(rate)
    _not_negative(rate, "monthly_cost_per_fte", errors)
    _period_errors(rate, errors)
    overlap = (
        None
        if errors
        else _overlapping(
            CostRate.objects.filter(
                organisation_id=rate.organisation_id, discipline=rate.discipline
            ),
            rate.valid_from,
            rate.valid_to,
        )
    )
    return _save(rate, overlap, errors)


def cost_rate_create(*, actor: User, **data: Any) -> CostRate:
    _require_writer(actor)
    rate = CostRate()
    _apply(rate, COST_RATE_FIELDS, data)
    return _cost_rate_save(rate)


def cost_rate_update(*, actor: User, cost_rate: CostRate, **data: Any) -> CostRate:
    _require_writer(actor)
    rate = CostRate.objects.get(pk=cost_rate.pk)
    _apply(rate, COST_RATE_FIELDS, data)
    return _cost_rate_save(rate)


def _team_cost_save(cost: TeamCost) -> TeamCost:
    errors = _field_errors(cost)
    _not_negative(cost, "monthly_amount", errors)
    _period_errors(cost, errors)
    overlap = (
        None
        if errors
        else _overlapping(
            TeamCost.objects.filter(team_id=cost.team_id, kind=cost.kind),
            cost.valid_from,
            cost.valid_to,
        )
    )
    return _save(cost, overlap, errors)


def team_cost_create(*, actor: User, **data: Any) -> TeamCost:
    _require_writer(actor)
    cost = TeamCost()
    _apply(cost, TEAM_COST_FIELDS, data)
    return _team_cost_save(cost)


def team_cost_update(*, actor: User, team_cost: TeamCost, **data: Any) -> TeamCost:
    _require_writer(actor)
    cost = TeamCost.objects.get(pk=team_cost.pk)
    _apply(cost, TEAM_COST_FIELDS, data)
    return _team_cost_save(cost)


def _subsidy_save(subsidy: Subsidy) -> Subsidy:
    """A subsidy covers whole months: the dates are moved to the first of their month."""
    if subsidy.valid_from:
        subsidy.valid_from = subsidy.valid_from.replace(day=1)
    if subsidy.valid_to:
        subsidy.valid_to = subsidy.valid_to.replace(day=1)
    errors = _field_errors(subsidy)
    if not (subsidy.source or "").strip():
        errors.setdefault("source", _("Vul de bron van de subsidie in."))
    _not_negative(subsidy, "amount", errors)
    if subsidy.valid_to is None:
        errors.setdefault("valid_to", _("Vul de laatste maand in."))
    _period_errors(subsidy, errors)
    return _save(subsidy, None, errors)


def subsidy_create(*, actor: User, **data: Any) -> Subsidy:
    _require_writer(actor)
    subsidy = Subsidy(note="")
    _apply(subsidy, SUBSIDY_FIELDS, data)
    subsidy.note = subsidy.note or ""
    return _subsidy_save(subsidy)


def subsidy_update(*, actor: User, subsidy: Subsidy, **data: Any) -> Subsidy:
    _require_writer(actor)
    current = Subsidy.objects.get(pk=subsidy.pk)
    _apply(current, SUBSIDY_FIELDS, data)
    current.note = current.note or ""
    return _subsidy_save(current)


# --- business cases ----------------------------------------------------------------------


def business_case_set(
    *,
    actor: User,
    team: Team,
    name: str,
    target_clients: int,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    lines: Mapping[str, Decimal | str | int | float],
    business_case: BusinessCase | None = None,
) -> BusinessCase:
    """Create or replace a business case with its target FTE per discipline (all or nothing).

    Errors on lines are reported under ``lines`` (one message naming the discipline)."""
    _require_writer(actor)
    case = (
        BusinessCase.objects.get(pk=business_case.pk) if business_case else BusinessCase(team=team)
    )
    case.team = team
    case.name = name
    case.target_clients = target_clients
    case.valid_from = valid_from
    case.valid_to = valid_to
    errors = _field_errors(case)
    if target_clients is not None and int(target_clients) < 0:
        errors.setdefault("target_clients", _("Het aantal cliënten kan niet negatief zijn."))
    _period_errors(case, errors)
    parsed: dict[str, Decimal] = {}
    for discipline, value in lines.items():
        label = Discipline(discipline).label if discipline in Discipline.values else discipline
        if discipline not in Discipline.values:
            errors.setdefault("lines", _("Onbekende discipline: %(d)s.") % {"d": discipline})
            continue
        try:
            fte = Decimal(str(value))
        except ArithmeticError:
            errors.setdefault("lines", _("Ongeldige fte bij %(d)s.") % {"d": label})
            continue
        if fte < 0:
            errors.setdefault("lines", _("De fte bij %(d)s kan niet negatief zijn.") % {"d": label})
        elif fte >= 10000:
            errors.setdefault("lines", _("De fte bij %(d)s is te groot.") % {"d": label})
        parsed[discipline] = fte.quantize(Decimal("0.01"))
    overlap = (
        None
        if errors
        else _overlapping(BusinessCase.objects.filter(team=team), valid_from, valid_to)
    )
    with transaction.atomic():
        _save(case, overlap, errors)
        case.lines.all().delete()
        BusinessCaseLine.objects.bulk_create(
            [
                BusinessCaseLine(business_case=case, discipline=d, target_fte=fte)
                for d, fte in parsed.items()
            ]
        )
    logger.info("business case set business_case_id=%s by=%s", case.pk, actor.pk)
    return case
