from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OlteamsConfig(AppConfig):
    name = "olteams"
    verbose_name = _("Teams en organisaties")
