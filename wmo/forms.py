"""Browser input of the Wmo workflow; the services hold the rules and their messages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from olteams.forms import DateInput
from wmo.constants import (
    ChangeReason,
    DecisionKind,
    Frequency,
    ResultArea,
    Unit,
    ZrmDomain,
    ZrmScore,
)


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class RequestForm(forms.Form):
    goal_ids = forms.MultipleChoiceField(
        label=_("Doelen uit het herstelplan"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "De doelen in de woorden van de cliënt; bij indienen worden ze vastgelegd "
            "zoals ze dan luiden."
        ),
    )
    product_code = forms.ChoiceField(
        label=_("Product"), help_text=_("Productcode van de gemeente (iWmo).")
    )
    volume = forms.IntegerField(label=_("Omvang"), required=False)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=_blank(Unit.choices), required=False)
    frequency = forms.ChoiceField(
        label=_("Frequentie"), choices=_blank(Frequency.choices), required=False
    )
    start = forms.DateField(label=_("Gewenste ingangsdatum"), widget=DateInput(), required=False)
    end = forms.DateField(
        label=_("Gewenste einddatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg laten als er geen einddatum is."),
    )
    client_authorised = forms.BooleanField(
        label=_("De cliënt geeft toestemming (machtiging) voor deze aanvraag"),
        required=False,
        help_text=_("Het team vraagt de indicatie namens de cliënt aan."),
    )
    is_temporary = forms.BooleanField(
        label=_("Tijdelijke indicatie vragen"),
        required=False,
        help_text=_(
            "Hoogstens 2 uur per week en hoogstens 2 maanden, om de behoefte helder te krijgen."
        ),
    )
    result_areas = forms.TypedMultipleChoiceField(
        label=_("Resultaatgebieden"),
        choices=ResultArea.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    motivation = forms.CharField(
        label=_("Onderbouwing"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Wat heeft de cliënt nodig, en waarom?"),
    )

    def __init__(self, *args: Any, products: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["product_code"]).choices = _blank(
            (p.code, f"{p.code} - {p.name} ({p.category.name})") for p in products
        )
        cast(forms.ChoiceField, self.fields["goal_ids"]).choices = [
            (str(g.pk), g.text) for g in goals
        ]
        for domain in ZrmDomain:
            self.fields[f"zrm_{domain.value}"] = forms.TypedChoiceField(
                label=domain.label,
                choices=_blank(ZrmScore.choices),
                coerce=int,
                required=False,
                empty_value=None,
            )

    @property
    def zrm_fields(self) -> list[forms.BoundField]:
        return [self[f"zrm_{d.value}"] for d in ZrmDomain]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "product_code": data["product_code"],
            "volume": data["volume"],
            "unit": data["unit"],
            "frequency": data["frequency"],
            "start": data["start"],
            "end": data["end"],
            "is_temporary": data["is_temporary"],
            "client_authorised": data["client_authorised"],
            "result_areas": data["result_areas"],
            "motivation": data["motivation"],
            "goal_ids": [int(g) for g in data["goal_ids"]],
            "zrm_scores": {
                d.value: data[f"zrm_{d.value}"]
                for d in ZrmDomain
                if data.get(f"zrm_{d.value}") is not None
            },
        }


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "Verplicht bij gewijzigd toekennen en bij afwijzen: de aanvraag van het "
            "team is een zwaarwegend advies."
        ),
    )
    volume = forms.IntegerField(label=_("Omvang"), required=False)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=_blank(Unit.choices), required=False)
    frequency = forms.ChoiceField(
        label=_("Frequentie"), choices=_blank(Frequency.choices), required=False
    )
    start = forms.DateField(label=_("Ingangsdatum"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Einddatum"), widget=DateInput(), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "volume": data["volume"],
            "unit": data["unit"] or None,
            "frequency": data["frequency"] or None,
            "start": data["start"],
            "end": data["end"],
        }


class Wmo301UploadForm(forms.Form):
    message = forms.FileField(
        label=_("WMO301-bericht (XML)"),
        help_text=_("Het toewijzingsbericht uit het systeem van de gemeente."),
    )


class IndicationChangeForm(forms.Form):
    """Op- of afschalen of a granted indication (WMO317 'verzoek om wijziging')."""

    start = forms.DateField(label=_("Gewenste ingangsdatum"), widget=DateInput(), required=False)
    volume = forms.IntegerField(
        label=_("Nieuwe omvang"),
        required=False,
        help_text=_("In dezelfde eenheid als de indicatie."),
    )
    frequency = forms.ChoiceField(
        label=_("Frequentie"), choices=_blank(Frequency.choices), required=False
    )
    end = forms.DateField(
        label=_("Gewenste einddatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg laten als de einddatum van de indicatie blijft."),
    )
    reason = forms.ChoiceField(
        label=_("Reden van het verzoek"), choices=_blank(ChangeReason.choices), required=False
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "start": data["start"],
            "volume": data["volume"],
            "frequency": data["frequency"] or "",
            "end": data["end"],
            "reason": data["reason"] or "",
        }
