"""CSV and XLSX list exports shared by every app (the caller audits the export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse

from olteams.text import strip_control_characters

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = strip_control_characters(value)
        if value.startswith(_FORMULA_PREFIXES):
            return "'" + value
    return "" if value is None else value


def _xlsx_value(value: object) -> object:
    """Older rows may hold a control character; openpyxl refuses those (a 500 before)."""
    return strip_control_characters(value) if isinstance(value, str) else value


def export_response(
    rows: Iterator[list], *, fmt: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    stamp = dt.date.today().isoformat()  # noqa: DTZ011 - only a file name
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
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
