"""The client's privacy requests (AVG art. 15, 16, 17, 21): file, extend, decide, withdraw,
and the daily reminders of the term.

The term (AVG art. 12(3)): a decision within one calendar month of receipt (31 January →
28/29 February), extendable by at most two further months with a reason the client is told
within the first month. Each write records an audit event on the client and notifies the
privacy officers and the client's casemanager.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import (
    PRIVACY_DUE_SOON_DAYS,
    PRIVACY_MAX_EXTENSION_MONTHS,
    PRIVACY_TERM_MONTHS,
    AssignmentRole,
    DisputedPart,
    FiledVia,
    PrivacyDecision,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from clients.models import Assignment, Client, PrivacyRequest
from clients.services._common import fmt, today_or
from olteams.access import ClientAction, active_on, can
from olteams.audit import audit_record
from olteams.constants import AuditEventType, NotificationKind, Role
from olteams.models import User
from olteams.services.notifications import notification_create, notifications_close

MIN_REASON_LENGTH = 10


def term_due_on(received_on: dt.date) -> dt.date:
    """The statutory term: one calendar month after receipt; a month without that day
    ends on its last day (31 January → 28 or 29 February)."""
    return received_on + relativedelta(months=PRIVACY_TERM_MONTHS)


def extension_until(due_on: dt.date, months: int) -> dt.date:
    return due_on + relativedelta(months=months)


# --- who may ---------------------------------------------------------------------------


def may_file(user: Any, client: Client) -> bool:
    """Team members of the client's team (and assigned workers) and privacy officers."""
    return bool(getattr(user, "is_privacy_officer", False)) or can(
        user, client, ClientAction.VIEW_PRIVACY
    )


def may_decide(user: Any, client: Client) -> bool:
    """The privacy officers and the leads of the client's team decide and extend (the team
    lead answers for the file; the privacy officer for the AVG)."""
    return can(user, client, ClientAction.DECIDE_PRIVACY)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("U mag dit privacyverzoek niet behandelen."))


# --- notifications and audit -------------------------------------------------------------


def _recipients(client: Client, *, day: dt.date, exclude: Any = None) -> list[User]:
    officers = list(User.objects.filter(is_privacy_officer=True, is_active=True))
    casemanagers = [
        a.worker
        for a in Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"),
            client=client,
            role=AssignmentRole.CASEMANAGER,
            worker__is_active=True,
        ).select_related("worker")
    ]
    exclude_pk = getattr(exclude, "pk", None)
    return [u for u in {u.pk: u for u in officers + casemanagers}.values() if u.pk != exclude_pk]


def _url(pr: PrivacyRequest) -> str:
    return reverse(
        "clients:privacy-request-detail", kwargs={"client_id": pr.client_id, "pk": pr.pk}
    )


def _notify(
    pr: PrivacyRequest,
    *,
    title: str,
    body: str = "",
    kind: str = NotificationKind.INFO,
    day: dt.date,
    exclude: Any = None,
    dedupe_key: str = "",
) -> int:
    return notification_create(
        recipients=_recipients(pr.client, day=day, exclude=exclude),
        kind=kind,
        title=title,
        body=body,
        url=_url(pr),
        client_id=pr.client_id,
        due_on=pr.deadline,
        dedupe_key=dedupe_key,
    )


def _audit(pr: PrivacyRequest, *, actor: Any, event_type: str, detail: str, request: Any) -> None:
    role = ""
    # The privacy officer outside the client's team acts as privacy officer.
    officer = actor is not None and getattr(actor, "is_privacy_officer", False)
    if officer and not can(actor, pr.client, ClientAction.VIEW):
        role = Role.PRIVACY_OFFICER
    # Filed or withdrawn in the portal: the client is the actor (olteams.portal).
    principal = getattr(request, "portal", None) if actor is None else None
    audit_record(
        user=actor,
        event_type=event_type,
        request=request,
        client_id=pr.client_id,
        obj=pr,
        role=principal.kind if principal is not None else role,
        username=principal.audit_label if principal is not None else "",
        grounds="portaal" if principal is not None else "",
        detail=detail,
    )


def _label(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# --- the writes ---------------------------------------------------------------------------


def _clean_filing(
    *,
    kind: str,
    description: str,
    disputed: str,
    disputed_other: str,
    received_on: Any,
    filed_via: str,
    day: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in PrivacyRequestKind.values:
        errors["kind"] = _("Kies de soort verzoek.")
    if not description:
        errors["description"] = _("Beschrijf het verzoek in de woorden van de cliënt.")
    if disputed not in DisputedPart.values:
        errors["disputed"] = _("Kies welk deel van het dossier het verzoek betreft.")
    elif disputed == DisputedPart.OTHER and not disputed_other:
        errors["disputed_other"] = _("Omschrijf welke gegevens het verzoek betreft.")
    if not isinstance(received_on, dt.date):
        errors["received_on"] = _("Vul de datum van ontvangst in.")
    elif received_on > day:
        errors["received_on"] = _("De datum van ontvangst ligt in de toekomst.")
    if filed_via not in FiledVia.values:
        errors["filed_via"] = _("Kies hoe het verzoek binnenkwam.")
    return errors


def file_request(
    client: Client,
    *,
    kind: str,
    description: str,
    disputed: str,
    received_on: dt.date,
    filed_via: str,
    filed_by: Any = None,
    filed_by_label: str = "",
    disputed_other: str = "",
    request: Any = None,
    today: dt.date | None = None,
) -> PrivacyRequest:
    """Register a privacy request of ``client`` received on ``received_on``; the term runs
    from that day (``term_due_on``). ``filed_by`` is the staff user who registers a written
    or spoken request (a team member of the client or a privacy officer); the portal files
    without one and names the filer in ``filed_by_label`` (for example "cliënt via portaal").
    Records a CREATE audit event and notifies the privacy officers and the casemanager."""
    day = today_or(today)
    if filed_by is not None:
        _require(may_file(filed_by, client))
    description = (description or "").strip()
    disputed_other = (disputed_other or "").strip()
    filed_by_label = (filed_by_label or "").strip() or _label(filed_by)
    errors = _clean_filing(
        kind=kind,
        description=description,
        disputed=disputed,
        disputed_other=disputed_other,
        received_on=received_on,
        filed_via=filed_via,
        day=day,
    )
    if not filed_by_label:
        errors["filed_by_label"] = _("Vermeld wie het verzoek indiende.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pr = PrivacyRequest.objects.create(
            client=client,
            kind=kind,
            description=description,
            disputed_part=disputed,
            disputed_other=disputed_other if disputed == DisputedPart.OTHER else "",
            received_on=received_on,
            filed_via=filed_via,
            filed_by=filed_by,
            filed_by_label=filed_by_label[:200],
            due_on=term_due_on(received_on),
        )
        _audit(
            pr,
            actor=filed_by,
            event_type=AuditEventType.CREATE,
            detail=f"privacyverzoek geregistreerd ({pr.kind}, {pr.filed_via})",
            request=request,
        )
        _notify(
            pr,
            kind=NotificationKind.TASK,
            title=_("Nieuw privacyverzoek (%(kind)s) van cliëntnummer %(client)s")
            % {"kind": pr.get_kind_display(), "client": client.pk},
            body=_("Beslissing uiterlijk %(date)s.") % {"date": fmt(pr.due_on)},
            day=day,
            exclude=filed_by,
            dedupe_key=f"privacy:{pr.pk}:filed",
        )
    return pr


def _locked_open(pr: PrivacyRequest) -> PrivacyRequest:
    locked = PrivacyRequest.objects.select_for_update().select_related("client").get(pk=pr.pk)
    if locked.status != PrivacyRequestStatus.OPEN:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    return locked


def extend(
    privacy_request: PrivacyRequest,
    *,
    actor: Any,
    months: int,
    reason: str,
    client_told_on: dt.date,
    request: Any = None,
    today: dt.date | None = None,
) -> PrivacyRequest:
    """Extend the term by ``months`` (1 or 2) beyond the statutory term: at most two months
    in all (AVG art. 12(3)), with a reason. The client must be told of the extension and its
    reason within the first month: ``client_told_on`` is that day, no later than the
    statutory term and not in the future. A second extension may only lengthen the first."""
    day = today_or(today)
    _require(may_decide(actor, privacy_request.client))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if months not in range(1, PRIVACY_MAX_EXTENSION_MONTHS + 1):
        errors["months"] = _("Verleng met 1 of 2 maanden (samen hooguit 2 maanden).")
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = _("Geef de reden van de verlenging (minstens %(n)s tekens).") % {
            "n": MIN_REASON_LENGTH
        }
    if not isinstance(client_told_on, dt.date):
        errors["client_told_on"] = _("Vul in wanneer de cliënt is geïnformeerd.")
    elif client_told_on > day:
        errors["client_told_on"] = _("Deze datum ligt in de toekomst.")
    elif client_told_on > privacy_request.due_on:
        errors["client_told_on"] = _(
            "De cliënt moet binnen de eerste maand (uiterlijk %(date)s) over de verlenging "
            "worden geïnformeerd."
        ) % {"date": fmt(privacy_request.due_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pr = _locked_open(privacy_request)
        until = extension_until(pr.due_on, months)
        if pr.extended_until is not None and until <= pr.extended_until:
            raise ValidationError(
                {"months": _("Het verzoek is al verlengd tot %(date)s.") % {"date": fmt(until)}}
            )
        pr.extended_until = until
        pr.extension_reason = reason
        pr.extension_told_on = client_told_on
        pr.extended_by = actor
        pr.save(
            update_fields=["extended_until", "extension_reason", "extension_told_on", "extended_by"]
        )
        _audit(
            pr,
            actor=actor,
            event_type=AuditEventType.UPDATE,
            detail=f"privacyverzoek verlengd tot {until.isoformat()}",
            request=request,
        )
        _notify(
            pr,
            title=_("Privacyverzoek van cliëntnummer %(client)s verlengd tot %(date)s")
            % {"client": pr.client_id, "date": fmt(until)},
            body=reason,
            day=day,
            exclude=actor,
        )
    return pr


def _close_reminders(pr: PrivacyRequest) -> None:
    notifications_close(
        dedupe_keys=[
            f"privacy:{pr.pk}:filed",
            f"privacy:{pr.pk}:soon:{pr.deadline.isoformat()}",
            f"privacy:{pr.pk}:overdue:{pr.deadline.isoformat()}",
        ]
    )


def decide(
    privacy_request: PrivacyRequest,
    *,
    actor: Any,
    decision: str,
    reason: str,
    request: Any = None,
    now: dt.datetime | None = None,
) -> PrivacyRequest:
    """Decide an open request: granted, partly granted or refused, always with a reason
    (the client is told why; a refusal also how to object). The dispute mark in the file
    ends with the decision. A granted removal of the whole file (Wgbo art. 7:455) makes the
    retention batch that a functional administrator confirms (``destroy_client_file``);
    it is refused, and nothing is decided, while the client is still in care."""
    _require(may_decide(actor, privacy_request.client))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if decision not in PrivacyDecision.values:
        errors["decision"] = _("Kies de beslissing.")
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = _("Motiveer de beslissing (minstens %(n)s tekens).") % {
            "n": MIN_REASON_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    moment = now or timezone.now()
    with transaction.atomic():
        pr = _locked_open(privacy_request)
        pr.status = PrivacyRequestStatus.DECIDED
        pr.decision = decision
        pr.decision_reason = reason
        pr.decided_by = actor
        pr.decided_at = moment
        pr.save(update_fields=["status", "decision", "decision_reason", "decided_by", "decided_at"])
        if (
            pr.kind == PrivacyRequestKind.REMOVAL
            and pr.disputed_part == DisputedPart.WHOLE_FILE
            and decision == PrivacyDecision.GRANTED
        ):
            from clients.services.retention import destroy_client_file

            try:
                destroy_client_file(
                    pr.client,
                    reason=_("Verzoek tot vernietiging (%(pk)s): %(reason)s")
                    % {"pk": pr.pk, "reason": reason},
                    confirmed_by=actor,
                    privacy_request_id=pr.pk,
                )
            except ValidationError as exc:
                raise ValidationError({"decision": exc.messages}) from exc
        _audit(
            pr,
            actor=actor,
            event_type=AuditEventType.UPDATE,
            detail=f"privacyverzoek besloten: {decision}",
            request=request,
        )
        _close_reminders(pr)
        _notify(
            pr,
            title=_("Privacyverzoek van cliëntnummer %(client)s: %(decision)s")
            % {"client": pr.client_id, "decision": pr.get_decision_display().lower()},
            body=reason,
            day=timezone.localdate(moment),
            exclude=actor,
        )
    return pr


def withdraw(
    privacy_request: PrivacyRequest,
    *,
    actor: Any = None,
    actor_label: str = "",
    note: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> PrivacyRequest:
    """The client withdraws an open request: registered by a staff member who may file
    requests for the client, or by the portal (``actor`` None, ``actor_label`` says who)."""
    if actor is not None:
        _require(may_file(actor, privacy_request.client))
    label = (actor_label or "").strip() or _label(actor)
    if not label:
        raise ValidationError({"actor_label": _("Vermeld wie het verzoek introk.")})
    moment = now or timezone.now()
    with transaction.atomic():
        pr = _locked_open(privacy_request)
        pr.status = PrivacyRequestStatus.WITHDRAWN
        pr.withdrawn_at = moment
        pr.withdrawn_by_label = label[:200]
        pr.withdrawal_note = (note or "").strip()
        pr.save(update_fields=["status", "withdrawn_at", "withdrawn_by_label", "withdrawal_note"])
        _audit(
            pr,
            actor=actor,
            event_type=AuditEventType.UPDATE,
            detail="privacyverzoek ingetrokken",
            request=request,
        )
        _close_reminders(pr)
        _notify(
            pr,
            title=_("Privacyverzoek van cliëntnummer %(client)s ingetrokken")
            % {"client": pr.client_id},
            body=pr.withdrawal_note,
            day=timezone.localdate(moment),
            exclude=actor,
        )
    return pr


# --- the daily reminders ------------------------------------------------------------------


def _open_requests_due_by(day: dt.date) -> Iterable[PrivacyRequest]:
    from django.db.models import Q

    horizon = day + dt.timedelta(days=PRIVACY_DUE_SOON_DAYS)
    return (
        PrivacyRequest.objects.filter(status=PrivacyRequestStatus.OPEN)
        .filter(
            Q(extended_until__isnull=True, due_on__lte=horizon)
            | Q(extended_until__isnull=False, extended_until__lte=horizon)
        )
        .select_related("client")
        .order_by("pk")
    )


def send_reminders(*, today: dt.date | None = None) -> int:
    """The daily job: an open request whose deadline is within 7 days gets one "due soon"
    notice, one past its deadline one "overdue" notice, to the privacy officers and the
    casemanager. Once per state and deadline (an extension starts afresh): the dedupe key
    makes a second run, or two at once, send nothing twice. Returns the notices created."""
    day = today_or(today)
    created = 0
    for pr in _open_requests_due_by(day):
        deadline = pr.deadline
        if deadline < day:
            state, kind = "overdue", NotificationKind.ESCALATION
            title = _("Privacyverzoek van cliëntnummer %(client)s is te laat (termijn %(date)s)")
        else:
            state, kind = "soon", NotificationKind.REMINDER
            title = _("Privacyverzoek van cliëntnummer %(client)s: beslissing uiterlijk %(date)s")
        created += _notify(
            pr,
            kind=kind,
            title=title % {"client": pr.client_id, "date": fmt(deadline)},
            body=str(pr.get_kind_display()),
            day=day,
            dedupe_key=f"privacy:{pr.pk}:{state}:{deadline.isoformat()}",
        )
    return created
