from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from olteams.constants import AuditAction


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
    start = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return data
