"""The Celery app: Redis broker, configuration from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "olteams.settings.base")

app = Celery("olteams")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _reconcile_jobs_at_start(sender: object = None, **_: object) -> None:
    """A (re)started worker sends what was committed but never queued, and the jobs that
    were running when a worker died (their messages wait in Redis until the visibility
    timeout otherwise)."""
    app.send_task("olteams.tasks.jobs_reconcile_task", kwargs={"startup": True})
