"""Browser input of the Wmo workflow; the services hold the rules and their messages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from olteams.forms import DateInput, TimeInput
from wmo.constants import (
    ChangeReason,
    DecisionKind,
    Frequency,
    GoalResult,
    ResultArea,
    Satisfaction,
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


# --- the municipal route ------------------------------------------------------------------


class MeldingForm(forms.Form):
    """A melding at the Wmo desk: who, which team, the question in the resident's words."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    first_name = forms.CharField(label=_("Roepnaam"), required=False, max_length=100)
    name_prefix = forms.CharField(label=_("Tussenvoegsel"), required=False, max_length=20)
    last_name = forms.CharField(label=_("Achternaam"), required=False, max_length=100)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DateInput(), required=False)
    address = forms.CharField(label=_("Adres"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    city = forms.CharField(label=_("Woonplaats"), required=False, max_length=100)
    phone = forms.CharField(label=_("Telefoon"), required=False, max_length=20)
    allow_possible_duplicate = forms.BooleanField(
        label=_("Dit is een andere persoon dan de gevonden inwoner"), required=False
    )
    municipality = forms.TypedChoiceField(label=_("Gemeente"), coerce=int, required=False)
    team = forms.TypedChoiceField(
        label=_("Team"),
        coerce=int,
        required=False,
        help_text=_("Het team dat de ondersteuning biedt; het ontvangt de toewijzing."),
    )
    reported_on = forms.DateField(label=_("Datum melding"), widget=DateInput(), required=False)
    reporter = forms.CharField(
        label=_("Gemeld door"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld de inwoner zelf, de partner of de huisarts."),
    )
    question = forms.CharField(
        label=_("Hulpvraag in eigen woorden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, municipalities: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            (m.pk, m.name) for m in municipalities
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = _blank((t.pk, t.name) for t in teams)

    def person(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in (
                "bsn",
                "first_name",
                "name_prefix",
                "last_name",
                "date_of_birth",
                "address",
                "postcode",
                "city",
                "phone",
            )
        }


class ConversationForm(forms.Form):
    """The onderzoek: the conversation, who was present, the ZRM."""

    conversation_on = forms.DateField(label=_("Datum gesprek"), widget=DateInput(), required=False)
    present = forms.CharField(
        label=_("Aanwezig"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: de inwoner, zijn partner, de wijkverpleegkundige."),
    )
    naaste_name = forms.CharField(
        label=_("Naam van de naaste aan tafel"), required=False, max_length=200
    )
    naaste_relation = forms.CharField(
        label=_("Relatie tot de inwoner"), required=False, max_length=100
    )
    naaste_phone = forms.CharField(label=_("Telefoon naaste"), required=False, max_length=20)
    summary = forms.CharField(
        label=_("Verslag van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "conversation_on": data["conversation_on"],
            "present": data["present"],
            "summary": data["summary"],
            "naaste_name": data["naaste_name"],
            "naaste_relation": data["naaste_relation"],
            "naaste_phone": data["naaste_phone"],
            "zrm_scores": {d.value: data.get(f"zrm_{d.value}") for d in ZrmDomain},
        }


class SupportGoalsForm(forms.Form):
    """Up to six support goals, in the resident's own words, in order of priority."""

    def __init__(self, *args: Any, count: int = 6, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, count + 1):
            self.fields[f"goal_{index}"] = forms.CharField(
                label=_("Doel %(n)s") % {"n": index},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def texts(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class MeldingDecisionForm(forms.Form):
    arrangement = forms.TypedChoiceField(label=_("Arrangement"), coerce=int, required=False)
    volume = forms.IntegerField(label=_("Omvang"), required=False)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=_blank(Unit.choices), required=False)
    frequency = forms.ChoiceField(
        label=_("Frequentie"), choices=_blank(Frequency.choices), required=False
    )
    start = forms.DateField(label=_("Ingangsdatum"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Einddatum"), widget=DateInput(), required=False)
    review_on = forms.DateField(
        label=_("Evaluatie op"),
        widget=DateInput(),
        required=False,
        help_text=_("Wanneer de doelen met de inwoner worden geëvalueerd."),
    )
    result_areas = forms.TypedMultipleChoiceField(
        label=_("Resultaatgebieden"),
        choices=ResultArea.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Toelichting bij het besluit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, arrangements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrangements = {a.pk: a for a in arrangements}
        cast(forms.ChoiceField, self.fields["arrangement"]).choices = _blank(
            (a.pk, f"{a.name} ({a.product.code})") for a in arrangements
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "arrangement": self.arrangements.get(data["arrangement"])
            if data["arrangement"]
            else None,
            "volume": data["volume"],
            "unit": data["unit"],
            "frequency": data["frequency"],
            "start": data["start"],
            "end": data["end"],
            "review_on": data["review_on"],
            "result_areas": data["result_areas"],
            "reason": data["reason"],
        }


class MeldingAcceptForm(forms.Form):
    """The team takes the toewijzing: intake and casusregisseur."""

    intake_organisation = forms.TypedChoiceField(
        label=_("Organisatie die de intake doet"), coerce=int, required=False
    )
    planned_on = forms.DateField(label=_("Datum intake"), widget=DateInput(), required=False)
    planned_time = forms.TimeField(label=_("Tijd"), widget=TimeInput(), required=False)
    location = forms.CharField(label=_("Locatie"), required=False, max_length=200)
    workers = forms.TypedMultipleChoiceField(
        label=_("Medewerkers bij de intake"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    casusregisseur = forms.TypedChoiceField(
        label=_("Casusregisseur"),
        coerce=int,
        required=False,
        help_text=_(
            "Het vaste aanspreekpunt van de cliënt; mag van een andere partnerorganisatie zijn."
        ),
    )
    service_field_aliases = {"invited_naasten": "workers"}

    def __init__(self, *args: Any, organisations: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.worker_map = {w.pk: w for w, _org in workers}
        cast(forms.ChoiceField, self.fields["intake_organisation"]).choices = _blank(
            (o.pk, o.name) for o in organisations
        )
        labels = [(w.pk, f"{w.get_full_name() or w.username} ({org})") for w, org in workers]
        cast(forms.ChoiceField, self.fields["workers"]).choices = labels
        cast(forms.ChoiceField, self.fields["casusregisseur"]).choices = _blank(labels)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "intake_organisation": self.organisations.get(data["intake_organisation"])
            if data["intake_organisation"]
            else None,
            "planned_on": data["planned_on"],
            "planned_time": data["planned_time"],
            "location": data["location"] or "",
            "workers": [self.worker_map[w] for w in data["workers"] if w in self.worker_map],
            "casusregisseur": self.worker_map.get(data["casusregisseur"])
            if data["casusregisseur"]
            else None,
        }


class GoalReviewForm(forms.Form):
    """Per support goal the result with a short reason, and the client's satisfaction."""

    reviewed_on = forms.DateField(label=_("Datum evaluatie"), widget=DateInput(), required=False)
    satisfaction = forms.TypedChoiceField(
        label=_("Hoe tevreden is de cliënt over de ondersteuning?"),
        choices=_blank(Satisfaction.choices),
        coerce=int,
        required=False,
        empty_value=None,
    )
    satisfaction_comment = forms.CharField(
        label=_("Toelichting van de cliënt (optioneel)"), required=False, max_length=300
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.text,
                choices=GoalResult.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"reason_{goal.pk}"] = forms.CharField(
                label=_("Korte toelichting"), required=False, max_length=300
            )

    @property
    def goal_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"goal_{g.pk}"], self[f"reason_{g.pk}"]) for g in self.goals]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reviewed_on": data["reviewed_on"],
            "satisfaction": data["satisfaction"],
            "satisfaction_comment": data["satisfaction_comment"],
            "results": {
                g.pk: (data.get(f"goal_{g.pk}") or "", data.get(f"reason_{g.pk}") or "")
                for g in self.goals
                if data.get(f"goal_{g.pk}")
            },
        }


class GoalReportForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)
