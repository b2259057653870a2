from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = _("Caseload")

    def ready(self) -> None:
        # Its record kinds and their retention rules (olteams.retention).
        from caseload import retention

        retention.register()

        # The client frame asks each app for its part of the header (olteams.client_frame).
        from caseload import frame
        from olteams.client_frame import register_header_part

        register_header_part("caseload", frame.header_part)

        # The indication register shows the Wmo volume used, read from the contacts here.
        from caseload.selectors.wmo_usage import indication_usage
        from wmo.selectors import register_usage_reader

        register_usage_reader(indication_usage)

        # The open tasks beside "Mijn taken" in the main menu.
        from caseload.selectors.tasks import open_tasks_of_user
        from olteams.navigation import register_badge

        register_badge("caseload:task-list", open_tasks_of_user)
