"""Tasks: the services (made, changed, completed, removed; system reminders become tasks
once), "Mijn taken" with its filters and badge, the client file's box and the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseload.constants import TaskSource
from caseload.models import Task
from caseload.services.tasks import (
    system_tasks_sync,
    task_complete,
    task_create,
    task_delete,
    task_update,
)
from clients.constants import AssignmentRole
from olteams.constants import NotificationKind
from olteams.models import AuditEvent, Notification
from olteams.services import notification_create
from tests.caseload.pages_fixtures import NOW, TODAY, assign, in_care, make_client
from tests.factories.olteams import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_a(team, member, lead):
    client = make_client(team, name="Vlinderbos", first="Anna")
    in_care(client, member, on=dt.date(2025, 1, 6))
    assign(client, member, AssignmentRole.CASEMANAGER, start=dt.date(2025, 1, 6))
    return client


def _task(member, team, *, client=None, **fields):
    return task_create(
        actor=fields.pop("actor", member),
        team=team,
        assignee=fields.pop("assignee", member),
        title=fields.pop("title", "Huisarts bellen"),
        client=client,
        **fields,
    )


# --- services ------------------------------------------------------------------------------


def test_a_task_is_made_for_a_team_member_about_a_client(member, lead, team, client_a):
    task = _task(lead, team, client=client_a, assignee=member, due_on=dt.date(2026, 3, 20))
    task.refresh_from_db()
    assert (task.title, task.assignee, task.client, task.created_by, task.source) == (
        "Huisarts bellen",
        member,
        client_a,
        lead,
        TaskSource.USER,
    )
    assert task.done_at is None


def test_bad_input_gives_dutch_field_errors_and_saves_nothing(member, team, outsider, client_a):
    other = make_client(team, name="Elders")
    with pytest.raises(ValidationError) as exc:
        task_create(actor=member, team=team, assignee=outsider, title="  ", due_on="morgen")
    assert exc.value.message_dict == {
        "title": ["Geef de taak een titel."],
        "assignee": ["Kies een medewerker van het team."],
        "due_on": ["Vul een datum in."],
    }
    # a client of the team the actor may not change (not in care with them: still the team's
    # client, so allowed) vs. a client of another team
    from tests.factories.clients import ClientFactory

    foreign = ClientFactory(team=outsider.memberships.first().team)
    with pytest.raises(ValidationError) as exc:
        _task(member, team, client=foreign)
    assert exc.value.message_dict == {"client": ["Kies een cliënt van dit team."]}
    assert _task(member, team, client=other).client == other
    assert Task.objects.count() == 1


def test_only_a_member_of_the_team_makes_its_tasks(outsider, team, member):
    with pytest.raises(PermissionDenied):
        _task(member, team, actor=outsider)
    assert not Task.objects.exists()


def test_complete_records_who_and_when_and_twice_changes_nothing(member, lead, team):
    task = _task(member, team)
    task_complete(actor=lead, task=task)
    task.refresh_from_db()
    assert (task.done_by, task.done_at) == (lead, NOW)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        task_complete(actor=member, task=task)
    task.refresh_from_db()
    assert (task.done_by, task.done_at) == (lead, NOW)


def test_a_colleague_who_is_not_assignee_maker_or_lead_may_not_complete(member, team, org_ggz):
    colleague = MembershipFactory(user=UserFactory(), team=team, organisation=org_ggz).user
    task = _task(member, team)
    with pytest.raises(PermissionDenied):
        task_complete(actor=colleague, task=task)
    task.refresh_from_db()
    assert task.done_at is None


def test_update_and_delete(member, lead, team, secretary):
    task = _task(member, team)
    task_update(actor=member, task=task, title="Apotheek bellen", assignee=lead, due_on=None)
    task.refresh_from_db()
    assert (task.title, task.assignee) == ("Apotheek bellen", lead)
    with pytest.raises(ValidationError) as exc:
        task_update(actor=member, task=task, title="")
    assert exc.value.message_dict == {"title": ["Geef de taak een titel."]}
    task_complete(actor=lead, task=task)
    with pytest.raises(ValidationError):
        task_delete(actor=member, task=task)
    fresh = _task(member, team, title="Vergissing")
    task_delete(actor=member, task=fresh)
    assert list(Task.objects.values_list("title", flat=True)) == ["Apotheek bellen"]


# --- system tasks from the reminder jobs ---------------------------------------------------


def _reminder(users, client, key, *, kind=NotificationKind.REMINDER):
    return notification_create(
        recipients=users,
        kind=kind,
        title=f"I.ROC van {client.full_name} invullen",
        url=f"/clienten/{client.pk}/herstelplan/iroc/",
        dedupe_key=key,
        due_on=dt.date(2026, 3, 20),
        client_id=client.pk,
    )


def test_reminders_become_tasks_once_without_the_client_name(member, lead, team, client_a):
    _reminder([member, lead], client_a, f"herstelplan:iroc-due:{client_a.pk}:2026-03-20")
    _reminder([member], client_a, "wmo-expiry:77", kind=NotificationKind.TASK)
    notification_create(recipients=[member], title="Bericht", client_id=client_a.pk)
    assert system_tasks_sync(today=TODAY) == 3
    assert system_tasks_sync(today=TODAY) == 0  # the daily job runs again: nothing new
    rows = sorted(
        Task.objects.values_list("assignee__username", "title", "source", "due_on", "url", "team")
    )
    url = f"/clienten/{client_a.pk}/herstelplan/iroc/"
    assert rows == [
        ("leider", "I.ROC invullen", TaskSource.SYSTEM, dt.date(2026, 3, 20), url, team.pk),
        ("lid", "I.ROC invullen", TaskSource.SYSTEM, dt.date(2026, 3, 20), url, team.pk),
        (
            "lid",
            "Vervolgindicatie Wmo aanvragen",
            TaskSource.SYSTEM,
            dt.date(2026, 3, 20),
            url,
            team.pk,
        ),
    ]
    assert not any("Vlinderbos" in t for t in Task.objects.values_list("title", flat=True))


def test_completing_a_system_task_completes_the_care_team_s_and_closes_the_reminder(
    member, lead, team, client_a
):
    key = f"herstelplan:iroc-due:{client_a.pk}:2026-03-20"
    _reminder([member, lead], client_a, key)
    system_tasks_sync(today=TODAY)
    task_complete(actor=member, task=Task.objects.get(assignee=member))
    assert set(Task.objects.values_list("done_by", flat=True)) == {member.pk}
    assert not Notification.objects.filter(dedupe_key=key, read_at__isnull=True).exists()
    assert system_tasks_sync(today=TODAY) == 0  # a closed reminder makes no new task


def test_the_sync_job_is_a_celery_task(member, team, client_a):
    from caseload.tasks import system_tasks_sync_task

    _reminder([member], client_a, "herstelplan:naaste-zag:5:2026-03-20")
    assert system_tasks_sync_task("2026-03-16") == 1
    assert Task.objects.get().title == "Jaarlijks gesprek met naaste voeren"


def test_outflow_closes_the_client_s_open_system_tasks(member, team, client_a):
    from caseload.services import client_outflow

    _reminder([member], client_a, f"herstelplan:iroc-due:{client_a.pk}:2026-03-20")
    system_tasks_sync(today=TODAY)
    own = _task(member, team, client=client_a, title="Afscheid nemen")
    client_outflow(actor=member, client=client_a, on=TODAY, reason="doelen_bereikt")
    assert Task.objects.get(source=TaskSource.SYSTEM).done_by == member
    own.refresh_from_db()
    assert own.done_at is None  # a person's own task stays theirs to close


# --- pages ---------------------------------------------------------------------------------


def test_my_tasks_filters_open_overdue_done_and_shows_a_badge(login, member, team, client_a):
    _task(member, team, title="Te laat ding", due_on=dt.date(2026, 3, 10))
    _task(member, team, title="Later ding", due_on=dt.date(2026, 3, 30), client=client_a)
    done = _task(member, team, title="Klaar ding")
    task_complete(actor=member, task=done)
    http = login(member)
    url = reverse("caseload:task-list")
    page = http.get(url).content.decode()
    assert "Te laat ding" in page and "Later ding" in page and "Klaar ding" not in page
    assert "Vlinderbos" in page and "te laat" in page
    # the count beside "Mijn taken" in the main menu
    assert 'aria-label="2 open">2</span>' in page
    overdue = http.get(url, {"status": "te_laat"}).content.decode()
    assert "Te laat ding" in overdue and "Later ding" not in overdue
    finished = http.get(url, {"status": "afgerond"}).content.decode()
    assert "Klaar ding" in finished and "Later ding" not in finished
    assert AuditEvent.objects.filter(user=member, event_type="search", detail="mijn taken").exists()


def test_the_lead_sees_the_team_s_tasks_a_member_may_not(login, member, lead, team):
    _task(member, team, title="Taak van het lid")
    http = login(lead)
    page = http.get(reverse("caseload:task-list"), {"team": team.pk}).content.decode()
    assert "Taak van het lid" in page
    assert login(member).get(reverse("caseload:task-list"), {"team": team.pk}).status_code == 404


def test_completing_from_the_list(login, member, team):
    task = _task(member, team)
    response = login(member).post(
        reverse("caseload:task-complete", kwargs={"task_id": task.pk}),
        {"next": reverse("caseload:task-list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("caseload:task-list")
    task.refresh_from_db()
    assert task.done_by == member


def test_someone_else_s_task_is_not_found(login, member, team, outsider):
    task = _task(member, team)
    response = login(outsider).post(reverse("caseload:task-complete", kwargs={"task_id": task.pk}))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_create_page_from_the_client_file(login, member, lead, team, client_a):
    http = login(member)
    file_page = http.get(reverse("caseload:client-file", kwargs={"client_id": client_a.pk}))
    create_url = reverse("caseload:task-create")
    assert f"{create_url}?client={client_a.pk}" in file_page.content.decode()
    form = http.get(create_url, {"client": client_a.pk})
    assert form.context["form"].initial["client"] == client_a.pk
    response = http.post(
        create_url,
        {
            "team": team.pk,
            "assignee": lead.pk,
            "client": client_a.pk,
            "title": "Medicatie nalopen",
            "due_on": "2026-03-18",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "caseload:client-file", kwargs={"client_id": client_a.pk}
    )
    page = http.get(response["Location"]).content.decode()
    assert "Medicatie nalopen" in page and "Open taken" in page


def test_create_page_bad_input_is_a_400_with_dutch_errors(login, member, team):
    response = login(member).post(
        reverse("caseload:task-create"),
        {"team": team.pk, "assignee": "", "title": "", "due_on": "gisteren"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["Geef de taak een titel."],
        "assignee": ["Kies een medewerker van het team."],
        "due_on": ["Vul een datum in."],
    }
    assert not Task.objects.exists()


# --- API -----------------------------------------------------------------------------------


def test_api_crud(login, member, lead, team, client_a):
    http = login(member)
    url = reverse("api:caseload-task-list")
    created = http.post(
        url,
        {"team": team.pk, "assignee": member.pk, "title": "Via API", "client": client_a.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["title"], body["client"], body["source"]) == ("Via API", client_a.pk, "gebruiker")
    detail = reverse("api:caseload-task-detail", kwargs={"task_id": body["id"]})
    assert http.get(url).json()[0]["id"] == body["id"]
    changed = http.patch(detail, {"due_on": "2026-03-25"}, content_type="application/json")
    assert changed.json()["due_on"] == "2026-03-25"
    done = http.post(reverse("api:caseload-task-complete", kwargs={"task_id": body["id"]}))
    assert done.json()["done_by"] == member.pk
    assert http.get(url, {"status": "afgerond"}).json()[0]["id"] == body["id"]
    other = http.post(
        url, {"team": team.pk, "assignee": lead.pk, "title": "Weg"}, content_type="application/json"
    ).json()
    gone = http.delete(reverse("api:caseload-task-detail", kwargs={"task_id": other["id"]}))
    assert gone.status_code == 204
    assert list(Task.objects.values_list("title", flat=True)) == ["Via API"]


def test_api_bad_input_is_a_400_with_dutch_field_errors(login, member, team, outsider):
    http = login(member)
    url = reverse("api:caseload-task-list")
    response = http.post(
        url,
        {"team": team.pk, "assignee": outsider.pk, "title": "", "due_on": "morgen"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "title": ["Geef de taak een titel."],
        "due_on": ["Vul een datum in als JJJJ-MM-DD."],
    }
    response = http.post(
        url,
        {"team": team.pk, "assignee": outsider.pk, "title": "Iets"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"assignee": ["Kies een medewerker van het team."]}
    assert http.get(url, {"status": "misschien"}).status_code == 400
    task = _task(member, team)
    bad = http.patch(
        reverse("api:caseload-task-detail", kwargs={"task_id": task.pk}),
        {"title": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json() == {"title": ["Geef de taak een titel."]}
    assert Task.objects.count() == 1


def test_api_someone_else_s_task_is_404(login, member, team, outsider):
    task = _task(member, team)
    http = login(outsider)
    assert (
        http.get(reverse("api:caseload-task-detail", kwargs={"task_id": task.pk})).status_code
        == 404
    )
    assert (
        http.post(reverse("api:caseload-task-complete", kwargs={"task_id": task.pk})).status_code
        == 404
    )
    assert Task.objects.get().done_at is None


def test_the_mdo_link_only_for_those_who_hold_mdos(login, member, secretary):
    mdo = reverse("caseload:mdo-list")
    assert mdo in login(member).get(reverse("caseload:task-list")).content.decode()
    assert mdo not in login(secretary).get(reverse("caseload:task-list")).content.decode()
