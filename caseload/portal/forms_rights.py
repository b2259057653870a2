"""Forms of the client's rights pages in the portal: the period of the access history, a
naaste's access per category and a naaste's BSN. The naaste is always chosen from the
client's own naasten (the guard's ``client``), never taken from the URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.constants import PortalShare
from olteams.forms import DateInput

GRANT, WITHDRAW = "geven", "intrekken"
EARLIEST = dt.date(2000, 1, 1)


class AccessPeriodForm(forms.Form):
    """Which period of 'Wie heeft mijn dossier bekeken' to show (both ends optional)."""

    van = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        for name in ("van", "tot"):
            value = data.get(name)
            if value is not None and value < EARLIEST:
                self.add_error(name, _("Kies een datum na 1 januari 2000."))
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        return self.cleaned_data.get("van"), self.cleaned_data.get("tot")


class NaasteChoiceForm(forms.Form):
    naaste = forms.TypedChoiceField(label=_("Naaste"), coerce=int)

    def __init__(self, *args: Any, naasten: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["naaste"]
        field.choices = [(n.pk, n.name) for n in naasten]
        field.error_messages["invalid_choice"] = _("Kies een van uw naasten.")
        field.error_messages["required"] = _("Kies een van uw naasten.")


class NaasteGrantForm(NaasteChoiceForm):
    """Give or withdraw one naaste's access to one category."""

    category = forms.ChoiceField(
        label=_("Wat"),
        choices=PortalShare.choices,
        error_messages={
            "required": _("Kies wat uw naaste mag zien."),
            "invalid_choice": _("Kies wat uw naaste mag zien."),
        },
    )
    action = forms.ChoiceField(
        choices=[(GRANT, _("Toegang geven")), (WITHDRAW, _("Toegang intrekken"))],
        error_messages={
            "required": _("Kies of u toegang geeft of intrekt."),
            "invalid_choice": _("Kies of u toegang geeft of intrekt."),
        },
    )


class NaasteBsnForm(NaasteChoiceForm):
    """The naaste's BSN, entered once so the naaste can sign in with DigiD."""

    bsn = forms.CharField(
        label=_("BSN van uw naaste"),
        max_length=20,
        help_text=_("9 cijfers. Uw naaste vindt het BSN op een paspoort of ID-kaart."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Vul het BSN van uw naaste in.")},
    )
