"""Demo clients per team, in every phase of care, through the real services.

Numbers follow shared/reference/README.md (March 2020): Assen ~188 clients (17 waiting),
Emmen ~115 (26 waiting), De Wolden/Hoogeveen ~190, Midden-Drenthe ~50; plus a tenth of
that in outflow, some of whom came back. People, names and BSNs are synthetic (Faker nl_NL;
BSNs generated to pass the 11-proef). Idempotent: a team that already has clients is
skipped. ``scale`` shrinks every team (tests use a small fraction).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from faker import Faker
from stdnum.nl import bsn as stdnum_bsn

from clients import services
from clients.constants import (
    DecisionKind,
    FundingStream,
    NaasteRole,
    OutflowReason,
    Phase,
    ReferralSource,
    ShareScope,
    Urgency,
)
from clients.models import Client
from olteams.constants import DataCategory, Discipline, OrganisationKind, TeamRole
from olteams.models import Membership, Organisation, Team


@dataclass(frozen=True)
class TeamPlan:
    slug: str
    in_care: int  # clients in care or aftercare
    waiting: int  # on the waiting list (voorzorg or intake planned)
    referred: int  # referral registered, not yet decided
    outflow: int  # left care (some re-entered)


PLANS = [
    TeamPlan("assen", 168, 17, 3, 20),
    TeamPlan("emmen", 86, 26, 3, 12),
    TeamPlan("de-wolden-hoogeveen", 168, 20, 2, 20),
    TeamPlan("midden-drenthe", 40, 8, 2, 5),
]
CASEMANAGER_DISCIPLINES = (
    Discipline.CASEMANAGER,
    Discipline.SPV,
    Discipline.MAATSCHAPPELIJK_WERKER,
    Discipline.AMBULANT_BEGELEIDER,
    Discipline.VERPLEEGKUNDIGE,
)
REGIE_DISCIPLINES = (
    Discipline.PSYCHIATER,
    Discipline.GZ_PSYCHOLOOG,
    Discipline.VERPLEEGKUNDIG_SPECIALIST,
    Discipline.VERSLAVINGSARTS,
)
SOURCES = (
    [ReferralSource.HUISARTS] * 6
    + [ReferralSource.POH_GGZ] * 4
    + [
        ReferralSource.MOEDERORGANISATIE,
        ReferralSource.WIJKTEAM,
        ReferralSource.WIJKTEAM,
        ReferralSource.VNN,
        ReferralSource.COSIS,
        ReferralSource.OGGZ,
        ReferralSource.POLITIE,
        ReferralSource.CRISISDIENST,
        ReferralSource.KLINIEK,
        ReferralSource.EIGEN_INITIATIEF,
        ReferralSource.NAASTE,
        ReferralSource.WELZIJN,
    ]
)
QUESTIONS = [
    "Ik wil weer rust in mijn hoofd en mijn dagen op orde krijgen.",
    "Mijn geld loopt uit de hand en ik durf de post niet meer open te maken.",
    "Ik wil van de drank af en weer contact met mijn kinderen.",
    "Ik hoor stemmen en ben bang om naar buiten te gaan.",
    "Ik wil graag werk vinden dat bij mij past.",
    "Sinds mijn opname zit ik alleen thuis; ik wil weer mensen zien.",
    "Mijn moeder maakt zich zorgen; ik slaap slecht en eet weinig.",
]


def demo_bsn(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = f"{rng.randrange(10**8, 10**9):09d}"
        if number not in taken and stdnum_bsn.is_valid(number):
            taken.add(number)
            return number


@dataclass
class _Ctx:
    team: Team
    lead: Any
    casemanagers: list[Any]
    regie: list[Any]
    support_org: Organisation | None
    ggz_org: Organisation | None
    vnn_org: Organisation | None
    welfare_org: Organisation | None
    rng: random.Random
    fake: Faker
    today: dt.date
    earliest: dt.date
    bsns: set[str]


def _members(team: Team, today: dt.date, **filters: Any) -> list[Any]:
    rows = (
        Membership.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            team=team,
            valid_from__lte=today,
            **filters,
        )
        .select_related("user", "organisation")
        .order_by("user__username")
    )
    return list(rows)


def _context(team: Team, today: dt.date, rng: random.Random, fake: Faker) -> _Ctx | None:
    leads = _members(team, today, role=TeamRole.LEAD)
    cms = _members(team, today, discipline__in=CASEMANAGER_DISCIPLINES)
    regie = _members(team, today, discipline__in=REGIE_DISCIPLINES)
    if not (leads and cms and regie):
        return None
    support = next(
        (m.organisation for m in cms if m.organisation.kind == OrganisationKind.BEGELEIDING), None
    )
    orgs = {o.kind: o for o in Organisation.objects.all()}
    valid_from = min(m.valid_from for m in leads + cms + regie)
    start = max(valid_from, team.started_on or valid_from, today - dt.timedelta(days=900))
    return _Ctx(
        team,
        leads[0].user,
        [m.user for m in cms],
        [m.user for m in regie],
        support,
        orgs.get(OrganisationKind.GGZ),
        orgs.get(OrganisationKind.VERSLAVINGSZORG),
        orgs.get(OrganisationKind.WELZIJN),
        rng,
        fake,
        today,
        start,
        {
            bsn
            for bsn in Client.objects.exclude(bsn=None).values_list("bsn", flat=True)
            if bsn is not None
        },
    )


def _day_between(ctx: _Ctx, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=ctx.rng.randint(0, span))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _register(ctx: _Ctx, referred_on: dt.date) -> tuple[Client, Any]:
    fake, rng = ctx.fake, ctx.rng
    first, last = fake.first_name(), fake.last_name()
    prefix = ""
    if " " in last and last.split()[0].islower():
        prefix, last = last.rsplit(" ", 1)[0], last.rsplit(" ", 1)[1]
    referral = services.referral_create(
        actor=ctx.lead,
        team=ctx.team,
        referred_on=referred_on,
        source=rng.choice(SOURCES),
        person_name=f"{first} {prefix + ' ' if prefix else ''}{last}",
        question=rng.choice(QUESTIONS),
        urgency=rng.choices(Urgency.values, weights=(80, 15, 5))[0],
        referrer_name=fake.name(),
        referrer_organisation="",
        today=referred_on,
    )
    municipalities = list(ctx.team.municipalities.all())
    client = services.client_register(
        actor=ctx.lead,
        team=ctx.team,
        referral=referral,
        today=referred_on,
        allow_possible_duplicate=True,
        bsn=demo_bsn(rng, ctx.bsns) if rng.random() < 0.9 else None,
        initials=f"{first[0]}.",
        first_name=first,
        name_prefix=prefix,
        last_name=last,
        date_of_birth=fake.date_of_birth(minimum_age=19, maximum_age=78),
        gender=rng.choice(["M", "V", "V", "M", "X"]),
        address=fake.street_address(),
        postcode=fake.postcode(),
        city=ctx.team.city,
        neighbourhood=rng.choice(ctx.team.neighbourhoods.splitlines() or [""]),
        municipality=rng.choice(municipalities) if municipalities else None,
        phone=fake.phone_number()[:20],
        email="",
        gp_practice=f"Huisartsenpraktijk {fake.last_name()}",
        gp_name=f"Dr. {fake.last_name()}",
    )
    return client, referral


def _accept(ctx: _Ctx, referral: Any, on: dt.date) -> None:
    services.referral_decide(
        actor=ctx.lead, referral=referral, kind=DecisionKind.ACCEPT, now=_at(on)
    )


def _into_care(ctx: _Ctx, client: Client, referred_on: dt.date, intake_on: dt.date) -> None:
    rng = ctx.rng
    episode = client.episodes.get(ended_on__isnull=True)
    if rng.random() < 0.7:
        services.episode_voorzorg_contact(
            actor=ctx.lead,
            episode=episode,
            on=_day_between(ctx, referred_on, intake_on),
            today=intake_on,
        )
    casemanager, regie = rng.choice(ctx.casemanagers), rng.choice(ctx.regie)
    intake = services.intake_plan(
        actor=ctx.lead,
        episode=episode,
        planned_on=intake_on,
        planned_time=dt.time(rng.choice([9, 10, 11, 13, 14, 15]), 0),
        location=ctx.team.address or "Teamkantoor",
        workers=[casemanager, regie],
        today=referred_on,
    )
    services.intake_complete(
        actor=ctx.lead,
        intake=intake,
        completed_on=intake_on,
        outcome_notes="Kennismaking en hulpvraag besproken.",
        casemanager=casemanager,
        regiebehandelaar=regie,
        naaste_present=rng.random() < 0.35,
        organisations=_organisations(ctx),
        now=_at(intake_on, 16),
    )


def _organisations(ctx: _Ctx) -> list[tuple[Organisation, str]]:
    rng = ctx.rng
    rows: list[tuple[Organisation, str]] = []
    if ctx.ggz_org and rng.random() < 0.9:
        rows.append((ctx.ggz_org, FundingStream.ZVW if rng.random() < 0.94 else FundingStream.NONE))
    if ctx.vnn_org and rng.random() < 0.12:
        rows.append((ctx.vnn_org, FundingStream.ZVW))
    if ctx.support_org and rng.random() < 0.16:
        rows.append((ctx.support_org, FundingStream.WMO))
    return rows


def _naasten_and_consents(ctx: _Ctx, client: Client, since: dt.date) -> None:
    rng, fake = ctx.rng, ctx.fake
    for _ in range(rng.choices([0, 1, 2], weights=(35, 50, 15))[0]):
        services.naaste_add(
            actor=ctx.lead,
            client=client,
            name=fake.name(),
            relation=rng.choice(
                [
                    "moeder",
                    "vader",
                    "partner",
                    "zus",
                    "broer",
                    "dochter",
                    "zoon",
                    "buurvrouw",
                    "vriend",
                ]
            ),
            role=rng.choice(NaasteRole.values),
            phone=fake.phone_number()[:20],
            share_scope=rng.choice(ShareScope.values),
            zag_due_on=since + dt.timedelta(days=365) if rng.random() < 0.6 else None,
        )
    if ctx.welfare_org and rng.random() < 0.4:
        # Welfare staff read the treatment notes, the plan and the signaleringsplan.
        for category in (
            DataCategory.GGZ_TREATMENT,
            DataCategory.RECOVERY_PLAN,
            DataCategory.CRISIS_PLAN,
        ):
            services.consent_give(
                actor=ctx.lead,
                client=client,
                category=category,
                purpose="Afstemming van zorg en ondersteuning in het team",
                given_on=since,
                recipient_organisation=ctx.welfare_org,
                today=ctx.today,
            )
    if ctx.support_org and rng.random() < 0.2:
        services.consent_give(
            actor=ctx.lead,
            client=client,
            category=DataCategory.GGZ_TREATMENT,
            purpose="Begeleiding afstemmen op de behandeling",
            given_on=since,
            recipient_organisation=ctx.support_org,
            today=ctx.today,
        )


def _seed_in_care(ctx: _Ctx, aftercare: bool) -> Client:
    referred_on = _day_between(
        ctx, ctx.earliest, max(ctx.earliest, ctx.today - dt.timedelta(days=45))
    )
    intake_on = referred_on + dt.timedelta(days=ctx.rng.randint(14, 40))
    client, referral = _register(ctx, referred_on)
    _accept(ctx, referral, referred_on + dt.timedelta(days=2))
    _into_care(ctx, client, referred_on, intake_on)
    if aftercare:
        episode = client.episodes.get(ended_on__isnull=True)
        services.episode_transition(
            actor=ctx.lead,
            episode=episode,
            to_phase=Phase.AFTERCARE,
            on=_day_between(ctx, intake_on, ctx.today),
            today=ctx.today,
        )
    _naasten_and_consents(ctx, client, intake_on)
    return client


def _seed_waiting(ctx: _Ctx, with_intake: bool) -> None:
    referred_on = _day_between(
        ctx, max(ctx.earliest, ctx.today - dt.timedelta(days=80)), ctx.today - dt.timedelta(days=3)
    )
    client, referral = _register(ctx, referred_on)
    _accept(ctx, referral, min(referred_on + dt.timedelta(days=2), ctx.today))
    episode = client.episodes.get(ended_on__isnull=True)
    if ctx.rng.random() < 0.4:
        services.episode_voorzorg_contact(
            actor=ctx.lead,
            episode=episode,
            on=_day_between(ctx, referred_on, ctx.today),
            today=ctx.today,
        )
    if with_intake:
        services.intake_plan(
            actor=ctx.lead,
            episode=episode,
            planned_on=ctx.today + dt.timedelta(days=ctx.rng.randint(1, 20)),
            planned_time=dt.time(ctx.rng.choice([9, 10, 13, 14]), 30),
            location=ctx.team.address or "Teamkantoor",
            workers=[ctx.rng.choice(ctx.casemanagers)],
            today=ctx.today,
        )
    _naasten_and_consents(ctx, client, referred_on)


def _seed_outflow(ctx: _Ctx) -> None:
    client = _seed_in_care(ctx, aftercare=False)
    episode = client.episodes.get(ended_on__isnull=True)
    start = episode.transitions.order_by("-on").values_list("on", flat=True).first()
    assert start is not None  # an episode in care has its transitions
    on = _day_between(ctx, start, ctx.today)
    reason = ctx.rng.choice([r for r in OutflowReason.values if r != OutflowReason.DECEASED])
    services.episode_outflow(
        actor=ctx.lead,
        episode=episode,
        on=on,
        reason=reason,
        destination="Praktijk " + ctx.fake.last_name()
        if reason == OutflowReason.OTHER_PROVIDER
        else "",
        today=ctx.today,
    )
    if ctx.rng.random() < 0.15 and on < ctx.today:  # came back: re-entry, no second intake
        services.episode_reenter(
            actor=ctx.lead,
            client=client,
            on=_day_between(ctx, on, ctx.today),
            casemanager=ctx.rng.choice(ctx.casemanagers),
            today=ctx.today,
        )


def _seed_referred(ctx: _Ctx) -> None:
    referred_on = _day_between(ctx, max(ctx.earliest, ctx.today - dt.timedelta(days=10)), ctx.today)
    if ctx.rng.random() < 0.5:
        _register(ctx, referred_on)
    else:
        services.referral_create(
            actor=ctx.lead,
            team=ctx.team,
            referred_on=referred_on,
            source=ctx.rng.choice(SOURCES),
            person_name=ctx.fake.name(),
            question=ctx.rng.choice(QUESTIONS),
            today=ctx.today,
        )


# The register's demo rows per team: (kind, part, days since receipt, what the client wrote,
# decision or "" for open). One is open within its term, one overdue, one decided.
_PRIVACY_DEMO = (
    (
        "correctie",
        "contactverslagen",
        9,
        "In het verslag staat dat ik niet op de afspraak kwam. Ik was er wel, maar te laat.",
        "",
    ),
    (
        "bezwaar",
        "wmo",
        38,
        "Ik wil niet dat mijn scores naar de gemeente gaan zonder dat ik ze eerst zie.",
        "",
    ),
    ("inzage", "hele_dossier", 50, "Ik wil mijn hele dossier op papier.", "toegewezen"),
)


def _seed_privacy_requests(ctx: _Ctx) -> None:
    """Three requests in the team's privacy register, filed by the casemanager from a
    letter, so the register, its clocks and the dispute mark have something to show."""
    from clients.services import privacy_requests

    clients = list(
        Client.objects.filter(
            team=ctx.team, episodes__ended_on__isnull=True, episodes__phase=Phase.IN_CARE
        ).order_by("pk")[:3]
    )
    for client, (kind, part, days, text, decision) in zip(clients, _PRIVACY_DEMO, strict=False):
        received = ctx.today - dt.timedelta(days=days)
        request = privacy_requests.file_request(
            client,
            kind=kind,
            description=text,
            disputed=part,
            received_on=received,
            filed_via="brief",
            filed_by=ctx.casemanagers[0],
            today=received,
        )
        if decision:
            privacy_requests.decide(
                request,
                actor=ctx.lead,
                decision=decision,
                reason="De cliënt heeft de export van het hele dossier op papier gekregen.",
            )


def seed(*, today: dt.date, rng: random.Random, scale: float = 1.0) -> None:
    """Clients for every demo team that has none yet, through the services."""
    fake = Faker("nl_NL")
    fake.seed_instance(rng.randrange(2**32))
    for plan in PLANS:
        team = Team.objects.filter(slug=plan.slug).first()
        if team is None or Client.objects.filter(team=team).exists():
            continue
        ctx = _context(team, today, rng, fake)
        if ctx is None:
            continue

        def n(count: int) -> int:
            return max(1, round(count * scale))

        for i in range(n(plan.in_care)):
            _seed_in_care(ctx, aftercare=i % 20 == 0)
        for i in range(n(plan.waiting)):
            _seed_waiting(ctx, with_intake=i % 3 == 0)
        for _ in range(n(plan.outflow)):
            _seed_outflow(ctx)
        for _ in range(n(plan.referred)):
            _seed_referred(ctx)
        _seed_privacy_requests(ctx)
