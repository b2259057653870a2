"""Browser input of the finance pages: month picker, adjustment, financial data forms.

Forms parse and check types; the rules (overlap, kind-specific fields, negative amounts)
live in ``finance.services`` and come back as field errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.constants import AccountStatus, LineSection
from finance.models import BusinessCase, CostRate, MonthlyAccount, Subsidy, Tariff, TeamCost
from olteams.constants import Discipline
from olteams.forms import DateInput, MonthField
from olteams.models import Team
from wmo.constants import Unit
from wmo.models import Arrangement, MunicipalProduct, ProductCategory


class MonthForm(forms.Form):
    maand = MonthField(label=_("Maand"), help_text=_("Bijvoorbeeld 2026-03."))

    def clean_maand(self) -> dt.date:
        return self.cleaned_data["maand"].replace(day=1)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Verplicht als hierboven staat wat opvalt (geen opbrengsten, geen kosten of uren "
            "ver van de formatie); de toelichting staat daarna bij de verantwoording."
        ),
    )


class AdjustmentForm(forms.Form):
    adjusts_month = forms.TypedChoiceField(
        label=_("Corrigeert maand"),
        coerce=dt.date.fromisoformat,
        help_text=_("Alleen gesloten maanden van dit team."),
    )
    section = forms.ChoiceField(
        label=_("Onderdeel"),
        choices=[
            (s.value, s.label) for s in (LineSection.REVENUE, LineSection.COST, LineSection.SUBSIDY)
        ],
    )
    label = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Bedrag (€)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Negatief voor een verlaging, bijvoorbeeld -80,00."),
        localize=True,
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, account: MonthlyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = MonthlyAccount.objects.filter(
            team=account.team, month__lt=account.month, status=AccountStatus.CLOSED
        ).values_list("month", flat=True)
        self.fields["adjusts_month"].choices = [  # type: ignore[attr-defined]
            (m.isoformat(), m.strftime("%m-%Y")) for m in months.order_by("-month")
        ]


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm whose constraint checks are left to the service (Dutch field errors)."""

    def validate_unique(self) -> None:
        return None

    def _post_clean(self) -> None:
        # Types and choices are checked by the form fields; the service validates the rest.
        return None


class TariffForm(_ServiceModelForm):
    class Meta:
        model = Tariff
        fields = [
            "kind",
            "municipality",
            "team",
            "product",
            "arrangement",
            "insurer",
            "prestatie",
            "beroep",
            "discipline",
            "min_minutes",
            "max_minutes",
            "amount",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        localized_fields = ["amount"]
        help_texts = {
            "municipality": _("Verplicht voor Wmo per uur, vast bedrag en lumpsum."),
            "team": _("Verplicht voor een Wmo-lumpsum."),
            "arrangement": _(
                "Alleen voor een vast bedrag per 4 weken: het arrangement van de gemeente dat "
                "dit bedrag betaalt (product en team blijven dan leeg)."
            ),
            "insurer": _(
                "Alleen voor Zvw: leeg geldt voor elke zorgverzekeraar zonder eigen tarief."
            ),
            "prestatie": _("Verplicht voor een Zvw-prestatie."),
            "beroep": _("Alleen voor Zvw: het beroep van de NZa; leeg geldt voor elk beroep."),
            "discipline": _("Optioneel voor Zvw: alleen voor deze discipline."),
            "min_minutes": _(
                "Alleen voor Zvw-consulten en groepsconsulten: de duurklasse van de NZa "
                "(5, 15, 30, 45, 60, 75, 90 of 120)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Arrangements of several municipalities share names ("Kort herstel"): say whose.
        field = self.fields["arrangement"]
        field.queryset = Arrangement.objects.select_related("municipality").order_by(  # type: ignore[attr-defined]
            "municipality__name", "name"
        )
        field.label_from_instance = lambda a: f"{a.municipality.name} — {a.name}"  # type: ignore[attr-defined]


class CostRateForm(_ServiceModelForm):
    class Meta:
        model = CostRate
        fields = ["organisation", "discipline", "monthly_cost_per_fte", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        localized_fields = ["monthly_cost_per_fte"]


class TeamCostForm(_ServiceModelForm):
    class Meta:
        model = TeamCost
        fields = ["team", "kind", "monthly_amount", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        localized_fields = ["monthly_amount"]


class SubsidyForm(_ServiceModelForm):
    class Meta:
        model = Subsidy
        fields = ["team", "source", "amount", "valid_from", "valid_to", "note"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        localized_fields = ["amount"]
        help_texts = {
            "valid_from": _("De eerste maand (de dag telt niet)."),
            "valid_to": _("De laatste maand (de dag telt niet)."),
        }


class BusinessCaseForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.order_by("name"))
    name = forms.CharField(label=_("Naam"), max_length=100)
    target_clients = forms.IntegerField(label=_("Beoogd aantal cliënten"))
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_to = forms.DateField(label=_("Geldig tot en met"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, instance: BusinessCase | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "team": instance.team_id,
                "name": instance.name,
                "target_clients": instance.target_clients,
                "valid_from": instance.valid_from,
                "valid_to": instance.valid_to,
            }
            for line in instance.lines.all():
                initial[f"fte_{line.discipline}"] = line.target_fte
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for value, label in Discipline.choices:
            self.fields[f"fte_{value}"] = forms.DecimalField(
                label=label, required=False, max_digits=6, decimal_places=2, localize=True
            )

    def fte_fields(self) -> list[forms.BoundField]:
        return [self[f"fte_{value}"] for value in Discipline.values]

    def lines(self) -> dict[str, Any]:
        return {
            value: self.cleaned_data[f"fte_{value}"]
            for value in Discipline.values
            if self.cleaned_data.get(f"fte_{value}") is not None
        }


# --- municipalities (functional administrators and the municipality's own) -------------------


class MunicipalityForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=100)
    cbs_code = forms.CharField(
        label=_("CBS-gemeentecode"),
        max_length=4,
        help_text=_("4 cijfers, bijvoorbeeld 0626 (Voorschoten). Nodig voor iWmo-berichten."),
    )


class ConsultantForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_(
            "Geef dit wachtwoord veilig door. Bij de eerste keer inloggen stelt de consulent "
            "de tweede stap (authenticator-app) in."
        ),
    )
    is_lead = forms.BooleanField(
        label=_("Teamleider Wmo (krijgt ook de escalaties)"), required=False
    )
    is_admin = forms.BooleanField(
        label=_("Functioneel beheerder van deze gemeente"),
        required=False,
        help_text=_("Mag consulenten, producten en arrangementen van deze gemeente toevoegen."),
    )
    valid_from = forms.DateField(label=_("Vanaf"), widget=DateInput(), required=False)


class ProductForm(forms.Form):
    code = forms.CharField(
        label=_("Productcode"), max_length=5, help_text=_("5 cijfers of hoofdletters.")
    )
    name = forms.CharField(label=_("Naam"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Productcategorie"), queryset=ProductCategory.objects.order_by("code")
    )
    unit = forms.ChoiceField(label=_("Eenheid"), choices=Unit.choices)
    start = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    end = forms.DateField(label=_("Geldig tot en met"), widget=DateInput(), required=False)


class ArrangementForm(forms.Form):
    # The tariff's period is the arrangement's.
    service_field_aliases = {"valid_from": "start", "valid_to": "end"}

    name = forms.CharField(
        label=_("Naam"), max_length=200, help_text=_("Bijvoorbeeld “Kort herstel”.")
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product (iWmo)"),
        queryset=MunicipalProduct.objects.none(),
        help_text=_("Het product waarmee het arrangement wordt toegewezen en gedeclareerd."),
    )
    amount = forms.DecimalField(
        label=_("Bedrag per 4 weken (€)"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Per cliënt; naar rato van de dagen bij begin, einde en maandgrens."),
    )
    start = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    end = forms.DateField(label=_("Geldig tot en met"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = MunicipalProduct.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("code")
