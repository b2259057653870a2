"""Serializers of the accounts and the dated financial data (thin: rules live in services)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from finance.constants import LineSection
from finance.models import AccountLine, CostRate, MonthlyAccount, Subsidy, Tariff, TeamCost
from finance.selectors import AccountTotals


class AccountTotalsSerializer(serializers.Serializer):
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    costs = serializers.DecimalField(max_digits=16, decimal_places=2)
    result_excl_subsidy = serializers.DecimalField(max_digits=16, decimal_places=2)
    subsidy = serializers.DecimalField(max_digits=16, decimal_places=2)
    result_incl_subsidy = serializers.DecimalField(max_digits=16, decimal_places=2)
    clients_month_end = serializers.IntegerField()
    clients_average = serializers.DecimalField(max_digits=12, decimal_places=2)
    inflow = serializers.IntegerField()
    outflow = serializers.IntegerField()
    fte = serializers.DecimalField(max_digits=12, decimal_places=2)
    direct_hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    indirect_hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    unpaid_hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    revenue_by_stream = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2)
    )


class AccountLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountLine
        fields = ["id", "section", "code", "label", "funding_stream", "municipality",
                  "organisation", "arrangement", "discipline", "quantity", "unit", "amount",
                  "adjusts_month", "reason", "position"]  # fmt: skip


class MonthlyAccountSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(
        source="team.name", read_only=True, default=None, allow_null=True
    )
    totals = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyAccount
        fields = ["id", "team", "team_name", "month", "status", "computed_at", "closed_at",
                  "close_reason", "close_findings", "totals"]  # fmt: skip
        read_only_fields = ["close_reason", "close_findings"]

    def get_totals(self, obj: MonthlyAccount) -> dict[str, Any]:
        totals: AccountTotals = self.context["totals"][obj.pk]
        return AccountTotalsSerializer(totals).data  # type: ignore[return-value]


class MonthlyAccountDetailSerializer(MonthlyAccountSerializer):
    lines = AccountLineSerializer(many=True, read_only=True)

    class Meta(MonthlyAccountSerializer.Meta):
        fields = [*MonthlyAccountSerializer.Meta.fields, "lines"]


class AccountCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Verplicht bij geen opbrengsten, geen kosten of uren ver van de formatie.",
    )


class AdjustmentSerializer(serializers.Serializer):
    adjusts_month = serializers.DateField()
    section = serializers.ChoiceField(
        choices=[
            (s.value, s.label) for s in (LineSection.REVENUE, LineSection.COST, LineSection.SUBSIDY)
        ]
    )
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True, default=""
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reason = serializers.CharField(allow_blank=True)


class _DataSerializer(serializers.ModelSerializer):
    """Field types only: every rule is checked by the service (no model validators here)."""

    def get_validators(self) -> list:
        return []


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2)


class TariffSerializer(_DataSerializer):
    amount = _money()

    class Meta:
        model = Tariff
        fields = ["id", "kind", "funding_stream", "unit", "municipality", "team", "product",
                  "arrangement", "discipline", "min_minutes", "max_minutes", "amount",
                  "valid_from", "valid_to", "note"]  # fmt: skip
        read_only_fields = ["funding_stream", "unit"]


class CostRateSerializer(_DataSerializer):
    monthly_cost_per_fte = _money()

    class Meta:
        model = CostRate
        fields = ["id", "organisation", "discipline", "monthly_cost_per_fte", "valid_from",
                  "valid_to"]  # fmt: skip


class TeamCostSerializer(_DataSerializer):
    monthly_amount = _money()

    class Meta:
        model = TeamCost
        fields = ["id", "team", "kind", "monthly_amount", "valid_from", "valid_to"]


class SubsidySerializer(_DataSerializer):
    amount = _money()

    class Meta:
        model = Subsidy
        fields = ["id", "team", "source", "amount", "valid_from", "valid_to", "note"]
