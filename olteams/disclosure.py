"""Small-number suppression for reports that leave the team (the municipality, the steering
group): a count under ``STEERING_MIN_CELL`` is shown as "<5", and a percentage whose
numerator or denominator is under it is withheld, so no single client can be recognised."""

from __future__ import annotations

from olteams.constants import STEERING_MIN_CELL

SUPPRESSED = "<5"


def is_small(count: int) -> bool:
    """A count of 1 to 4 identifies people; 0 does not."""
    return 0 < count < STEERING_MIN_CELL


def suppressed_count(count: int) -> str:
    return SUPPRESSED if is_small(count) else str(count)


def suppressed_share(numerator: int, denominator: int) -> str:
    """The percentage as text, or "<5" when numerator or denominator is small; "—" for none."""
    if denominator == 0:
        return "—"
    if is_small(numerator) or is_small(denominator):
        return SUPPRESSED
    return f"{round(100 * numerator / denominator)}%"
