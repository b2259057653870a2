"""Server-rendered SVG charts: valid markup, accessible names, one mark per value."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from olteams.charts import Chart, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["jan", "feb", "mrt", "apr"]


def parse(chart: Chart) -> ET.Element:
    root = ET.fromstring(chart.svg)  # noqa: S314 — markup we rendered ourselves
    assert root.tag == f"{SVG}svg"
    return root


def test_line_chart_is_valid_svg_with_title_and_description():
    chart = line_chart(
        title="Cliënten in zorg",
        description="Aantal per maand, 2026",
        labels=LABELS,
        series=[Series("Assen", [10, 12, 15, 14])],
        uid="zorg",
    )
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "zorg-t zorg-d"
    assert root.find(f"{SVG}title").text == "Cliënten in zorg"
    assert root.find(f"{SVG}title").get("id") == "zorg-t"
    assert root.find(f"{SVG}desc").text == "Aantal per maand, 2026"
    assert (chart.title, chart.description, str(chart), chart.__html__()) == (
        "Cliënten in zorg",
        "Aantal per maand, 2026",
        chart.svg,
        chart.svg,
    )


def test_line_chart_draws_one_point_per_value_per_series():
    chart = line_chart(
        title="t",
        description="d",
        labels=LABELS,
        series=[Series("A", [1, 2, 3, 4]), Series("B", [4, 3, 2, 1])],
    )
    root = parse(chart)
    assert len(root.findall(f"{SVG}circle")) == 8
    assert len(root.findall(f"{SVG}polyline")) == 2


def test_line_chart_leaves_a_gap_for_missing_values():
    chart = line_chart(
        title="t", description="d", labels=LABELS, series=[Series("A", [5, None, 7, 8])]
    )
    root = parse(chart)
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 3
    [polyline] = root.findall(f"{SVG}polyline")
    assert len(polyline.get("points").split()) == 3


def test_points_rise_with_their_values():
    root = parse(
        line_chart(
            title="t", description="d", labels=["a", "b"], series=[Series("A", [Decimal("1.5"), 3])]
        )
    )
    low, high = (float(c.get("cy")) for c in root.findall(f"{SVG}circle"))
    assert high < low  # SVG y grows downwards


def test_bar_chart_has_one_bar_per_value_with_its_own_title():
    chart = bar_chart(
        title="Resultaat",
        description="Per team",
        labels=["Assen", "Emmen"],
        series=[Series("2025", [1200, 800]), Series("2026", [1500, None])],
    )
    root = parse(chart)
    bars = [r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "2025 Assen: 1\u202f200",
        "2025 Emmen: 800",
        "2026 Assen: 1\u202f500",
    ]


def test_negative_bars_hang_below_the_zero_line():
    root = parse(
        bar_chart(
            title="Resultaat", description="d", labels=["a", "b"], series=[Series("r", [50, -30])]
        )
    )
    positive, negative = (
        r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None
    )
    zero_y = float(positive.get("y")) + float(positive.get("height"))
    assert float(negative.get("y")) == zero_y
    assert float(negative.get("height")) > 0
    assert "-30" in negative.find(f"{SVG}title").text


def test_labels_and_legend_are_escaped():
    root = parse(
        line_chart(title="<b>&", description="d", labels=["<x>"], series=[Series("A & B", [1])])
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<x>" in texts
    assert "A & B" in texts
    assert root.find(f"{SVG}title").text == "<b>&"


def test_table_rows_give_the_same_numbers_as_a_table():
    chart = bar_chart(
        title="t",
        description="d",
        labels=["a", "b", "c"],
        series=[Series("x", [1, None, 3]), Series("y", [4, 5])],
    )
    assert chart.table_rows == [["a", 1, 4], ["b", None, 5], ["c", 3, None]]


def test_all_zero_and_empty_series_still_render():
    parse(line_chart(title="t", description="d", labels=["a"], series=[Series("A", [0])]))
    root = parse(bar_chart(title="t", description="d", labels=[], series=[]))
    assert root.find(f"{SVG}title").text == "t"
