"""The portal's care pages: "Mijn team" (who helps me, how to reach them, crisis numbers),
"Mijn afspraken" (coming and past month) and "Contacten met het team" (the reports).

Each view gets the client from the portal guard; the reads are in
``caseload.selectors.portal``, which also says which fields are never shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseload.constants import AppointmentPlace, AppointmentState, ContactKind
from caseload.portal.views import portal_render
from caseload.selectors.portal import (
    PORTAL_AHEAD_DAYS,
    PORTAL_PAST_DAYS,
    portal_appointments,
    portal_care_team,
    portal_contacts,
    portal_crisis_contacts,
)
from clients.constants import AssignmentRole, PortalShare
from olteams.access import PortalPrincipal
from olteams.pagination import paginate
from olteams.portal import portal_view

CONTACTS_PER_PAGE = 20

# What each role in the care team does, in plain words (B1).
ROLE_HELP: dict[str, Promise] = {
    AssignmentRole.CASEMANAGER: _("Uw vaste contactpersoon. Regelt samen met u uw zorg."),
    AssignmentRole.CASUSREGISSEUR: _(
        "Uw vaste contactpersoon. Houdt het overzicht over alle hulp die u krijgt."
    ),
    AssignmentRole.REGIEBEHANDELAAR: _("Is verantwoordelijk voor uw behandeling."),
    AssignmentRole.PSYCHIATER: _("Arts voor psychische klachten. Kan medicijnen voorschrijven."),
    AssignmentRole.BEGELEIDER: _("Helpt u thuis en bij wat u elke dag doet."),
    AssignmentRole.ERVARINGSDESKUNDIGE: _(
        "Heeft zelf psychische problemen gehad. Weet hoe herstel gaat."
    ),
    AssignmentRole.IPS: _("Helpt u bij het vinden en houden van werk."),
    AssignmentRole.WELZIJNSWERKER: _("Helpt u met meedoen in de buurt, met geld en wonen."),
}

# Where an appointment is, in words that fit both the client and a naaste.
PLACE_LABELS: dict[str, Promise] = {
    AppointmentPlace.HOME: _("Thuis"),
    AppointmentPlace.TEAM_OFFICE: _("Op de teamlocatie"),
    AppointmentPlace.PHONE: _("Telefoongesprek"),
    AppointmentPlace.VIDEO: _("Beeldbellen"),
    AppointmentPlace.ELSEWHERE: _("Ergens anders"),
}

# The kind of a contact, without the team's jargon.
KIND_LABELS: dict[str, Promise] = {
    ContactKind.HOME: _("Bezoek thuis"),
    ContactKind.TEAM_LOCATION: _("Gesprek op de teamlocatie"),
    ContactKind.NEIGHBOURHOOD: _("Afspraak in de buurt"),
    ContactKind.PHONE: _("Telefoongesprek"),
    ContactKind.VIDEO: _("Beeldbellen"),
    ContactKind.WRITTEN: _("E-mail of brief"),
    ContactKind.GROUP: _("Groepsbijeenkomst"),
    ContactKind.MDO: _("Overleg van het team (MDO)"),
}


def tel_href(number: Any) -> str:
    """The ``tel:`` link of a phone number as typed ("088 123 45 67", "+31 (0)6-1234"):
    its digits, a leading plus kept."""
    text = str(number).strip().replace("(0)", "")
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


@dataclass(frozen=True)
class Phone:
    label: str | Promise
    number: str
    help: str | Promise = ""

    @property
    def href(self) -> str:
        return tel_href(self.number)


NATIONAL_CRISIS_LINES = (
    Phone(_("Alarmnummer"), "112", _("Bij levensgevaar. Bijvoorbeeld als iemand in gevaar is.")),
    Phone(
        _("113 Zelfmoordpreventie"),
        "113",
        _("Denkt u aan zelfmoord? Praat erover. Dag en nacht, anoniem."),
    ),
    Phone(_("113 Zelfmoordpreventie, gratis"), "0800-0113", _("Gratis bellen, dag en nacht.")),
)


@portal_view(client_only=True, detail="mijn team")
def team(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    members = portal_care_team(client=client)
    plan_contacts = [
        Phone(contact.name, contact.phone, contact.role)
        for contact in portal_crisis_contacts(client=client)
    ]
    care_team = client.team
    context = {
        "members": [(member, ROLE_HELP.get(member.assignment.role, "")) for member in members],
        "care_team": care_team,
        "team_phone": Phone(care_team.name, care_team.phone) if care_team.phone else None,
        "team_crisis": (
            Phone(
                _("Crisislijn van uw team"),
                care_team.crisis_phone,
                _("Als het team niet bereikbaar is, 's avonds, 's nachts en in het weekend."),
            )
            if care_team.crisis_phone
            else None
        ),
        "plan_contacts": plan_contacts,
        "national_lines": NATIONAL_CRISIS_LINES,
    }
    return portal_render(request, principal, "portal/team.html", context)


@portal_view(share=PortalShare.APPOINTMENTS, detail="afspraken")
def appointments(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    coming, past = portal_appointments(client=client)
    context = {
        "client": client,
        "coming": [_appointment_row(a) for a in coming],
        "past": [_appointment_row(a) for a in past],
        "ahead_days": PORTAL_AHEAD_DAYS,
        "past_days": PORTAL_PAST_DAYS,
        "team_address": ", ".join(part for part in (client.team.address, client.team.city) if part),
    }
    return portal_render(request, principal, "portal/appointments.html", context)


def _appointment_row(appointment: Any) -> dict[str, Any]:
    return {
        "obj": appointment,
        "place_label": PLACE_LABELS.get(appointment.place_kind, ""),
        "kind_label": KIND_LABELS.get(appointment.kind, ""),
        "cancelled": appointment.state == AppointmentState.CANCELLED,
        "at_team": appointment.place_kind == AppointmentPlace.TEAM_OFFICE,
    }


@portal_view(share=PortalShare.CONTACTS, detail="contacten")
def contacts(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    page = paginate(request, portal_contacts(client=client), per_page=CONTACTS_PER_PAGE)
    rows = [(contact, KIND_LABELS.get(contact.kind, "")) for contact in page.object_list]
    context = {"client": client, "page": page, "rows": rows}
    return portal_render(request, principal, "portal/contacts.html", context)
