"""Rows for the caseload page, overview and query tests, created with the models directly
(the rules of logging belong to the services and are tested in test_services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from caseload.constants import ContactFunding, ContactKind, CrisisSetting, NonClientCode
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from clients.constants import AssignmentRole, Phase
from clients.models import Assignment, CareEpisode, Client, PhaseTransition
from olteams.constants import DataCategory, Discipline
from olteams.models import Membership

TODAY = dt.date(2026, 3, 16)  # a Monday
NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)


def membership_of(user, team=None) -> Membership:
    qs = Membership.objects.filter(user=user)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.select_related("organisation").first()


def make_client(team, *, name: str = "Jansen", first: str = "Piet", **fields) -> Client:
    return Client.objects.create(team=team, first_name=first, last_name=name, **fields)


def assign(client, worker, role=AssignmentRole.BEGELEIDER, *, start=dt.date(2025, 1, 1), end=None):
    return Assignment.objects.create(
        client=client, worker=worker, role=role, start_date=start, end_date=end
    )


def in_care(client, by, *, on=dt.date(2025, 1, 1)) -> CareEpisode:
    episode = CareEpisode.objects.create(client=client, phase=Phase.IN_CARE, started_on=on)
    PhaseTransition.objects.create(
        episode=episode, from_phase=Phase.INTAKE, to_phase=Phase.IN_CARE, on=on, by=by
    )
    return episode


def contact(
    client,
    workers,
    *,
    day: dt.date,
    minutes: int = 60,
    travel: int = 0,
    funding: str = ContactFunding.ZVW,
    kind: str = ContactKind.HOME,
    note: str = "Verslag",
    category: str = DataCategory.GGZ_TREATMENT,
    hour: int = 10,
) -> Contact:
    workers = list(workers)
    c = Contact.objects.create(
        client=client,
        team=client.team,
        starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
        date=day,
        duration_minutes=minutes,
        travel_minutes=travel,
        kind=kind,
        note=note,
        note_category=category,
        funding_stream=funding,
        author=workers[0],
    )
    for w in workers:
        m = membership_of(w)
        ContactWorker.objects.create(
            contact=c, worker=w, organisation=m.organisation, discipline=m.discipline
        )
    return c


def bulk_contacts(client, worker, n: int, *, start: dt.date) -> None:
    """``n`` contacts of one worker, one every ~hour back from ``start`` (bulk, fast)."""
    m = membership_of(worker)
    base = dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC)
    rows = [
        Contact(
            client=client,
            team=client.team,
            starts_at=base - dt.timedelta(hours=i * 3),
            date=(base - dt.timedelta(hours=i * 3)).date(),
            duration_minutes=30,
            kind=ContactKind.PHONE,
            note=f"Verslag {i}",
            note_category=DataCategory.GGZ_TREATMENT,
            funding_stream=ContactFunding.ZVW,
            author=worker,
        )
        for i in range(n)
    ]
    created = Contact.objects.bulk_create(rows, batch_size=2000)
    ContactWorker.objects.bulk_create(
        [
            ContactWorker(
                contact=c, worker=worker, organisation=m.organisation, discipline=m.discipline
            )
            for c in created
        ],
        batch_size=2000,
    )


def non_client(worker, *, day: dt.date, minutes: int, code: str = NonClientCode.COLLABORATION):
    m = membership_of(worker)
    return NonClientTime.objects.create(
        worker=worker,
        team=m.team,
        organisation=m.organisation,
        discipline=m.discipline,
        date=day,
        minutes=minutes,
        code=code,
        explanation="uitleg" if code == NonClientCode.OTHER else "",
        created_by=worker,
    )


def consultation(worker, *, day: dt.date, minutes: int, client=None):
    m = membership_of(worker)
    return Consultation.objects.create(
        team=m.team,
        worker=worker,
        organisation=m.organisation,
        discipline=m.discipline,
        date=day,
        requester_kind="huisarts",
        client=client,
        about="" if client else "man, 40",
        minutes=minutes,
    )


def crisis(client, by, *, start: dt.date, end: dt.date | None = None):
    return Crisis.objects.create(
        client=client,
        team=client.team,
        started_on=start,
        ended_on=end,
        setting=CrisisSetting.NONE,
        reason="Ontregeld",
        by=by,
    )


def intensity(client, by, *, day: dt.date, level: int = 4, previous: int | None = 3):
    return IntensityChange.objects.create(
        client=client,
        team=client.team,
        date=day,
        level=level,
        previous_level=previous,
        reason="Meer zorg nodig",
        by=by,
    )


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return TODAY


@pytest.fixture
def casemanager2(team, org_welzijn):
    from tests.factories.olteams import MembershipFactory, UserFactory

    return MembershipFactory(
        user=UserFactory(username="tweede", first_name="Tineke", last_name="Tweede"),
        team=team,
        organisation=org_welzijn,
        discipline=Discipline.CASEMANAGER,
        fte=Decimal("0.50"),
        valid_from=dt.date(2020, 1, 1),
    ).user


def now() -> dt.datetime:
    return timezone.now()
