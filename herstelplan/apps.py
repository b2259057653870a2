from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HerstelplanConfig(AppConfig):
    name = "herstelplan"
    verbose_name = _("Herstelplan")
