from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _import_task():  # type: ignore[no-untyped-def]
    from clients.tasks import import_run_task

    return import_run_task


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Cliënten")

    def ready(self) -> None:
        # Its record kinds and their retention rules (olteams.retention).
        from clients import retention

        retention.register()

        from clients.constants import ImportStatus
        from clients.models import ImportJob
        from olteams.outbox import JobKind, register

        register(
            JobKind(
                model=ImportJob,
                task=_import_task,
                pending=ImportStatus.PENDING,
                running=ImportStatus.RUNNING,
                failed=ImportStatus.FAILED,
                failed_message=_(
                    "De import is vastgelopen en na drie pogingen gestopt; er is niets "
                    "geïmporteerd. Probeer het opnieuw of splits het bestand."
                ),
                # The real import is one transaction: a pending job starts from scratch.
                reset_to_pending=True,
                requeue_on_startup=False,
            )
        )

        # The client frame asks each app for its part of the header (olteams.client_frame).
        from clients import frame
        from olteams.client_frame import register_header_part

        register_header_part("clients", frame.header_part)
