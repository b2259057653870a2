"""Factories for the finance app and small builders of a team's month of work (synthetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from caseload.constants import ContactFunding, ContactKind, NonClientCode
from caseload.models import Consultation, Contact, ContactWorker, NonClientTime
from clients.constants import Phase
from clients.models import CareEpisode, Client, PhaseTransition
from finance.constants import FUNDING_FOR_TARIFF, UNIT_FOR_TARIFF, TariffKind, TeamCostKind
from finance.models import (
    BusinessCase,
    BusinessCaseLine,
    CostRate,
    Subsidy,
    Tariff,
    TeamCost,
)
from olteams.constants import DataCategory, Discipline
from olteams.models import Membership, Municipality, Organisation, Team, User
from tests.factories.clients import ClientFactory
from tests.factories.olteams import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories.wmo import MunicipalProductFactory
from wmo.constants import DecisionKind, Frequency, Unit
from wmo.models import Arrangement, Decision, Indication, IndicationRequest


class TariffFactory(factory.django.DjangoModelFactory):
    """Zvw consult by default; pass ``kind`` (funding stream and unit follow the kind)."""

    class Meta:
        model = Tariff

    kind = TariffKind.ZVW_CONSULT
    funding_stream = factory.LazyAttribute(lambda t: FUNDING_FOR_TARIFF[TariffKind(t.kind)])
    unit = factory.LazyAttribute(lambda t: UNIT_FOR_TARIFF[TariffKind(t.kind)])
    discipline = ""
    amount = Decimal("100.00")
    valid_from = dt.date(2020, 1, 1)
    valid_to = None


class CostRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostRate

    organisation = factory.SubFactory(OrganisationFactory)
    discipline = Discipline.CASEMANAGER
    monthly_cost_per_fte = Decimal("6000.00")
    valid_from = dt.date(2020, 1, 1)
    valid_to = None


class TeamCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamCost

    team = factory.SubFactory(TeamFactory)
    kind = TeamCostKind.HOUSING
    monthly_amount = Decimal("1500.00")
    valid_from = dt.date(2020, 1, 1)
    valid_to = None


class SubsidyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subsidy

    team = factory.SubFactory(TeamFactory)
    source = "Gemeente — innovatiebudget"
    amount = Decimal("12000.00")
    valid_from = dt.date(2026, 1, 1)
    valid_to = dt.date(2026, 12, 1)


class BusinessCaseFactory(factory.django.DjangoModelFactory):
    """A business case; ``lines={"casemanager": Decimal("2.0")}`` adds target FTE lines."""

    class Meta:
        model = BusinessCase
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    name = "Businesscase 2026"
    target_clients = 60
    valid_from = dt.date(2020, 1, 1)
    valid_to = None

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            for discipline, fte in extracted.items():
                BusinessCaseLine.objects.create(
                    business_case=self, discipline=discipline, target_fte=Decimal(str(fte))
                )


def cost_rates_for_members(team: Team, amount: Decimal = Decimal("5000.00")) -> None:
    """A cost rate for every organisation and discipline with members in ``team`` that has
    none yet: a month closes only when these figures are in (``finance.selectors.close``)."""
    for org_id, discipline in set(
        Membership.objects.filter(team=team).values_list("organisation_id", "discipline")
    ):
        CostRate.objects.get_or_create(
            organisation_id=org_id,
            discipline=discipline,
            defaults={"monthly_cost_per_fte": amount, "valid_from": dt.date(2020, 1, 1)},
        )


# --- builders of a month of work ---------------------------------------------------------


def episode_in_care(
    client: Client, *, since: dt.date, by: User, until: dt.date | None = None
) -> CareEpisode:
    """An episode in care from ``since`` (optionally outflow on ``until``), with transitions."""
    ended = until is not None
    episode = CareEpisode.objects.create(
        client=client,
        phase=Phase.OUTFLOW if ended else Phase.IN_CARE,
        started_on=since,
        ended_on=until,
        outflow_reason="doelen_bereikt" if ended else "",
    )
    PhaseTransition.objects.create(episode=episode, to_phase=Phase.IN_CARE, on=since, by=by)
    if ended:
        PhaseTransition.objects.create(
            episode=episode,
            from_phase=Phase.IN_CARE,
            to_phase=Phase.OUTFLOW,
            on=until,
            by=by,
        )
    return episode


def contact(
    *,
    client: Client,
    team: Team,
    date: dt.date,
    minutes: int,
    workers: list[Membership],
    funding: str = ContactFunding.ZVW,
    travel: int = 0,
    kind: str = ContactKind.HOME,
    naaste: bool = False,
) -> Contact:
    """A contact by the given members (organisation and discipline from the membership)."""
    author = workers[0].user
    starts_at = timezone.make_aware(dt.datetime.combine(date, dt.time(10, 0)))
    row = Contact.objects.create(
        client=client,
        team=team,
        starts_at=starts_at,
        date=date,
        duration_minutes=minutes,
        travel_minutes=travel,
        kind=kind,
        naaste_present=naaste,
        note_category=DataCategory.GGZ_TREATMENT,
        funding_stream=funding,
        author=author,
    )
    for membership in workers:
        ContactWorker.objects.create(
            contact=row,
            worker=membership.user,
            organisation=membership.organisation,
            discipline=membership.discipline,
        )
    return row


def non_client_time(
    membership: Membership, *, date: dt.date, minutes: int, code: str = NonClientCode.LEARNING
) -> NonClientTime:
    return NonClientTime.objects.create(
        worker=membership.user,
        team=membership.team,
        organisation=membership.organisation,
        discipline=membership.discipline,
        date=date,
        minutes=minutes,
        code=code,
        explanation="overig werk" if code == NonClientCode.OTHER else "",
        created_by=membership.user,
    )


def consultation(membership: Membership, *, date: dt.date, minutes: int) -> Consultation:
    return Consultation.objects.create(
        team=membership.team,
        worker=membership.user,
        organisation=membership.organisation,
        discipline=membership.discipline,
        date=date,
        requester_kind="huisarts",
        about="man, 40",
        minutes=minutes,
    )


_indication_seq = iter(range(1, 10**9))


def indication(
    client: Client,
    *,
    municipality: Municipality,
    start: dt.date,
    end: dt.date | None = None,
    by: User,
    volume: int = 4,
    unit: str = Unit.UUR,
    frequency: str = Frequency.PER_WEEK,
    second_worker: bool = False,
    product: Any = None,
    arrangement: Arrangement | None = None,
) -> Indication:
    """A granted Wmo indication (with the request and decision it needs); by default
    4 hours a week. With ``arrangement``: granted as that arrangement (its product)."""
    n = next(_indication_seq)
    if arrangement is not None:
        product = arrangement.product
    product = product or MunicipalProductFactory(municipality=municipality)
    request = IndicationRequest.objects.create(
        client=client,
        team=client.team,
        municipality=municipality,
        requested_by=by,
        status="toegekend",
        product=product,
        volume=4,
        unit=Unit.UUR,
        frequency=Frequency.PER_WEEK,
        start=start,
        end=end,
        motivation="Ondersteuning bij de dagstructuur.",
        reference=f"FIN{n:08d}",
        submitted_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9, 0))),
        submitted_on=start,
        deadline=start + dt.timedelta(days=14),
    )
    decision = Decision.objects.create(
        request=request,
        kind=DecisionKind.GRANTED,
        decided_on=start,
        decided_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9, 0))),
        municipality=municipality,
    )
    return Indication.objects.create(
        client=client,
        municipality=municipality,
        product=product,
        volume=volume,
        unit=unit,
        frequency=frequency,
        second_worker=second_worker,
        start=start,
        end=end,
        toewijzing_number=f"9{n:07d}",  # numeric, as iWmo wants it
        toewijzing_date=start,
        decision=decision,
        arrangement=arrangement,
    )


_arrangement_seq = iter(range(1, 10**9))


def arrangement(
    municipality: Municipality,
    *,
    name: str = "Kort herstel",
    amount: Decimal | None = Decimal("560.00"),
    valid_from: dt.date = dt.date(2020, 1, 1),
) -> Arrangement:
    """A municipality's arrangement with its own product and, with ``amount``, its tariff per
    four weeks (560.00: 20.00 a day)."""
    n = next(_arrangement_seq)
    product = MunicipalProductFactory(municipality=municipality, code=f"ARR{n % 100:02d}")
    row = Arrangement.objects.create(
        municipality=municipality,
        code=f"arrangement-{n}",
        name=name,
        product=product,
        start=dt.date(2020, 1, 1),
    )
    if amount is not None:
        TariffFactory(
            kind=TariffKind.WMO_FIXED,
            municipality=municipality,
            arrangement=row,
            amount=amount,
            valid_from=valid_from,
        )
    return row


@dataclass
class TeamMonth:
    """A small, fully known team month (see ``build_team_month`` for the exact figures)."""

    team: Team
    month: dt.date
    organisation: Organisation
    municipality: Municipality
    casemanager: Membership
    psychiater: Membership
    clients: list[Client] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def build_team_month(
    *,
    team: Team | None = None,
    month: dt.date = dt.date(2026, 3, 1),
    organisation: Organisation | None = None,
    municipality: Municipality | None = None,
    tariffs: bool = True,
) -> TeamMonth:
    """One team in ``month`` (default March 2026, 31 days) with known work:

    - casemanager 1.0 fte and psychiater 0.5 fte of ``organisation``;
    - two clients in care all month (municipality ``municipality``), one more in care from
      the 16th (inflow 1);
    - contact 1: zvw, 60 min, casemanager + psychiater, 15 min travel;
    - contact 2: wmo, 90 min, casemanager only;
    - contact 3: lijntje houden, 30 min, casemanager;
    - non-client time 120 min learning (casemanager), 480 min absence (psychiater);
    - consultation 45 min (casemanager).
    With ``tariffs``: zvw consult casemanager 100, psychiater 200 (any duration); wmo hour 60
    for the municipality; cost rates 6000 (casemanager) and 12000 (psychiater) per fte.
    """
    organisation = organisation or OrganisationFactory()
    municipality = municipality or MunicipalityFactory()
    team = team or TeamFactory(municipalities=[municipality])
    casemanager = MembershipFactory(
        team=team,
        organisation=organisation,
        discipline=Discipline.CASEMANAGER,
        fte=Decimal("1.00"),
        valid_from=dt.date(2020, 1, 1),
    )
    psychiater = MembershipFactory(
        team=team,
        organisation=organisation,
        discipline=Discipline.PSYCHIATER,
        fte=Decimal("0.50"),
        valid_from=dt.date(2020, 1, 1),
    )
    by = casemanager.user
    clients = [
        ClientFactory(team=team, municipality=municipality, registering_organisation=organisation)
        for _ in range(3)
    ]
    episode_in_care(clients[0], since=dt.date(2025, 1, 1), by=by)
    episode_in_care(clients[1], since=dt.date(2025, 6, 1), by=by)
    episode_in_care(clients[2], since=month.replace(day=16), by=by)
    day = month.replace(day=10)
    contact(
        client=clients[0],
        team=team,
        date=day,
        minutes=60,
        workers=[casemanager, psychiater],
        funding=ContactFunding.ZVW,
        travel=15,
    )
    # Wmo revenue needs an active indication (4 hours a week).
    indication(clients[1], municipality=municipality, start=dt.date(2025, 6, 1), by=by)
    contact(
        client=clients[1],
        team=team,
        date=day,
        minutes=90,
        workers=[casemanager],
        funding=ContactFunding.WMO,
    )
    contact(
        client=clients[0],
        team=team,
        date=day,
        minutes=30,
        workers=[casemanager],
        funding=ContactFunding.LIJNTJE_HOUDEN,
    )
    non_client_time(casemanager, date=day, minutes=120)
    non_client_time(psychiater, date=day, minutes=480, code=NonClientCode.ABSENCE)
    consultation(casemanager, date=day, minutes=45)
    if tariffs:
        _ensure_tariffs(municipality)
        for discipline, rate in (
            (Discipline.CASEMANAGER, Decimal("6000.00")),
            (Discipline.PSYCHIATER, Decimal("12000.00")),
        ):
            CostRate.objects.get_or_create(
                organisation=organisation,
                discipline=discipline,
                defaults={"monthly_cost_per_fte": rate, "valid_from": dt.date(2020, 1, 1)},
            )
    return TeamMonth(
        team=team,
        month=month,
        organisation=organisation,
        municipality=municipality,
        casemanager=casemanager,
        psychiater=psychiater,
        clients=clients,
    )


def _ensure_tariffs(municipality: Municipality) -> None:
    for discipline, amount in (
        (Discipline.CASEMANAGER, Decimal("100.00")),
        (Discipline.PSYCHIATER, Decimal("200.00")),
    ):
        Tariff.objects.get_or_create(
            kind=TariffKind.ZVW_CONSULT,
            discipline=discipline,
            municipality=None,
            team=None,
            product=None,
            min_minutes=None,
            defaults={
                "funding_stream": "zvw",
                "unit": UNIT_FOR_TARIFF[TariffKind.ZVW_CONSULT],
                "amount": amount,
                "valid_from": dt.date(2020, 1, 1),
            },
        )
    Tariff.objects.get_or_create(
        kind=TariffKind.WMO_HOUR,
        municipality=municipality,
        team=None,
        product=None,
        discipline="",
        min_minutes=None,
        defaults={
            "funding_stream": "wmo",
            "unit": UNIT_FOR_TARIFF[TariffKind.WMO_HOUR],
            "amount": Decimal("60.00"),
            "valid_from": dt.date(2020, 1, 1),
        },
    )


__all__ = [
    "BusinessCaseFactory",
    "CostRateFactory",
    "SubsidyFactory",
    "TariffFactory",
    "TeamCostFactory",
    "TeamMonth",
    "UserFactory",
    "build_team_month",
    "consultation",
    "contact",
    "episode_in_care",
    "indication",
    "non_client_time",
]
