"""CSV and XLSX exports of the client lists (BSN stays masked, as in the lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from clients.constants import Phase
from olteams.exports import EXPORT_FORMATS, XLSX_TYPE, export_response

__all__ = ["EXPORT_FORMATS", "XLSX_TYPE", "client_rows", "export_response", "waiting_rows"]


def _phase_label(value: str | None) -> str:
    return str(Phase(value).label) if value else ""


def client_rows(clients: Iterable) -> Iterator[list]:
    yield [
        _("Cliëntnummer"),
        _("Naam"),
        _("Geboortedatum"),
        _("BSN"),
        _("Team"),
        _("Gemeente"),
        _("Fase"),
        _("Casemanager"),
    ]
    for c in clients.iterator(chunk_size=2000) if hasattr(clients, "iterator") else clients:
        yield [
            c.pk,
            c.full_name,
            c.date_of_birth,
            c.masked_bsn,
            c.team.name,
            c.municipality.name if c.municipality_id else "",
            _phase_label(c.phase),
            c.casemanager_name or "",
        ]


def waiting_rows(episodes: Iterable, today: dt.date) -> Iterator[list]:
    yield [
        _("Cliëntnummer"),
        _("Naam"),
        _("Team"),
        _("Aangemeld op"),
        _("Dagen wachtend"),
        _("Urgentie"),
        _("Verwijzer"),
        _("Voorzorgcontact"),
        _("Fase"),
        _("Intake gepland"),
    ]
    for e in episodes:
        referral = e.referral
        intake = getattr(e, "intake", None)
        yield [
            e.client_id,
            e.client.full_name,
            e.client.team.name,
            e.waiting_since,
            (today - e.waiting_since).days,
            referral.get_urgency_display() if referral else "",
            referral.get_source_display() if referral else "",
            _("ja") if e.voorzorg_contact_on else _("nee"),
            e.get_phase_display(),
            intake.planned_on if intake else "",
        ]
