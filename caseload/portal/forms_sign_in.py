"""Forms of the portal's sign-in without DigiD: activation code, first set-up, later sign-in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}


def _digits(value: str) -> str:
    return value.replace(" ", "").strip()


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activeringscode"),
        max_length=20,
        help_text=_("U kreeg deze code van uw casemanager, bijvoorbeeld ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    date_of_birth = forms.DateField(
        label=_("Uw geboortedatum"),
        help_text=_("Bijvoorbeeld 31-12-1970."),
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"autocomplete": "bday", "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-12-1970.")},
    )


class ActivationSetupForm(forms.Form):
    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        help_text=_("Minstens 10 tekens. Gebruik geen woord dat makkelijk te raden is."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("De 6 cijfers die de app nu laat zien."),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )

    def clean_token(self) -> str:
        return _digits(self.cleaned_data["token"])

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("De twee wachtwoorden zijn niet gelijk."))
        return data


class CodeSignInForm(forms.Form):
    login_name = forms.CharField(
        label=_("Inlognaam"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("De 6 cijfers die de app nu laat zien."),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )

    def clean_token(self) -> str:
        return _digits(self.cleaned_data["token"])
