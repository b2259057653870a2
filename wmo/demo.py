"""Demo data of the Wmo workflow: municipal products, requests in every state, some overdue,
indications near their end. Idempotent: a client that already has a request is left alone.
Synthetic only (product codes are made up, plausible in form: 2-digit category + letter +
2 digits)."""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from faker import Faker
from stdnum.nl import bsn as stdnum_bsn

from clients.models import Client, Consent
from clients.services import consent_give
from herstelplan.constants import PlanStatus
from herstelplan.models import Goal, Plan
from olteams.constants import (
    RECORD_KIND_CATEGORY,
    WMO_REQUEST_RECORD_KINDS,
    ConsentPurpose,
    TeamRole,
)
from olteams.models import Membership, Municipality, MunicipalityRole, Team
from wmo import services
from wmo.constants import DecisionKind, Frequency, Unit
from wmo.models import IndicationRequest, MunicipalProduct, ProductCategory

logger = logging.getLogger(__name__)

CATEGORIES = {"02": "Begeleiding", "07": "Dagbesteding", "15": "Beschermd wonen"}
# Letter per demo municipality in its (synthetic) product codes.
MUNICIPALITY_LETTER = {"0106": "A", "0114": "E", "0118": "H", "1690": "W", "1731": "M"}
PRODUCTS = [  # category, number, name, unit
    ("02", "01", "Begeleiding individueel", Unit.UUR),
    ("02", "02", "Begeleiding groep", Unit.DAGDEEL),
    ("07", "01", "Dagbesteding", Unit.DAGDEEL),
    ("15", "01", "Beschermd wonen", Unit.ETMAAL),
]
GOALS = [
    "Ik wil mijn post en rekeningen zelf bijhouden.",
    "Ik wil weer een paar dagen per week iets zinvols doen.",
    "Ik wil contact houden met mijn zus en een vriend.",
    "Ik wil mijn huis schoon en op orde houden.",
    "Ik wil beter slapen en op tijd opstaan.",
]
MOTIVATIONS = [
    "Zonder wekelijkse begeleiding raakt de administratie binnen een maand in de war.",
    "Na de opname is structuur in de week nodig om terugval te voorkomen.",
    "Het netwerk is klein; de cliënt wil stap voor stap weer contacten opbouwen.",
]


@dataclass(frozen=True)
class Scenario:
    """One demo request: when it was submitted and what became of it."""

    submitted_days_ago: int | None  # None: stays a concept
    outcome: str = ""  # a DecisionKind, "withdraw", "review" or "" (waiting)
    decided_days_ago: int = 0


SCENARIOS = [
    Scenario(None),
    Scenario(2),
    Scenario(6, "review"),
    Scenario(11),  # past day 10: reminded
    Scenario(17),  # past day 14: escalated, overdue
    Scenario(330, DecisionKind.GRANTED, 320),  # ends within 6 weeks
    Scenario(60, DecisionKind.GRANTED_CHANGED, 50),
    Scenario(30, DecisionKind.REJECTED, 20),
    Scenario(9, "withdraw"),
    Scenario(52, DecisionKind.TEMPORARY, 48),  # temporary, ends within 2 weeks
]


def _seed_products(today: dt.date) -> None:
    for code, name in CATEGORIES.items():
        ProductCategory.objects.get_or_create(code=code, defaults={"name": name})
    for municipality in Municipality.objects.filter(cbs_code__in=MUNICIPALITY_LETTER):
        letter = MUNICIPALITY_LETTER[municipality.cbs_code]
        for category, number, name, unit in PRODUCTS:
            MunicipalProduct.objects.get_or_create(
                municipality=municipality,
                code=f"{category}{letter}{number}",
                defaults={
                    "name": name,
                    "category_id": category,
                    "unit": unit,
                    "start": dt.date(2019, 1, 1),
                },
            )


def _bsn(key: str) -> str:
    """A valid-looking BSN, the same for the same key on every run (idempotent seeding)."""
    rng = random.Random(key)  # noqa: S311 (synthetic demo data)
    while True:
        number = f"{rng.randint(100000000, 999999999)}"
        if stdnum_bsn.is_valid(number):
            return number


def _clients_for(team: Team, worker, rng: random.Random, fake: Faker, count: int) -> list:
    """The team's clients with a municipality of the team; a few synthetic ones are added
    when the clients demo has not provided enough."""
    municipality_ids = list(team.municipalities.values_list("pk", flat=True))
    clients = list(
        Client.objects.filter(
            team=team, municipality_id__in=municipality_ids, merged_into__isnull=True
        ).order_by("id")[:count]
    )
    while len(clients) < count and municipality_ids:
        municipality = Municipality.objects.get(
            pk=municipality_ids[len(clients) % len(municipality_ids)]
        )
        client, _ = Client.objects.get_or_create(
            bsn=_bsn(f"wmo-demo:{team.slug}:{len(clients)}"),
            defaults={
                "team": team,
                "municipality": municipality,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "date_of_birth": fake.date_of_birth(minimum_age=22, maximum_age=70),
                "gender": rng.choice("MV"),
                "address": fake.street_address(),
                "postcode": fake.postcode(),
                "city": municipality.name,
            },
        )
        clients.append(client)
    return clients


def _goal_ids(client: Client, worker, rng: random.Random, today: dt.date) -> list[int]:
    goals = list(services.active_plan_goals(client=client)[:2])
    if not goals and not Plan.objects.filter(client=client).exists():
        plan = Plan.objects.create(
            client=client,
            version=1,
            status=PlanStatus.ACTIVE,
            valid_from=today,
            agreed_on=today,
            agreed_how="paper",
            agreed_recorded_by=worker,
            activated_on=today,
            created_by=worker,
            updated_by=worker,
        )
        goals = [
            Goal.objects.create(plan=plan, text=text, priority=i)
            for i, text in enumerate(rng.sample(GOALS, 2), start=1)
        ]
    return [g.pk for g in goals]


def _consultant_of(municipality_id: int, today: dt.date):
    role = (
        MunicipalityRole.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            municipality_id=municipality_id,
            valid_from__lte=today,
        )
        .select_related("user")
        .first()
    )
    return role.user if role else None


# What the consultant changes: a changed grant is 2 hours a week instead of 3 or 4.
_GIVEN: dict[str, dict[str, Any]] = {DecisionKind.GRANTED_CHANGED: {"volume": 2}}


def _consent_to_send(client: Client, worker: Any, on: dt.date) -> None:
    """The client agrees to send the request's goals and ZRM to the municipality."""
    for category in sorted({RECORD_KIND_CATEGORY[k] for k in WMO_REQUEST_RECORD_KINDS}):
        if Consent.objects.filter(
            client=client,
            category=category,
            purpose_kind=ConsentPurpose.WMO_REQUEST,
            recipient_municipality_id=client.municipality_id,
            given_on__lte=on,
            withdrawn_on__isnull=True,
        ).exists():
            continue
        consent_give(
            actor=worker,
            client=client,
            category=category,
            purpose_kind=ConsentPurpose.WMO_REQUEST,
            purpose="Aanvraag begeleiding bij de gemeente",
            given_on=on,
            recipient_municipality=client.municipality,
            today=on,
        )


def _play(scenario: Scenario, client: Client, worker, rng: random.Random, today: dt.date) -> None:
    product = MunicipalProduct.objects.filter(
        municipality=client.municipality, code__startswith="02", unit=Unit.UUR
    ).first()
    goal_ids = _goal_ids(client, worker, rng, today)
    if product is None or not goal_ids:
        return
    submitted = today - dt.timedelta(days=scenario.submitted_days_ago or 0)
    start = submitted + dt.timedelta(days=7)
    request = services.request_create(
        actor=worker,
        client=client,
        data={
            "product_code": product.code,
            "volume": rng.choice((2, 3, 4)),
            "unit": Unit.UUR,
            "frequency": Frequency.PER_WEEK,
            "start": start,
            "end": start + dt.timedelta(days=364),
            "result_areas": sorted(rng.sample(range(1, 7), 2)),
            "motivation": rng.choice(MOTIVATIONS),
            "is_temporary": False,
            "goal_ids": goal_ids,
            "zrm_scores": {"financien": rng.randint(1, 3), "tijdsbesteding": rng.randint(2, 4)},
        },
    )
    if scenario.submitted_days_ago is None:
        return
    noon = dt.datetime.combine(submitted, dt.time(11, 0), tzinfo=timezone.get_current_timezone())
    _consent_to_send(client, worker, submitted)
    services.request_submit(actor=worker, request=request, now=noon)
    consultant = _consultant_of(request.municipality_id, today)
    if scenario.outcome == "withdraw":
        services.request_withdraw(actor=worker, request=request)
    elif scenario.outcome == "review" and consultant is not None:
        services.request_start_review(actor=consultant, request=request, today=submitted)
    elif scenario.outcome in DecisionKind.values:
        decided = today - dt.timedelta(days=scenario.decided_days_ago)
        reason = (
            ""
            if scenario.outcome in (DecisionKind.GRANTED, DecisionKind.TEMPORARY)
            else (
                "Eerst drie maanden twee uur per week; daarna samen evalueren."
                if scenario.outcome == DecisionKind.GRANTED_CHANGED
                else "Voorliggende voorziening: de cliënt kan terecht bij het wijkteam."
            )
        )
        locked = IndicationRequest.objects.select_related("municipality").get(pk=request.pk)
        services.decision_record(
            request=locked,
            actor=consultant,
            kind=scenario.outcome,
            reason=reason,
            given=_GIVEN.get(scenario.outcome, {})
            | ({"start": decided} if scenario.outcome == DecisionKind.TEMPORARY else {}),
            today=decided,
            now=noon + dt.timedelta(days=scenario.submitted_days_ago - scenario.decided_days_ago),
        )


def seed(*, today: dt.date, rng: random.Random) -> None:
    """Products for the five municipalities, ten requests per team in every state, then
    the day's deadline and expiry sweeps (reminders, escalations, follow-up tasks)."""
    fake = Faker("nl_NL")
    fake.seed_instance(rng.randrange(2**32))
    _seed_products(today)
    for team in Team.objects.order_by("slug"):
        membership = (
            Membership.objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
                team=team,
                role=TeamRole.MEMBER,
                valid_from__lte=today,
            )
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            continue
        clients = _clients_for(team, membership.user, rng, fake, len(SCENARIOS))
        for scenario, client in zip(SCENARIOS, clients, strict=False):
            if IndicationRequest.objects.filter(client=client).exists():
                continue  # seeded before: idempotent
            _play(scenario, client, membership.user, rng, today)
    services.deadline_sweep(today=today)
    services.expiry_sweep(today=today)
    # The municipal route (melding at the Wmo desk → arrangement → casusregisseur).
    from wmo import demo_meldingen

    demo_meldingen.seed(today=today, rng=rng, bsn=_bsn)
    counts = dict(IndicationRequest.objects.values_list("status").annotate(n=Count("id")))
    logger.info("wmo demo seeded statuses=%s", counts)
