"""Writes of the dated financial data: Dutch field errors, nothing saved on bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from finance.constants import TariffKind, TeamCostKind
from finance.models import BusinessCase, BusinessCaseLine, CostRate, Subsidy, Tariff, TeamCost
from finance.services.data import (
    business_case_set,
    cost_rate_create,
    cost_rate_update,
    subsidy_create,
    tariff_create,
    tariff_update,
    team_cost_create,
)
from olteams.constants import Discipline
from tests.factories.finance import BusinessCaseFactory, CostRateFactory, TariffFactory

pytestmark = pytest.mark.django_db
D = Decimal
OVERLAP = "Deze periode overlapt met een bestaande periode voor dezelfde gegevens."


def test_tariff_create_derives_stream_and_unit(controller, municipality):
    tariff = tariff_create(
        actor=controller,
        kind=TariffKind.WMO_HOUR,
        municipality=municipality,
        amount=D("61.20"),
        valid_from=dt.date(2026, 1, 1),
    )
    assert (tariff.funding_stream, tariff.unit) == ("wmo", "uur")


def test_overlapping_tariff_is_a_dutch_field_error(controller, municipality):
    tariff_create(
        actor=controller,
        kind=TariffKind.WMO_HOUR,
        municipality=municipality,
        amount=D("60"),
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(
            actor=controller,
            kind=TariffKind.WMO_HOUR,
            municipality=municipality,
            amount=D("65"),
            valid_from=dt.date(2026, 6, 1),
        )
    assert excinfo.value.message_dict == {"valid_from": [OVERLAP]}
    assert Tariff.objects.count() == 1
    # adjoining periods are fine
    tariff_create(
        actor=controller,
        kind=TariffKind.WMO_HOUR,
        municipality=municipality,
        amount=D("65"),
        valid_from=dt.date(2027, 1, 1),
    )


def test_database_constraint_error_becomes_the_same_field_error(
    controller, municipality, monkeypatch
):
    TariffFactory(kind=TariffKind.WLZ_HOUR, amount=D("80"))
    from finance.services import data

    monkeypatch.setattr(data, "_tariff_overlap", lambda tariff: Tariff.objects.none())
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(
            actor=controller,
            kind=TariffKind.WLZ_HOUR,
            amount=D("81"),
            valid_from=dt.date(2026, 1, 1),
        )
    assert excinfo.value.message_dict == {"valid_from": [OVERLAP]}
    assert Tariff.objects.count() == 1


def test_exclusion_constraint_is_kept_in_the_database(municipality):
    TariffFactory(kind=TariffKind.WLZ_HOUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffFactory(kind=TariffKind.WLZ_HOUR, valid_from=dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        (TariffKind.WMO_HOUR, {"municipality"}),
        (TariffKind.WMO_FIXED, {"municipality"}),
        (TariffKind.WMO_LUMP_SUM, {"team", "municipality"}),
        (TariffKind.ZVW_CONSULT, {"prestatie"}),
    ],
)
def test_kind_specific_required_fields(controller, kind, missing):
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(actor=controller, kind=kind, amount=D("10"), valid_from=dt.date(2026, 1, 1))
    assert set(excinfo.value.message_dict) == missing
    assert "verplicht" in excinfo.value.message_dict[next(iter(missing))][0]


def test_negative_amount_and_reversed_period(controller):
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(
            actor=controller,
            kind=TariffKind.WLZ_HOUR,
            amount=D("-1"),
            valid_from=dt.date(2026, 2, 1),
            valid_to=dt.date(2026, 1, 1),
        )
    assert excinfo.value.message_dict == {
        "amount": ["Een bedrag kan niet negatief zijn."],
        "valid_to": ["De einddatum ligt vóór de begindatum."],
    }
    assert not Tariff.objects.exists()


def test_tariff_update_excludes_itself_from_overlap(controller):
    tariff = TariffFactory(kind=TariffKind.WLZ_HOUR, amount=D("80"))
    updated = tariff_update(actor=controller, tariff=tariff, amount=D("82.50"))
    assert updated.amount == D("82.50")


@pytest.mark.parametrize("who", ["member", "stuurgroep_user", "lead"])
def test_only_controllers_and_admins_write(who, request):
    with pytest.raises(PermissionDenied):
        tariff_create(
            actor=request.getfixturevalue(who),
            kind=TariffKind.WLZ_HOUR,
            amount=D("1"),
            valid_from=dt.date(2026, 1, 1),
        )
    assert not Tariff.objects.exists()


def test_functional_admin_writes(admin_user):
    assert tariff_create(
        actor=admin_user, kind=TariffKind.WLZ_HOUR, amount=D("1"), valid_from=dt.date(2026, 1, 1)
    ).pk


def test_cost_rate_overlap_and_negative(controller, org_ggz):
    cost_rate_create(
        actor=controller,
        organisation=org_ggz,
        discipline=Discipline.SPV,
        monthly_cost_per_fte=D("6500"),
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        cost_rate_create(
            actor=controller,
            organisation=org_ggz,
            discipline=Discipline.SPV,
            monthly_cost_per_fte=D("6600"),
            valid_from=dt.date(2026, 3, 1),
        )
    assert excinfo.value.message_dict == {"valid_from": [OVERLAP]}
    rate = CostRateFactory(organisation=org_ggz, discipline=Discipline.PSYCHIATER)
    with pytest.raises(ValidationError) as excinfo:
        cost_rate_update(actor=controller, cost_rate=rate, monthly_cost_per_fte=D("-5"))
    assert "monthly_cost_per_fte" in excinfo.value.message_dict
    assert CostRate.objects.count() == 2


def test_team_cost_and_subsidy(controller, team):
    team_cost_create(
        actor=controller,
        team=team,
        kind=TeamCostKind.HOUSING,
        monthly_amount=D("1500"),
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        team_cost_create(
            actor=controller,
            team=team,
            kind=TeamCostKind.HOUSING,
            monthly_amount=D("1600"),
            valid_from=dt.date(2026, 2, 1),
        )
    assert TeamCost.objects.count() == 1
    subsidy = subsidy_create(
        actor=controller,
        team=team,
        source="Provincie",
        amount=D("6000"),
        valid_from=dt.date(2026, 1, 15),
        valid_to=dt.date(2026, 6, 30),
    )
    assert (subsidy.valid_from, subsidy.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        subsidy_create(
            actor=controller,
            team=team,
            source="",
            amount=D("-1"),
            valid_from=dt.date(2026, 1, 1),
            valid_to=None,
        )
    assert set(excinfo.value.message_dict) == {"source", "amount", "valid_to"}
    assert Subsidy.objects.count() == 1


def test_business_case_set_with_lines(controller, team):
    case = business_case_set(
        actor=controller,
        team=team,
        name="BC 2026",
        target_clients=60,
        valid_from=dt.date(2026, 1, 1),
        lines={Discipline.CASEMANAGER: "3.5", Discipline.PSYCHIATER: D("0.4")},
    )
    assert dict(case.lines.values_list("discipline", "target_fte")) == {
        Discipline.CASEMANAGER: D("3.50"),
        Discipline.PSYCHIATER: D("0.40"),
    }
    business_case_set(
        actor=controller,
        team=team,
        name="BC 2026",
        target_clients=65,
        valid_from=dt.date(2026, 1, 1),
        lines={Discipline.SPV: "1"},
        business_case=case,
    )
    assert list(case.lines.values_list("discipline", flat=True)) == [Discipline.SPV]


def test_business_case_negative_fte_saves_nothing(controller, team):
    existing = BusinessCaseFactory(
        team=team,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        lines={Discipline.SPV: "1.0"},
    )
    with pytest.raises(ValidationError) as excinfo:
        business_case_set(
            actor=controller,
            team=team,
            name="BC",
            target_clients=10,
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2025, 12, 31),
            lines={Discipline.SPV: "-0.5"},
            business_case=existing,
        )
    assert excinfo.value.message_dict == {"lines": ["De fte bij SPV'er kan niet negatief zijn."]}
    assert list(BusinessCaseLine.objects.values_list("target_fte", flat=True)) == [D("1.00")]
    with pytest.raises(ValidationError) as excinfo:
        business_case_set(
            actor=controller,
            team=team,
            name="BC",
            target_clients=10,
            valid_from=dt.date(2025, 6, 1),
            lines={},
        )
    assert excinfo.value.message_dict == {"valid_from": [OVERLAP]}
    assert BusinessCase.objects.count() == 1
