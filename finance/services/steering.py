"""The steering figures as data: every team-month's dashboard figures, stored with their
disclosure state (``finance.models.SteeringFigure``).

A month is computed set-based for all teams at once (the SQL of
``finance.selectors.dashboard._figures`` for that one month): when the month's accounts are
computed, when a team's account is recomputed (the month becomes stale), by the beat task
for the open months, and on first read of a month that was never computed. A month whose
consolidated account is closed is frozen: computed one last time, never again.

Disclosure control (DESIGN.md, "Stuurgroep"): a figure is withheld ("<5") when the clients
it counts or is derived from (denominator) or the count on top of a percentage (numerator)
is under 5. Then secondary suppression (a cross), repeated until nothing changes, so a
withheld figure cannot be recovered by subtraction:

- all teams minus the other teams: where exactly one team's figure of a month is withheld
  and the all-teams figure is shown, the shown team figure with the fewest clients is
  withheld too (with a single team: the all-teams figure);
- the referrals per source add up to the referrals total: one hidden source hides another;
- neighbouring months: clients in care at the end of last month + inflow minus outflow relate to
  clients in care at the end of this month; one hidden of those four hides another of this
  month;
- a figure per client (per FTE of casemanagement, revenue per client) is withheld when the
  clients in care are, since the FTE and the revenue are shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from clients.constants import ReferralSource
from finance.models import SteeringFigure, SteeringMonth
from finance.selectors.dashboard._build import _month_values
from finance.selectors.dashboard._figures import Raw, _collect, numerator_key
from finance.selectors.dashboard._shape import (
    ALL,
    COMPLEMENTARY,
    METRICS,
    STEERING_MIN_CELL,
    SUPPRESSED,
    is_small,
)
from olteams.models import Team

logger = logging.getLogger(__name__)

# Figures that are not additive across teams or that are not about clients never take part in
# the secondary suppression; every figure with a base (clients it is derived from) does.
STOCK = "clients_in_care"
FLOWS = ("inflow", "outflow")
PER_CLIENT = ("caseload_per_fte", "revenue_per_client")
REFERRALS = "referrals"
_UNITS = {d.key: d.unit for d in METRICS}


def source_key(source: str) -> str:
    return f"{REFERRALS}:{source}"


@dataclass
class Figure:
    value: Decimal | int | None
    numerator: int | None
    base: int | None
    mark: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.mark)


Figures = dict[tuple[int | None, str], Figure]


def _as_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value) if not isinstance(value, Decimal) else value


def _raw_figures(raw: Raw, scopes: Iterable[int | None], month: dt.date) -> Figures:
    figures: Figures = {}
    for scope in scopes:
        values = _month_values(raw, scope, month)
        for d in METRICS:
            value, base = values[d.key]
            numerator = raw.get((scope, numerator_key(d.key), month), (None, None))[0]
            figures[scope, d.key] = Figure(
                value, None if numerator is None else int(numerator), base
            )
        for source in ReferralSource.values:
            n = int(raw.get((scope, source_key(source), month), (0, 0))[0] or 0)
            figures[scope, source_key(source)] = Figure(n, None, n)
    return figures


def _primary(figures: Figures) -> None:
    for figure in figures.values():
        if is_small(figure.base) or is_small(figure.numerator):
            figure.mark = SUPPRESSED


def _withhold(figure: Figure) -> bool:
    if figure.hidden:
        return False
    figure.mark = COMPLEMENTARY
    return True


def _smallest(candidates: Sequence[tuple[Any, Figure]]) -> Figure | None:
    """The shown figure with the fewest clients (then the lowest key): the cheapest to hide."""
    shown = [
        (f.base if f.base is not None else 0, str(k), f) for k, f in candidates if not f.hidden
    ]
    if not shown:
        return None
    return min(shown, key=lambda t: (t[0], t[1]))[2]


def _exposed(parts: Sequence[tuple[Any, Figure]], additive: bool) -> bool:
    """Whether the hidden parts of a group with a shown total can be recovered: a single
    hidden part always (total minus the rest); for counts also several hidden parts that
    add up to 1-4 (their sum is then a small number itself)."""
    hidden = [f for _k, f in parts if f.hidden]
    if len(hidden) == 1:
        return True
    if not hidden or not additive:
        return False
    total = sum(int(f.value or 0) for f in hidden)
    return 0 < total < STEERING_MIN_CELL


def _protect(total: Figure, parts: Sequence[tuple[Any, Figure]], additive: bool) -> bool:
    """Withhold one more part (the smallest shown one; the total when none is left) when
    the hidden parts of the group are exposed."""
    if total.hidden or not _exposed(parts, additive):
        return False
    victim = _smallest(parts)
    return _withhold(victim if victim is not None else total)


def _across_teams(figures: Figures, team_ids: Sequence[int], keys: Sequence[str]) -> bool:
    changed = False
    for key in keys:
        total = figures.get((ALL, key))
        if total is None or total.base is None:
            continue
        parts = [(t, figures[t, key]) for t in team_ids if (t, key) in figures]
        additive = _UNITS.get(key, "count") == "count"
        changed |= _protect(total, parts, additive)
    return changed


def _within_scope(
    figures: Figures, scope: int | None, previous: dict[tuple[int | None, str], bool]
) -> bool:
    # The sources add up to the total.
    parts = [(s, figures[scope, source_key(s)]) for s in ReferralSource.values]
    changed = _protect(figures[scope, REFERRALS], parts, True)
    # Stock and flows of this month against the stock of the month before.
    flow = [(k, figures[scope, k]) for k in (STOCK, *FLOWS)]
    hidden_before = previous.get((scope, STOCK), False)
    if hidden_before + sum(1 for _k, f in flow if f.hidden) == 1:
        victim = _smallest(flow)
        if victim is not None:
            changed |= _withhold(victim)
    # Per-client figures give the clients away when the FTE or revenue is shown.
    if figures[scope, STOCK].hidden:
        for key in PER_CLIENT:
            changed |= _withhold(figures[scope, key])
    return changed


def suppress_month(
    figures: Figures,
    team_ids: Sequence[int],
    previous: dict[tuple[int | None, str], bool] | None = None,
) -> None:
    """Primary and secondary suppression of one month's figures, in place.

    ``previous`` tells for (scope, key) whether last month's figure is withheld (only the
    clients in care are used: the stock-flow relation between neighbouring months)."""
    previous = previous or {}
    _primary(figures)
    keys = sorted({k for (_s, k), f in figures.items() if f.base is not None})
    for _round in range(20):  # each round only withholds more; it ends long before this
        changed = _across_teams(figures, team_ids, keys)
        for scope in [ALL, *team_ids]:
            changed |= _within_scope(figures, scope, previous)
        if not changed:
            return


def _previous_marks(month: dt.date) -> dict[tuple[int | None, str], bool]:
    rows = SteeringFigure.objects.filter(
        month__month=month - relativedelta(months=1), key=STOCK
    ).values_list("team_id", "mark")
    return {(team_id, STOCK): bool(mark) for team_id, mark in rows}


_COLUMNS = ("month_id", "team_id", "key", "value", "numerator", "base", "mark")


def _write(state: SteeringMonth, figures: Figures) -> None:
    """Replace the month's rows: one DELETE and one COPY (tens of thousands of rows)."""
    SteeringFigure.objects.filter(month=state).delete()
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(SteeringFigure._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(c) for c in _COLUMNS),
    )
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(statement) as copy,
    ):
        for (scope, key), f in figures.items():
            copy.write_row(
                (state.pk, scope, key, _as_decimal(f.value), f.numerator, f.base, f.mark)
            )


def _months_between(months: Sequence[dt.date]) -> int:
    first, last = months[0], months[-1]
    return (last.year - first.year) * 12 + last.month - first.month + 1


def steering_months_compute(
    *, months: Sequence[dt.date], freeze: bool = False, now: dt.datetime | None = None
) -> list[SteeringMonth]:
    """Compute and store every team's (and all teams') figures of ``months``, suppressed.

    Set-based: one run of the figure queries for all the months and teams together (a
    fixed number of queries), then per month, in order, the suppression (each month sees
    the month before) and one COPY of its rows. Frozen months are left as they are;
    ``freeze`` freezes the months computed."""
    wanted = sorted({m.replace(day=1) for m in months})
    if not wanted:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        states = {}
        for month in wanted:
            state, _created = SteeringMonth.objects.select_for_update().get_or_create(
                month=month, defaults={"computed_at": now}
            )
            states[month] = state
        todo = [m for m in wanted if not states[m].frozen]
        if not todo:
            return [states[m] for m in wanted]
        team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
        span = [todo[0] + relativedelta(months=i) for i in range(_months_between(todo))]
        today = timezone.localdate(now)
        raw, _sources = _collect(team_ids, span, None, today=today)
        previous: dict[tuple[int | None, str], bool] = {}
        for n, month in enumerate(todo):
            if n == 0 or todo[n - 1] != month - relativedelta(months=1):
                previous = _previous_marks(month)
            figures = _raw_figures(raw, [ALL, *team_ids], month)
            suppress_month(figures, team_ids, previous)
            _write(states[month], figures)
            previous = {(s, STOCK): figures[s, STOCK].hidden for s in [ALL, *team_ids]}
            state = states[month]
            state.computed_at, state.stale, state.frozen = now, False, freeze
            # The open month is measured up to today, not at its (future) month end.
            last_day = month + relativedelta(months=1) - relativedelta(days=1)
            state.measured_until = max(month, min(last_day, today))
            state.save(update_fields=["computed_at", "stale", "frozen", "measured_until"])
    logger.info(
        "steering months computed months=%s teams=%s frozen=%s", len(todo), len(team_ids), freeze
    )
    return [states[m] for m in wanted]


def steering_month_compute(
    *, month: dt.date, freeze: bool = False, now: dt.datetime | None = None
) -> SteeringMonth:
    """One month (see ``steering_months_compute``): a frozen month is returned as it is;
    ``freeze`` computes it one last time and freezes it."""
    return steering_months_compute(months=[month], freeze=freeze, now=now)[0]


def steering_month_mark_stale(*, month: dt.date) -> None:
    """Something the month's figures depend on changed: compute them again on next use.
    The months after it depend on it too (neighbouring months)."""
    SteeringMonth.objects.filter(month__gte=month.replace(day=1), frozen=False).update(stale=True)


def steering_months_ensure(*, months: Sequence[dt.date], now: dt.datetime | None = None) -> int:
    """Compute the months of ``months`` that were never computed or are stale (in order, so
    each month sees the suppression of the month before). Returns how many were computed."""
    wanted = sorted({m.replace(day=1) for m in months})
    if not wanted:
        return 0
    today = timezone.localdate(now)
    # A running month measured before today is measured again (up to today).
    done = {
        state.month
        for state in SteeringMonth.objects.filter(month__in=wanted, stale=False)
        if state.frozen or not state.is_open or state.measured_until == today
    }
    todo = [m for m in wanted if m not in done]
    if todo:
        # A later month computed before an earlier one must follow it again.
        todo = sorted({*todo, *[m for m in wanted if m > todo[0]]} - _frozen(wanted))
    steering_months_compute(months=todo, now=now)
    return len(todo)


def _frozen(months: Sequence[dt.date]) -> set[dt.date]:
    return set(
        SteeringMonth.objects.filter(month__in=months, frozen=True).values_list("month", flat=True)
    )


def steering_open_months_refresh(*, today: dt.date | None = None) -> int:
    """The beat task's work: recompute this month and last month (unless frozen) and every
    stale month, so the open months follow the registrations during the day."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    months = [this_month - relativedelta(months=1), this_month]
    stale = list(
        SteeringMonth.objects.filter(stale=True, frozen=False).values_list("month", flat=True)
    )
    todo = sorted(set(months) | set(stale))
    if stale:
        first = min(stale)
        todo = sorted(
            set(todo)
            | set(
                SteeringMonth.objects.filter(month__gt=first, frozen=False).values_list(
                    "month", flat=True
                )
            )
        )
    steering_months_compute(months=todo)
    return len(todo)
