"""The Celery app with a slower PDF render (one extra second per file), so that a test can
kill the worker in the middle of a job. Nothing else differs from ``olteams.celery``."""

from __future__ import annotations

import time
from typing import Any

from celery.signals import worker_process_init

from olteams.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _slow_render(**_: Any) -> None:
    from finance.services import reports

    render = reports.render_account_pdf

    def slow(*args: Any, **kwargs: Any) -> bytes:
        time.sleep(1.0)
        return render(*args, **kwargs)

    reports.render_account_pdf = slow  # type: ignore[assignment]
