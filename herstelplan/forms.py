"""Browser input of the herstelplan app. Forms parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from herstelplan.constants import (
    ActionPerformer,
    AgreementMethod,
    EvaluationOutcome,
    HonosItem,
    HonosProblemType,
    HonosScore,
    RecoveryPhaseNumber,
)
from herstelplan.models import IrocIndicator
from olteams.forms import DateInput
from olteams.models import Organisation
from olteams.staff import StaffChoiceField, staff_field
from olteams.types import choice_field


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class IrocAssessmentForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    filled_in_with = forms.CharField(
        label=_("Ingevuld met"),
        max_length=200,
        help_text=_("Bijvoorbeeld: de cliënt en de casemanager, of de cliënt met een naaste."),
    )

    def __init__(
        self, *args: Any, indicators: list[IrocIndicator], labels: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        choices = [(score, f"{score} - {labels.get(score, '')}") for score in range(1, 7)]
        for indicator in indicators:
            self.fields[f"score_{indicator.number}"] = forms.TypedChoiceField(
                label=f"{indicator.number}. {indicator.label}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=indicator.question,
                error_messages={"required": _("Kies een antwoord van 1 tot en met 6.")},
            )
            self.fields[f"note_{indicator.number}"] = forms.CharField(
                label=_("Toelichting bij %(n)s (niet verplicht)") % {"n": indicator.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def items(self) -> list[tuple[IrocIndicator, Any, Any]]:
        return [(i, self[f"score_{i.number}"], self[f"note_{i.number}"]) for i in self.indicators]

    def answers(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "indicator": i.number,
                "score": data[f"score_{i.number}"],
                "note": data.get(f"note_{i.number}", ""),
            }
            for i in self.indicators
            if f"score_{i.number}" in data
        ]


class HonosForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    item_8_problem_type = forms.ChoiceField(
        label=_("Soort probleem bij item 8"),
        required=False,
        choices=[("", _("- geen -")), *HonosProblemType.choices],
        help_text=_("Alleen invullen als item 8 een score van 1 tot en met 4 heeft."),
    )
    notes = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in HonosItem:
            self.fields[f"item_{item.value}"] = forms.TypedChoiceField(
                label=f"{item.value}. {item.label}",
                coerce=int,
                choices=[("", _("- kies -")), *HonosScore.choices],
                error_messages={"required": _("Kies een score.")},
            )
        self.order_fields(
            ["date", *[f"item_{n}" for n in range(1, 13)], "item_8_problem_type", "notes"]
        )

    def scores(self) -> dict[int, int]:
        return {
            n: self.cleaned_data[f"item_{n}"]
            for n in range(1, 13)
            if f"item_{n}" in self.cleaned_data
        }


class RecoveryPhaseForm(forms.Form):
    phase = forms.TypedChoiceField(
        label=_("Fase"), choices=RecoveryPhaseNumber.choices, coerce=int, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    set_with = forms.CharField(
        label=_("Vastgesteld met"),
        max_length=200,
        help_text=_("Bijvoorbeeld: de cliënt en de ervaringsdeskundige."),
    )
    note = forms.CharField(
        label=_("Korte toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(LockForm):
    who_i_am = forms.CharField(
        label=_("Wie ben ik"),
        required=False,
        widget=forms.Textarea,
        help_text=_("In de woorden van de cliënt."),
    )
    wishes = forms.CharField(label=_("Mijn wensen"), required=False, widget=forms.Textarea)
    dreams = forms.CharField(label=_("Mijn dromen"), required=False, widget=forms.Textarea)
    strengths = forms.CharField(
        label=_("Mijn sterke kanten"), required=False, widget=forms.Textarea
    )
    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: vanaf de dag dat het plan actief wordt."),
    )
    review_date = forms.DateField(
        label=_("Evalueren op"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: zes maanden na de start."),
    )

    PLAN_FIELDS = ("who_i_am", "wishes", "dreams", "strengths", "valid_from", "review_date")

    def values(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) for f in self.PLAN_FIELDS}


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: IrocIndicator) -> str:
        return f"{obj.number}. {obj.label} ({obj.get_area_display()})"


class GoalForm(LockForm):
    text = forms.CharField(
        label=_("Doel in de woorden van de cliënt"), widget=forms.Textarea(attrs={"rows": 3})
    )
    priority = forms.IntegerField(
        label=_("Prioriteit"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("1 is het belangrijkste voor de cliënt."),
    )
    indicators = IndicatorChoiceField(
        label=_("Werkt aan I.ROC-indicatoren"),
        required=False,
        queryset=IrocIndicator.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
    )
    evaluation_date = forms.DateField(label=_("Evalueren op"), required=False, widget=DateInput())

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "priority": data["priority"],
            "indicators": [i.number for i in data["indicators"]],
            "evaluation_date": data.get("evaluation_date"),
        }


class GoalActionForm(LockForm):
    description = forms.CharField(
        label=_("Wat gebeurt er"), widget=forms.Textarea(attrs={"rows": 2})
    )
    performer = forms.ChoiceField(
        label=_("Wie doet het"), choices=ActionPerformer.choices, widget=forms.RadioSelect
    )
    worker = StaffChoiceField(label=_("Medewerker"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), required=False, queryset=Organisation.objects.order_by("name")
    )
    performer_name = forms.CharField(label=_("Naam van de naaste"), required=False, max_length=200)
    frequency = forms.CharField(
        label=_("Hoe vaak"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld: elke week, twee keer per maand."),
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "worker").configure(workers)


class AgreementForm(LockForm):
    agreed_on = forms.DateField(label=_("Akkoord gegeven op"), widget=DateInput())
    agreed_how = forms.ChoiceField(
        label=_("Hoe gaf de cliënt akkoord"),
        choices=AgreementMethod.choices,
        widget=forms.RadioSelect,
    )


class EvaluationForm(forms.Form):
    date = forms.DateField(label=_("Datum van de evaluatie"), widget=DateInput())
    text = forms.CharField(label=_("Wat kwam eruit"), widget=forms.Textarea)
    outcome = forms.ChoiceField(
        label=_("Besluit"),
        choices=EvaluationOutcome.choices,
        widget=forms.RadioSelect,
        initial=EvaluationOutcome.CONTINUE,
    )
    next_evaluation_date = forms.DateField(
        label=_("Volgende evaluatie op"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, for_goal: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_goal:
            choice_field(self, "outcome").choices = [
                (v, label)
                for v, label in EvaluationOutcome.choices
                if v in (EvaluationOutcome.CONTINUE, EvaluationOutcome.NEW_VERSION)
            ]


class TeamSettingsForm(forms.Form):
    iroc_interval_months = forms.IntegerField(
        label=_("I.ROC elke … maanden"), min_value=1, max_value=24
    )
    honos_threshold_outpatient = forms.IntegerField(
        label=_("HoNOS-drempel ambulant in behandeling - opname"), min_value=0, max_value=48
    )
    honos_threshold_residential = forms.IntegerField(
        label=_("HoNOS-drempel langdurig ambulant - beschermd wonen"), min_value=0, max_value=48
    )
    honos_threshold_admission = forms.IntegerField(
        label=_("HoNOS-drempel langdurig ambulant - opname"), min_value=0, max_value=48
    )
    honos_threshold_act = forms.IntegerField(
        label=_("HoNOS-drempel langdurig ambulant - ACT"), min_value=0, max_value=48
    )


# --- the signaleringsplan ---------------------------------------------------------------


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignalPlanForm(LockForm):
    """The texts of a signaleringsplan, per stage and about an admission, in the client's
    own words. The crisis contacts are a formset beside it (``SignalContactFormSet``)."""

    green_signs = _text(_("Zo gaat het goed met mij (signalen)"))
    green_client = _text(_("Wat ik zelf doe"))
    green_naaste = _text(_("Wat mijn naaste doet"))
    green_team = _text(_("Wat het team doet"))
    orange_signs = _text(
        _("Vroege signalen"), _("Waaraan merken ik en anderen dat het minder gaat?")
    )
    orange_client = _text(_("Wat ik zelf doe"))
    orange_naaste = _text(_("Wat mijn naaste doet"))
    orange_team = _text(_("Wat het team doet"))
    red_signs = _text(_("Signalen van een crisis"), _("Nodig voordat de cliënt akkoord kan geven."))
    red_client = _text(_("Wat ik zelf doe"))
    red_naaste = _text(_("Wat mijn naaste doet"))
    red_team = _text(_("Wat het team doet"))
    admission_wishes = _text(_("Mijn wensen bij een opname"))
    admission_must = _text(_("Wat moet er gebeuren"))
    admission_must_not = _text(_("Wat mag er niet gebeuren"))
    admission_care = _text(
        _("Wie zorgt voor kinderen, huisdieren en huis"),
        _("Bijvoorbeeld: mijn zus haalt de kinderen op, de buren voeren de kat."),
    )

    STAGES = (
        ("green", _("Groen: het gaat goed")),
        ("orange", _("Oranje: vroege signalen")),
        ("red", _("Rood: crisis")),
    )
    ADMISSION_FIELDS = (
        "admission_wishes",
        "admission_must",
        "admission_must_not",
        "admission_care",
    )
    # A stale save is a message about the whole form, not about the hidden field.
    service_field_aliases = {"lock_version": "__all__"}

    def stage_fields(self) -> list[tuple[str, Any, list[Any]]]:
        """(stage, title, bound fields) for the template."""
        return [
            (stage, title, [self[f"{stage}_{p}"] for p in ("signs", "client", "naaste", "team")])
            for stage, title in self.STAGES
        ]

    def admission_fields(self) -> list[Any]:
        return [self[f] for f in self.ADMISSION_FIELDS]

    def texts(self) -> dict[str, Any]:
        return {f: v for f, v in self.cleaned_data.items() if f != "lock_version"}


class SignalContactForm(forms.Form):
    name = forms.CharField(label=_("Naam"), required=False, max_length=200)
    role = forms.CharField(
        label=_("Rol"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld crisisdienst, huisarts, naaste."),
    )
    phone = forms.CharField(label=_("Telefoon"), required=False, max_length=30)


SignalContactFormSet = forms.formset_factory(
    SignalContactForm, extra=2, max_num=12, absolute_max=12, validate_max=True
)
