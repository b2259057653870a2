"""Control characters: refused in stored text, stripped from exports.

A C0 control character (other than tab and line breaks) or DEL in a name is invisible on
screen, breaks spreadsheets (openpyxl refuses it: the export answered 500 for the whole
team) and has no business in care data. Every model of the project refuses it on save
(``refuse_control_characters``, connected in OlteamsConfig.ready) with a Dutch field
error, so services, forms, the API and the import all answer 400 and store nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PROJECT_APPS = frozenset({"olteams", "clients", "herstelplan", "wmo", "caseload", "finance"})
# Written by the system from other stored values; cleaned rather than refused.
CLEANED_MODELS = frozenset({"olteams.auditevent", "olteams.notification"})


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def refuse_control_characters(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """pre_save: a Dutch error per text field holding a control character."""
    meta = sender._meta
    if meta.app_label not in PROJECT_APPS:
        return
    errors: dict[str, str] = {}
    for field in meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str) or not has_control_characters(value):
            continue
        if meta.label_lower in CLEANED_MODELS:
            setattr(instance, field.attname, strip_control_characters(value))
            continue
        errors[field.name] = _(
            "%(label)s bevat een onzichtbaar stuurteken (bijvoorbeeld uit een kopie). "
            "Typ de tekst opnieuw zonder dat teken."
        ) % {"label": str(field.verbose_name).capitalize()}
    if errors:
        raise ValidationError(errors)


# Plausible dates: nothing in care data happened before 1900, nothing is planned more than
# ten years ahead (a typo like 2100 or 1899 was stored for I.ROC, plans, goals, Wmo).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_YEARS_AHEAD = 10


def refuse_implausible_dates(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """pre_save: a Dutch error per date field outside 1900 .. ten years from today."""
    meta = sender._meta
    if meta.app_label not in PROJECT_APPS:
        return
    today = timezone.localdate()
    latest = today.replace(year=today.year + LATEST_YEARS_AHEAD, day=min(today.day, 28))
    errors: dict[str, str] = {}
    for field in meta.concrete_fields:
        if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, dt.date) and not EARLIEST_DATE <= value <= latest:
            errors[field.name] = _("%(label)s moet tussen %(first)s en %(last)s liggen.") % {
                "label": str(field.verbose_name).capitalize(),
                "first": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "last": date_format(latest, "SHORT_DATE_FORMAT"),
            }
    if errors:
        raise ValidationError(errors)
