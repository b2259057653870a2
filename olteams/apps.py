from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OlteamsConfig(AppConfig):
    name = "olteams"
    verbose_name = _("Teams en organisaties")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from olteams.text import refuse_control_characters, refuse_implausible_dates

        # Every model of the project: no control characters in stored text and only
        # plausible dates (olteams.text).
        pre_save.connect(refuse_control_characters, dispatch_uid="olteams.no-control-characters")
        pre_save.connect(refuse_implausible_dates, dispatch_uid="olteams.plausible-dates")
