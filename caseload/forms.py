"""Browser input of the caseload logging pages. The services hold the rules and their
Dutch messages; ``olteams.forms.add_service_errors`` puts them beside the right field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.constants import (
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    DocumentCategory,
    IntensityLevel,
    NonClientCode,
    NonClientTarget,
)
from clients.constants import OutflowReason
from olteams.forms import DateInput, TimeInput
from olteams.models import Team, User
from olteams.selectors import staff_annotate, staff_label
from olteams.staff import StaffMultipleChoiceField, staff_field
from olteams.types import choice_field, model_choice_field

DEFAULT_DURATION = 45


def _minutes(
    label: Any, *, initial: int | None = None, help_text: Any = "", minimum: int = 1
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        initial=initial,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": minimum, "max": 1440, "inputmode": "numeric"}),
    )


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class ContactForm(forms.Form):
    # The service's ``starts_at`` is typed here as a date and a time.
    service_field_aliases = {"starts_at": "date"}

    date = forms.DateField(
        label=_("Datum"), widget=DateInput(attrs={"autofocus": True, "required": True})
    )
    time = forms.TimeField(label=_("Begintijd"), widget=TimeInput())
    duration_minutes = _minutes(_("Duur (minuten)"), initial=DEFAULT_DURATION)
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices)
    workers = StaffMultipleChoiceField(
        label=_("Aanwezige medewerkers"),
        required=False,
        help_text=_("U staat er zelf altijd bij."),
    )
    naaste_present = forms.BooleanField(label=_("Naaste aanwezig"), required=False)
    goals: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Doelen uit het herstelplan waaraan is gewerkt"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Ctrl+Enter slaat op."),
    )
    travel_minutes = _minutes(_("Reistijd (minuten)"), initial=0, minimum=0)
    funding_stream = forms.ChoiceField(
        label=_("Financiering"),
        choices=ContactFunding.choices,
        help_text=_("Voorgesteld op grond van de situatie van de cliënt; u kunt het wijzigen."),
    )

    def __init__(self, *args: Any, workers: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "workers").configure(workers)
        model_choice_field(self, "goals").queryset = goals

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
        return {
            "starts_at": starts_at,
            "duration_minutes": data["duration_minutes"],
            "kind": data["kind"],
            "workers": list(data["workers"]),
            "naaste_present": data["naaste_present"],
            "goals": list(data["goals"]),
            "note": data["note"],
            "travel_minutes": data["travel_minutes"],
            "funding_stream": data["funding_stream"],
        }


class NonClientTimeForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    worker = forms.ModelChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Alleen voor de teamleider: leeg laten voor uzelf."),
    )
    date = forms.DateField(label=_("Datum"), widget=DateInput(attrs={"autofocus": True}))
    minutes = _minutes(_("Tijd (minuten)"))
    code = forms.ChoiceField(label=_("Code"), choices=_blank(NonClientCode.choices))
    target = forms.ChoiceField(
        label=_("Met wie / waarvoor"),
        choices=_blank(NonClientTarget.choices),
        required=False,
        help_text=_("Verplicht bij code 1, 3 en 4; mag bij 2 en 6."),
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        max_length=300,
        required=False,
        help_text=_("Verplicht bij code 7 (overig)."),
    )

    def __init__(self, *args: Any, teams: Any, workers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = teams
        if workers is None:
            del self.fields["worker"]
        else:
            worker = model_choice_field(self, "worker")
            worker.queryset = staff_annotate(workers, team_id=None)
            # Django documents overriding label_from_instance; the stubs only know the method.
            worker.label_from_instance = staff_label  # type: ignore[assignment,method-assign]


class IntensityForm(forms.Form):
    date = forms.DateField(label=_("Per"), widget=DateInput(attrs={"autofocus": True}))
    level = forms.TypedChoiceField(
        label=_("Nieuwe intensiteit"), choices=_blank(IntensityLevel.choices), coerce=int
    )
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CrisisForm(forms.Form):
    started_on = forms.DateField(label=_("Begin"), widget=DateInput(attrs={"autofocus": True}))
    setting = forms.ChoiceField(
        label=_("Opname"), choices=CrisisSetting.choices, widget=forms.RadioSelect
    )
    setting_other = forms.CharField(
        label=_("Andere setting"),
        max_length=100,
        required=False,
        help_text=_("Verplicht bij 'Overig'."),
    )
    reason = forms.CharField(
        label=_("Aanleiding"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    admission_prevented = forms.BooleanField(
        label=_("Opname voorkomen"),
        required=False,
        help_text=_("Alleen bij een crisis zonder opname."),
    )
    ended_on = forms.DateField(
        label=_("Einde"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg laten zolang de crisis of opname duurt."),
    )


class CrisisEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Einde"), widget=DateInput(attrs={"autofocus": True}))
    admission_prevented = forms.BooleanField(
        label=_("Opname voorkomen"),
        required=False,
        help_text=_("Alleen bij een crisis zonder opname."),
    )


class ConsultationForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    date = forms.DateField(label=_("Datum"), widget=DateInput(attrs={"autofocus": True}))
    requester_kind = forms.ChoiceField(
        label=_("Vraagsteller"), choices=_blank(ConsultationRequester.choices)
    )
    requester_name = forms.CharField(label=_("Naam vraagsteller"), max_length=200, required=False)
    client: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Over cliënt"),
        queryset=None,
        required=False,
        help_text=_("Leeg laten als het niet over een cliënt van het team ging."),
    )
    about = forms.CharField(
        label=_("Over (geen cliënt)"),
        max_length=200,
        required=False,
        help_text=_("Zonder naam of andere herleidbare gegevens, bijvoorbeeld 'man, 40 jaar'."),
    )
    minutes = _minutes(_("Tijd (minuten)"))
    note = forms.CharField(
        label=_("Advies"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, teams: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = teams
        model_choice_field(self, "client").queryset = clients


class OutflowForm(forms.Form):
    """Outflow on the checklist page; ``client_outflow`` checks the rules."""

    on = forms.DateField(label=_("Datum uitstroom"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Reden van uitstroom"), choices=_blank(OutflowReason.choices), required=False
    )
    destination = forms.CharField(
        label=_("Uitgestroomd naar"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de naam van de nieuwe aanbieder."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class DocumentUploadForm(forms.Form):
    """A file for the client file and what it is. The file's type is checked on its content
    by the service (``caseload.services.document_upload``), not here."""

    file = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=_("PDF, afbeelding (PNG, JPEG) of Office-bestand (Word, Excel, OpenDocument)."),
    )
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Soort document"), choices=DocumentCategory.choices)
    document_date = forms.DateField(label=_("Datum van het document"), widget=DateInput())
    author = forms.CharField(
        label=_("Auteur"),
        max_length=200,
        required=False,
        help_text=_("Wie het document schreef, bijvoorbeeld de huisarts."),
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = [
            (value, label) for value, label in DocumentCategory.choices if value in categories
        ]


class DocumentDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van verwijderen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Verplicht. Het document blijft bewaard met deze reden."),
    )
