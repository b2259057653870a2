"""Demo data of the herstelplan app: I.ROC and HoNOS histories, recovery phases and plans in
every state (draft, agreed draft, active, archived) and signaleringsplannen (in force,
replaced, draft) for clients in care. Synthetic only.

Shares per team follow the teams' spring-2020 evaluation (reference/README.md): Assen had
filled in 77 I.ROCs and 2 plans, Emmen 30 and 30, De Wolden/Hoogeveen 9 I.ROCs with 4 plans
finished and 24 in progress. Idempotent: a team whose clients already have measurements or
plans is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Min, Q
from django.utils import timezone

from clients.constants import AssignmentRole
from clients.models import Assignment, Client
from herstelplan import services
from herstelplan.constants import AgreementMethod, EvaluationOutcome
from herstelplan.models import IrocAssessment, Plan
from herstelplan.selectors.figures import clients_in_care
from olteams.models import Organisation, Team


@dataclass(frozen=True)
class Shares:
    iroc: float
    honos: float
    active: float
    draft: float


SHARES = {
    "assen": Shares(iroc=0.46, honos=0.3, active=0.02, draft=0.05),
    "emmen": Shares(iroc=0.35, honos=0.25, active=0.35, draft=0.05),
    "de-wolden-hoogeveen": Shares(iroc=0.06, honos=0.2, active=0.03, draft=0.14),
}
DEFAULT_SHARES = Shares(iroc=0.3, honos=0.2, active=0.2, draft=0.1)

GOALS = [
    ("Ik wil weer een dagbesteding waar ik graag naartoe ga.", [6, 5]),
    ("Ik wil mijn geldzaken zelf kunnen regelen.", [2, 11]),
    ("Ik wil minder alleen zijn en iemand hebben om mee te praten.", [7, 8]),
    ("Ik wil beter slapen en meer energie hebben.", [1, 4]),
    ("Ik wil een eigen woning waar ik me veilig voel.", [3]),
    ("Ik wil weer contact met mijn dochter.", [7, 9]),
    ("Ik wil elke dag een stuk wandelen.", [5, 4]),
    ("Ik wil zelf kunnen merken wanneer het minder gaat en dan iets doen.", [11, 10]),
    ("Ik wil vrijwilligerswerk doen.", [6, 10]),
    ("Ik wil weer hoop hebben dat het beter wordt.", [12, 1]),
]
ACTIONS = [
    ("Samen een dagbesteding zoeken en meegaan naar een kennismaking", "worker", "elke week"),
    ("Boodschappenlijst maken en zelf boodschappen doen", "client", "twee keer per week"),
    ("Samen koffie drinken en wandelen", "naaste", "elke zondag"),
    ("Gesprek over medicatie en slaap", "worker", "eens per maand"),
    ("Budgetcoaching", "organisation", "elke twee weken"),
]
ABOUT = [
    "Ik ben iemand die van muziek en tuinieren houdt.",
    "Ik ben vader van twee kinderen en ik kook graag.",
    "Ik heb lang in de bouw gewerkt en ik ben graag buiten.",
    "Ik hou van dieren en ik teken veel.",
]


def _walk(rng: random.Random, scores: list[int], low: int, high: int, up: float) -> list[int]:
    return [
        min(high, max(low, s + (1 if rng.random() < up else rng.choice((-1, 0, 0)))))
        for s in scores
    ]


@dataclass
class _Ctx:
    today: dt.date
    rng: random.Random
    organisations: list[Organisation]


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _worker(client: Client, today: dt.date):  # type: ignore[no-untyped-def]
    rows = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), client=client, start_date__lte=today
    ).select_related("worker")
    lead = next((a for a in rows if a.role == AssignmentRole.CASEMANAGER), None)
    return (lead or rows[0]).worker


def _measurements(ctx: _Ctx, client: Client, worker, start: dt.date, honos: bool) -> None:  # type: ignore[no-untyped-def]
    rng, today = ctx.rng, ctx.today
    last = today - dt.timedelta(days=rng.randint(3, 80))
    dates = [
        d
        for d in (last - dt.timedelta(days=91 * j) for j in range(rng.randint(1, 4)))
        if d >= start
    ]
    iroc = [rng.randint(2, 4) for _ in range(12)]
    hon = [rng.choice((0, 1, 1, 2, 2, 3, 4)) for _ in range(12)]
    for day in sorted(dates):
        services.iroc_assessment_create(
            actor=worker,
            client=client,
            date=day,
            filled_in_with="Cliënt en casemanager",
            answers=[{"indicator": n, "score": s, "note": ""} for n, s in enumerate(iroc, 1)],
            today=today,
        )
        if honos:
            scores = {n: (9 if rng.random() < 0.04 else s) for n, s in enumerate(hon, 1)}
            services.honos_assessment_create(
                actor=worker,
                client=client,
                date=day,
                scores=scores,
                today=today,
                item_8_problem_type=rng.choice("ABDH") if 1 <= scores[8] <= 4 else "",
            )
        iroc = _walk(rng, iroc, 1, 6, up=0.35)
        hon = [max(0, s - 1) if rng.random() < 0.3 else s for s in hon]
    phase_day = min(dates) if dates else start
    for phase in sorted(rng.sample([1, 2, 3], rng.randint(1, 2))):
        services.recovery_phase_create(
            actor=worker,
            client=client,
            phase=phase,
            date=phase_day,
            set_with="Cliënt en ervaringsdeskundige",
            today=today,
        )
        phase_day = min(today, phase_day + dt.timedelta(days=rng.randint(30, 120)))


def _draft(ctx: _Ctx, client: Client, worker, day: dt.date) -> Plan:  # type: ignore[no-untyped-def]
    plan = services.plan_create(actor=worker, client=client, now=_moment(day))
    return _fill(ctx, plan, worker, day)


def _fill(ctx: _Ctx, plan: Plan, worker, day: dt.date) -> Plan:  # type: ignore[no-untyped-def]
    rng, now = ctx.rng, _moment(day)
    plan = services.plan_update(
        actor=worker,
        plan=plan,
        lock_version=plan.lock_version,
        now=now,
        who_i_am=rng.choice(ABOUT),
        wishes="Rust in mijn hoofd.",
        dreams="Later een eigen moestuin.",
        strengths="Ik geef niet snel op.",
    )
    if plan.goals.exists():
        return plan
    for priority, (text, indicators) in enumerate(rng.sample(GOALS, rng.randint(1, 3)), 1):
        goal = services.goal_create(
            actor=worker,
            plan=plan,
            lock_version=plan.lock_version,
            text=text,
            priority=priority,
            indicators=indicators,
            now=now,
        )
        plan.refresh_from_db()
        description, performer, frequency = rng.choice(ACTIONS)
        services.goal_action_create(
            actor=worker,
            goal=goal,
            lock_version=plan.lock_version,
            description=description,
            performer=performer,
            worker=worker if performer == "worker" else None,
            organisation=rng.choice(ctx.organisations) if performer == "organisation" else None,
            performer_name="Zus" if performer == "naaste" else "",
            frequency=frequency,
            now=now,
        )
        plan.refresh_from_db()
    return plan


def _agree(ctx: _Ctx, plan: Plan, worker, day: dt.date, activate: bool) -> Plan:  # type: ignore[no-untyped-def]
    now = _moment(day)
    plan = services.plan_agreement_record(
        actor=worker,
        plan=plan,
        lock_version=plan.lock_version,
        agreed_on=day,
        now=now,
        agreed_how=ctx.rng.choice(AgreementMethod.values),
    )
    if activate:
        plan = services.plan_activate(
            actor=worker, plan=plan, lock_version=plan.lock_version, now=now
        )
    return plan


def _active_plan(ctx: _Ctx, client: Client, worker, start: dt.date) -> None:  # type: ignore[no-untyped-def]
    rng, today = ctx.rng, ctx.today
    day = max(start, today - dt.timedelta(days=rng.randint(20, 240)))
    if rng.random() < 0.35 and day - dt.timedelta(days=200) >= start:
        first = _agree(
            ctx,
            _draft(ctx, client, worker, day - dt.timedelta(days=200)),
            worker,
            day - dt.timedelta(days=200),
            activate=True,
        )
        services.evaluation_create(
            actor=worker,
            plan=first,
            date=day,
            now=_moment(day),
            text="Doelen besproken; een nieuwe versie met de cliënt.",
            outcome=EvaluationOutcome.NEW_VERSION,
        )
        draft = Plan.objects.get(client=client, status="draft")
        plan = _agree(ctx, _fill(ctx, draft, worker, day), worker, day, activate=True)
    else:
        plan = _agree(ctx, _draft(ctx, client, worker, day), worker, day, activate=True)
    goal = plan.goals.first()
    eval_day = day + dt.timedelta(days=rng.randint(30, 90))
    if goal is not None and eval_day <= today:
        services.evaluation_create(
            actor=worker,
            plan=plan,
            goal=goal,
            date=eval_day,
            now=_moment(eval_day),
            text="Het gaat stap voor stap beter.",
            outcome=rng.choice([EvaluationOutcome.CONTINUE, EvaluationOutcome.GOAL_ACHIEVED]),
            next_evaluation_date=eval_day + dt.timedelta(days=90) if rng.random() < 0.7 else None,
        )


SIGNALS = [
    {
        "green_signs": "Ik slaap goed, ik ga naar mijn werk en ik zie vrienden.",
        "green_client": "Op tijd naar bed, elke dag wandelen.",
        "green_team": "Eens per twee weken een gesprek.",
        "orange_signs": "Ik slaap slecht, ik zeg afspraken af en ik pieker veel.",
        "orange_client": "Ik bel mijn casemanager en ik vertel het mijn zus.",
        "orange_naaste": "Mijn zus komt langs en helpt met de boodschappen.",
        "orange_team": "Vaker contact, medicatie bespreken.",
        "red_signs": "Ik hoor stemmen, ik eet niet meer en ik kom mijn huis niet uit.",
        "red_client": "Ik bel de crisisdienst of mijn casemanager.",
        "red_naaste": "Mijn zus belt het team en blijft bij mij.",
        "red_team": "Dezelfde dag een huisbezoek; zo nodig de crisisdienst erbij.",
        "admission_wishes": "Liefst een opname dichtbij huis, met mijn eigen kussen.",
        "admission_must": "Mijn zus wordt gebeld.",
        "admission_must_not": "Geen separeer als het ook anders kan.",
        "admission_care": "Mijn buurvrouw voert de kat; mijn zus haalt de post.",
    },
    {
        "green_signs": "Ik kook zelf en ik ga naar de dagbesteding.",
        "orange_signs": "Ik drink meer en ik neem de telefoon niet op.",
        "orange_client": "Ik ga naar de inloop van het wijkteam.",
        "orange_team": "De ervaringsdeskundige belt twee keer per week.",
        "red_signs": "Ik denk aan de dood en ik blijf in bed.",
        "red_client": "Ik bel 113 of de crisisdienst.",
        "red_naaste": "Mijn broer belt de huisarts.",
        "red_team": "Direct overleg met de psychiater.",
        "admission_care": "Mijn ex zorgt voor de kinderen.",
    },
]
SIGNAL_CONTACTS = [
    {"name": "Crisisdienst GGZ Drenthe", "role": "crisisdienst", "phone": "0592 334 800"},
    {"name": "Huisartsenpraktijk De Brink", "role": "huisarts", "phone": "0592 123 456"},
    {"name": "Zus (Marja)", "role": "naaste", "phone": "06 12 34 56 78"},
]


def _signal_plan(ctx: _Ctx, client: Client, worker, day: dt.date, agree: bool) -> None:  # type: ignore[no-untyped-def]
    """A signaleringsplan written with the client on ``day``; agreed when ``agree``."""
    draft = services.signal_plan_create(actor=worker, client=client)
    draft = services.signal_plan_update(
        actor=worker,
        plan=draft,
        lock_version=draft.lock_version,
        contacts=ctx.rng.sample(SIGNAL_CONTACTS, ctx.rng.randint(2, 3)),
        **ctx.rng.choice(SIGNALS),
    )
    if agree:
        services.signal_plan_agree(
            actor=worker,
            plan=draft,
            lock_version=draft.lock_version,
            agreed_on=day,
            agreed_how=ctx.rng.choice(AgreementMethod.values),
            now=_moment(day),
        )


def _seed_team(ctx: _Ctx, team: Team) -> None:
    clients = list(clients_in_care(team_id=team.pk, today=ctx.today).order_by("pk"))
    if (
        not clients
        or IrocAssessment.objects.filter(client__team=team).exists()
        or Plan.objects.filter(client__team=team).exists()
    ):
        return
    shares = SHARES.get(team.slug, DEFAULT_SHARES)
    starts = dict(
        Assignment.objects.filter(client__in=clients)
        .values("client_id")
        .annotate(d=Min("start_date"))
        .values_list("client_id", "d")
    )
    ctx.rng.shuffle(clients)
    n = len(clients)
    n_iroc, n_active, n_draft = (
        round(n * shares.iroc),
        max(1, round(n * shares.active)),
        max(1, round(n * shares.draft)),
    )
    for i, client in enumerate(clients):
        worker = _worker(client, ctx.today)
        start = starts[client.pk]
        if i < n_iroc:
            _measurements(
                ctx,
                client,
                worker,
                start,
                honos=ctx.rng.random() < shares.honos / max(shares.iroc, 0.01),
            )
        if i < n_active:
            _active_plan(ctx, client, worker, start)
            if i % 2 == 0:  # half of them made a signaleringsplan, some in a second version
                day = max(start, ctx.today - dt.timedelta(days=ctx.rng.randint(60, 200)))
                _signal_plan(ctx, client, worker, day, agree=True)
                if i % 4 == 0:
                    _signal_plan(ctx, client, worker, ctx.today, agree=i % 8 == 0)
        elif i < n_active + n_draft:
            draft_day = max(start, ctx.today - dt.timedelta(days=ctx.rng.randint(1, 40)))
            plan = _draft(ctx, client, worker, draft_day)
            if (i - n_active) % 2 == 0:  # every other draft already agreed
                _agree(ctx, plan, worker, draft_day, activate=False)


def seed(*, today: dt.date, rng: random.Random) -> None:
    """I.ROC/HoNOS histories, phases and plans for the clients in care of every team."""
    services.iroc_items_ensure()  # a flushed database has lost what migration 0002 loaded
    ctx = _Ctx(today=today, rng=rng, organisations=list(Organisation.objects.order_by("pk")[:5]))
    for team in Team.objects.order_by("pk"):
        _seed_team(ctx, team)
