"""The municipality's decision on a request: beschikking, indication and the team's notice."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import AssignmentRole
from clients.models import Assignment
from olteams.access import active_on
from olteams.constants import NotificationKind, TeamRole
from olteams.models import Membership, Municipality, User
from olteams.services import notification_create
from wmo.constants import (
    GRANTING_KINDS,
    KINDS_NEEDING_REASON,
    PENDING_STATUSES,
    STATUS_FOR_KIND,
    DecisionKind,
    DecisionSource,
    Frequency,
    RequestStatus,
    Unit,
)
from wmo.models import Decision, Indication, IndicationRequest
from wmo.services.requests import _consultant_of, request_url
from wmo.services.rules import temporary_end, temporary_errors

logger = logging.getLogger(__name__)

# The covenant's temporary indication: 2 hours of begeleiding a week (DOMAIN.md).
TEMPORARY_DEFAULTS = {"volume": 2, "unit": Unit.UUR, "frequency": Frequency.PER_WEEK}


@dataclass(frozen=True)
class Grant:
    """What is granted: the indication's volume and period."""

    volume: int
    unit: str
    frequency: str
    start: dt.date
    end: dt.date | None


def _grant_for(request: IndicationRequest, kind: str, given: dict[str, Any]) -> Grant:
    """The request's own values, changed where the consultant changed them; a temporary
    indication defaults to the covenant's 2 hours a week for 2 months."""
    values: dict[str, Any] = {
        "volume": request.volume,
        "unit": request.unit,
        "frequency": request.frequency,
        "start": request.start,
        "end": request.end,
    }
    if kind == DecisionKind.TEMPORARY:
        values |= TEMPORARY_DEFAULTS
        values["end"] = None
    if kind != DecisionKind.GRANTED:
        values |= {k: v for k, v in given.items() if v is not None}
    if kind == DecisionKind.TEMPORARY and values["end"] is None:
        values["end"] = temporary_end(values["start"])
    return Grant(**values)


def _grant_errors(grant: Grant, kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(grant.volume, int) or grant.volume <= 0:
        errors["volume"] = _("De omvang moet een geheel getal groter dan 0 zijn.")
    if grant.unit not in Unit.values:
        errors["unit"] = _("Kies een eenheid uit de iWmo-codelijst.")
    if grant.frequency not in Frequency.values:
        errors["frequency"] = _("Kies een frequentie uit de iWmo-codelijst.")
    if grant.end is not None and grant.end < grant.start:
        errors["end"] = _("De einddatum ligt vóór de ingangsdatum.")
    if kind == DecisionKind.TEMPORARY and not errors:
        errors |= temporary_errors(
            volume=grant.volume,
            unit=grant.unit,
            frequency=grant.frequency,
            start=grant.start,
            end=grant.end,
        )
    return errors


def _next_number(model: Any, field: str, municipality_id: int, prefix: str, width: int) -> str:
    """The next number in a municipality's series; the caller holds the municipality lock."""
    taken = model.objects.filter(
        municipality_id=municipality_id, **{f"{field}__startswith": prefix}
    ).values_list(field, flat=True)
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _team_recipients(request: IndicationRequest, today: dt.date) -> list[User]:
    """The casemanager, the team lead(s) and whoever asked."""
    casemanagers = Assignment.objects.filter(
        active_on(today, start="start_date", end="end_date"),
        client_id=request.client_id,
        role=AssignmentRole.CASEMANAGER,
    ).values("worker_id")
    leads = Membership.objects.filter(
        active_on(today),
        team_id=request.team_id,
        role=TeamRole.LEAD,
    ).values("user_id")
    return list(
        User.objects.filter(
            Q(pk__in=casemanagers) | Q(pk__in=leads) | Q(pk=request.requested_by_id), is_active=True
        )
    )


def _check_decidable(request: IndicationRequest, kind: str, reason: str) -> None:
    if request.status == RequestStatus.CONCEPT:
        raise ValidationError(
            {"request": _("Een besluit kan pas worden genomen nadat de aanvraag is ingediend.")}
        )
    if request.status not in PENDING_STATUSES:
        raise ValidationError(
            {"request": _("Over deze aanvraag is al besloten, of zij is ingetrokken.")}
        )
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Kies een besluit uit de lijst.")})
    if kind in KINDS_NEEDING_REASON and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Motiveer het besluit: de aanvraag van het team is een zwaarwegend advies."
                )
            }
        )


def decision_record(
    *,
    request: IndicationRequest,
    actor: User | None,
    kind: str,
    reason: str = "",
    given: dict[str, Any] | None = None,
    today: dt.date,
    now: dt.datetime,
    source: str = DecisionSource.APP,
    beschikking_number: str = "",
    toewijzing_number: str = "",
    notify: bool = True,
) -> Decision:
    """Record a decision on a locked, pending request. Callers check who may decide.
    ``notify=False``: the caller tells the team itself (the municipal route)."""
    _check_decidable(request, kind, reason)
    grant = None
    if kind in GRANTING_KINDS:
        grant = _grant_for(request, kind, given or {})
        if errors := _grant_errors(grant, kind):
            raise ValidationError(errors)
    Municipality.objects.select_for_update().get(pk=request.municipality_id)
    if kind != DecisionKind.IN_ONDERZOEK and not beschikking_number:
        beschikking_number = _next_number(
            Decision,
            "beschikking_number",
            request.municipality_id,
            f"{request.municipality.cbs_code}{today:%Y}",
            6,
        )
    decision = Decision.objects.create(
        request=request,
        kind=kind,
        reason=reason.strip(),
        decided_by=actor,
        decided_on=today,
        decided_at=now,
        beschikking_number=beschikking_number,
        municipality_id=request.municipality_id,
        source=source,
    )
    if grant is not None:
        Indication.objects.create(
            client_id=request.client_id,
            municipality_id=request.municipality_id,
            product_id=request.product_id,
            volume=grant.volume,
            unit=grant.unit,
            frequency=grant.frequency,
            start=grant.start,
            end=grant.end,
            is_temporary=kind == DecisionKind.TEMPORARY,
            decision=decision,
            toewijzing_date=today,
            toewijzing_number=toewijzing_number
            or _next_number(
                Indication, "toewijzing_number", request.municipality_id, f"{today:%y}", 6
            ),
        )
    request.status = STATUS_FOR_KIND[DecisionKind(kind)]
    request.is_overdue = request.is_overdue and request.status in PENDING_STATUSES
    request.save(update_fields=["status", "is_overdue", "updated_at"])
    if notify:
        _notify_team(request, decision, today)
    logger.info(
        "wmo decision recorded request_id=%s decision_id=%s kind=%s source=%s",
        request.pk,
        decision.pk,
        kind,
        source,
    )
    return decision


def _notify_team(request: IndicationRequest, decision: Decision, today: dt.date) -> None:
    notification_create(
        recipients=_team_recipients(request, today),
        kind=NotificationKind.INFO,
        url=request_url(request),
        dedupe_key=f"wmo-decision:{decision.pk}",
        client_id=request.client_id,
        title=_("Besluit op Wmo-aanvraag %(ref)s: %(kind)s")
        % {"ref": request.reference, "kind": decision.get_kind_display()},
    )


@transaction.atomic
def request_decide(
    *,
    actor: User,
    request: IndicationRequest,
    kind: str,
    reason: str = "",
    volume: int | None = None,
    unit: str | None = None,
    frequency: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """A consultant of the request's municipality decides: grant as asked, grant changed
    (reason required), grant a temporary indication (≤ 2 h/week, ≤ 2 months), reject (reason
    required) or mark 'in onderzoek'. A grant creates the indication; the team is notified."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    request = (
        IndicationRequest.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=request.pk)
    )
    if not _consultant_of(actor, request, today):
        raise ValidationError({"request": _("Deze aanvraag is niet aan uw gemeente gericht.")})
    given = {"volume": volume, "unit": unit, "frequency": frequency, "start": start, "end": end}
    return decision_record(
        request=request, actor=actor, kind=kind, reason=reason, given=given, today=today, now=now
    )
