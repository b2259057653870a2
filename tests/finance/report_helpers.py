"""Helpers of the report tests: two teams with a known month, Celery run in the test process."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from finance.services.accounts import accounts_compute_month
from olteams.celery import app as celery_app
from tests.factories.finance import BusinessCaseFactory, build_team_month

MONTH = dt.date(2026, 3, 1)


@contextmanager
def celery_in_process() -> Iterator[None]:
    """Run tasks (and groups of tasks) where they are sent, as Celery's eager mode does; the
    broker is not involved and nothing is mocked."""
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


def two_team_month(team, other_team, month: dt.date = MONTH):  # type: ignore[no-untyped-def]
    """Known work for both teams in ``month`` (and in the two months before, for trends)."""
    first = build_team_month(team=team, month=month)
    second = build_team_month(team=other_team, month=month)
    BusinessCaseFactory(team=team, lines={"casemanager": "1.5", "psychiater": "0.5"})
    return first, second


def compute(month: dt.date = MONTH):  # type: ignore[no-untyped-def]
    return accounts_compute_month(month=month)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()
