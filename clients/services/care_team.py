"""The client's care team, involved organisations, naasten and the consent register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from clients.constants import (
    ROLE_DISCIPLINES,
    AssignmentRole,
    ExternalPartyKind,
    FundingStream,
    NaasteRole,
    ShareScope,
)
from clients.models import (
    Assignment,
    Client,
    Consent,
    ExternalParty,
    Intake,
    InvolvedOrganisation,
    Naaste,
)
from clients.services._common import fmt, strip_all, today_or
from olteams.access import ClientAction, active_memberships, can, require_client, team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, ConsentPurpose, DataCategory, TeamRole
from olteams.models import Municipality, Organisation

LEAD_ROLES = (
    AssignmentRole.CASEMANAGER,
    AssignmentRole.REGIEBEHANDELAAR,
    AssignmentRole.CASUSREGISSEUR,
)


def _check_discipline(worker: Any, role: str, day: dt.date) -> None:
    allowed = ROLE_DISCIPLINES.get(role)
    disciplines = set(active_memberships(worker, today=day).values_list("discipline", flat=True))
    if not disciplines:
        raise ValidationError(
            {"worker": _("%(name)s is op deze datum geen lid van een team.") % {"name": worker}}
        )
    if allowed is not None and not disciplines & allowed:
        raise ValidationError(
            {
                "worker": _(
                    "De rol %(role)s vraagt een psychiater, GZ-psycholoog, verslavingsarts of "
                    "verpleegkundig specialist."
                )
                % {"role": AssignmentRole(role).label}
            }
        )


@transaction.atomic
def assignment_set(
    *,
    actor: Any,
    client: Client,
    worker: Any,
    role: str,
    start_date: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> Assignment:
    """Give ``worker`` a role in the client's care team from ``start_date``. A casemanager or
    regiebehandelaar replaces the current one (that assignment ends the day before).

    A care-team role opens the client's file to the worker, so: the zorgsecretariaat cannot
    grant it; a worker of the client's own team can be added by its members; a worker of
    another team only by the lead of the client's team, with a reason. Every grant is an
    audit event on the client (the reason in it), and the reason is kept on the assignment."""
    require_client(actor, client)
    _require_may_grant(actor, client, worker, reason)
    if role not in AssignmentRole.values:
        raise ValidationError({"role": _("Kies een rol.")})
    if start_date is None:
        raise ValidationError({"start_date": _("Vul de begindatum in.")})
    _check_discipline(worker, role, start_date)
    open_rows = Assignment.objects.select_for_update().filter(
        client=client, role=role, end_date__isnull=True
    )
    if open_rows.filter(worker=worker).exists():
        return open_rows.get(worker=worker)
    if role in LEAD_ROLES:
        for current in open_rows:
            if current.start_date >= start_date:
                raise ValidationError(
                    {
                        "start_date": _(
                            "De huidige %(role)s begon op %(date)s; kies een latere begindatum."
                        )
                        % {
                            "role": AssignmentRole(role).label.lower(),
                            "date": fmt(current.start_date),
                        }
                    }
                )
            current.end_date = start_date - dt.timedelta(days=1)
            current.save(update_fields=["end_date"])
    assignment = Assignment.objects.create(
        client=client,
        worker=worker,
        role=role,
        start_date=start_date,
        cross_team_reason=reason.strip() if _other_team(worker, client) else "",
    )
    _audit_grant(actor, client, assignment)
    return assignment


def _other_team(worker: Any, client: Client) -> bool:
    return client.team_id not in team_ids_for(worker)


def _roles_in_team(actor: Any, client: Client) -> set[str]:
    return set(
        active_memberships(actor).filter(team_id=client.team_id).values_list("role", flat=True)
    )


def can_grant_care_team(actor: Any, client: Client) -> bool:
    """Members and the lead of the client's team may add to its care team; the
    zorgsecretariaat (and anyone outside the team) may not."""
    return bool(_roles_in_team(actor, client) - {TeamRole.SECRETARIAAT})


def can_grant_other_team(actor: Any, client: Client) -> bool:
    """Only the lead of the client's team may add a worker of another team (with a reason)."""
    return TeamRole.LEAD in _roles_in_team(actor, client)


def _require_may_grant(actor: Any, client: Client, worker: Any, reason: str) -> None:
    roles = _roles_in_team(actor, client)
    if not roles - {TeamRole.SECRETARIAAT}:
        raise PermissionDenied(
            _(
                "Het zorgsecretariaat kan geen zorgteamleden toevoegen: dat geeft toegang tot "
                "het dossier. Vraag de teamleider of een teamlid."
            )
        )
    if worker is None or not _other_team(worker, client):
        return
    if TeamRole.LEAD not in roles:
        raise PermissionDenied(  # the same rule as can_grant_other_team
            _("Alleen de teamleider kan een medewerker van een ander team toevoegen.")
        )
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Vul de reden in waarom een medewerker van een ander team meedoet.")}
        )


def _audit_grant(actor: Any, client: Client, assignment: Assignment) -> None:
    detail = f"zorgteam: {assignment.worker} als {assignment.get_role_display()}"
    if assignment.cross_team_reason:
        detail += f" (ander team; reden: {assignment.cross_team_reason})"
    audit_record(
        user=actor,
        event_type=AuditEventType.CREATE,
        client_id=client.pk,
        obj=assignment,
        detail=detail,
    )


@transaction.atomic
def assignment_end(*, actor: Any, assignment: Assignment, end_date: dt.date) -> Assignment:
    require_client(actor, assignment.client)
    if end_date is None or end_date < assignment.start_date:
        raise ValidationError(
            {
                "end_date": _("De einddatum ligt vóór de begindatum (%(date)s).")
                % {"date": fmt(assignment.start_date)}
            }
        )
    if assignment.end_date is not None:
        raise ValidationError({"end_date": _("Deze toewijzing is al beëindigd.")})
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


@transaction.atomic
def involved_organisation_add(
    *,
    actor: Any,
    client: Client,
    organisation: Organisation,
    start_date: dt.date,
    funding_stream: str = FundingStream.NONE,
    end_date: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> InvolvedOrganisation:
    """Record an organisation involved in the client's care, with its funding stream (or
    'nog geen': care may start before funding is arranged)."""
    require_client(actor, client)
    if organisation is None:
        raise ValidationError({"organisation": _("Kies een organisatie.")})
    if funding_stream not in FundingStream.values:
        raise ValidationError({"funding_stream": _("Kies een financiering.")})
    if start_date is None:
        raise ValidationError({"start_date": _("Vul de begindatum in.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    existing = InvolvedOrganisation.objects.filter(
        client=client,
        organisation=organisation,
        funding_stream=funding_stream,
        end_date__isnull=True,
    ).first()
    if existing is not None and end_date is None:
        return existing
    return InvolvedOrganisation.objects.create(
        client=client,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        funding_stream=funding_stream,
        note=note.strip(),
    )


@transaction.atomic
def involved_organisation_end(
    *, actor: Any, involved: InvolvedOrganisation, end_date: dt.date
) -> InvolvedOrganisation:
    require_client(actor, involved.client)
    if end_date is None or end_date < involved.start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    involved.end_date = end_date
    involved.save(update_fields=["end_date"])
    return involved


EXTERNAL_PARTY_FIELDS = (
    "name",
    "kind",
    "contact_name",
    "phone",
    "email",
    "address",
    "activity",
    "start_date",
    "end_date",
)


def _validate_external_party(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EXTERNAL_PARTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown external party fields: {sorted(unknown)}")
    fields = strip_all(fields)
    errors: dict[str, str] = {}
    if not fields.get("name"):
        errors["name"] = _("Vul de naam van de partij in.")
    if fields.get("kind") not in ExternalPartyKind.values:
        errors["kind"] = _("Kies wat voor partij het is.")
    if not fields.get("activity"):
        errors["activity"] = _("Beschrijf kort wat zij doen voor de cliënt.")
    if fields.get("start_date") is None:
        errors["start_date"] = _("Vul de begindatum in.")
    elif fields.get("end_date") is not None and fields["end_date"] < fields["start_date"]:
        errors["end_date"] = _("De einddatum ligt vóór de begindatum.")
    email = fields.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Vul een geldig e-mailadres in.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def external_party_add(*, actor: Any, client: Client, **fields: Any) -> ExternalParty:
    """Record a party beyond the partner organisations (day care, peer group, sports club,
    volunteers, the partner as mantelzorger) with contact details and what they do."""
    require_client(actor, client)
    fields.setdefault("end_date", None)
    data = _validate_external_party(fields)
    return ExternalParty.objects.create(client=client, **data)


@transaction.atomic
def external_party_update(*, actor: Any, party: ExternalParty, **fields: Any) -> ExternalParty:
    require_client(actor, party.client)
    current = {name: getattr(party, name) for name in EXTERNAL_PARTY_FIELDS}
    data = _validate_external_party(current | fields)
    for name, value in data.items():
        setattr(party, name, value)
    party.save()
    return party


@transaction.atomic
def external_party_end(*, actor: Any, party: ExternalParty, end_date: dt.date) -> ExternalParty:
    require_client(actor, party.client)
    if end_date is None or end_date < party.start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    party.end_date = end_date
    party.save(update_fields=["end_date"])
    return party


NAASTE_FIELDS = (
    "name",
    "relation",
    "phone",
    "email",
    "role",
    "invited_to_intake",
    "present_at_intake",
    "share_scope",
    "share_note",
    "zag_due_on",
    "ended_on",
)


def _validate_naaste(fields: dict[str, Any]) -> dict[str, Any]:
    fields = strip_all(fields)
    errors: dict[str, str] = {}
    if "name" in fields and not fields["name"]:
        errors["name"] = _("Vul de naam van de naaste in.")
    if "relation" in fields and not fields["relation"]:
        errors["relation"] = _(
            "Vul de relatie tot de cliënt in, bijvoorbeeld 'moeder' of 'buurman'."
        )
    if "role" in fields and fields["role"] not in NaasteRole.values:
        errors["role"] = _("Kies de rol van de naaste.")
    if "share_scope" in fields and fields["share_scope"] not in ShareScope.values:
        errors["share_scope"] = _("Kies wat met de naaste gedeeld mag worden.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def naaste_add(
    *, actor: Any, client: Client, name: str, relation: str, role: str, **fields: Any
) -> Naaste:
    """Add a naaste; a relation to the client is required. The team adds them, and so does
    the Wmo consultant who deals with the client (the partner present at the onderzoek)."""
    if not can(actor, client, ClientAction.DECIDE_WMO):
        require_client(actor, client)
    unknown = set(fields) - set(NAASTE_FIELDS)
    if unknown:
        raise TypeError(f"unknown naaste fields: {sorted(unknown)}")
    data = _validate_naaste({"name": name, "relation": relation, "role": role, **fields})
    naaste = Naaste.objects.create(client=client, **data)
    _sync_intake_invitation(client)
    return naaste


@transaction.atomic
def naaste_update(*, actor: Any, naaste: Naaste, **fields: Any) -> Naaste:
    require_client(actor, naaste.client)
    unknown = set(fields) - set(NAASTE_FIELDS)
    if unknown:
        raise TypeError(f"unknown naaste fields: {sorted(unknown)}")
    data = _validate_naaste(fields)
    for name, value in data.items():
        setattr(naaste, name, value)
    naaste.save()
    _sync_intake_invitation(naaste.client)
    return naaste


def _sync_intake_invitation(client: Client) -> None:
    """The planned intake's "naaste uitgenodigd" follows the naasten's own flags, so the
    intake and the naaste never disagree (intake_plan sets both the other way round)."""
    invited = Naaste.objects.filter(client=client, ended_on__isnull=True, invited_to_intake=True)
    Intake.objects.filter(
        episode__client=client, episode__ended_on__isnull=True, completed_at__isnull=True
    ).update(naaste_invited=invited.exists())


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    client: Client,
    category: str,
    purpose: str,
    given_on: dt.date,
    purpose_kind: str = ConsentPurpose.CARE,
    recipient_organisation: Organisation | None = None,
    recipient_municipality: Municipality | None = None,
    recipient_role: str = "",
    today: dt.date | None = None,
) -> Consent:
    """Record the client's consent to share one category of data with a recipient for a
    purpose (``ConsentPurpose``; the free text explains it). Consent for a Wmo request
    names the municipality it goes to."""
    day = today_or(today)
    require_client(actor, client)
    errors: dict[str, str] = {}
    if (
        recipient_organisation is None
        and recipient_municipality is None
        and not recipient_role.strip()
    ):
        errors["recipient_organisation"] = _(
            "Kies een ontvangende organisatie of gemeente, of vul een rol in."
        )
    if category not in DataCategory.values:
        errors["category"] = _("Kies om welke gegevens het gaat.")
    if purpose_kind not in ConsentPurpose.values:
        errors["purpose_kind"] = _("Kies het doel van het delen.")
    elif purpose_kind == ConsentPurpose.WMO_REQUEST and recipient_municipality is None:
        errors["recipient_municipality"] = _("Kies de gemeente die de Wmo-aanvraag ontvangt.")
    if not purpose.strip():
        errors["purpose"] = _("Vul het doel van het delen in.")
    if given_on is None:
        errors["given_on"] = _("Vul de datum in waarop de toestemming is gegeven.")
    elif given_on > day:
        errors["given_on"] = _("De datum ligt in de toekomst.")
    if errors:
        raise ValidationError(errors)
    return Consent.objects.create(
        client=client,
        recipient_organisation=recipient_organisation,
        recipient_municipality=recipient_municipality,
        recipient_role=recipient_role.strip(),
        category=category,
        purpose_kind=purpose_kind,
        purpose=purpose.strip(),
        given_on=given_on,
        recorded_by=actor,
    )


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: Consent, withdrawn_on: dt.date, today: dt.date | None = None
) -> Consent:
    day = today_or(today)
    require_client(actor, consent.client)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("Deze toestemming is al ingetrokken.")})
    if withdrawn_on is None or withdrawn_on > day:
        raise ValidationError({"withdrawn_on": _("De datum ligt in de toekomst.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("De datum ligt vóór de datum van toestemming.")})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    return consent
