"""The shared list export: CSV cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import datetime as dt

from olteams.exports import export_response


def _csv(rows: list[list[object]]) -> str:
    response = export_response(iter(rows), fmt="csv", filename="lijst")
    return b"".join(response.streaming_content).decode()  # type: ignore[union-attr]


def test_formula_cells_are_prefixed_and_plain_values_kept():
    text = _csv([['=HYPERLINK("x")', "+31", "-5", "@SUM(A1)", "Jansen", 7, dt.date(2026, 3, 1)]])
    assert text.strip() == '"\'=HYPERLINK(""x"")";\'+31;\'-5;\'@SUM(A1);Jansen;7;2026-03-01'


def test_xlsx_export_is_a_spreadsheet_attachment():
    response = export_response(iter([["a", 1]]), fmt="xlsx", filename="lijst")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="lijst-')
