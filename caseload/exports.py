"""CSV and XLSX exports of the caseload lists (the writer is the clients app's one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from caseload.selectors.overviews import MdoRow, WorkerLoad, WorkerMonthHours
from caseload.selectors.pages import CaseloadRow
from clients.constants import Phase
from olteams.exports import EXPORT_FORMATS, export_response

EXPORT_KINDS = ("mijn-caseload", "caseload-per-medewerker", "mdo", "uren")

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "caseload_rows",
    "export_response",
    "hours_rows",
    "mdo_rows",
    "worker_load_rows",
]


def _phase(value: str | None) -> str:
    return str(Phase(value).label) if value else ""


def caseload_rows(rows: Iterable[CaseloadRow]) -> Iterator[list]:
    yield [
        _("Cliëntnummer"),
        _("Naam"),
        _("Mijn rol"),
        _("Fase"),
        _("Laatste contact (team)"),
        _("Dagen geleden"),
        _("Evaluatie herstelplan"),
        _("I.ROC"),
        _("Wmo-indicatie loopt af"),
        _("Gesprek met naaste"),
    ]
    for row in rows:
        c: Any = row.client
        yield [
            c.pk,
            c.full_name,
            ", ".join(row.roles),
            _phase(c.phase),
            c.last_contact_on,
            row.last_contact_days,
            c.plan_due_on,
            c.iroc_due_on,
            c.wmo_end_on,
            c.naaste_due_on,
        ]


def worker_load_rows(rows: Iterable[WorkerLoad]) -> Iterator[list]:
    yield [
        _("Medewerker"),
        _("Organisatie"),
        _("Discipline"),
        _("FTE"),
        _("Cliënten"),
        _("Waarvan casemanager"),
        _("Cliënten per FTE"),
        _("Norm (cliënten)"),
        _("Boven de norm"),
    ]
    for w in rows:
        yield [
            w.worker.get_full_name() or w.worker.get_username(),
            w.organisation,
            w.discipline_label,
            w.fte,
            w.clients,
            w.casemanager_clients,
            w.per_fte,
            w.norm_clients if w.norm_applies else "",
            _("ja") if w.over_norm else _("nee"),
        ]


def mdo_rows(rows: Iterable[MdoRow], today: dt.date) -> Iterator[list]:
    yield [
        _("Cliëntnummer"),
        _("Naam"),
        _("Bespreken omdat"),
        _("Laatste contact"),
        _("Evaluatie herstelplan"),
        _("I.ROC"),
        _("Wmo-indicatie loopt af"),
    ]
    for row in rows:
        c: Any = row.client
        yield [
            c.pk,
            c.full_name,
            "; ".join(row.reasons),
            c.last_contact_on,
            c.plan_due_on,
            c.iroc_due_on,
            c.wmo_end_on,
        ]


def hours_rows(rows: Iterable[WorkerMonthHours]) -> Iterator[list]:
    yield [
        _("Medewerker"),
        _("Maand"),
        _("Direct (uren)"),
        _("Indirect (uren)"),
        _("Onbetaald (uren)"),
    ]
    for h in rows:
        yield [
            h.worker.get_full_name() or h.worker.get_username(),
            h.month.strftime("%Y-%m"),
            h.direct,
            h.indirect,
            h.unpaid,
        ]
