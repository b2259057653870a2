"""Sign-in and audit forms, and the form pieces every app shares: the date, time and month
inputs and the mapper that puts a service's ValidationError on a form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from olteams.constants import AuditAction, AuditEventType
from olteams.selectors.privacy import client_id_for_lookup


class DateInput(forms.DateInput):
    """The browser's date picker; the value in ISO form, which is what it reads."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class MonthInput(forms.DateInput):
    """The browser's month picker (``2026-03``); the field must accept ``%Y-%m``."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as the browser's month picker sends it (``2026-03``; a full date is accepted
    too), with the Dutch error for anything else."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Vul een maand in als JJJJ-MM.")}


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: a field's errors beside that field, every
    other error in the summary. A form whose fields have other names than the service's
    arguments maps them in ``service_field_aliases`` (service name -> form field)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.error_list)
        return
    aliases: Mapping[str, str] = getattr(form, "service_field_aliases", {})
    for field, errors in exc.error_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Gebruikersnaam of wachtwoord klopt niet."),
        "inactive": _("Dit account is niet actief."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De 6 cijfers uit uw authenticator-app, of een reservecode."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "").strip()


class AuditFilterForm(forms.Form):
    client_id = forms.IntegerField(label=_("Cliëntnummer"), required=False, min_value=1)
    username = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Actie"), required=False, choices=[("", _("Alle")), *AuditAction.choices]
    )
    start = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return data


class AccessLogFilterForm(forms.Form):
    """Filters of the Toegangslog (the privacy officer's view of the NEN 7513 log)."""

    client = forms.CharField(
        label=_("Cliënt"),
        required=False,
        max_length=20,
        help_text=_("Cliëntnummer of volledig BSN."),
    )
    username = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    event_type = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle")), *AuditEventType.choices]
    )
    start = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    emergency_only = forms.BooleanField(label=_("Alleen noodtoegang"), required=False)

    def clean_client(self) -> int | None:
        value = "".join(ch for ch in self.cleaned_data["client"] if ch not in " .-")
        if not value:
            return None
        if not value.isdigit() or len(value) > 18:
            raise ValidationError(_("Vul een cliëntnummer of een volledig BSN (9 cijfers) in."))
        if len(value) == 9:
            client_id = client_id_for_lookup(value)
            if client_id is None:
                raise ValidationError(_("Er is geen cliënt met dit BSN."))
            return client_id
        return int(value)

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters by the selector's argument names (``client`` is the id)."""
        data = dict(self.cleaned_data)
        data["client_id"] = data.pop("client", None)
        return {k: v for k, v in data.items() if v}


class EmergencyRequestForm(forms.Form):
    """Break-the-glass: the exact BSN or client number and the mandatory reason."""

    query = forms.CharField(
        label=_("BSN of cliëntnummer"),
        max_length=20,
        help_text=_("Het volledige BSN (9 cijfers) of het cliëntnummer."),
    )
    reason = forms.CharField(
        label=_("Reden voor de noodtoegang"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Waarom moet u dit dossier nu inzien? De privacyfunctionaris beoordeelt de reden."
        ),
    )


class EmergencyReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Notitie bij de beoordeling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetentionConfirmForm(forms.Form):
    """Confirming a retention batch: the administrator says they checked the list."""

    checked = forms.BooleanField(
        label=_(
            "Ik heb de lijst gecontroleerd: deze gegevens mogen worden vernietigd of "
            "geanonimiseerd. Dit kan niet ongedaan worden gemaakt."
        ),
        error_messages={
            "required": _("Vink aan dat u de lijst hebt gecontroleerd; er is niets verwijderd.")
        },
    )
    note = forms.CharField(
        label=_("Toelichting (optioneel)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("De toelichting is te lang (hooguit 500 tekens).")},
    )


class RetentionRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Reden van afwijzen"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Er wordt niets verwijderd. De dagelijkse controle vindt wat nog verlopen is opnieuw."
        ),
        error_messages={
            "required": _("Geef aan waarom u deze batch afwijst."),
            "max_length": _("De reden is te lang (hooguit 500 tekens)."),
        },
    )
