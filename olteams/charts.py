"""Server-rendered SVG charts: one renderer feeds the page and the PDF.

Each chart returns a ``Chart`` with the SVG markup, a title, a short description (for
``aria-describedby`` and the PDF caption) and the underlying rows for the "show as table"
alternative. No JavaScript, no external fonts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

PALETTE = ("#0b5c73", "#c2410c", "#4d7c0f", "#7e22ce", "#a16207", "#be123c", "#1d4ed8")
Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]
    colour: str | None = None


@dataclass
class Chart:
    svg: str
    title: str
    description: str
    labels: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)

    @property
    def table_rows(self) -> list[list[object]]:
        return [
            [label, *[s.values[i] if i < len(s.values) else None for s in self.series]]
            for i, label in enumerate(self.labels)
        ]

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    nice = next(n for n in (1, 2, 2.5, 5, 10) if fraction <= n)
    return nice * 10**exponent


def _fmt(value: float) -> str:
    text = f"{value:,.1f}" if abs(value) < 10 and value != int(value) else f"{value:,.0f}"
    return text.replace(",", "\u202f").replace(".", ",")


def _frame(width: int, height: int, title: str, description: str, body: list[str], uid: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axes(labels: Sequence[str], lo: float, hi: float, box: tuple[int, int, int, int]) -> list[str]:
    left, top, right, bottom = box
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>']
    for step in range(5):
        value = lo + (hi - lo) * step / 4
        y = bottom - (bottom - top) * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{_fmt(value)}</text>'
        )
    n = max(len(labels), 1)
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = left + (right - left) * (i + 0.5) / n
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    return parts


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    parts = []
    for i, s in enumerate(series):
        colour = s.colour or PALETTE[i % len(PALETTE)]
        yy = y + i * 16
        parts.append(f'<rect x="{x}" y="{yy - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{yy}" fill="#222">{escape(s.name)}</text>')
    return parts


def _range(series: Sequence[Series]) -> tuple[float, float]:
    values = [float(v) for s in series for v in s.values if v is not None]
    lo = min([0.0, *values])
    hi = _nice_max(max([0.0, *values]))
    if lo < 0:
        lo = -_nice_max(-lo)
    return lo, hi


def line_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 280,
    uid: str = "c",
) -> Chart:
    """A line chart with one marker per point; gaps where a value is None."""
    box = (56, 16, width - 150, height - 32)
    left, top, right, bottom = box
    lo, hi = _range(series)
    n = max(len(labels), 1)
    body = _axes(labels, lo, hi, box)
    for i, s in enumerate(series):
        colour = s.colour or PALETTE[i % len(PALETTE)]
        points = []
        for j, v in enumerate(s.values):
            if v is None:
                continue
            x = left + (right - left) * (j + 0.5) / n
            y = bottom - (bottom - top) * (float(v) - lo) / (hi - lo)
            points.append((x, y))
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
    body += _legend(series, right + 14, top + 10)
    return Chart(
        _frame(width, height, title, description, body, uid),
        title,
        description,
        list(labels),
        list(series),
    )


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 280,
    uid: str = "c",
) -> Chart:
    """Grouped vertical bars; negative values hang below the zero line."""
    box = (56, 16, width - 150, height - 32)
    left, top, right, bottom = box
    lo, hi = _range(series)
    n = max(len(labels), 1)
    group = (right - left) / n
    bar = group * 0.8 / max(len(series), 1)
    zero_y = bottom - (bottom - top) * (0 - lo) / (hi - lo)
    body = _axes(labels, lo, hi, box)
    for i, s in enumerate(series):
        colour = s.colour or PALETTE[i % len(PALETTE)]
        for j, v in enumerate(s.values):
            if v is None:
                continue
            x = left + group * j + group * 0.1 + bar * i
            y = bottom - (bottom - top) * (float(v) - lo) / (hi - lo)
            y0, h = (y, zero_y - y) if y < zero_y else (zero_y, y - zero_y)
            body.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{colour}"><title>{escape(s.name)} {escape(labels[j])}: {_fmt(float(v))}</title></rect>'
            )
    body += _legend(series, right + 14, top + 10)
    return Chart(
        _frame(width, height, title, description, body, uid),
        title,
        description,
        list(labels),
        list(series),
    )


def qr_svg(url: str) -> str:
    """A QR code as inline SVG (an authenticator app's otpauth:// address), rendered on the
    server like every other picture: no script, no external image."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
