from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WmoConfig(AppConfig):
    name = "wmo"
    verbose_name = _("Wmo")

    def ready(self) -> None:
        # Its record kinds and their retention rules (olteams.retention).
        from wmo import retention

        retention.register()

        # The client frame asks each app for its part of the header (olteams.client_frame).
        from olteams.client_frame import register_header_part
        from wmo import frame

        register_header_part("wmo", frame.header_part)
