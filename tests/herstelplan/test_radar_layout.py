"""The I.ROC radar keeps every indicator name inside its viewBox (issue 11: labels were clipped
on the screen and in the plan PDF). Text widths are measured with the real DejaVu Sans Bold."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from herstelplan.charts import iroc_radar_chart

ImageFont = pytest.importorskip("PIL.ImageFont")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
REGULAR = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SVG = "{http://www.w3.org/2000/svg}"

# The wording of fixtures/iroc_items.json, the longest ones included.
LABELS = {
    1: "Geestelijke gezondheid",
    2: "Vaardigheden voor het dagelijks leven",
    3: "Veiligheid en comfort",
    4: "Lichamelijke gezondheid",
    5: "Bewegen en activiteit",
    6: "Doel en richting",
    7: "Persoonlijk netwerk",
    8: "Sociaal netwerk",
    9: "Jezelf waarderen",
    10: "Meedoen en zeggenschap",
    11: "Zelfmanagement",
    12: "Hoop voor de toekomst",
}
AREAS = {n: ("thuis", "kansen", "mensen", "empowerment")[(n - 1) // 3] for n in LABELS}


def _chart():
    return iroc_radar_chart(
        labels=LABELS,
        areas=AREAS,
        current=dict.fromkeys(LABELS, 6),
        current_name="Nu (17 mei 2026)",
        previous=dict.fromkeys(LABELS, 1),
        previous_name="Vorige keer (17 februari 2026)",
    )


def _text_boxes(root):
    """(left, top, right, bottom, text) of every line of text, measured in the real font."""
    if not BOLD.exists():
        pytest.skip("DejaVu fonts not installed")
    bold, regular = ImageFont.truetype(str(BOLD), 11), ImageFont.truetype(str(REGULAR), 11)
    for text in root.iter(f"{SVG}text"):
        font = bold if text.get("font-weight") == "bold" else regular
        anchor = text.get("text-anchor", "start")
        lines = list(text.iter(f"{SVG}tspan")) or [text]
        for line in lines:
            content = line.text or ""
            width = font.getlength(content)
            x = float(line.get("x", text.get("x")))
            y = float(line.get("y", text.get("y")))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            yield left, y - 11, left + width, y + 3, content


def test_every_label_and_legend_line_lies_inside_the_viewbox():
    root = ElementTree.fromstring(_chart().svg)  # noqa: S314 — markup we rendered ourselves
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    assert root.get("width") == f"{width:.0f}" and root.get("height") == f"{height:.0f}"
    boxes = list(_text_boxes(root))
    assert len(boxes) > 12 + 6  # labels (some wrapped), ring numbers and the legend
    outside = [
        b[4]
        for b in boxes
        if b[0] < left or b[1] < top or b[2] > left + width or b[3] > top + height
    ]
    assert outside == []


def test_long_indicator_names_wrap_and_labels_do_not_overlap_the_legend():
    root = ElementTree.fromstring(_chart().svg)  # noqa: S314 — markup we rendered ourselves
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    lines = {
        t.find(f"{SVG}tspan").text: [s.text for s in t.iter(f"{SVG}tspan")]
        for t in root.iter(f"{SVG}text")
        if t.find(f"{SVG}tspan") is not None
    }
    assert lines["2. Vaardigheden"] == [
        "2. Vaardigheden",
        "voor het dagelijks",
        "leven",
    ]
    assert "Vorige keer (17 februari 2026)" in texts
    legend_x = min(float(r.get("x")) for r in root.iter(f"{SVG}rect"))
    label_right = max(b[2] for b in _text_boxes(root) if re.match(r"\d+\. ", b[4]))
    assert label_right < legend_x
