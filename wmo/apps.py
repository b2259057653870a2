from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WmoConfig(AppConfig):
    name = "wmo"
    verbose_name = _("Wmo")
