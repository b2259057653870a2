"""Charts and trend text of a scope: the same server SVG on the page and in the PDF."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from finance.selectors.dashboard._shape import CHARTS, Cell, Metric, Scope
from olteams.charts import Chart, Series, line_chart

# --- charts and trend text --------------------------------------------------------------------


def _month_label(month: dt.date) -> str:
    # A chart axis has room for "nov 2026", not for "november 2026" (the long YEAR_MONTH).
    return formats.date_format(month, "b Y")


def _summary(metrics: Sequence[Metric], months: Sequence[dt.date]) -> str:
    parts = []
    for m in metrics:
        shown = [(mo, c) for mo, c in zip(months, m.cells, strict=True) if not c.suppressed]
        if not shown or all(c.value is None for _mo, c in shown):
            empty = _("%(name)s: elke maand <5") if not shown else _("%(name)s: geen gegevens")
            parts.append(str(empty % {"name": m.label}))
            continue
        last_month, last = next((mo, c) for mo, c in reversed(shown) if c.value is not None)
        parts.append(
            str(
                _("%(name)s: %(value)s in %(month)s")
                % {"name": m.label, "value": last.text, "month": _month_label(last_month)}
            )
        )
    hidden = sum(c.suppressed for m in metrics for c in m.cells)
    text = "; ".join(parts) + "."
    if hidden:
        text += " " + str(_('Waarden onder 5 cliënten zijn weggelaten ("<5").'))
    return text


@dataclass
class DashboardChart:
    key: str
    chart: Chart
    metrics: list[Metric]
    months: list[dt.date]

    @property
    def empty(self) -> bool:
        """Nothing to draw (every month suppressed or without a figure)."""
        return all(c.chart_value is None for m in self.metrics for c in m.cells)

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [
            (_month_label(m), [metric.cells[i] for metric in self.metrics])
            for i, m in enumerate(self.months)
        ]


def scope_charts(scope: Scope, *, uid: str = "dash") -> list[DashboardChart]:
    """One line chart per group of metrics; a suppressed point is a gap."""
    groups: dict[str, list[Metric]] = defaultdict(list)
    for metric in scope.metrics:
        groups["referrals" if metric.chart == "referrals_source" else metric.chart].append(metric)
    labels = [_month_label(m) for m in scope.months]
    charts = []
    for key, (title, axis) in CHARTS.items():
        metrics = groups.get(key, [])
        if key == "referrals" and len(metrics) > 1:
            metrics = metrics[1:]  # the sources; the total is in the table of the overview
        if not metrics:
            continue
        description = f"{axis}. {_summary(metrics, scope.months)}"
        chart = line_chart(
            title=f"{title} — {scope.name}",
            description=description,
            labels=labels,
            series=[Series(m.short, [c.chart_value for c in m.cells]) for m in metrics],
            width=720,
            uid=f"{uid}-{key}",
        )
        charts.append(DashboardChart(key, chart, metrics, scope.months))
    return charts


_SPARK = "▁▂▃▄▅▆▇█"


def sparkline(cells: Iterable[Cell]) -> str:
    """A row of block characters (a space for a suppressed or missing month)."""
    values = [c.chart_value for c in cells]
    shown = [float(v) for v in values if v is not None]
    if not shown:
        return ""
    lo, hi = min([0.0, *shown]), max(shown)  # from zero: a flat line is not a dip
    span = hi - lo or 1.0
    return "".join(
        " " if v is None else _SPARK[round((float(v) - lo) / span * (len(_SPARK) - 1))]
        for v in values
    )
