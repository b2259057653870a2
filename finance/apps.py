from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _report_task():  # type: ignore[no-untyped-def]
    from finance.tasks import report_job_start_task

    return report_job_start_task


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Financiën")

    def ready(self) -> None:
        from finance.constants import ReportStatus
        from finance.models import ReportJob
        from olteams.outbox import JobKind, register

        register(
            JobKind(
                model=ReportJob,
                task=_report_task,
                pending=ReportStatus.PENDING,
                running=ReportStatus.RUNNING,
                failed=ReportStatus.FAILED,
                failed_message=_(
                    "Het maken van het rapport is vastgelopen en na drie pogingen gestopt. "
                    "Vraag het rapport opnieuw aan."
                ),
                reset_to_pending=False,
                # Rendering is idempotent (one file per account): sending twice is harmless.
                requeue_on_startup=True,
            )
        )
