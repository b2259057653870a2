"""Browser input parsing for the clients app. Validation of rules lives in the services;
``olteams.forms.add_service_errors`` puts a service's field errors beside the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from clients.constants import (
    ALLOWED_TRANSITIONS,
    AssignmentRole,
    DecisionKind,
    DisputedPart,
    ExternalPartyKind,
    FiledVia,
    FundingStream,
    Phase,
    PrivacyDecision,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from clients.models import Client, Naaste, Referral
from clients.services.identity import IDENTITY_FIELDS
from olteams.constants import ConsentPurpose, DataCategory
from olteams.forms import DateInput, TimeInput
from olteams.models import Municipality, Organisation, Team, User
from olteams.selectors import staff_label
from olteams.staff import StaffChoiceField, StaffMultipleChoiceField, staff_field
from olteams.types import choice_field, model_choice_field


def date_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class TeamChoiceMixin:
    """A team field only when the user works in more than one team."""

    def _setup_team(self, teams: Any) -> None:
        teams = list(teams)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])  # type: ignore[attr-defined]
        self._only_team = teams[0] if len(teams) == 1 else None
        if self._only_team is not None:
            self.fields["team"].initial = teams[0].pk  # type: ignore[attr-defined]
            self.fields["team"].widget = forms.HiddenInput()  # type: ignore[attr-defined]
            self.fields["team"].required = False  # type: ignore[attr-defined]

    def clean_team(self) -> Team:
        team = self.cleaned_data.get("team")  # type: ignore[attr-defined]
        only_team = getattr(self, "_only_team", None)
        if team is None and only_team is not None:
            return only_team
        if team is None:
            raise ValidationError(_("Kies een team."))
        return team


class ClientForm(TeamChoiceMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    allow_possible_duplicate = forms.BooleanField(
        label=_("Dit is een andere persoon met dezelfde naam en geboortedatum"),
        required=False,
        help_text=_("Alleen aanvinken als u het bestaande dossier hebt gecontroleerd."),
    )

    def __init__(self, *args: Any, teams: Any = (), editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Client,
            fields=IDENTITY_FIELDS,
            widgets={
                "date_of_birth": DateInput(),
                "bsn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            },
        )
        model_fields["bsn"].help_text = _(
            "Optioneel. 9 cijfers; wordt gecontroleerd met de elfproef."
        )
        model_fields["bsn"].max_length = 15
        model_fields["bsn"].widget.attrs["maxlength"] = 15
        self.fields = {**model_fields, **self.fields}
        municipality = model_choice_field(self, "municipality")
        assert municipality.queryset is not None  # fields_for_model sets it from the FK
        municipality.queryset = municipality.queryset.order_by("name")
        if editing:
            del self.fields["team"]
        else:
            self._setup_team(teams)

    def identity(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in IDENTITY_FIELDS}


class ReferralForm(TeamChoiceMixin, forms.ModelForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())

    class Meta:
        model = Referral
        fields = [
            "team",
            "person_name",
            "referred_on",
            "source",
            "urgency",
            "referrer_name",
            "referrer_organisation",
            "question",
        ]
        widgets = {"referred_on": DateInput()}

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_team(teams)
        # The service reports every missing value together, in Dutch.
        self.fields["person_name"].required = False
        self.fields["question"].required = False

    def _post_clean(self) -> None:
        """Rules are the service's job; skip model validation."""


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    destination = forms.CharField(
        label=_("Doorverwezen naar"),
        required=False,
        max_length=200,
        help_text=_("Alleen bij doorverwijzen."),
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea)


class TransitionForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Nieuwe fase"), choices=Phase.choices)
    on = date_field(_("Datum"))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current:
            allowed = ALLOWED_TRANSITIONS[Phase(current)] - {Phase.OUTFLOW}
            # Keep every phase selectable so a wrong choice gets the service's clear message.
            choice_field(self, "to_phase").choices = [
                (value, label) for value, label in Phase.choices if value in allowed
            ] + [
                (value, label)
                for value, label in Phase.choices
                if value not in allowed and value != current
            ]


class VoorzorgForm(forms.Form):
    on = date_field(_("Datum van het eerste contact"))


class IntakePlanForm(forms.Form):
    planned_on = date_field(_("Datum"))
    planned_time = forms.TimeField(label=_("Tijd"), widget=TimeInput())
    location = forms.CharField(label=_("Locatie"), max_length=200)
    workers = StaffMultipleChoiceField(label=_("Medewerkers"))
    invited_naasten: forms.ModelMultipleChoiceField[Naaste] = forms.ModelMultipleChoiceField(
        label=_("Uitgenodigde naasten"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De cliënt mag altijd een naaste meenemen."),
    )

    def __init__(self, *args: Any, workers: Any, naasten: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "workers").configure(workers)
        model_choice_field(self, "invited_naasten").queryset = naasten


class IntakeCompleteForm(forms.Form):
    completed_on = date_field(_("Datum van de intake"))
    outcome_notes = forms.CharField(label=_("Verslag"), widget=forms.Textarea, required=False)
    casemanager = StaffChoiceField(label=_("Casemanager"), required=False)
    regiebehandelaar = StaffChoiceField(label=_("Regiebehandelaar"), required=False)
    naaste_present = forms.BooleanField(label=_("Er was een naaste aanwezig"), required=False)
    present_naasten: forms.ModelMultipleChoiceField[Naaste] = forms.ModelMultipleChoiceField(
        label=_("Aanwezige naasten"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    ORG_ROWS = 3

    def __init__(self, *args: Any, workers: Any, naasten: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "casemanager").configure(workers)
        staff_field(self, "regiebehandelaar").configure(workers)
        model_choice_field(self, "present_naasten").queryset = naasten
        for i in range(1, self.ORG_ROWS + 1):
            self.fields[f"organisation_{i}"] = forms.ModelChoiceField(
                label=_("Betrokken organisatie %(n)s") % {"n": i},
                queryset=Organisation.objects.order_by("name"),
                required=False,
            )
            self.fields[f"funding_{i}"] = forms.ChoiceField(
                label=_("Financiering organisatie %(n)s") % {"n": i},
                choices=FundingStream.choices,
                initial=FundingStream.NONE,
                required=False,
            )

    def organisations(self) -> list[tuple[Organisation, str]]:
        rows = []
        for i in range(1, self.ORG_ROWS + 1):
            org = self.cleaned_data.get(f"organisation_{i}")
            if org is not None:
                rows.append((org, self.cleaned_data.get(f"funding_{i}") or FundingStream.NONE))
        return rows


class EpisodeStartForm(forms.Form):
    on = date_field(_("Begin van de zorgperiode"))
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld hoe de cliënt bij het team kwam."),
    )


class ReentryForm(forms.Form):
    on = date_field(_("Datum heraanmelding"))
    casemanager = StaffChoiceField(
        label=_("Casemanager"), required=False, help_text=_("Meestal de vorige casemanager.")
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "casemanager").configure(workers)


class MergeForm(forms.Form):
    merged: forms.ModelChoiceField[Client] = forms.ModelChoiceField(
        label=_("Dubbel dossier"),
        queryset=None,
        help_text=_("Alles uit dit dossier gaat naar het dossier dat u nu bekijkt."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)
    confirm = forms.BooleanField(label=_("Ik heb gecontroleerd dat het dezelfde persoon is"))

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "merged").queryset = candidates
        # Django documents overriding label_from_instance; the stubs only know the method.
        model_choice_field(self, "merged").label_from_instance = lambda c: (  # type: ignore[assignment]
            f"{c.full_name} · {c.date_of_birth or '—'} · nr. {c.pk}"
        )


class NaasteForm(forms.ModelForm):
    class Meta:
        model = Naaste
        fields = [
            "name",
            "relation",
            "role",
            "phone",
            "email",
            "share_scope",
            "share_note",
            "invited_to_intake",
            "present_at_intake",
            "zag_due_on",
            "ended_on",
        ]
        widgets = {"zag_due_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation"].required = False  # the service gives the Dutch message
        self.fields["name"].required = False

    def _post_clean(self) -> None:
        """Rules are the service's job; skip model validation."""


class ConsentForm(forms.Form):
    recipient_organisation = forms.ModelChoiceField(
        label=_("Ontvangende organisatie"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    recipient_municipality = forms.ModelChoiceField(
        label=_("Of ontvangende gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Voor een Wmo-aanvraag: de gemeente die de aanvraag ontvangt."),
    )
    recipient_role = forms.CharField(
        label=_("Of ontvangende rol"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld 'Wmo-consulent'."),
    )
    category = forms.ChoiceField(label=_("Soort gegevens"), choices=DataCategory.choices)
    purpose_kind = forms.ChoiceField(
        label=_("Doel"),
        choices=ConsentPurpose.choices,
        help_text=_("Alleen toestemming voor het doel waarvoor de gegevens worden gebruikt telt."),
    )
    purpose = forms.CharField(label=_("Toelichting op het doel"), max_length=300, required=False)
    given_on = date_field(_("Gegeven op"))


class WithdrawForm(forms.Form):
    withdrawn_on = date_field(_("Ingetrokken op"))


class AssignmentForm(forms.Form):
    """A worker of the client's team; the team lead may instead choose a worker of another
    team (``other_workers``), and must then say why (the service enforces the reason)."""

    worker = StaffChoiceField(label=_("Medewerker"))
    other_worker = forms.ModelChoiceField(
        label=_("Of: medewerker van een ander team"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Alleen de teamleider kan iemand van een ander team toevoegen. "
            "Die medewerker kan daarna het dossier lezen."
        ),
    )
    reason = forms.CharField(
        label=_("Reden (bij een medewerker van een ander team)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Verplicht bij een medewerker van een ander team, bijvoorbeeld "
            "'waarneming tijdens verlof'. De reden komt in het zorgteam en in de auditlog."
        ),
    )
    role = forms.ChoiceField(label=_("Rol"), choices=AssignmentRole.choices)
    start_date = date_field(_("Vanaf"))

    def __init__(self, *args: Any, workers: Any, other_workers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "worker").configure(workers)
        if other_workers is None:  # not the team lead: own team only
            del self.fields["other_worker"], self.fields["reason"]
            return
        self.fields["worker"].required = False
        other = self.fields["other_worker"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = other_workers
        other.label_from_instance = staff_label  # type: ignore[assignment]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if "other_worker" not in self.fields:
            return data
        worker, other = data.get("worker"), data.pop("other_worker", None)
        if worker and other:
            self.add_error(
                "other_worker",
                _("Kies één medewerker: uit het eigen team of uit een ander team."),
            )
        elif not worker and not other and "worker" not in self.errors:
            self.add_error("worker", _("Kies een medewerker."))
        else:
            data["worker"] = worker or other
        return data


class EndDateForm(forms.Form):
    end_date = date_field(_("Einddatum"))


class InvolvedOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.order_by("name")
    )
    funding_stream = forms.ChoiceField(
        label=_("Financiering"), choices=FundingStream.choices, initial=FundingStream.NONE
    )
    start_date = date_field(_("Vanaf"))
    end_date = date_field(_("Tot en met"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class ExternalPartyForm(forms.Form):
    """A party beyond the partner organisations: day care, peer group, sports club, …"""

    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", "—"), *ExternalPartyKind.choices], required=False
    )
    activity = forms.CharField(
        label=_("Wat doen zij"),
        max_length=300,
        required=False,
        help_text=_(
            "Bijvoorbeeld 'dagbesteding vijf ochtenden per week in een prikkelarme groep'."
        ),
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Adres"), max_length=200, required=False)
    start_date = date_field(_("Vanaf"), required=False)
    end_date = date_field(_("Tot en met"), required=False)


class ImportForm(TeamChoiceMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"), help_text=_("Zie de handleiding voor de kolommen.")
    )
    skip_invalid = forms.BooleanField(
        label=_("Ongeldige rijen overslaan"),
        required=False,
        help_text=_("Zonder dit vinkje wordt niets geïmporteerd zolang één rij fout is."),
    )

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_team(teams)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise ValidationError(_("Kies een CSV- of XLSX-bestand."))
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload


# --- privacy requests (AVG) ----------------------------------------------------------------


class PrivacyRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=PrivacyRequestKind.choices)
    disputed = forms.ChoiceField(
        label=_("Betreft"),
        choices=DisputedPart.choices,
        help_text=_("Welk deel van het dossier het verzoek gaat."),
    )
    disputed_other = forms.CharField(
        label=_("Betreft (als 'Anders')"),
        max_length=200,
        required=False,
        help_text=_("Alleen invullen als u hierboven 'Anders' koos."),
    )
    description = forms.CharField(
        label=_("Het verzoek"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Welke gegevens en welke wijziging, zoveel mogelijk in de woorden van de cliënt."
        ),
    )
    received_on = date_field(
        _("Ontvangen op"), help_text=_("De termijn van een maand loopt vanaf deze dag.")
    )
    filed_via = forms.ChoiceField(
        label=_("Binnengekomen"),
        choices=[(v, label) for v, label in FiledVia.choices if v != FiledVia.PORTAL],
    )


class PrivacyDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"), choices=PrivacyDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "De cliënt krijgt deze motivering; bij een afwijzing ook hoe bezwaar te maken."
        ),
    )


class PrivacyExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Verlengen met"),
        choices=[(1, _("1 maand")), (2, _("2 maanden"))],
        coerce=int,
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4}))
    client_told_on = date_field(
        _("Cliënt geïnformeerd op"),
        help_text=_("De cliënt hoort binnen de eerste maand van de verlenging en de reden."),
    )


class PrivacyWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Bijvoorbeeld: de cliënt belde op 3 december om het verzoek in te trekken."),
    )
    confirm = forms.BooleanField(label=_("De cliënt trekt het verzoek in"))


class PrivacyRegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *PrivacyRequestStatus.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle")), *PrivacyRequestKind.choices], required=False
    )
    te_laat = forms.BooleanField(label=_("Alleen te laat"), required=False)
