"""Demo data of the municipal route (the Voorschoten route): arrangements per municipality,
and per municipality with a consultant one stroke case that went the whole way (melding,
onderzoek with the partner and the ZRM, four goals, a beschikking with an arrangement, the
team's intake and a casusregisseur of another partner organisation, a day-care provider in
the network, a plan linked to the goals and a goal review with satisfaction) and one fresh
melding still in onderzoek. Idempotent: a client that already has a melding is left alone."""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

from clients import services as client_services
from clients.models import Client
from herstelplan.constants import PlanStatus
from herstelplan.models import Goal, Plan
from olteams.access import active_on
from olteams.constants import Discipline, TeamRole
from olteams.models import Membership, Municipality, MunicipalityRole, Team, User
from wmo import services
from wmo.constants import GoalResult
from wmo.models import Arrangement, Melding, MunicipalProduct

logger = logging.getLogger(__name__)

ARRANGEMENTS = [  # code, name, description, product code prefix (category)
    ("kort-herstel", "Kort herstel", "Kortdurende ondersteuning na een crisis of opname.", "02"),
    (
        "een-resultaatgebied",
        "Eén resultaatgebied",
        "Ondersteuning op één resultaatgebied, bijvoorbeeld de administratie.",
        "02",
    ),
    (
        "herstel-groei-stabilisatie",
        "Herstel, groei en stabilisatie",
        "Ondersteuning op meerdere resultaatgebieden, dagbesteding inbegrepen.",
        "07",
    ),
]
STROKE_GOALS = [
    "Ik wil mijn dagen weer rustig kunnen vullen zonder dat het me te veel wordt.",
    "Ik wil dat mijn vrouw weer tijd voor zichzelf heeft.",
    "Ik wil weer een stukje kunnen wandelen in de buurt.",
    "Ik wil me minder somber voelen.",
]
PLAN_GOALS = [
    "Ik ga vijf ochtenden naar de dagbesteding in een rustige groep.",
    "Ik praat elke twee weken met de POH-GGZ over hoe het gaat.",
]


def _seed_arrangements(today: dt.date) -> None:
    for municipality in Municipality.objects.order_by("pk"):
        for code, name, description, category in ARRANGEMENTS:
            product = (
                MunicipalProduct.objects.filter(municipality=municipality, category_id=category)
                .order_by("code")
                .first()
            )
            if product is None:
                continue
            Arrangement.objects.get_or_create(
                municipality=municipality,
                code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "product": product,
                    "start": min(dt.date(2019, 1, 1), today),
                },
            )


def _member(team: Team, today: dt.date, **filters: Any) -> Membership | None:
    return (
        Membership.objects.filter(active_on(today), team=team, **filters)
        .select_related("user", "organisation")
        .order_by("id")
        .first()
    )


def _consultant(municipality: Municipality, today: dt.date) -> User | None:
    role = (
        MunicipalityRole.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            municipality=municipality,
            valid_from__lte=today,
            is_lead=False,
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return role.user if role else None


def _stroke_case(
    consultant: User, municipality: Municipality, team: Team, today: dt.date, bsn: str
) -> None:
    lead = _member(team, today, role=TeamRole.LEAD)
    casemanager = _member(team, today, role=TeamRole.MEMBER, discipline=Discipline.CASEMANAGER)
    arrangement = Arrangement.objects.filter(
        municipality=municipality, code="herstel-groei-stabilisatie"
    ).first()
    if lead is None or casemanager is None or arrangement is None:
        return
    # The casusregisseur comes from another partner organisation than the intake's.
    regisseur = (
        Membership.objects.filter(active_on(today), team=team, role=TeamRole.MEMBER)
        .exclude(organisation=casemanager.organisation)
        .select_related("user", "organisation")
        .order_by("id")
        .first()
    ) or casemanager
    reported = today - dt.timedelta(days=80)
    melding = services.melding_register(
        actor=consultant,
        municipality=municipality,
        team=team,
        reported_on=reported,
        question=(
            "Sinds mijn beroerte raak ik snel overprikkeld en zit ik veel thuis. "
            "Mijn vrouw doet alles en is op."
        ),
        reporter="De partner, na advies van de huisarts",
        person={
            "bsn": bsn,
            "first_name": "Gerrit",
            "last_name": "Mulder",
            "date_of_birth": dt.date(1957, 6, 14),
            "address": "Molenstraat 8",
            "postcode": "9401 KL",
            "city": municipality.name,
        },
        today=reported,
    )
    talk = reported + dt.timedelta(days=7)
    services.melding_conversation(
        actor=consultant,
        melding=melding,
        conversation_on=talk,
        present="Dhr. Mulder en zijn partner",
        summary="Keukentafelgesprek: structuur overdag, ontlasting van de partner, somberheid.",
        naaste_name="Annie Mulder",
        naaste_relation="partner",
        zrm_scores={
            "tijdsbesteding": 2,
            "huiselijke_relaties": 2,
            "geestelijke_gezondheid": 3,
            "lichamelijke_gezondheid": 3,
            "sociaal_netwerk": 2,
        },
        today=talk,
    )
    services.melding_goals_set(actor=consultant, melding=melding, texts=STROKE_GOALS, today=talk)
    decided_on = talk + dt.timedelta(days=3)
    noon = dt.datetime.combine(decided_on, dt.time(12), tzinfo=timezone.get_current_timezone())
    services.melding_decide(
        actor=consultant,
        melding=melding,
        arrangement=arrangement,
        volume=5,
        unit="16",
        frequency="2",
        start=decided_on,
        end=decided_on + dt.timedelta(days=364),
        review_on=decided_on + dt.timedelta(days=61),
        result_areas=[1, 4, 6],
        reason="Dagbesteding vijf ochtenden in een prikkelarme setting; GGZ-ondersteuning.",
        now=noon,
    )
    accepted = decided_on + dt.timedelta(days=2)
    services.melding_accept(
        actor=lead.user,
        melding=melding,
        intake_organisation=regisseur.organisation,
        planned_on=accepted + dt.timedelta(days=2),
        planned_time=dt.time(10, 0),
        location="Thuis bij dhr. Mulder",
        workers=[casemanager.user, regisseur.user],
        casusregisseur=regisseur.user,
        today=accepted,
    )
    client = Client.objects.get(pk=melding.client_id)
    client_services.external_party_add(
        actor=casemanager.user,
        client=client,
        name="Dagcentrum De Linde",
        kind="dagbesteding",
        activity="Vijf ochtenden dagbesteding in een prikkelarme groep",
        contact_name="Joke de Boer",
        phone="0592 700 100",
        start_date=accepted + dt.timedelta(days=7),
    )
    plan = Plan.objects.create(
        client=client,
        version=1,
        status=PlanStatus.ACTIVE,
        valid_from=accepted + dt.timedelta(days=7),
        review_date=decided_on + dt.timedelta(days=61),
        agreed_on=accepted + dt.timedelta(days=7),
        agreed_how="paper",
        agreed_recorded_by=regisseur.user,
        activated_on=accepted + dt.timedelta(days=7),
        created_by=regisseur.user,
        updated_by=regisseur.user,
    )
    plan_goals = [
        Goal.objects.create(plan=plan, text=text, priority=i)
        for i, text in enumerate(PLAN_GOALS, start=1)
    ]
    support = list(melding.goals.order_by("priority"))
    services.plan_goal_links_set(
        actor=casemanager.user,
        melding=melding,
        links={
            plan_goals[0].pk: [support[0].pk, support[1].pk, support[2].pk],
            plan_goals[1].pk: [support[3].pk],
        },
        today=accepted + dt.timedelta(days=7),
    )
    reviewed = min(decided_on + dt.timedelta(days=61), today)
    services.goal_review_record(
        actor=regisseur.user,
        melding=melding,
        reviewed_on=reviewed,
        satisfaction=4,
        satisfaction_comment="Fijn dat er één vast aanspreekpunt is.",
        results={
            support[0].pk: (GoalResult.BEHAALD, ""),
            support[1].pk: (GoalResult.DEELS, "Annie heeft twee vrije ochtenden per week."),
            support[2].pk: (GoalResult.NIET, "Nog te moe na de dagbesteding."),
            support[3].pk: (GoalResult.DEELS, "Minder somber sinds de gesprekken."),
        },
        today=today,
    )


def _fresh_melding(
    consultant: User, municipality: Municipality, team: Team, today: dt.date, bsn: str
) -> None:
    reported = today - dt.timedelta(days=5)
    melding = services.melding_register(
        actor=consultant,
        municipality=municipality,
        team=team,
        reported_on=reported,
        question="Ik kom mijn huis niet meer uit sinds mijn man overleed.",
        reporter="De inwoner zelf",
        person={
            "bsn": bsn,
            "first_name": "Fenna",
            "last_name": "Hoekstra",
            "date_of_birth": dt.date(1949, 11, 2),
            "city": municipality.name,
        },
        today=reported,
    )
    services.melding_goals_set(
        actor=consultant,
        melding=melding,
        texts=["Ik wil weer een keer per week onder de mensen komen."],
        today=reported,
    )


def seed(*, today: dt.date, rng: random.Random, bsn: Any) -> None:
    """The arrangements, and the two municipal-route cases per municipality with a
    consultant. ``bsn(key)`` gives the same valid BSN for the same key on every run."""
    _seed_arrangements(today)
    for municipality in Municipality.objects.order_by("pk"):
        consultant = _consultant(municipality, today)
        team = municipality.teams.order_by("slug").first()
        if consultant is None or team is None:
            continue
        stroke = bsn(f"wmo-melding:{municipality.cbs_code}:stroke")
        if not Melding.objects.filter(client__bsn=stroke).exists():
            _stroke_case(consultant, municipality, team, today, stroke)
        fresh = bsn(f"wmo-melding:{municipality.cbs_code}:fresh")
        if not Melding.objects.filter(client__bsn=fresh).exists():
            _fresh_melding(consultant, municipality, team, today, fresh)
    logger.info("wmo municipal-route demo seeded meldingen=%s", Melding.objects.count())
