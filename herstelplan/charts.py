"""Server-rendered SVG charts of the herstelplan app: the I.ROC radar and the HoNOS trend.

Same style and ``Chart`` type as ``olteams.charts``: the page and the plan PDF embed the same
markup, and ``Chart.table_rows`` feeds the "show as table" alternative.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Protocol
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _

from herstelplan.constants import HONOS_SUBSCALE_LABELS, HONOS_SUBSCALES, IrocArea
from olteams.charts import Chart, Series, line_chart

AREA_COLOURS: dict[str, str] = {
    IrocArea.THUIS: "#0b5c73",
    IrocArea.KANSEN: "#c2410c",
    IrocArea.MENSEN: "#4d7c0f",
    IrocArea.EMPOWERMENT: "#7e22ce",
}
CURRENT_COLOUR = "#1d4ed8"
PREVIOUS_COLOUR = "#6b7280"
RADAR_MAX = 6


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(
    scores: Mapping[int, int], numbers: Sequence[int], centre: tuple[float, float], radius: float
) -> str:
    cx, cy = centre
    points = [
        _point(cx, cy, radius * scores.get(n, 0) / RADAR_MAX, i, len(numbers))
        for i, n in enumerate(numbers)
    ]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


# Label layout: indicator names wrap at LABEL_CHARS; CHAR_WIDTH over-estimates a bold 11 px
# character of DejaVu Sans so the computed viewBox always holds the text (screen and PDF).
LABEL_CHARS = 18
CHAR_WIDTH = 7.2
LINE_HEIGHT = 13
PADDING = 8
Box = tuple[float, float, float, float]  # left, top, right, bottom


def _radar_label(
    text: str, colour: str, point: tuple[float, float], centre: tuple[float, float]
) -> tuple[str, Box]:
    """One indicator name beside its axis end, wrapped, growing away from the centre."""
    (lx, ly), (cx, cy) = point, centre
    lines = textwrap.wrap(text, LABEL_CHARS) or [text]
    width = max(len(line) for line in lines) * CHAR_WIDTH
    height = len(lines) * LINE_HEIGHT
    if abs(lx - cx) < 8:
        anchor, left = "middle", lx - width / 2
    elif lx > cx:
        anchor, left = "start", lx
    else:
        anchor, left = "end", lx - width
    if abs(ly - cy) < 8:
        top = ly - height / 2
    elif ly < cy:
        top = ly - height + 4
    else:
        top = ly - 4
    spans = "".join(
        f'<tspan x="{lx:.1f}" y="{top + (i + 1) * LINE_HEIGHT - 3:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    svg = f'<text text-anchor="{anchor}" fill="{colour}" font-weight="bold">{spans}</text>'
    return svg, (left, top, left + width, top + height)


def _radar_grid(
    numbers: Sequence[int],
    labels: Mapping[int, str],
    areas: Mapping[int, str],
    centre: tuple[float, float],
    radius: float,
) -> tuple[list[str], list[Box]]:
    cx, cy = centre
    parts = []
    boxes: list[Box] = [(cx - radius, cy - radius, cx + radius, cy + radius)]
    for ring in range(1, RADAR_MAX + 1):
        ring_points = " ".join(
            "{:.1f},{:.1f}".format(*_point(cx, cy, radius * ring / RADAR_MAX, i, len(numbers)))
            for i in range(len(numbers))
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ddd"/>')
        parts.append(
            f'<text x="{cx + 3:.1f}" y="{cy - radius * ring / RADAR_MAX + 4:.1f}" '
            f'fill="#555" font-size="9">{ring}</text>'
        )
    for i, n in enumerate(numbers):
        colour = AREA_COLOURS.get(areas.get(n, ""), "#555")
        x, y = _point(cx, cy, radius, i, len(numbers))
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
        point = _point(cx, cy, radius + 12, i, len(numbers))
        label, box = _radar_label(f"{n}. {labels.get(n, '')}", colour, point, centre)
        parts.append(label)
        boxes.append(box)
    return parts, boxes


def _radar_legend(
    series: Sequence[tuple[str, str, bool]], x: float, y: float
) -> tuple[list[str], Box]:
    parts = []
    for i, (name, colour, dashed) in enumerate(series):
        yy = y + i * 18
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        parts.append(
            f'<line x1="{x}" y1="{yy - 4}" x2="{x + 22}" y2="{yy - 4}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        parts.append(f'<text x="{x + 28}" y="{yy}" fill="#222">{escape(name)}</text>')
    for j, area in enumerate(IrocArea):
        yy = y + (len(series) + j) * 18 + 6
        parts.append(
            f'<rect x="{x + 6}" y="{yy - 10}" width="10" height="10" fill="{AREA_COLOURS[area]}"/>'
        )
        parts.append(f'<text x="{x + 28}" y="{yy}" fill="#222">{escape(str(area.label))}</text>')
    names = [name for name, _colour, _dashed in series] + [str(a.label) for a in IrocArea]
    width = 28 + max(len(name) for name in names) * CHAR_WIDTH
    bottom = y + (len(series) + len(IrocArea)) * 18
    return parts, (x, y - 14, x + width, bottom)


def iroc_radar_chart(
    *,
    labels: Mapping[int, str],
    areas: Mapping[int, str],
    current: Mapping[int, int],
    current_name: str,
    previous: Mapping[int, int] | None = None,
    previous_name: str = "",
    uid: str = "iroc",
    radius: float = 170.0,
) -> Chart:
    """Radar with one axis per I.ROC indicator (coloured by HOPE area), the latest
    assessment as a filled shape and the previous one as a dashed outline. The viewBox is
    computed from the wrapped labels and the legend, so no label is clipped."""
    numbers = sorted(labels)
    centre = (0.0, 0.0)
    body, boxes = _radar_grid(numbers, labels, areas, centre, radius)
    legend: list[tuple[str, str, bool]] = []
    if previous:
        body.append(
            f'<polygon points="{_polygon(previous, numbers, centre, radius)}" fill="none" '
            f'stroke="{PREVIOUS_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        legend.append((previous_name, PREVIOUS_COLOUR, True))
    body.append(
        f'<polygon points="{_polygon(current, numbers, centre, radius)}" fill="{CURRENT_COLOUR}" '
        f'fill-opacity="0.18" stroke="{CURRENT_COLOUR}" stroke-width="3"/>'
    )
    legend.insert(0, (current_name, CURRENT_COLOUR, False))
    top = min(box[1] for box in boxes)
    legend_parts, legend_box = _radar_legend(legend, max(box[2] for box in boxes) + 24, top + 14)
    body += legend_parts
    boxes.append(legend_box)
    left, top = min(b[0] for b in boxes) - PADDING, min(b[1] for b in boxes) - PADDING
    width = math.ceil(max(b[2] for b in boxes) + PADDING - left)
    height = math.ceil(max(b[3] for b in boxes) + PADDING - top)
    title = _("I.ROC: scores per indicator")
    description = _(
        "Radardiagram met 12 assen, één per indicator, gekleurd per gebied (Thuis, Kansen, "
        "Mensen, Empowerment). Score 1 (nooit) in het midden tot 6 (altijd) aan de rand."
    )
    series = [Series(current_name, [current.get(n) for n in numbers], CURRENT_COLOUR)]
    if previous:
        series.append(Series(previous_name, [previous.get(n) for n in numbers], PREVIOUS_COLOUR))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Chart(svg, title, description, [f"{n}. {labels[n]}" for n in numbers], series)


def honos_trend_chart(assessments: Sequence, *, uid: str = "honos") -> Chart:
    """Totals and subscale scores over time, oldest first. Incomplete totals are marked *."""
    ordered = sorted(assessments, key=lambda a: (a.date, a.pk))
    labels = [
        formats.date_format(a.date, "SHORT_DATE_FORMAT") + ("*" if a.is_incomplete else "")
        for a in ordered
    ]
    series = [Series(_("Totaal"), [a.total for a in ordered])]
    for name in HONOS_SUBSCALES:
        series.append(
            Series(str(HONOS_SUBSCALE_LABELS[name]), [a.subscales[name] for a in ordered])
        )
    return line_chart(
        title=_("HoNOS: totaal en subschalen"),
        description=_(
            "Lijndiagram van de HoNOS-totaalscore (0-48) en de vier subschalen per meting. "
            "Een * bij de datum: niet alle items zijn gescoord (9 = niet bekend)."
        ),
        labels=labels,
        series=series,
        width=720,
        uid=uid,
    )


class _Measured(Protocol):
    @property
    def scores(self) -> Mapping[int, int]: ...

    @property
    def date(self) -> dt.date: ...


def iroc_self_and_team_chart(
    *,
    indicators: Sequence[Any],
    own: _Measured | None,
    team: _Measured | None,
    uid: str = "iroc-both",
) -> Chart | None:
    """One radar of the client's latest own I.ROC (filled in at home, the filled shape) and
    the latest I.ROC filled in with the team (the dashed outline); None without either."""
    if own is None and team is None:
        return None

    def name(label: str, measured: _Measured) -> str:
        return label % {"d": formats.date_format(measured.date, "SHORT_DATE_FORMAT")}

    first, second = (own, team) if own is not None else (team, None)
    assert first is not None
    first_label = _("Zelf ingevuld (%(d)s)") if own is not None else _("Met het team (%(d)s)")
    return iroc_radar_chart(
        labels={i.number: i.label for i in indicators},
        areas={i.number: i.area for i in indicators},
        current=first.scores,
        current_name=name(first_label, first),
        previous=second.scores if second is not None else None,
        previous_name=name(_("Met het team (%(d)s)"), second) if second is not None else "",
        uid=uid,
    )
