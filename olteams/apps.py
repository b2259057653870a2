from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OlteamsConfig(AppConfig):
    name = "olteams"
    verbose_name = _("Teams en organisaties")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from olteams.middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="olteams-session-fresh")
