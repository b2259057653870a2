"""Choices and rule constants of the clients app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Man")
    FEMALE = "V", _("Vrouw")
    OTHER = "X", _("Anders / onbekend")


class AssignmentRole(models.TextChoices):
    CASEMANAGER = "casemanager", _("Casemanager")
    REGIEBEHANDELAAR = "regiebehandelaar", _("Regiebehandelaar")
    PSYCHIATER = "psychiater", _("Psychiater")
    BEGELEIDER = "begeleider", _("Ambulant begeleider")
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige", _("Ervaringsdeskundige")
    IPS = "ips", _("IPS-trajectbegeleider")
    WELZIJNSWERKER = "welzijnswerker", _("Welzijnswerker")
    OTHER = "overig", _("Overig")
