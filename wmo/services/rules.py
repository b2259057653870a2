"""Rule-bearing arithmetic of the Wmo workflow: periods, weekly volume, temporary limits."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wmo.constants import (
    TEMPORARY_MAX_MINUTES_PER_WEEK,
    TEMPORARY_MAX_MONTHS,
    WMO_DECISION_DAYS,
    Frequency,
    Unit,
)

_MINUTES_PER_UNIT = {Unit.MINUUT: 1, Unit.UUR: 60}
_WEEKS_PER_MONTH = Fraction(52, 12)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def deadline_for(submitted_on: dt.date) -> dt.date:
    """The covenant: a request is decided within 14 calendar days of submission."""
    return submitted_on + dt.timedelta(days=WMO_DECISION_DAYS)


def temporary_end(start: dt.date) -> dt.date:
    """The last day of a temporary indication: start + 2 months - 1 day (DOMAIN.md)."""
    return add_months(start, TEMPORARY_MAX_MONTHS) - dt.timedelta(days=1)


def weekly_minutes(
    *, volume: int, unit: str, frequency: str, start: dt.date, end: dt.date | None
) -> Fraction | None:
    """Average minutes per week of a time-based volume; None when the unit is not time."""
    per_unit = _MINUTES_PER_UNIT.get(unit)  # type: ignore[call-overload]
    if per_unit is None:
        return None
    minutes = Fraction(volume * per_unit)
    if frequency == Frequency.PER_DAG:
        return minutes * 7
    if frequency == Frequency.PER_WEEK:
        return minutes
    if frequency == Frequency.PER_MAAND:
        return minutes / _WEEKS_PER_MONTH
    if frequency == Frequency.TOTAAL and end is not None:
        return minutes / Fraction((end - start).days + 1, 7)
    return None


def temporary_errors(
    *, volume: int, unit: str, frequency: str, start: dt.date, end: dt.date | None
) -> dict[str, str]:
    """Why a volume and period do not fit a temporary indication (≤ 2 h/week, ≤ 2 months)."""
    errors: dict[str, str] = {}
    last_day = temporary_end(start)
    if end is None:
        errors["end"] = _(
            "Een tijdelijke indicatie heeft een einddatum: uiterlijk %(day)s (2 maanden)."
        ) % {"day": date_format(last_day, "DATE_FORMAT")}
    elif end > last_day:
        errors["end"] = _(
            "Een tijdelijke indicatie duurt hoogstens 2 maanden: de einddatum is uiterlijk %(day)s."
        ) % {"day": date_format(last_day, "DATE_FORMAT")}
    minutes = weekly_minutes(volume=volume, unit=unit, frequency=frequency, start=start, end=end)
    if minutes is None:
        errors["unit"] = _(
            "Een tijdelijke indicatie wordt uitgedrukt in uren of minuten per dag, week of maand."
        )
    elif minutes > TEMPORARY_MAX_MINUTES_PER_WEEK:
        errors["volume"] = _(
            "Een tijdelijke indicatie is hoogstens 2 uur per week; gevraagd is %(hours)s uur "
            "per week."
        ) % {"hours": f"{float(minutes) / 60:.1f}".replace(".", ",")}
    return errors
