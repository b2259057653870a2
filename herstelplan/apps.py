from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HerstelplanConfig(AppConfig):
    name = "herstelplan"
    verbose_name = _("Herstelplan")

    def ready(self) -> None:
        # Its record kinds and their retention rules (olteams.retention).
        from herstelplan import retention

        retention.register()

        # The client frame asks each app for its part of the header (olteams.client_frame).
        from herstelplan import frame
        from olteams.client_frame import register_header_part

        register_header_part("herstelplan", frame.header_part)
