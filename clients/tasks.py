"""Celery entry points of the clients app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="clients.tasks.import_run_task", ignore_result=True, acks_late=True)
def import_run_task(job_id: int) -> None:
    """Run a (large) spreadsheet import; re-running a finished job does nothing."""
    from clients.imports import import_run

    import_run(job_id=job_id)
