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
