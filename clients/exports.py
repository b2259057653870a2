"""CSV and XLSX exports of the client lists (BSN stays masked, as in the lists)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from clients.constants import Phase

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def export_response(
    rows: Iterator[list], *, fmt: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    stamp = dt.date.today().isoformat()  # noqa: DTZ011 - only a file name
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            buffer.getvalue(), content_type=XLSX_TYPE
        )
    else:
        writer = csv.writer(_Echo(), delimiter=";")
        response = StreamingHttpResponse(
            (writer.writerow([_csv_value(v) for v in row]) for row in rows),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response
