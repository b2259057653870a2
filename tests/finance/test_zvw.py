"""Zvw revenue under the zorgprestatiemodel: prestaties, duration classes, supplements,
tariffs per insurer and period, and the split per mother organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caseload.constants import ContactFunding, ContactKind
from clients.constants import Phase
from clients.models import CareEpisode, PhaseTransition
from finance.constants import (
    DISCIPLINE_BEROEP,
    LineCode,
    NzaBeroep,
    TariffKind,
    ZvwPrestatie,
    zvw_duration_class,
)
from finance.selectors import account_totals, organisation_shares
from finance.services import account_compute, accounts_compute_month
from finance.services.data import tariff_create
from olteams.constants import Discipline, OrganisationKind
from tests.factories.clients import ClientFactory
from tests.factories.finance import TariffFactory, contact, indication
from tests.factories.olteams import MembershipFactory, OrganisationFactory
from tests.finance.conftest import MARCH

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.date(2026, 3, 10)
BEHANDELING = ZvwPrestatie.CONSULT_BEHANDELING


def _zvw(account) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        line.prestatie: (line.quantity, line.amount)
        for line in account.lines.filter(code=LineCode.REVENUE_ZVW)
    }


@pytest.fixture
def nurse(team, org_ggz):
    return MembershipFactory(team=team, organisation=org_ggz, discipline=Discipline.SPV)


@pytest.fixture
def client(team, municipality):
    return ClientFactory(team=team, municipality=municipality)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(4, None), (5, 5), (14, 5), (15, 15), (119, 90), (120, 120), (300, 120)],
)
def test_duration_class_is_the_highest_lower_bound_reached(minutes, expected):
    assert zvw_duration_class(minutes) == expected


def test_duration_class_boundaries_in_the_account(team, nurse, client):
    for low in (5, 15, 90, 120):
        TariffFactory(prestatie=BEHANDELING, min_minutes=low, amount=D(low))
    for minutes in (4, 5, 14, 15, 119, 120):
        contact(client=client, team=team, date=DAY, minutes=minutes, workers=[nurse])
    account = account_compute(team=team, month=MARCH)
    assert _zvw(account) == {
        # 4 minutes bills nothing; 5 and 14 are the 5-minute class, 119 the 90-minute one.
        "consult_behandeling/5/verpleegkundige": (D("2.00"), D("10.00")),
        "consult_behandeling/15/verpleegkundige": (D("1.00"), D("15.00")),
        "consult_behandeling/90/verpleegkundige": (D("1.00"), D("90.00")),
        "consult_behandeling/120/verpleegkundige": (D("1.00"), D("120.00")),
    }
    totals = account_totals(account)
    assert totals.revenue_by_stream == {"zvw": D("235.00")}
    assert totals.direct_hours == D("4.62")  # the 4 minutes are still work: 277 / 60


def test_under_five_minutes_and_written_contacts_are_not_billed(team, nurse, client):
    TariffFactory(prestatie=BEHANDELING, amount=D("50"))
    contact(client=client, team=team, date=DAY, minutes=4, workers=[nurse])
    contact(
        client=client, team=team, date=DAY, minutes=20, workers=[nurse], kind=ContactKind.WRITTEN
    )
    account = account_compute(team=team, month=MARCH)
    assert _zvw(account) == {}
    contact(client=client, team=team, date=DAY, minutes=5, workers=[nurse])
    account = account_compute(team=team, month=MARCH)
    assert _zvw(account) == {"consult_behandeling/5/verpleegkundige": (D("1.00"), D("50.00"))}


def test_contact_with_a_naaste_is_a_consult(team, nurse, client):
    TariffFactory(prestatie=BEHANDELING, amount=D("50"))
    contact(
        client=client,
        team=team,
        date=DAY,
        minutes=20,
        workers=[nurse],
        kind=ContactKind.PHONE,
        naaste=True,
    )
    account = account_compute(team=team, month=MARCH)
    assert _zvw(account) == {"consult_behandeling/15/verpleegkundige": (D("1.00"), D("50.00"))}


def test_only_zvw_funded_contacts_are_prestaties(team, nurse, client):
    TariffFactory(prestatie=BEHANDELING, amount=D("50"))
    for funding in (ContactFunding.LIJNTJE_HOUDEN, ContactFunding.VOORZORG):
        contact(client=client, team=team, date=DAY, minutes=30, workers=[nurse], funding=funding)
    assert _zvw(account_compute(team=team, month=MARCH)) == {}


def test_diagnostiek_while_in_intake_then_behandeling(team, nurse, client):
    TariffFactory(prestatie=ZvwPrestatie.CONSULT_DIAGNOSTIEK, amount=D("70"))
    TariffFactory(prestatie=BEHANDELING, amount=D("60"))
    episode = CareEpisode.objects.create(
        client=client, phase=Phase.IN_CARE, started_on=dt.date(2026, 3, 1)
    )
    by = nurse.user
    PhaseTransition.objects.create(
        episode=episode, to_phase=Phase.INTAKE, on=dt.date(2026, 3, 1), by=by
    )
    PhaseTransition.objects.create(
        episode=episode, to_phase=Phase.IN_CARE, on=dt.date(2026, 3, 15), by=by
    )
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 14), dt.date(2026, 3, 15)):
        contact(client=client, team=team, date=day, minutes=45, workers=[nurse])
    assert _zvw(account_compute(team=team, month=MARCH)) == {
        "consult_diagnostiek/45/verpleegkundige": (D("2.00"), D("140.00")),
        "consult_behandeling/45/verpleegkundige": (D("1.00"), D("60.00")),
    }


def test_travel_supplement_for_outreach_consults_with_travel_time(team, nurse, client):
    TariffFactory(prestatie=BEHANDELING, amount=D("60"))
    TariffFactory(prestatie=ZvwPrestatie.TRAVEL, amount=D("25"))
    visit = {"client": client, "team": team, "date": DAY, "minutes": 30, "workers": [nurse]}
    contact(**visit, kind=ContactKind.HOME, travel=20)
    contact(**visit, kind=ContactKind.NEIGHBOURHOOD, travel=10)
    contact(**visit, kind=ContactKind.HOME, travel=0)  # no travel: no supplement
    contact(**visit, kind=ContactKind.TEAM_LOCATION, travel=15)  # not outreach
    contact(**{**visit, "minutes": 4}, kind=ContactKind.HOME, travel=30)  # no consult
    assert _zvw(account_compute(team=team, month=MARCH)) == {
        "consult_behandeling/30/verpleegkundige": (D("4.00"), D("240.00")),
        "reistijd": (D("2.00"), D("50.00")),
    }


def test_group_consult_and_mdo_are_prestaties_of_their_own(team, nurse, org_ggz, client):
    psychiater = MembershipFactory(team=team, organisation=org_ggz, discipline="psychiater")
    TariffFactory(prestatie=BEHANDELING, amount=D("60"))  # covers consults only
    TariffFactory(prestatie=ZvwPrestatie.GROUP_CONSULT, min_minutes=60, amount=D("20"))
    TariffFactory(prestatie=ZvwPrestatie.MDO, amount=D("35"))
    TariffFactory(prestatie=ZvwPrestatie.MDO, beroep=NzaBeroep.PSYCHIATER, amount=D("55"))
    contact(client=client, team=team, date=DAY, minutes=90, workers=[nurse], kind="groep")
    contact(client=client, team=team, date=DAY, minutes=20, workers=[nurse, psychiater], kind="mdo")
    assert _zvw(account_compute(team=team, month=MARCH)) == {
        # 90 minutes: the 90-minute class, at the tariff from 60 minutes up.
        "groepsconsult/90/verpleegkundige": (D("1.00"), D("20.00")),
        "mdo/psychiater": (D("1.00"), D("55.00")),
        "mdo/verpleegkundige": (D("1.00"), D("35.00")),
    }


def test_tariff_per_insurer_and_period(team, nurse, municipality):
    zk = OrganisationFactory(short_name="ZK", kind=OrganisationKind.ZORGVERZEKERAAR)
    menzis = OrganisationFactory(short_name="Menzis", kind=OrganisationKind.ZORGVERZEKERAAR)
    general = {"prestatie": BEHANDELING, "min_minutes": 30}
    TariffFactory(**general, amount=D("100"))
    TariffFactory(**general, insurer=zk, valid_to=dt.date(2026, 3, 15), amount=D("90"))
    TariffFactory(**general, insurer=zk, valid_from=dt.date(2026, 3, 16), amount=D("95"))
    with_zk = ClientFactory(team=team, municipality=municipality, insurer=zk)
    with_menzis = ClientFactory(team=team, municipality=municipality, insurer=menzis)
    for client in (with_zk, with_menzis):
        for day in (dt.date(2026, 3, 15), dt.date(2026, 3, 16)):
            contact(client=client, team=team, date=day, minutes=30, workers=[nurse])
    # Zilveren Kruis 90 then 95; Menzis has no tariff of its own: the general 100 twice.
    assert _zvw(account_compute(team=team, month=MARCH)) == {
        "consult_behandeling/30/verpleegkundige": (D("4.00"), D("385.00")),
    }


def test_support_disciplines_bill_no_zvw(team, org_welzijn, client):
    assert Discipline.AMBULANT_BEGELEIDER not in DISCIPLINE_BEROEP
    worker = MembershipFactory(
        team=team, organisation=org_welzijn, discipline=Discipline.AMBULANT_BEGELEIDER
    )
    TariffFactory(prestatie=BEHANDELING, amount=D("60"))
    contact(client=client, team=team, date=DAY, minutes=30, workers=[worker])
    assert _zvw(account_compute(team=team, month=MARCH)) == {}


def test_revenue_per_organisation_sums_to_the_team_and_consolidated_to_the_teams(
    team, other_team, nurse, org_ggz, org_welzijn, municipality, other_municipality
):
    vnn = OrganisationFactory(short_name="VNN-T", kind=OrganisationKind.VERSLAVINGSZORG)
    zk = OrganisationFactory(short_name="ZK", kind=OrganisationKind.ZORGVERZEKERAAR)
    arts = MembershipFactory(team=team, organisation=vnn, discipline=Discipline.VERSLAVINGSARTS)
    elsewhere = MembershipFactory(
        team=other_team, organisation=vnn, discipline=Discipline.GZ_PSYCHOLOOG
    )
    TariffFactory(prestatie=BEHANDELING, amount=D("80"))
    TariffFactory(prestatie=BEHANDELING, insurer=zk, amount=D("77.77"))
    TariffFactory(prestatie=ZvwPrestatie.TRAVEL, amount=D("12.50"))
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60"))
    here = ClientFactory(team=team, municipality=municipality, insurer=zk)
    there = ClientFactory(team=other_team, municipality=other_municipality)
    indication(here, municipality=municipality, start=dt.date(2026, 1, 1), by=nurse.user)
    contact(client=here, team=team, date=DAY, minutes=50, workers=[nurse, arts], travel=10)
    contact(client=here, team=team, date=DAY, minutes=30, workers=[nurse], funding="wmo")
    contact(client=there, team=other_team, date=DAY, minutes=30, workers=[elsewhere])
    accounts = accounts_compute_month(month=MARCH)
    teams = [a for a in accounts if a.team_id is not None]
    [consolidated] = [a for a in accounts if a.team_id is None]
    mine = next(a for a in teams if a.team_id == team.pk)
    # Per organisation: its workers' consults (77.77, the insurer's tariff) and travel
    # supplements (12.50), and its Wmo hours (0.5 h x 60).
    shares = {s.name: s.revenue for s in organisation_shares(mine)}
    assert shares == {org_ggz.short_name: D("120.27"), "VNN-T": D("90.27")}
    assert sum(shares.values()) == account_totals(mine).revenue == D("210.54")
    assert account_totals(consolidated).revenue == sum(account_totals(a).revenue for a in teams)
    assert account_totals(consolidated).revenue == D("290.54")  # + 80 in the other team
    lines = sorted(
        (line.prestatie, line.organisation.short_name, line.quantity, line.amount)
        for line in consolidated.lines.filter(code=LineCode.REVENUE_ZVW)
    )
    assert lines == [
        ("consult_behandeling/30/gz_psycholoog", "VNN-T", D("1.00"), D("80.00")),
        ("consult_behandeling/45/verpleegkundige", org_ggz.short_name, D("1.00"), D("77.77")),
        ("consult_behandeling/45/verslavingsarts", "VNN-T", D("1.00"), D("77.77")),
        ("reistijd", org_ggz.short_name, D("1.00"), D("12.50")),
        ("reistijd", "VNN-T", D("1.00"), D("12.50")),
    ]
    consolidated_shares = organisation_shares(consolidated)
    assert sum(s.revenue for s in consolidated_shares) == account_totals(consolidated).revenue


def test_tariff_data_rules(controller):
    base = {"kind": TariffKind.ZVW_CONSULT, "amount": D("10"), "valid_from": dt.date(2026, 1, 1)}
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(actor=controller, **base, prestatie=BEHANDELING, min_minutes=20)
    assert "duurklasse" in excinfo.value.message_dict["min_minutes"][0]
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(actor=controller, **base, prestatie=ZvwPrestatie.MDO, min_minutes=15)
    assert list(excinfo.value.message_dict) == ["min_minutes"]
    not_an_insurer = OrganisationFactory(kind=OrganisationKind.GGZ)
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(actor=controller, **base, prestatie=BEHANDELING, insurer=not_an_insurer)
    assert list(excinfo.value.message_dict) == ["insurer"]
    with pytest.raises(ValidationError) as excinfo:
        tariff_create(
            actor=controller,
            kind=TariffKind.WLZ_HOUR,
            amount=D("10"),
            valid_from=dt.date(2026, 1, 1),
            prestatie=BEHANDELING,
        )
    assert list(excinfo.value.message_dict) == ["prestatie"]
    insurer = OrganisationFactory(kind=OrganisationKind.ZORGVERZEKERAAR)
    tariff = tariff_create(
        actor=controller, **base, prestatie=BEHANDELING, min_minutes=120, insurer=insurer
    )
    assert (tariff.insurer, tariff.unit, tariff.funding_stream) == (insurer, "consult", "zvw")
    # The same prestatie for another insurer, or for all insurers, does not overlap.
    assert tariff_create(actor=controller, **base, prestatie=BEHANDELING, min_minutes=120)
