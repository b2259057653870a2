"""The caseload demo: two years of contacts inside the clients' episodes, the funding rules,
non-client time and events for every team, a full caseload for demo.teamlid; idempotent and
deterministic per team."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Count

from caseload import demo
from caseload.constants import (
    NON_CLIENT_TARGETS,
    ContactFunding,
    CrisisSetting,
    NonClientCode,
)
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from clients import demo as clients_demo
from clients.constants import AssignmentRole, Phase
from clients.models import Assignment, CareEpisode
from herstelplan import demo as herstelplan_demo
from olteams import demo as olteams_demo
from olteams.constants import TREATMENT_DISCIPLINES, DataCategory, OrganisationKind
from olteams.models import Membership, Team
from wmo import demo as wmo_demo
from wmo.models import Indication

TODAY = dt.date(2026, 11, 24)
SEED = 6
TEAMS = ("assen", "emmen", "de-wolden-hoogeveen", "midden-drenthe")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo chain once for this module (a tenth of the clients), rolled back at
    the end: every test below runs in a savepoint on top of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            olteams_demo.seed(today=TODAY, rng=random.Random(1))
            clients_demo.seed(today=TODAY, rng=random.Random(2), scale=0.1)
            herstelplan_demo.seed(today=TODAY, rng=random.Random(3))
            wmo_demo.seed(today=TODAY, rng=random.Random(4))
            demo.seed(today=TODAY, rng=random.Random(SEED), scale=0.1)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def _phase_on(episodes: list[CareEpisode], day: dt.date) -> str | None:
    """The client's phase on ``day`` from the episodes and their dated transitions."""
    for episode in episodes:
        if episode.started_on <= day and (episode.ended_on is None or day < episode.ended_on):
            phase = None
            for t in sorted(episode.transitions.all(), key=lambda t: (t.on, t.id)):
                if t.on <= day:
                    phase = t.to_phase
            return phase
    return None


def _episodes() -> dict[int, list[CareEpisode]]:
    found: dict[int, list[CareEpisode]] = defaultdict(list)
    for episode in CareEpisode.objects.prefetch_related("transitions"):
        found[episode.client_id].append(episode)
    return found


def test_two_years_of_contacts_on_working_days_inside_the_episodes():
    contacts = list(Contact.objects.values_list("client_id", "date", "starts_at"))
    assert len(contacts) > 5000
    episodes = _episodes()
    phases = {_phase_on(episodes[client], day) for client, day, _ in contacts}
    assert phases == {Phase.WAITING, Phase.INTAKE, Phase.IN_CARE, Phase.AFTERCARE}
    days = [day for _, day, _ in contacts]
    assert min(days) >= TODAY - dt.timedelta(days=730)
    assert max(days) < TODAY
    assert min(days) < TODAY - dt.timedelta(days=600)  # the history is two years deep
    # Working days; only the first contact before the intake keeps the date the clients
    # demo recorded for it (CareEpisode.voorzorg_contact_on).
    assert all(
        day.weekday() < 5
        for client, day, _ in contacts
        if _phase_on(episodes[client], day) == Phase.IN_CARE
    )
    assert all(8 <= starts.astimezone().hour < 17 for _, _, starts in contacts)


def test_about_twenty_contacts_per_client_in_care_per_month():
    episodes = _episodes()
    month_start = dt.date(2026, 9, 1)
    in_care = {
        client
        for client, eps in episodes.items()
        if _phase_on(eps, month_start) == Phase.IN_CARE
        and _phase_on(eps, dt.date(2026, 9, 30)) == Phase.IN_CARE
    }
    counts = (
        Contact.objects.filter(client_id__in=in_care, date__month=9, date__year=2026)
        .values("client_id")
        .annotate(n=Count("id"))
    )
    per_client = sum(row["n"] for row in counts) / len(in_care)
    assert 12 <= per_client <= 28


def _expected_funding(phase: str, discipline: str, indicated: bool) -> str:
    if phase in (Phase.WAITING, Phase.INTAKE):
        return ContactFunding.VOORZORG
    if phase == Phase.AFTERCARE:
        return ContactFunding.NAZORG
    if discipline in TREATMENT_DISCIPLINES:
        return ContactFunding.ZVW
    return ContactFunding.WMO if indicated else ContactFunding.LIJNTJE_HOUDEN


def test_funding_follows_phase_discipline_and_wmo_indication_with_some_left_empty():
    episodes = _episodes()
    indications = defaultdict(list)
    for i in Indication.objects.all():
        indications[i.client_id].append((i.start, i.end))
    authors = {
        (w.contact_id, w.worker_id): w.discipline
        for w in ContactWorker.objects.only("contact_id", "worker_id", "discipline")
    }
    in_care = empty = 0
    streams = set()
    for c in Contact.objects.only(
        "client_id", "date", "author_id", "funding_stream", "funding_proposed"
    ):
        phase = _phase_on(episodes[c.client_id], c.date)
        indicated = any(
            s <= c.date and (e is None or e >= c.date) for s, e in indications[c.client_id]
        )
        expected = _expected_funding(phase, authors[(c.pk, c.author_id)], indicated)
        assert c.funding_proposed == expected, (phase, c.funding_proposed)
        if phase == Phase.IN_CARE:
            in_care += 1
            empty += c.funding_stream == ""
        else:
            assert c.funding_stream == expected
        if c.funding_stream:
            assert c.funding_stream == expected
            streams.add(c.funding_stream)
    assert 0.02 < empty / in_care < 0.09  # ~5% for the controllers to find
    assert {
        ContactFunding.ZVW,
        ContactFunding.LIJNTJE_HOUDEN,
        ContactFunding.VOORZORG,
        ContactFunding.NAZORG,
    } <= streams


def test_workers_carry_their_membership_and_reports_their_category():
    memberships = {
        (m.user_id, m.team_id): m for m in Membership.objects.select_related("organisation")
    }
    category = {
        OrganisationKind.GGZ: DataCategory.GGZ_TREATMENT,
        OrganisationKind.VERSLAVINGSZORG: DataCategory.ADDICTION_TREATMENT,
        OrganisationKind.BEGELEIDING: DataCategory.WMO_SUPPORT,
        OrganisationKind.WELZIJN: DataCategory.WELFARE,
    }
    per_contact = defaultdict(list)
    for w in ContactWorker.objects.select_related("contact"):
        m = memberships[(w.worker_id, w.contact.team_id)]
        assert (w.organisation_id, w.discipline) == (m.organisation_id, m.discipline)
        per_contact[w.contact_id].append(w)
    contacts = list(Contact.objects.all())
    sizes = {len(per_contact[c.pk]) for c in contacts}
    assert sizes == {1, 2}
    for c in contacts:
        assert c.author_id in {w.worker_id for w in per_contact[c.pk]}
        author = memberships[(c.author_id, c.team_id)]
        assert c.note_category == category[author.organisation.kind]
        assert 15 <= c.duration_minutes <= 90 and 0 <= c.travel_minutes <= 40
        assert c.note and c.kind
    assert sum(c.naaste_present for c in contacts) > 0
    assert {c.note_category for c in contacts} >= {
        DataCategory.GGZ_TREATMENT,
        DataCategory.WMO_SUPPORT,
    }
    assert Contact.goals.through.objects.exists()


def test_every_team_has_non_client_time_on_all_codes_and_consultations():
    for slug in TEAMS:
        team = Team.objects.get(slug=slug)
        codes = set(NonClientTime.objects.filter(team=team).values_list("code", flat=True))
        assert codes == set(NonClientCode.values), slug
        assert Consultation.objects.filter(team=team).count() > 100, slug  # a few a week
    for row in NonClientTime.objects.all():
        allowed = NON_CLIENT_TARGETS.get(row.code, ("",))
        assert row.target in allowed, (row.code, row.target)
        assert (row.code == NonClientCode.OTHER) == bool(row.explanation)
    consultations = Consultation.objects.all()
    assert (
        consultations.filter(client__isnull=True).count()
        > consultations.filter(client__isnull=False).count()
    )
    assert all(c.about.split(",")[0] in ("man", "vrouw") for c in consultations if not c.client_id)


def test_crises_admissions_and_intensity_changes():
    crises = Crisis.objects.all()
    assert crises.filter(setting=CrisisSetting.NONE, admission_prevented=True).exists()
    assert crises.exclude(setting=CrisisSetting.NONE).exists()
    assert not crises.exclude(setting=CrisisSetting.OTHER).exclude(setting_other="").exists()
    episodes = _episodes()
    for crisis in crises:
        assert _phase_on(episodes[crisis.client_id], crisis.started_on) in (
            Phase.IN_CARE,
            Phase.AFTERCARE,
        )
    changes = IntensityChange.objects.order_by("client_id", "date", "id")
    assert {c.direction for c in changes} == {"", "op", "af"}
    assert changes.values("client_id").distinct().count() > 5
    for change in changes:
        assert _phase_on(episodes[change.client_id], change.date) == Phase.IN_CARE


def test_the_demo_team_member_has_a_full_caseload_with_recent_contacts():
    mine = Assignment.objects.filter(
        worker__username="demo.teamlid", role=AssignmentRole.CASEMANAGER, end_date__isnull=True
    ).values_list("client_id", flat=True)
    # At a tenth of the clients Assen has fewer clients in care (without Wmo paperwork,
    # which keep their casemanager) than the demo caseload: then all of them.
    eligible = (
        CareEpisode.objects.filter(
            client__team__slug="assen",
            ended_on__isnull=True,
            phase__in=[Phase.IN_CARE, Phase.AFTERCARE],
            client__assignments__role=AssignmentRole.CASEMANAGER,
            client__assignments__end_date__isnull=True,
        )
        .exclude(client__wmo_requests__isnull=False)
        .count()
    )
    assert len(mine) >= min(demo.DEMO_CASELOAD, eligible) >= 5
    recent = (
        ContactWorker.objects.filter(
            worker__username="demo.teamlid",
            contact__client_id__in=mine,
            contact__date__gte=TODAY - dt.timedelta(days=14),
        )
        .values("contact__client_id")
        .distinct()
        .count()
    )
    assert recent >= len(mine) // 2


def _signature(team: Team) -> tuple[list, list, list, list, list]:
    return (
        sorted(
            Contact.objects.filter(team=team).values_list(
                "client_id", "starts_at", "duration_minutes", "kind", "author_id", "note"
            )
        ),
        sorted(NonClientTime.objects.filter(team=team).values_list("worker_id", "date", "minutes")),
        sorted(Crisis.objects.filter(team=team).values_list("client_id", "started_on")),
        sorted(IntensityChange.objects.filter(team=team).values_list("client_id", "date", "level")),
        sorted(Consultation.objects.filter(team=team).values_list("worker_id", "date", "about")),
    )


def test_idempotent_and_deterministic_per_team():
    models = (Contact, ContactWorker, NonClientTime, Crisis, IntensityChange, Consultation)
    before = {m: m.objects.count() for m in models}
    demo.seed(today=TODAY, rng=random.Random(SEED), scale=0.1)
    assert {m: m.objects.count() for m in models} == before

    emmen = Team.objects.get(slug="emmen")
    first = _signature(emmen)
    Contact.goals.through.objects.filter(contact__team=emmen).delete()
    ContactWorker.objects.filter(contact__team=emmen).delete()
    for model in (Contact, NonClientTime, Crisis, IntensityChange, Consultation):
        model.objects.filter(team=emmen).delete()
    demo.seed(today=TODAY, rng=random.Random(SEED), scale=0.1)
    assert _signature(emmen) == first
    assert Contact.objects.count() == before[Contact]


def test_the_demo_team_member_has_a_populated_week_with_a_fortnightly_series():
    """Appointments (issue 16): this week's agenda of demo.teamlid is not empty; one series
    is every two weeks and started last week, so its first one waits to be logged."""
    from caseload.constants import AppointmentState
    from caseload.models import Appointment, AppointmentSeries
    from caseload.selectors.appointments import agenda_week, week_monday
    from olteams.models import User

    user = User.objects.get(username=demo.DEMO_LOGIN)
    monday = week_monday(TODAY)
    days = agenda_week(user=user, worker=user, monday=monday)
    assert sum(len(d.appointments) for d in days) >= 4
    fortnightly = AppointmentSeries.objects.get(
        created_by=user, interval_weeks=2, until__isnull=False
    )
    rows = list(Appointment.objects.filter(series=fortnightly).order_by("starts_at"))
    assert len(rows) == 5
    assert rows[0].starts_at.date() < monday
    assert rows[0].state == AppointmentState.PLANNED
    teams_with_appointments = set(Appointment.objects.values_list("team__slug", flat=True))
    assert teams_with_appointments == set(TEAMS)


def test_a_few_clients_of_every_team_have_a_gp_letter_and_a_signed_plan():
    from caseload import demo_documents
    from caseload.models import Document

    documents = list(Document.objects.select_related("client"))
    assert {d.client.team.slug for d in documents} == set(TEAMS)
    assert {d.category for d in documents} == {"brief_huisarts", "ondertekend_plan"}
    for document in documents:
        content = document.file.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert (document.size, document.content_type) == (len(content), "application/pdf")
        assert document.document_date <= TODAY
    count = len(documents)
    demo_documents.seed(today=TODAY, rng=random.Random(9))
    assert Document.objects.count() == count  # idempotent


def test_the_demo_has_tasks_and_mdo_meetings_for_the_demo_team():
    from caseload.constants import MdoStatus, TaskSource
    from caseload.models import MdoItem, MdoMeeting, Task

    member = Membership.objects.get(user__username="demo.teamlid").user
    mine = Task.objects.filter(assignee=member)
    assert mine.filter(source=TaskSource.USER, done_at__isnull=True, due_on__lt=TODAY).exists()
    assert mine.filter(source=TaskSource.USER, done_at__isnull=False).exists()
    assert mine.filter(source=TaskSource.MDO).count() >= 1
    # the Wmo demo's expiry tasks became tasks of their casemanagers
    assert Task.objects.filter(
        source=TaskSource.SYSTEM, dedupe_key__startswith="wmo-expiry:"
    ).exists()
    statuses = sorted(MdoMeeting.objects.values_list("status", flat=True))
    assert statuses == [MdoStatus.CLOSED, MdoStatus.OPEN]
    assert MdoItem.objects.filter(decided_on__isnull=False).exclude(decisions="").count() == 2
    before = (Task.objects.count(), MdoMeeting.objects.count())
    demo.seed(today=TODAY, rng=random.Random(SEED), scale=0.1)
    assert (Task.objects.count(), MdoMeeting.objects.count()) == before
