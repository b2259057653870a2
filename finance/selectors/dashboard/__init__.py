"""The steering-group dashboard: monthly trends per team and for all teams together.

Aggregates only. Every figure passes through ``suppress`` (the one place of the rule in
DESIGN.md): a count under ``STEERING_MIN_CELL`` (5), and a percentage, average or per-client
amount derived from fewer than 5 clients, is not given — its cell says ``"<5"``; pages show
that text, charts leave a gap, the API answers ``value: null, suppressed: true``.

Every series is computed set-based for all months (and all teams) at once: a fixed number
of queries whatever the number of months, teams or clients. Client facts at a month end
(in care, waiting, coverage, outcome change) follow the rules of
``herstelplan.selectors.figures`` (``clients_in_care``, ``team_outcome_figures``), evaluated
in SQL for every month end in one statement. Money and production come from the monthly
accounts where they exist (``finance.selectors.accounts``).

The figures are stored per team and month with their suppression state
(``finance.services.steering`` computes them, secondary suppression included); the pages and
the API read those rows (``dashboard_overview``, ``dashboard_team``).

Modules: ``_shape`` (the disclosure rule and the cells, metrics and scopes), ``_figures``
(the set-based SQL), ``_build`` (one scope-month's raw figures; reading the stored rows) and
``_charts`` (SVG charts and trend text).
"""

from finance.selectors.dashboard._build import (
    dashboard_overview,
    dashboard_period,
    dashboard_team,
    steering_open_until,
)
from finance.selectors.dashboard._charts import DashboardChart, scope_charts, sparkline
from finance.selectors.dashboard._shape import (
    ALL,
    CHARTS,
    COMPLEMENTARY,
    DEFAULT_MONTHS,
    MAX_MONTHS,
    METRICS,
    NO_FIGURE,
    STEERING_MIN_CELL,
    SUPPRESSED,
    Cell,
    Dashboard,
    Metric,
    MetricDef,
    Scope,
    dashboard_allowed,
    dashboard_team_allowed,
    dashboard_teams_for,
    is_small,
    last_complete_month,
    month_range,
    suppress,
)

__all__ = [
    "ALL",
    "CHARTS",
    "COMPLEMENTARY",
    "DEFAULT_MONTHS",
    "MAX_MONTHS",
    "METRICS",
    "NO_FIGURE",
    "STEERING_MIN_CELL",
    "SUPPRESSED",
    "Cell",
    "Dashboard",
    "DashboardChart",
    "Metric",
    "MetricDef",
    "Scope",
    "dashboard_allowed",
    "dashboard_overview",
    "dashboard_period",
    "dashboard_team",
    "dashboard_team_allowed",
    "dashboard_teams_for",
    "is_small",
    "last_complete_month",
    "month_range",
    "scope_charts",
    "sparkline",
    "steering_open_until",
    "suppress",
]
