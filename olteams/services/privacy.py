"""Writes of break-the-glass and of the privacy officer: request, end and review an
emergency access."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams.access import (
    EMERGENCY_TEAM_ROLES,
    AccessGrant,
    may_request_emergency_access,
    membership_facts,
)
from olteams.audit import audit_record
from olteams.constants import (
    AuditEventType,
    AuditOutcome,
    Ground,
    NotificationKind,
    Role,
    TeamRole,
)
from olteams.models import EmergencyAccess, User
from olteams.selectors.privacy import emergency_candidate
from olteams.services.notifications import notification_create

MIN_REASON_LENGTH = 10


def _emergency_grant(actor: User, access: EmergencyAccess) -> AccessGrant:
    own = min(
        (m for m in membership_facts(actor) if m.role in EMERGENCY_TEAM_ROLES),
        key=lambda m: (m.team_id, m.pk),
    )
    return AccessGrant(
        Role.TEAM_LEAD if own.role == TeamRole.LEAD else Role.TEAM_MEMBER,
        own.team_id,
        Ground.EMERGENCY.value,
        organisation_id=own.organisation_id,
        emergency_access_id=access.pk,
        emergency_expires_at=access.expires_at,
    )


def emergency_access_request(
    *, actor: User, query: str, reason: str, request: Any = None, now: dt.datetime | None = None
) -> EmergencyAccess:
    """Break the glass: ``actor`` (a team member or lead) gets view access to the client that
    ``query`` names exactly (full BSN or client number) and that is outside their teams, for
    ``settings.EMERGENCY_ACCESS_HOURS``. The reason is mandatory; the start is an audit event
    with the grounds "emergency", and every privacy officer gets a notification to review it."""
    if not may_request_emergency_access(actor):
        raise PermissionDenied(_("Alleen teamleden en teamleiders kunnen noodtoegang aanvragen."))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = _("Geef de reden voor de noodtoegang (minstens %(n)s tekens).") % {
            "n": MIN_REASON_LENGTH
        }
    client_id = emergency_candidate(user=actor, query=query)
    if client_id is None:
        errors["query"] = _("Geen cliënt buiten uw teams gevonden met dit BSN of cliëntnummer.")
    if errors:
        raise ValidationError(errors)
    assert client_id is not None
    started = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=actor,
            client_id=client_id,
            reason=reason,
            started_at=started,
            expires_at=started + dt.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
        )
        audit_record(
            user=actor,
            event_type=AuditEventType.EMERGENCY,
            request=request,
            client_id=client_id,
            obj=access,
            grant=_emergency_grant(actor, access),
            detail="noodtoegang gestart",
        )
        officers = User.objects.filter(is_privacy_officer=True, is_active=True)
        notification_create(
            recipients=officers,
            kind=NotificationKind.TASK,
            title=_("Noodtoegang door %(user)s tot cliëntnummer %(client)s")
            % {"user": actor.get_full_name() or actor.get_username(), "client": client_id},
            body=_("Beoordeel de reden in het overzicht Noodtoegang."),
            url=reverse("olteams:emergency-list"),
            client_id=client_id,
            dedupe_key=f"emergency:{access.pk}",
        )
    return access


def emergency_access_end(
    *, actor: User, access: EmergencyAccess, request: Any = None, now: dt.datetime | None = None
) -> EmergencyAccess:
    """The worker ends their own emergency access before it expires (recorded)."""
    if access.user_id != actor.pk:
        raise PermissionDenied
    moment = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
        if not access.is_active(moment):
            return access
        access.ended_at = moment
        access.save(update_fields=["ended_at"])
        audit_record(
            user=actor,
            event_type=AuditEventType.EMERGENCY,
            request=request,
            client_id=access.client_id,
            obj=access,
            detail="noodtoegang beëindigd",
        )
    return access


def emergency_access_review(
    *,
    actor: User,
    access: EmergencyAccess,
    note: str,
    request: Any = None,
    now: dt.datetime | None = None,
) -> EmergencyAccess:
    """The privacy officer marks an emergency access reviewed ("beoordeeld") with a note."""
    if not actor.is_privacy_officer:
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Schrijf een notitie bij de beoordeling.")})
    with transaction.atomic():
        access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
        if access.reviewed_at is not None:
            raise ValidationError(_("Deze noodtoegang is al beoordeeld."))
        if access.user_id == actor.pk:
            raise ValidationError(_("U kunt uw eigen noodtoegang niet beoordelen."))
        access.reviewed_at = now or timezone.now()
        access.reviewed_by = actor
        access.review_note = note
        access.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit_record(
            user=actor,
            event_type=AuditEventType.UPDATE,
            request=request,
            client_id=access.client_id,
            obj=access,
            role=Role.PRIVACY_OFFICER,
            detail="noodtoegang beoordeeld",
        )
    return access


def emergency_lookup(*, user: User, query: str, request: Any = None) -> str:
    """The client search found nothing in the user's scope for an exact BSN or client
    number: whether a client outside the user's teams has it. Returns the address of the
    Noodtoegang page for it ("" when there is none); the page names no client. The lookup is
    recorded as a refused search on that client, so the privacy officer sees who looked for
    whom."""
    client_id = emergency_candidate(user=user, query=query)
    if client_id is None:
        return ""
    audit_record(
        user=user,
        event_type=AuditEventType.SEARCH,
        request=request,
        client_id=client_id,
        object_type="clients.client",
        outcome=AuditOutcome.DENIED,
        detail="gezocht buiten eigen teams (noodtoegang mogelijk)",
    )
    return f"{reverse('olteams:emergency-request')}?{urlencode({'zoek': query})}"
