"""Demo data of the team's daily work: two years of contacts, non-client time and events.

Shaped like the teams' figures (DESIGN.md, shared/reference/README.md): about 20 contacts
per client in care per month across the workers of the care team (more when care is scaled
up, fewer when scaled down), a few a month before the intake (voorzorg) and in aftercare
(nazorg), only on working days the client had an open episode (from the episodes and phase
transitions that ``clients.demo`` created). Non-client time per worker per week on the
hour-sheet codes 1 to 7 (holiday and sickness included), op- and afschalen for some clients,
crises for 2 to 4% of the clients in care per month (some admitted, some admissions prevented),
and consultations without care for every team each week, mostly about people who are not
clients. About 5% of the contacts in care carry no funding stream, so the controllers have
gaps to find. Reports are short synthetic Dutch texts without names.

Contacts, their workers and non-client time go in with PostgreSQL COPY in batches (ids from
the tables' own sequences), the few events with ``bulk_create``: seconds at scale 1.
Idempotent: a team that already has contacts, non-client time or consultations is skipped.
Deterministic for a given generator and database; every team draws from a generator of
its own, so re-seeding one team gives it the same rows again. ``demo.teamlid`` (Assen) gets a full
caseload of casemanager clients first, so "my caseload" has something to show.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from faker import Faker
from psycopg import sql

from caseload import demo_documents
from caseload.constants import (
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    IntensityLevel,
    NonClientCode,
    NonClientTarget,
)
from caseload.demo_appointments import seed_appointments
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from clients import services as client_services
from clients.constants import AssignmentRole, Phase
from clients.models import Assignment, CareEpisode, Client, InvolvedOrganisation
from herstelplan.constants import GoalStatus, PlanStatus
from herstelplan.models import Goal
from olteams.constants import (
    TREATMENT_DISCIPLINES,
    DataCategory,
    Discipline,
    OrganisationKind,
    TeamRole,
)
from olteams.models import Membership, Team
from wmo.models import Indication, IndicationRequest

HISTORY_DAYS = 730  # two years
BATCH = 5000
DEMO_LOGIN = "demo.teamlid"
DEMO_CASELOAD = 18  # casemanager clients of the demo team member (norm: 20 per FTE)
MISSING_FUNDING_SHARE = 0.05  # contacts in care left without funding stream
CRISIS_PER_MONTH = 0.03  # share of the clients in care with a crisis in a month

# Contacts per client per month by care intensity (mean over the demo mix ≈ 20).
CONTACTS_PER_MONTH = {1: 3.0, 2: 8.0, 3: 18.0, 4: 30.0, 5: 50.0}
VOORZORG_PER_MONTH = 2.0
NAZORG_PER_MONTH = 3.0
ADMITTED_PER_MONTH = 6.0
WORKDAYS_PER_MONTH = 21.7
START_LEVELS = ((2, 20), (3, 50), (4, 25), (5, 5))

# As the contact form files reports (caseload.services.contacts.note_category_for).
NOTE_CATEGORY: dict[str, str] = {
    OrganisationKind.GGZ: DataCategory.GGZ_TREATMENT,
    OrganisationKind.VERSLAVINGSZORG: DataCategory.ADDICTION_TREATMENT,
    OrganisationKind.BEGELEIDING: DataCategory.WMO_SUPPORT,
    OrganisationKind.WELZIJN: DataCategory.WELFARE,
}
CASEMANAGER_DISCIPLINES = frozenset(
    {
        Discipline.CASEMANAGER,
        Discipline.SPV,
        Discipline.MAATSCHAPPELIJK_WERKER,
        Discipline.AMBULANT_BEGELEIDER,
        Discipline.VERPLEEGKUNDIGE,
    }
)
EXTRA_DISCIPLINES = frozenset(
    {
        Discipline.ERVARINGSDESKUNDIGE,
        Discipline.IPS,
        Discipline.MAATSCHAPPELIJK_WERKER,
        Discipline.WELZIJNSWERKER,
    }
)
ADDICTION_DISCIPLINES = frozenset(
    {Discipline.VERSLAVINGSZORG_MEDEWERKER, Discipline.VERSLAVINGSARTS}
)

# kind → weight, per situation
KINDS_IN_CARE = {
    ContactKind.HOME: 34,
    ContactKind.TEAM_LOCATION: 15,
    ContactKind.NEIGHBOURHOOD: 10,
    ContactKind.PHONE: 23,
    ContactKind.VIDEO: 5,
    ContactKind.WRITTEN: 5,
    ContactKind.GROUP: 3,
    ContactKind.MDO: 5,
}
KINDS_OUTSIDE_CARE = {
    ContactKind.PHONE: 50,
    ContactKind.HOME: 25,
    ContactKind.TEAM_LOCATION: 10,
    ContactKind.NEIGHBOURHOOD: 5,
    ContactKind.WRITTEN: 10,
}
DURATIONS: dict[str, tuple[int, int]] = {  # minutes, inclusive range
    ContactKind.HOME: (45, 90),
    ContactKind.TEAM_LOCATION: (30, 60),
    ContactKind.NEIGHBOURHOOD: (30, 90),
    ContactKind.PHONE: (15, 30),
    ContactKind.VIDEO: (15, 45),
    ContactKind.WRITTEN: (15, 20),
    ContactKind.GROUP: (60, 90),
    ContactKind.MDO: (15, 30),
}
TRAVELLED = frozenset({ContactKind.HOME, ContactKind.NEIGHBOURHOOD})
TOGETHER: dict[str, float] = {
    ContactKind.MDO: 0.9,
    ContactKind.GROUP: 0.5,
}  # chance of a second worker
NAASTE_KINDS = frozenset(
    {ContactKind.HOME, ContactKind.TEAM_LOCATION, ContactKind.NEIGHBOURHOOD, ContactKind.MDO}
)

OPENINGS: dict[str, list[str]] = {
    ContactKind.HOME: ["Huisbezoek.", "Op huisbezoek geweest.", "Bij cliënt thuis gesproken."],
    ContactKind.TEAM_LOCATION: ["Gesprek op de teamlocatie.", "Cliënt kwam naar het teamkantoor."],
    ContactKind.NEIGHBOURHOOD: [
        "Samen een wandeling door de wijk gemaakt.",
        "Afgesproken in het buurthuis.",
        "Samen boodschappen gedaan.",
    ],
    ContactKind.PHONE: ["Telefonisch contact.", "Cliënt belde zelf.", "Teruggebeld."],
    ContactKind.VIDEO: ["Beeldbellen.", "Videogesprek."],
    ContactKind.WRITTEN: ["E-mail gestuurd.", "Brief opgesteld en verstuurd."],
    ContactKind.GROUP: ["Groepsbijeenkomst herstelgroep.", "Deelname aan de wandelgroep."],
    ContactKind.MDO: ["Besproken in het MDO.", "MDO met de betrokken organisaties."],
}
OBSERVATIONS = [
    "Cliënt oogt rustiger dan vorige keer.",
    "Cliënt is somber en slaapt slecht.",
    "Stemming wisselend; cliënt geeft aan het zwaar te hebben.",
    "Cliënt vertelt trots over een goede week.",
    "Er is weer post blijven liggen; samen geopend.",
    "Huis is opgeruimd; cliënt heeft zelf boodschappen gedaan.",
    "Medicatie wordt volgens afspraak ingenomen.",
    "Cliënt twijfelt over de medicatie; bijwerkingen besproken.",
    "Middelengebruik is afgenomen volgens cliënt.",
    "Cliënt heeft een terugval in gebruik gehad.",
    "Spanning in het contact met de buren.",
    "Cliënt heeft weer contact met de familie.",
]
SUBJECTS = [
    "Gesproken over dagstructuur en slaapritme.",
    "Signaleringsplan doorgenomen.",
    "Budget en schulden doorgenomen.",
    "Mogelijkheden voor dagbesteding verkend.",
    "Gesproken over vrijwilligerswerk.",
    "Samen naar de huisarts geweest.",
    "Voorbereiding op het gesprek met de woningcorporatie.",
    "Terugvalpreventie besproken.",
    "Vervolg Wmo-ondersteuning afgestemd.",
]
GOAL_SUBJECT = "Gewerkt aan het doel uit het herstelplan."
AGREEMENTS = [
    "Afspraak: volgende week zelfde tijd.",
    "Cliënt belt zelf als het minder gaat.",
    "Over twee weken weer op huisbezoek.",
    "Casemanager stemt af met de regiebehandelaar.",
    "Naaste wordt uitgenodigd voor het volgende gesprek.",
    "Volgend contact telefonisch.",
]
PRE_INTAKE_NOTES = [
    "Kennismakingsgesprek; wachttijd tot de intake besproken.",
    "Telefonisch contact tijdens de wachttijd; cliënt redt zich voorlopig.",
    "Cliënt gebeld om de intake voor te bereiden.",
]
AFTERCARE_NOTES = [
    "Nazorgcontact: het gaat goed, cliënt weet ons te vinden.",
    "Nazorg: kort gebeld, geen nieuwe vragen.",
    "Nazorg: cliënt heeft het druk met werk en voelt zich stabiel.",
]

INTENSITY_UP = [
    "Toename van klachten; vaker contact nodig.",
    "Spanning thuis loopt op; tijdelijk opschalen.",
    "Terugval in gebruik; meer ondersteuning afgesproken.",
]
INTENSITY_DOWN = [
    "Cliënt is stabiel; contact kan minder vaak.",
    "Doelen deels behaald; afschalen in overleg met cliënt.",
    "Cliënt heeft dagbesteding gevonden; minder contact nodig.",
]
INTENSITY_START = "Startniveau bij het begin van de zorg."
INTENSITY_CRISIS = "Crisis: dagelijks contact via het FACT-bord."
INTENSITY_AFTER_CRISIS = "Crisis voorbij; terug naar het eerdere niveau."
CRISIS_REASONS = [
    "Toenemende achterdocht en niet meer slapen.",
    "Suïcidale uitingen tegen de naaste.",
    "Ernstige ontregeling na stoppen met medicatie.",
    "Escalatie in de thuissituatie; politie ingeschakeld.",
    "Terugval in alcoholgebruik met verwaarlozing.",
    "Psychotische ontregeling; cliënt komt het huis niet meer uit.",
]
CRISIS_SETTINGS = (
    (CrisisSetting.ACUTE, 35),
    (CrisisSetting.CLINIC, 25),
    (CrisisSetting.ELDERLY, 10),
    (CrisisSetting.HIC, 25),
    (CrisisSetting.OTHER, 5),
)
OTHER_SETTINGS = ["Crisisbed beschermd wonen", "Logeerbed herstelhuis"]

NON_CLIENT_EXPLANATIONS = [
    "Inwerken van een nieuwe collega.",
    "Verhuizing van het teamkantoor.",
    "Werkoverleg van de moederorganisatie.",
    "Achterstand in administratie en e-mail weggewerkt.",
    "Teamdag.",
]
CONSULTATION_REQUESTERS = (
    (ConsultationRequester.GP, 45),
    (ConsultationRequester.SOCIAL_TEAM, 30),
    (ConsultationRequester.OTHER_PROVIDER, 15),
    (ConsultationRequester.MUNICIPALITY, 5),
    (ConsultationRequester.POLICE, 3),
    (ConsultationRequester.OTHER, 2),
)
CONSULTATION_CONCERNS = [
    "",
    ", zorgen over vereenzaming",
    ", mogelijk psychotisch",
    ", schulden en somberheid",
    ", overlast in de buurt",
    ", alcoholgebruik",
    ", mijdt hulpverlening",
]
CONSULTATION_ADVICE = [
    "Geadviseerd om een huisbezoek samen met de POH-GGZ af te leggen.",
    "Advies: aanmelden bij het team; criteria doorgenomen.",
    "Advies over medicatie gegeven; terugkoppeling via de huisarts.",
    "Besproken hoe het gesprek aan te gaan; geen aanmelding nodig.",
    "Verwezen naar de crisisdienst bij verdere toename.",
    "Advies: eerst schuldhulpverlening via het sociaal team.",
]


@dataclass(frozen=True)
class _Member:
    user_id: int
    organisation_id: int
    organisation_kind: str
    discipline: str
    role: str
    fte: Decimal
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass
class _Ctx:
    team: Team
    today: dt.date
    first_day: dt.date  # first day of the history
    last_day: dt.date  # yesterday: nothing is logged for a moment still to come
    rng: random.Random
    fake: Faker
    members: dict[int, _Member]
    lead_id: int
    casemanagers: list[int]
    regie: list[int]
    support: dict[int, list[int]]  # support organisation → its workers
    addiction: list[int]
    extra: list[int]


@dataclass(frozen=True)
class _Segment:
    kind: str  # Phase.WAITING (before the intake), Phase.IN_CARE or Phase.AFTERCARE
    start: dt.date
    end: dt.date  # inclusive


@dataclass
class _ClientFile:
    client_id: int
    segments: list[_Segment] = field(default_factory=list)
    assignments: list[tuple[int, str, dt.date, dt.date | None]] = field(default_factory=list)
    indications: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    support_org: int | None = None
    addiction: bool = False
    goals: list[tuple[dt.date, list[int]]] = field(default_factory=list)
    voorzorg_contact_on: dt.date | None = None


@dataclass
class _Levels:
    """Care intensity over time: change days and the level from each day."""

    days: list[dt.date] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)

    def on(self, day: dt.date, default: int = IntensityLevel.REGULAR) -> int:
        i = bisect.bisect_right(self.days, day) - 1
        return self.levels[i] if i >= 0 else default


def _weighted[T](rng: random.Random, pairs: tuple[tuple[T, int], ...] | dict[T, int]) -> T:
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _weekdays(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    slot = rng.randrange(34)  # quarter hours from 08:30 to 16:45
    minutes = 8 * 60 + 30 + slot * 15
    return dt.datetime.combine(
        day, dt.time(minutes // 60, minutes % 60), tzinfo=timezone.get_default_timezone()
    )


# ---------------------------------------------------------------------------- team context


def _context(team: Team, today: dt.date, rng: random.Random, fake: Faker) -> _Ctx | None:
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    rows = (
        Membership.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first_day))
        .filter(team=team, valid_from__lte=today)
        .select_related("organisation")
        .order_by("id")
    )
    members: dict[int, _Member] = {}
    for row in rows:
        members.setdefault(
            row.user_id,
            _Member(
                row.user_id,
                row.organisation_id,
                row.organisation.kind,
                row.discipline,
                row.role,
                row.fte,
                row.valid_from,
                row.valid_to,
            ),
        )
    leads = [u for u, m in members.items() if m.role == TeamRole.LEAD]
    casemanagers = [u for u, m in members.items() if m.discipline in CASEMANAGER_DISCIPLINES]
    if not leads or not casemanagers:
        return None
    support: dict[int, list[int]] = {}
    for u, m in members.items():
        if m.organisation_kind == OrganisationKind.BEGELEIDING:
            support.setdefault(m.organisation_id, []).append(u)
    return _Ctx(
        team=team,
        today=today,
        first_day=first_day,
        last_day=today - dt.timedelta(days=1),
        rng=rng,
        fake=fake,
        members=members,
        lead_id=leads[0],
        casemanagers=casemanagers,
        regie=[
            u
            for u, m in members.items()
            if m.discipline in TREATMENT_DISCIPLINES - CASEMANAGER_DISCIPLINES
        ],
        support=support,
        addiction=[u for u, m in members.items() if m.discipline in ADDICTION_DISCIPLINES],
        extra=[u for u, m in members.items() if m.discipline in EXTRA_DISCIPLINES],
    )


def _has_caseload(team: Team) -> bool:
    return (
        Contact.objects.filter(team=team).exists()
        or NonClientTime.objects.filter(team=team).exists()
        or Consultation.objects.filter(team=team).exists()
    )


def _fill_demo_caseload(ctx: _Ctx) -> None:
    """Make the demo team member the casemanager of up to ``DEMO_CASELOAD`` clients in care:
    a handover some months ago, through the clients service (the old assignment ends)."""
    user = get_user_model().objects.filter(username=DEMO_LOGIN).first()
    if user is None or user.pk not in ctx.members:
        return
    open_cm = Assignment.objects.filter(
        client__team=ctx.team, role=AssignmentRole.CASEMANAGER, end_date__isnull=True
    )
    need = DEMO_CASELOAD - open_cm.filter(worker=user).count()
    if need <= 0:
        return
    in_care = CareEpisode.objects.filter(
        ended_on__isnull=True, phase__in=[Phase.IN_CARE, Phase.AFTERCARE]
    ).values("client_id")
    # Clients with Wmo paperwork keep their casemanager: the Wmo demo's sweeps (run before
    # this seed) addressed their tasks to the casemanager of the day, and a second run of
    # seed_demo must not find a new addressee.
    wmo = IndicationRequest.objects.values("client_id")
    candidates = list(
        open_cm.filter(client_id__in=in_care, client__merged_into__isnull=True)
        .exclude(client_id__in=wmo)
        .exclude(worker=user)
        .select_related("client")
        .order_by("client_id")
    )
    ctx.rng.shuffle(candidates)
    lead = get_user_model().objects.get(pk=ctx.lead_id)
    for current in candidates[:need]:
        start = max(
            current.start_date + dt.timedelta(days=1),
            ctx.today - dt.timedelta(days=ctx.rng.randint(30, 400)),
        )
        if start > ctx.last_day:
            continue
        client_services.assignment_set(
            actor=lead,
            client=current.client,
            worker=user,
            role=AssignmentRole.CASEMANAGER,
            start_date=start,
            today=ctx.today,
        )


# ------------------------------------------------------------------------- client history


def _segments(episode: CareEpisode, transitions: list, ctx: _Ctx) -> list[_Segment]:
    """The periods of an episode that count: before the intake, in care, in aftercare."""
    kinds = {
        Phase.WAITING: Phase.WAITING,
        Phase.INTAKE: Phase.WAITING,
        Phase.IN_CARE: Phase.IN_CARE,
        Phase.AFTERCARE: Phase.AFTERCARE,
    }
    close = episode.ended_on - dt.timedelta(days=1) if episode.ended_on else ctx.last_day
    found: list[_Segment] = []
    for i, transition in enumerate(transitions):
        kind = kinds.get(transition.to_phase)
        if kind is None:
            continue
        end = close
        if i + 1 < len(transitions):
            end = min(end, transitions[i + 1].on - dt.timedelta(days=1))
        start, end = max(transition.on, ctx.first_day), min(end, ctx.last_day)
        if start > end:
            continue
        if found and found[-1].kind == kind and found[-1].end + dt.timedelta(days=1) >= start:
            found[-1] = _Segment(kind, found[-1].start, end)
        else:
            found.append(_Segment(kind, start, end))
    return found


def _client_files(ctx: _Ctx) -> list[_ClientFile]:
    clients = list(
        Client.objects.filter(team=ctx.team, merged_into__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    files = {pk: _ClientFile(pk) for pk in clients}
    episodes = (
        CareEpisode.objects.filter(client_id__in=clients)
        .prefetch_related("transitions")
        .order_by("client_id", "started_on", "id")
    )
    for episode in episodes:
        transitions = sorted(episode.transitions.all(), key=lambda t: (t.on, t.id))
        files[episode.client_id].segments += _segments(episode, transitions, ctx)
        if episode.voorzorg_contact_on and episode.voorzorg_contact_on >= ctx.first_day:
            files[episode.client_id].voorzorg_contact_on = episode.voorzorg_contact_on
    for a in Assignment.objects.filter(client_id__in=clients).order_by("client_id", "start_date"):
        files[a.client_id].assignments.append((a.worker_id, a.role, a.start_date, a.end_date))
    for i in Indication.objects.filter(client_id__in=clients).order_by("client_id", "start"):
        files[i.client_id].indications.append((i.start, i.end))
    involved = InvolvedOrganisation.objects.filter(client_id__in=clients).select_related(
        "organisation"
    )
    for inv in involved.order_by("client_id", "start_date", "id"):
        kind = inv.organisation.kind
        if kind == OrganisationKind.BEGELEIDING and inv.organisation_id in ctx.support:
            files[inv.client_id].support_org = inv.organisation_id
        elif kind == OrganisationKind.VERSLAVINGSZORG:
            files[inv.client_id].addiction = True
    goals = (
        Goal.objects.filter(
            plan__client_id__in=clients, plan__status=PlanStatus.ACTIVE, status=GoalStatus.ACTIVE
        )
        .select_related("plan")
        .order_by("plan__client_id", "plan_id", "id")
    )
    by_plan: dict[int, tuple[int, dt.date, list[int]]] = {}
    for goal in goals:
        plan = goal.plan
        entry = by_plan.setdefault(plan.pk, (plan.client_id, plan.valid_from or ctx.today, []))
        entry[2].append(goal.pk)
    for client_id, valid_from, goal_ids in by_plan.values():
        files[client_id].goals.append((valid_from, goal_ids))
    return [f for f in files.values() if f.segments]


def _worker_on(cf: _ClientFile, role: str, day: dt.date) -> int | None:
    for worker, r, start, end in cf.assignments:
        if r == role and start <= day and (end is None or end >= day):
            return worker
    return None


def _first_worker(cf: _ClientFile, role: str) -> int | None:
    return next((w for w, r, _s, _e in cf.assignments if r == role), None)


def _has_indication(cf: _ClientFile, day: dt.date) -> bool:
    return any(s <= day and (e is None or e >= day) for s, e in cf.indications)


# ------------------------------------------------------------------- intensity and crises


@dataclass(frozen=True)
class _CrisisPlan:
    start: dt.date
    end: dt.date | None
    setting: str
    prevented: bool
    reason: str


def _plan_crises(ctx: _Ctx, cf: _ClientFile) -> list[_CrisisPlan]:
    rng = ctx.rng
    crises: list[_CrisisPlan] = []
    for segment in cf.segments:
        if segment.kind == Phase.WAITING:
            continue
        month = segment.start
        while month <= segment.end:
            last = min(month + dt.timedelta(days=29), segment.end)
            busy = crises and (crises[-1].end is None or crises[-1].end >= month)
            if not busy and rng.random() < CRISIS_PER_MONTH:
                start = month + dt.timedelta(days=rng.randint(0, (last - month).days))
                admitted = rng.random() < 0.5
                setting = _weighted(rng, CRISIS_SETTINGS) if admitted else CrisisSetting.NONE
                days = rng.randint(5, 60) if admitted else rng.randint(1, 10)
                end: dt.date | None = start + dt.timedelta(days=days)
                if end is not None and end > ctx.last_day:
                    end = None
                crises.append(
                    _CrisisPlan(
                        start,
                        end,
                        setting,
                        prevented=not admitted and rng.random() < 0.6,
                        reason=rng.choice(CRISIS_REASONS),
                    )
                )
            month += dt.timedelta(days=30)
    return crises


def _plan_levels(
    ctx: _Ctx, cf: _ClientFile, crises: list[_CrisisPlan]
) -> tuple[_Levels, list[tuple[dt.date, int, int | None, str]]]:
    """The care intensity over time, and the changes worth recording (op/afschalen)."""
    rng = ctx.rng
    levels = _Levels()
    changes: list[tuple[dt.date, int, int | None, str]] = []
    for segment in (s for s in cf.segments if s.kind == Phase.IN_CARE):
        regular: list[tuple[dt.date, int, str]] = [
            (segment.start, _weighted(rng, START_LEVELS), INTENSITY_START)
        ]
        day = segment.start
        while True:
            day += dt.timedelta(days=rng.randint(45, 150))
            if day > segment.end:
                break
            if rng.random() < 0.45:
                current = regular[-1][1]
                down = rng.random() < (0.6 if (day - segment.start).days > 180 else 0.35)
                new = max(1, current - 1) if down else min(4, current + 1)
                if new != current:
                    reason = rng.choice(INTENSITY_DOWN if new < current else INTENSITY_UP)
                    regular.append((day, new, reason))
        windows = [
            (c.start, (c.end or ctx.last_day) + dt.timedelta(days=rng.randint(14, 42)))
            for c in crises
            if segment.start <= c.start <= segment.end
        ]
        points = sorted(
            {d for d, _l, _r in regular}
            | {s for s, _e in windows}
            | {e for _s, e in windows if e <= segment.end}
        )
        previous: int | None = None
        for point in points:
            in_crisis = any(s <= point < e for s, e in windows)
            base_i = bisect.bisect_right([d for d, _l, _r in regular], point) - 1
            base_day, base_level, base_reason = regular[base_i]
            level = IntensityLevel.FACT_BOARD if in_crisis else base_level
            if level == previous:
                continue
            if in_crisis:
                reason = INTENSITY_CRISIS
            elif any(e == point for _s, e in windows) and base_day != point:
                reason = INTENSITY_AFTER_CRISIS
            else:
                reason = base_reason
            levels.days.append(point)
            levels.levels.append(level)
            changes.append((point, level, previous, reason))
            previous = level
    # Only clients whose intensity actually moved get the rows (with their starting level).
    recorded = changes if len(changes) > 1 else []
    return levels, [c for c in recorded if c[0] >= ctx.first_day]


def _admitted(crises: list[_CrisisPlan], day: dt.date) -> bool:
    return any(
        c.setting != CrisisSetting.NONE and c.start <= day and (c.end is None or c.end >= day)
        for c in crises
    )


# ---------------------------------------------------------------------------- contacts


# Columns written with COPY (ids come from the table's own sequence, see _reserve_ids).
CONTACT_COLUMNS = tuple(str(f.column) for f in Contact._meta.concrete_fields)
WORKER_COLUMNS = tuple(
    str(f.column) for f in ContactWorker._meta.concrete_fields if f.column != "id"
)
GOAL_COLUMNS = ("contact_id", "goal_id")
NON_CLIENT_COLUMNS = (
    "worker_id",
    "team_id",
    "organisation_id",
    "discipline",
    "date",
    "minutes",
    "code",
    "target",
    "explanation",
    "created_by_id",
    "created_at",
)


def _copy(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Stream ``rows`` into ``table`` with PostgreSQL COPY (tens of times faster than
    bulk_create; database constraints still apply)."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reserve_ids(table: str, count: int) -> list[int]:
    """``count`` fresh primary keys from the table's identity sequence."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class _Planned:
    values: tuple[Any, ...]  # CONTACT_COLUMNS without id and the two timestamps
    workers: list[int]
    goal: int | None


def _funding(segment: str, discipline: str, indicated: bool) -> str:
    """The rule the contact form proposes: see the module docstring."""
    if segment == Phase.WAITING:
        return ContactFunding.VOORZORG
    if segment == Phase.AFTERCARE:
        return ContactFunding.NAZORG
    if discipline in TREATMENT_DISCIPLINES:
        return ContactFunding.ZVW
    if indicated:
        return ContactFunding.WMO
    return ContactFunding.LIJNTJE_HOUDEN


def _note(kind: str, segment: str, rng: random.Random, *, with_goal: bool = False) -> str:
    if segment == Phase.WAITING:
        return rng.choice(PRE_INTAKE_NOTES)
    if segment == Phase.AFTERCARE:
        return rng.choice(AFTERCARE_NOTES)
    subject = GOAL_SUBJECT if with_goal else rng.choice(SUBJECTS)
    parts = [rng.choice(OPENINGS[kind]), rng.choice(OBSERVATIONS), subject]
    if rng.random() < 0.6:
        parts.append(rng.choice(AGREEMENTS))
    return " ".join(parts)


def _active(member: _Member, day: dt.date) -> bool:
    return member.valid_from <= day and (member.valid_to is None or member.valid_to >= day)


def _author(ctx: _Ctx, cf: _ClientFile, segment: str, day: dt.date, own: dict[str, int]) -> int:
    """Who logged the contact: mostly the casemanager, sometimes another of the care team."""
    casemanager = (
        _worker_on(cf, AssignmentRole.CASEMANAGER, day)
        or _first_worker(cf, AssignmentRole.CASEMANAGER)
        or own["casemanager"]
    )
    if segment != Phase.IN_CARE:
        return casemanager
    roll = ctx.rng.random()
    if roll < 0.12:
        return _worker_on(cf, AssignmentRole.REGIEBEHANDELAAR, day) or own.get("regie", casemanager)
    if roll < 0.26 and "support" in own:
        return own["support"]
    if roll < 0.32 and "addiction" in own:
        return own["addiction"]
    if roll < 0.38 and "extra" in own:
        return own["extra"]
    return casemanager


def _own_workers(ctx: _Ctx, cf: _ClientFile) -> dict[str, int]:
    """The client's fixed care-team members beyond the assignments (chosen once)."""
    rng = ctx.rng
    own = {"casemanager": rng.choice(ctx.casemanagers)}
    if ctx.regie:
        own["regie"] = rng.choice(ctx.regie)
    if cf.support_org is not None:
        own["support"] = rng.choice(ctx.support[cf.support_org])
    if cf.addiction and ctx.addiction:
        own["addiction"] = rng.choice(ctx.addiction)
    if ctx.extra and rng.random() < 0.3:
        own["extra"] = rng.choice(ctx.extra)
    return own


def _contact(
    ctx: _Ctx,
    cf: _ClientFile,
    segment: str,
    day: dt.date,
    own: dict[str, int],
    kind: str | None = None,
) -> _Planned | None:
    rng = ctx.rng
    author = _author(ctx, cf, segment, day, own)
    member = ctx.members.get(author)
    if member is None or not _active(member, day):
        return None
    if kind is None:
        kind = _weighted(rng, KINDS_IN_CARE if segment == Phase.IN_CARE else KINDS_OUTSIDE_CARE)
    low, high = DURATIONS[kind]
    workers = [author]
    if segment == Phase.IN_CARE and rng.random() < TOGETHER.get(
        kind, 0.2 if kind in TRAVELLED else 0.05
    ):
        others = [
            w
            for w in own.values()
            if w != author and w in ctx.members and _active(ctx.members[w], day)
        ]
        if others:
            workers.append(rng.choice(others))
    proposed = _funding(segment, member.discipline, _has_indication(cf, day))
    stream = proposed
    if segment == Phase.IN_CARE and rng.random() < MISSING_FUNDING_SHARE:
        stream = ""
    goal = None
    if segment == Phase.IN_CARE and rng.random() < 0.35:
        current = [ids for valid_from, ids in cf.goals if valid_from <= day]
        if current:
            goal = rng.choice(current[-1])
    return _Planned(
        (
            cf.client_id,
            ctx.team.pk,
            _moment(day, rng),
            day,
            rng.randint(low, high) // 5 * 5 or low,
            rng.randint(0, 8) * 5 if kind in TRAVELLED else 0,
            kind,
            kind in NAASTE_KINDS and rng.random() < 0.12,
            _note(kind, segment, rng, with_goal=goal is not None),
            NOTE_CATEGORY.get(member.organisation_kind, DataCategory.WELFARE),
            stream,
            proposed,
            author,
        ),
        workers,
        goal,
    )


def _rate(segment: str, day: dt.date, levels: _Levels, crises: list[_CrisisPlan]) -> float:
    if segment == Phase.WAITING:
        return VOORZORG_PER_MONTH
    if segment == Phase.AFTERCARE:
        return NAZORG_PER_MONTH
    if _admitted(crises, day):
        return ADMITTED_PER_MONTH
    return CONTACTS_PER_MONTH[levels.on(day)]


def _plan_contacts(
    ctx: _Ctx, cf: _ClientFile, levels: _Levels, crises: list[_CrisisPlan]
) -> Iterator[_Planned]:
    rng = ctx.rng
    own = _own_workers(ctx, cf)
    if cf.voorzorg_contact_on is not None:
        day = cf.voorzorg_contact_on
        if any(s.kind == Phase.WAITING and s.start <= day <= s.end for s in cf.segments):
            planned = _contact(ctx, cf, Phase.WAITING, day, own, kind=ContactKind.PHONE)
            if planned is not None:
                yield planned
    for segment in cf.segments:
        for day in _weekdays(segment.start, segment.end):
            expected = _rate(segment.kind, day, levels, crises) / WORKDAYS_PER_MONTH
            count = int(expected) + (1 if rng.random() < expected % 1 else 0)
            for _ in range(count):
                planned = _contact(ctx, cf, segment.kind, day, own)
                if planned is not None:
                    yield planned


def _write_contacts(ctx: _Ctx, batch: list[_Planned]) -> None:
    if not batch:
        return
    now = timezone.now()
    ids = _reserve_ids(Contact._meta.db_table, len(batch))
    _copy(
        Contact._meta.db_table,
        CONTACT_COLUMNS,
        ((pk, *p.values, now, now) for pk, p in zip(ids, batch, strict=True)),
    )
    _copy(
        ContactWorker._meta.db_table,
        WORKER_COLUMNS,
        (
            (pk, w, ctx.members[w].organisation_id, ctx.members[w].discipline)
            for pk, p in zip(ids, batch, strict=True)
            for w in p.workers
        ),
    )
    _copy(
        Contact.goals.through._meta.db_table,
        GOAL_COLUMNS,
        ((pk, p.goal) for pk, p in zip(ids, batch, strict=True) if p.goal is not None),
    )


def _seed_clients(ctx: _Ctx, files: list[_ClientFile]) -> None:
    pending: list[_Planned] = []
    changes: list[IntensityChange] = []
    crises: list[Crisis] = []
    for cf in files:
        planned_crises = _plan_crises(ctx, cf)
        levels, level_changes = _plan_levels(ctx, cf, planned_crises)
        fallback = _first_worker(cf, AssignmentRole.CASEMANAGER) or ctx.lead_id
        for day, level, previous, reason in level_changes:
            changes.append(
                IntensityChange(
                    client_id=cf.client_id,
                    team=ctx.team,
                    date=day,
                    level=level,
                    previous_level=previous,
                    reason=reason,
                    by_id=_worker_on(cf, AssignmentRole.CASEMANAGER, day) or fallback,
                )
            )
        for c in planned_crises:
            crises.append(
                Crisis(
                    client_id=cf.client_id,
                    team=ctx.team,
                    started_on=c.start,
                    ended_on=c.end,
                    setting=c.setting,
                    setting_other=ctx.rng.choice(OTHER_SETTINGS)
                    if c.setting == CrisisSetting.OTHER
                    else "",
                    reason=c.reason,
                    admission_prevented=c.prevented,
                    by_id=_worker_on(cf, AssignmentRole.CASEMANAGER, c.start) or fallback,
                )
            )
        for planned in _plan_contacts(ctx, cf, levels, planned_crises):
            pending.append(planned)
            if len(pending) >= BATCH:
                _write_contacts(ctx, pending)
                pending = []
    _write_contacts(ctx, pending)
    IntensityChange.objects.bulk_create(changes, batch_size=BATCH)
    Crisis.objects.bulk_create(crises, batch_size=BATCH)


# -------------------------------------------------------------- non-client time, consults


def _non_client(
    ctx: _Ctx, m: _Member, day: dt.date, minutes: int, code: str, target: str = ""
) -> tuple[Any, ...]:
    """One NonClientTime row (NON_CLIENT_COLUMNS without created_at)."""
    explanation = ctx.rng.choice(NON_CLIENT_EXPLANATIONS) if code == NonClientCode.OTHER else ""
    return (
        m.user_id,
        ctx.team.pk,
        m.organisation_id,
        m.discipline,
        day,
        minutes,
        code,
        target,
        explanation,
        m.user_id,
    )


COLLABORATION_TARGETS = (
    (NonClientTarget.WIJKTEAM, 30),
    (NonClientTarget.HUISARTS, 25),
    (NonClientTarget.OGGZ, 10),
    (NonClientTarget.WELZIJN, 10),
    (NonClientTarget.GEMEENTE, 10),
    (NonClientTarget.OTHER_ORGANISATION, 10),
    (NonClientTarget.NETWORKING, 5),
)
LEARNING_TARGETS = (
    (NonClientTarget.INTERVISION, 35),
    (NonClientTarget.TRAINING, 20),
    (NonClientTarget.ACTION_LEARNING, 15),
    (NonClientTarget.THEME_DAY, 10),
    (NonClientTarget.PROGRAMME, 8),
    (NonClientTarget.WORK_PROCESSES, 8),
    (NonClientTarget.OTHER, 4),
)
ADVICE_TARGETS = (
    (NonClientTarget.WITHIN_TEAM, 60),
    (NonClientTarget.MOTHER_ORGANISATION, 25),
    (NonClientTarget.OTHER_ORGANISATION, 15),
)


def _worker_week(ctx: _Ctx, m: _Member, monday: dt.date) -> list[tuple[Any, ...]]:
    """One worker's hour-sheet rows of one week (only days up to yesterday)."""
    rng = ctx.rng
    days = [
        d
        for d in (monday + dt.timedelta(days=i) for i in range(5))
        if max(ctx.first_day, m.valid_from) <= d <= ctx.last_day
        and (m.valid_to is None or d <= m.valid_to)
    ]
    if not days:
        return []
    day_minutes = min(480, max(60, round(float(m.fte) * 480)))
    summer = monday.month in (7, 8)
    if rng.random() < (0.3 if summer else 0.06):  # a week of holiday
        return [
            _non_client(ctx, m, d, day_minutes, NonClientCode.ABSENCE, NonClientTarget.HOLIDAY)
            for d in days
        ]
    rows: list[tuple[Any, ...]] = []
    sick = days[: rng.randint(1, 3)] if rng.random() < 0.05 else []  # a few days sick
    for d in sick:
        rows.append(
            _non_client(ctx, m, d, day_minutes, NonClientCode.ABSENCE, NonClientTarget.SICKNESS)
        )
    work = [d for d in days if d not in sick]
    if not work:
        return rows

    def add(chance: float, code: str, low: int, high: int, target: str = "") -> None:
        if rng.random() < chance:
            minutes = rng.randint(low // 15, high // 15) * 15
            rows.append(_non_client(ctx, m, rng.choice(work), minutes, code, target))

    add(0.9, NonClientCode.COLLABORATION, 30, 120, _weighted(rng, COLLABORATION_TARGETS))
    add(0.4, NonClientCode.COLLABORATION, 30, 90, _weighted(rng, COLLABORATION_TARGETS))
    add(0.6, NonClientCode.LEARNING, 60, 180, _weighted(rng, LEARNING_TARGETS))
    add(0.5, NonClientCode.CONSULTATION, 15, 60, _weighted(rng, ADVICE_TARGETS))
    add(0.25, NonClientCode.REFERRAL, 15, 60, _weighted(rng, ADVICE_TARGETS))
    add(0.8, NonClientCode.MDO, 60, 90)
    add(0.08, NonClientCode.OTHER, 30, 120)
    return rows


def _non_client_rows(ctx: _Ctx) -> Iterator[tuple[Any, ...]]:
    monday = ctx.first_day - dt.timedelta(days=ctx.first_day.weekday())
    workers = [m for m in ctx.members.values() if m.role != TeamRole.SECRETARIAAT]
    now = timezone.now()
    while monday <= ctx.last_day:
        for m in workers:
            for row in _worker_week(ctx, m, monday):
                yield (*row, now)
        monday += dt.timedelta(days=7)


def _seed_non_client_time(ctx: _Ctx) -> None:
    _copy(NonClientTime._meta.db_table, NON_CLIENT_COLUMNS, _non_client_rows(ctx))


def _requester_name(ctx: _Ctx, kind: str) -> str:
    fake, rng = ctx.fake, ctx.rng
    neighbourhoods = ctx.team.neighbourhoods.splitlines() or [ctx.team.city]
    names: dict[str, str] = {
        ConsultationRequester.GP: f"Huisartsenpraktijk {fake.last_name()}",
        ConsultationRequester.SOCIAL_TEAM: f"Sociaal team {rng.choice(neighbourhoods)}",
        ConsultationRequester.OTHER_PROVIDER: f"Praktijk {fake.last_name()}",
        ConsultationRequester.MUNICIPALITY: f"Gemeente {ctx.team.city}",
        ConsultationRequester.POLICE: "Wijkagent",
    }
    return names.get(kind, "")


def _seed_consultations(ctx: _Ctx, clients: list[_ClientFile]) -> None:
    rng = ctx.rng
    advisers = [
        m
        for m in ctx.members.values()
        if m.discipline in TREATMENT_DISCIPLINES or m.discipline in CASEMANAGER_DISCIPLINES
    ]
    rows: list[Consultation] = []
    day = ctx.first_day - dt.timedelta(days=ctx.first_day.weekday())
    while day <= ctx.last_day:
        for _ in range(rng.randint(1, 5)):
            on = day + dt.timedelta(days=rng.randint(0, 4))
            m = rng.choice(advisers)
            if not (ctx.first_day <= on <= ctx.last_day) or not _active(m, on):
                continue
            kind = _weighted(rng, CONSULTATION_REQUESTERS)
            known = [
                cf.client_id for cf in clients if any(s.start <= on <= s.end for s in cf.segments)
            ]
            client_id = rng.choice(known) if known and rng.random() < 0.2 else None
            about = ""
            if client_id is None:
                about = (
                    f"{rng.choice(['man', 'vrouw'])}, ca. {rng.randint(4, 16) * 5} jaar"
                    f"{rng.choice(CONSULTATION_CONCERNS)}"
                )
            rows.append(
                Consultation(
                    team=ctx.team,
                    worker_id=m.user_id,
                    organisation_id=m.organisation_id,
                    discipline=m.discipline,
                    date=on,
                    requester_kind=kind,
                    requester_name=_requester_name(ctx, kind),
                    client_id=client_id,
                    about=about,
                    minutes=rng.randint(1, 4) * 15,
                    note=rng.choice(CONSULTATION_ADVICE),
                )
            )
        day += dt.timedelta(days=7)
    Consultation.objects.bulk_create(rows, batch_size=BATCH)


def seed(*, today: dt.date, rng: random.Random, scale: float = 1.0) -> None:
    """Two years of contacts, non-client time and events for every team that has none yet.

    ``scale`` is accepted for ``seed_demo``: the number of contacts follows the clients
    that ``clients.demo`` seeded at that scale; staff time does not depend on it.
    """
    del scale  # the clients were already scaled
    base = rng.randrange(2**32)
    for team in Team.objects.order_by("slug"):
        if _has_caseload(team):
            continue
        # One generator per team: a team's data does not depend on which others were seeded.
        team_rng = random.Random(f"{base}:{team.slug}")  # noqa: S311 — synthetic demo data
        fake = Faker("nl_NL")
        fake.seed_instance(team_rng.randrange(2**32))
        ctx = _context(team, today, team_rng, fake)
        if ctx is None:
            continue
        _fill_demo_caseload(ctx)
        files = _client_files(ctx)
        _seed_clients(ctx, files)
        _seed_non_client_time(ctx)
        _seed_consultations(ctx, files)
    seed_appointments(today=today, rng=random.Random(f"{base}:afspraken"))  # noqa: S311
    # A GP letter and a signed plan for a few clients of every team (Documenten tab).
    demo_documents.seed(today=today, rng=random.Random(f"{base}:documents"))  # noqa: S311
    # Tasks (the reminders as tasks, the demo member's own) and the demo team's MDO's.
    from caseload.demo_tasks import seed_tasks_and_mdo

    seed_tasks_and_mdo(today=today)
    # The portal's demo client and demo naaste (they sign in through the mock DigiD).
    from caseload.demo_portal import seed_portal

    seed_portal(today=today)
