"""Writes on indication requests by the team: draft, change, submit, withdraw, delete."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from herstelplan.constants import GoalStatus, PlanStatus
from herstelplan.models import Goal
from olteams.access import ClientAction, access_client, consented_categories
from olteams.constants import (
    RECORD_KIND_CATEGORY,
    ConsentPurpose,
    NotificationKind,
    RecordKind,
)
from olteams.models import MunicipalityRole, User
from olteams.services import notification_create, notifications_close
from wmo.constants import (
    OPEN_STATUSES,
    PENDING_STATUSES,
    Frequency,
    RequestStatus,
    ResultArea,
    Unit,
    ZrmDomain,
)
from wmo.models import IndicationRequest, MunicipalProduct, RequestGoal, RequestZrmScore
from wmo.services.rules import deadline_for, temporary_errors

logger = logging.getLogger(__name__)

OVERLAP_MESSAGE = gettext_lazy(
    "Er loopt al een aanvraag voor dit product in (een deel van) deze periode."
)


def _new_reference() -> str:
    """ReferentieAanbieder: unique, at most 20 characters, no personal data."""
    return f"OL{uuid.uuid4().hex[:14].upper()}"


def active_plan_goals(*, client: Client) -> Any:
    """The running goals of the client's active Herstelplan, in the client's priority order."""
    return Goal.objects.filter(
        plan__client=client, plan__status=PlanStatus.ACTIVE, status=GoalStatus.ACTIVE
    ).order_by("priority", "id")


def _product_for(client: Client, code: str, errors: dict[str, str]) -> MunicipalProduct | None:
    if client.municipality_id is None:
        errors["client"] = _("Leg eerst de woongemeente van de cliënt vast.")
        return None
    product = (
        MunicipalProduct.objects.filter(
            municipality_id=client.municipality_id, code=(code or "").strip().upper()
        )
        .select_related("municipality")
        .first()
    )
    if product is None:
        errors["product_code"] = _("Onbekende productcode %(code)s voor gemeente %(name)s.") % {
            "code": code or "—",
            "name": client.municipality.name if client.municipality else "",
        }
    return product


def _validate(client: Client, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check every request field; returns the clean values and Dutch field errors."""
    errors: dict[str, str] = {}
    product = _product_for(client, data.get("product_code", ""), errors)
    volume, unit, frequency = data.get("volume"), data.get("unit"), data.get("frequency")
    start, end = data.get("start"), data.get("end")
    if not isinstance(volume, int) or volume <= 0:
        errors["volume"] = _("De omvang moet een geheel getal groter dan 0 zijn.")
    if unit not in Unit.values:
        errors["unit"] = _("Kies een eenheid uit de iWmo-codelijst.")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Kies een frequentie uit de iWmo-codelijst.")
    if not isinstance(start, dt.date):
        errors["start"] = _("Vul de gewenste ingangsdatum in.")
    elif end is not None and end < start:
        errors["end"] = _("De einddatum ligt vóór de ingangsdatum.")
    elif product is not None and not product.is_valid_on(start):
        errors["product_code"] = _("Dit product is niet geldig op de gevraagde ingangsdatum.")
    areas = sorted(set(data.get("result_areas") or []))
    if not areas:
        errors["result_areas"] = _("Kies minstens één resultaatgebied.")
    elif not set(areas) <= set(ResultArea.values):
        errors["result_areas"] = _("Kies resultaatgebieden uit de lijst.")
    motivation = (data.get("motivation") or "").strip()
    if not motivation:
        errors["motivation"] = _("Onderbouw de aanvraag: wat heeft de cliënt nodig, en waarom?")
    zrm = dict(data.get("zrm_scores") or {})
    if any(d not in ZrmDomain.values or s not in range(1, 6) for d, s in zrm.items()):
        errors["zrm_scores"] = _("Een ZRM-score is 1 tot en met 5, per domein van de ZRM.")
    is_temporary = bool(data.get("is_temporary"))
    if is_temporary and not errors.keys() & {"volume", "unit", "frequency", "start", "end"}:
        # The checks above made these an int, codes and dates.
        errors.update(
            temporary_errors(
                volume=cast(int, volume),
                unit=cast(str, unit),
                frequency=cast(str, frequency),
                start=cast(dt.date, start),
                end=end,
            )
        )
    clean = {
        "product": product,
        "volume": volume,
        "unit": unit,
        "frequency": frequency,
        "start": start,
        "end": end,
        "result_areas": areas,
        "motivation": motivation,
        "is_temporary": is_temporary,
        "client_authorised": bool(data.get("client_authorised")),
    }
    return clean | {"zrm": zrm}, errors


def _goals_from_plan(
    client: Client, goal_ids: Iterable[int] | None, errors: dict[str, str]
) -> list[Goal]:
    ids = {int(g) for g in goal_ids or []}
    goals = list(active_plan_goals(client=client).filter(pk__in=ids))
    if len(goals) != len(ids):
        errors["goal_ids"] = _("Kies doelen uit het actieve herstelplan van de cliënt.")
    return goals


def _check_overlap(request: IndicationRequest) -> None:
    """The friendly form of the exclusion constraint; the database still decides races."""
    others = IndicationRequest.objects.filter(
        client_id=request.client_id, product_id=request.product_id, status__in=OPEN_STATUSES
    ).exclude(pk=request.pk)
    for other in others.only("start", "end"):
        if (other.end is None or other.end >= request.start) and (
            request.end is None or request.end >= other.start
        ):
            raise ValidationError({"start": OVERLAP_MESSAGE})


def _save(request: IndicationRequest) -> None:
    _check_overlap(request)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        if "wmo_request_one_open_per_period" in str(exc):
            raise ValidationError({"start": OVERLAP_MESSAGE}) from exc
        raise


def _write_children(request: IndicationRequest, goals: list[Goal], zrm: dict[str, int]) -> None:
    request.goals.all().delete()
    RequestGoal.objects.bulk_create(
        RequestGoal(request=request, plan_goal_id=g.pk, text=g.text, priority=g.priority)
        for g in goals
    )
    request.zrm_scores.all().delete()
    RequestZrmScore.objects.bulk_create(
        RequestZrmScore(request=request, domain=d, score=s) for d, s in sorted(zrm.items())
    )


@transaction.atomic
def request_create(*, actor: User, client: Client, data: Mapping[str, Any]) -> IndicationRequest:
    """Draft a request (status concept) for a client the actor's team cares for.

    ``data``: product_code, volume, unit, frequency, start, end, result_areas, motivation,
    is_temporary, goal_ids (goals of the active Herstelplan), zrm_scores {domain: 1-5}."""
    client = access_client(actor, client.pk, action=ClientAction.CHANGE)
    clean, errors = _validate(client, data)
    goals = _goals_from_plan(client, data.get("goal_ids"), errors)
    if errors:
        raise ValidationError(errors)
    zrm = clean.pop("zrm")
    request = IndicationRequest(
        client=client,
        team_id=client.team_id,
        municipality_id=client.municipality_id,  # type: ignore[misc]  # checked in _validate
        requested_by=actor,
        reference=_new_reference(),
        **clean,
    )
    _save(request)
    _write_children(request, goals, zrm)
    logger.info("wmo request created request_id=%s", request.pk)
    return request


@transaction.atomic
def request_update(
    *, actor: User, request: IndicationRequest, data: Mapping[str, Any]
) -> IndicationRequest:
    """Change a draft. Once submitted a request stays as it was sent."""
    request = IndicationRequest.objects.select_for_update().get(pk=request.pk)
    client = access_client(actor, request.client_id, action=ClientAction.CHANGE)
    if request.status != RequestStatus.CONCEPT:
        raise ValidationError(_("Alleen een concept kan nog worden gewijzigd."))
    clean, errors = _validate(client, data)
    goals = _goals_from_plan(client, data.get("goal_ids"), errors)
    if errors:
        raise ValidationError(errors)
    zrm = clean.pop("zrm")
    for field, value in clean.items():
        setattr(request, field, value)
    _save(request)
    _write_children(request, goals, zrm)
    return request


def request_url(request: IndicationRequest) -> str:
    return reverse("wmo:request-detail", kwargs={"client_id": request.client_id, "pk": request.pk})


def request_consent_missing(*, request: IndicationRequest, day: dt.date) -> list[str]:
    """The record kinds the request would send to its municipality (the goals, and the ZRM
    when scored) without the client's consent on ``day`` for that municipality and for the
    purpose of a Wmo request (``olteams.access.consented_categories``)."""
    kinds = [RecordKind.WMO_GOALS]
    if request.zrm_scores.exists():
        kinds.append(RecordKind.ZRM)
    consented = consented_categories(
        [request.client_id],
        purpose=ConsentPurpose.WMO_REQUEST,
        day=day,
        municipality_ids=[request.municipality_id],
    ).get(request.client_id, set())
    return [kind for kind in kinds if RECORD_KIND_CATEGORY[kind] not in consented]


def consent_missing_message(request: IndicationRequest, missing: Iterable[str]) -> str:
    what = _(" en ").join(str(RecordKind(kind).label) for kind in missing)
    return _(
        "Geen toestemming van de cliënt om %(what)s te delen met de gemeente %(municipality)s "
        "voor deze Wmo-aanvraag. Leg eerst de toestemming vast (tabblad Netwerk, doel "
        "'Wmo-aanvraag bij de gemeente'); er is niets verstuurd."
    ) % {"what": what, "municipality": request.municipality.name}


@transaction.atomic
def request_submit(
    *, actor: User, request: IndicationRequest, now: dt.datetime | None = None
) -> IndicationRequest:
    """Send the request to the municipality: the goals' words are frozen, the clock starts
    (deadline = submission date + 14 calendar days) and the consultants are told. Refused
    (a ValidationError on ``consent``, nothing changed) without the client's consent to
    share the goals and the ZRM with the municipality for the Wmo request."""
    now = now or timezone.now()
    request = IndicationRequest.objects.select_for_update().get(pk=request.pk)
    access_client(actor, request.client_id, action=ClientAction.CHANGE)
    if request.status != RequestStatus.CONCEPT:
        raise ValidationError(_("Deze aanvraag is al ingediend."))
    missing = request_consent_missing(request=request, day=timezone.localdate(now))
    if missing:
        raise ValidationError({"consent": consent_missing_message(request, missing)})
    plan_goals = {g.pk: g for g in active_plan_goals(client=request.client)}
    request_goals = list(request.goals.all())
    if not request_goals:
        raise ValidationError({"goal_ids": _("Kies minstens één doel uit het herstelplan.")})
    for goal in request_goals:
        source = plan_goals.get(goal.plan_goal_id)  # type: ignore[arg-type]
        if source is not None:
            goal.text, goal.priority = source.text, source.priority
    RequestGoal.objects.bulk_update(request_goals, ["text", "priority"])
    request.status = RequestStatus.INGEDIEND
    request.submitted_at = now
    request.submitted_on = timezone.localdate(now)
    request.deadline = deadline_for(request.submitted_on)
    request.save()
    consultants = User.objects.filter(
        pk__in=MunicipalityRole.objects.filter(municipality_id=request.municipality_id)
        .filter(valid_from__lte=request.submitted_on)
        .exclude(valid_to__lt=request.submitted_on)
        .values("user_id")
    )
    notification_create(
        recipients=consultants,
        kind=NotificationKind.TASK,
        url=request_url(request),
        title=_("Nieuwe Wmo-aanvraag %(ref)s") % {"ref": request.reference},
        body=_("Besluit uiterlijk %(day)s.")
        % {"day": date_format(request.deadline, "SHORT_DATE_FORMAT")},
        dedupe_key=f"wmo-submitted:{request.pk}",
        due_on=request.deadline,
        client_id=request.client_id,
    )
    logger.info("wmo request submitted request_id=%s", request.pk)
    return request


def request_notice_keys(request_id: int) -> list[str]:
    """The dedupe keys of every notice that asks someone to act on this request."""
    return [f"wmo-{kind}:{request_id}" for kind in ("submitted", "reminder", "escalation")]


@transaction.atomic
def request_withdraw(*, actor: User, request: IndicationRequest) -> IndicationRequest:
    """The team withdraws a submitted request that has not been decided; it leaves the
    consultants' inbox and their task and reminders about it are closed."""
    request = IndicationRequest.objects.select_for_update().get(pk=request.pk)
    access_client(actor, request.client_id, action=ClientAction.CHANGE)
    if request.status not in PENDING_STATUSES:
        raise ValidationError(
            _("Alleen een ingediende aanvraag zonder besluit kan worden ingetrokken.")
        )
    request.status = RequestStatus.INGETROKKEN
    request.is_overdue = False
    request.save(update_fields=["status", "is_overdue", "updated_at"])
    notifications_close(dedupe_keys=request_notice_keys(request.pk))
    logger.info("wmo request withdrawn request_id=%s", request.pk)
    return request


@transaction.atomic
def request_delete(*, actor: User, request: IndicationRequest) -> None:
    """A draft was never sent: it may simply be removed."""
    request = IndicationRequest.objects.select_for_update().get(pk=request.pk)
    access_client(actor, request.client_id, action=ClientAction.CHANGE)
    if request.status != RequestStatus.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden verwijderd."))
    request.delete()


def _consultant_of(actor: User, request: IndicationRequest, today: dt.date) -> bool:
    return (
        MunicipalityRole.objects.filter(
            user=actor, municipality_id=request.municipality_id, valid_from__lte=today
        )
        .exclude(valid_to__lt=today)
        .exists()
    )


@transaction.atomic
def request_start_review(
    *, actor: User, request: IndicationRequest, today: dt.date | None = None
) -> IndicationRequest:
    """A consultant of the request's municipality takes it on (ingediend → in behandeling)."""
    today = today or timezone.localdate()
    request = IndicationRequest.objects.select_for_update().get(pk=request.pk)
    if not _consultant_of(actor, request, today):
        raise ValidationError({"request": _("Deze aanvraag is niet aan uw gemeente gericht.")})
    if request.status != RequestStatus.INGEDIEND:
        raise ValidationError(
            _("Alleen een ingediende aanvraag kan in behandeling worden genomen.")
        )
    request.status = RequestStatus.IN_BEHANDELING
    request.save(update_fields=["status", "updated_at"])
    return request
