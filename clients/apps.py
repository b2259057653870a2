from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Cliënten")

    def ready(self) -> None:
        # The client frame asks each app for its part of the header (olteams.client_frame).
        from clients import frame
        from olteams.client_frame import register_header_part

        register_header_part("clients", frame.header_part)
