"""Notification e-mail: the choice per user (off / direct / daily), sent by Celery tasks after
the commit and by beat, never twice, and never with a client's name, BSN or note: checked
over every notification kind and every place in the product that notifies about a client."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from olteams.constants import NotificationKind, TeamRole
from olteams.models import Notification, NotificationEmailPreference
from olteams.services import (
    membership_changed,
    notification_create,
    notification_email_mode_set,
)
from olteams.tasks import notification_email_digest_task, notification_email_direct_task
from tests.factories.olteams import MembershipFactory
from tests.factories.wmo import wmo_consent
from tests.wmo.conftest import goals, product, request_data, wmo_client  # noqa: F401

Mode = NotificationEmailPreference.Mode
AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=AMS)


@pytest.fixture
def eager_send(monkeypatch):
    """The broker runs the task at once (the on-commit hook hands it over)."""
    sent = []

    def send(task, args):
        sent.append(task.name)
        task(*args)
        return True

    monkeypatch.setattr("olteams.outbox.send", send)
    return sent


# --- the settings page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_settings_page_is_in_the_user_menu_and_saves_the_choice(login, member):
    http = login(member)
    url = reverse("olteams:email-preference")
    assert url in http.get(reverse("olteams:home")).content.decode()
    page = http.get(url)
    assert page.status_code == 200 and page.context["form"].initial == {"mode": Mode.OFF}
    response = http.post(url, {"mode": "dagelijks"})
    assert response.status_code == 302
    assert NotificationEmailPreference.objects.get(user=member).mode == Mode.DAILY


@pytest.mark.django_db
def test_a_bad_choice_is_a_400_in_dutch_and_saves_nothing(login, member):
    response = login(member).post(reverse("olteams:email-preference"), {"mode": "elk uur"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not NotificationEmailPreference.objects.exists()


# --- sending -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_direct_mail_after_commit_once_with_fixed_words(
    member, lead, eager_send, django_capture_on_commit_callbacks
):
    notification_email_mode_set(user=member, mode=Mode.DIRECT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_create(recipients=[member, lead], title="Iets", client_id=None)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert eager_send == ["olteams.tasks.notification_email_direct_task"]
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Nieuwe melding in Optimaal Leven"
    assert message.body.startswith("Er is 1 nieuwe melding voor u.")
    assert f"{settings.SITE_URL}/meldingen/" in message.body
    # the periodic run mails nothing twice
    assert notification_email_direct_task() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nobody_with_direct_mail_no_task_at_all(
    member, eager_send, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[member], title="Iets")
    assert (eager_send, mail.outbox) == ([], [])


@pytest.mark.django_db
def test_notices_written_in_sql_are_mailed_by_the_periodic_run(member):
    with time_machine.travel(NOW, tick=False):
        notification_email_mode_set(user=member, mode=Mode.DIRECT)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        Notification.objects.create(recipient=member, kind="reminder", title="Uit de sweep")
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        assert notification_email_direct_task() == 1
        assert notification_email_direct_task() == 0


@pytest.mark.django_db
def test_old_notices_are_not_mailed_when_switching_on(member):
    with time_machine.travel(NOW, tick=False):
        notification_create(recipients=[member], title="Van vorige week")
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        notification_email_mode_set(user=member, mode=Mode.DAILY)
        assert notification_email_digest_task() == 0


@pytest.mark.django_db
def test_daily_overview_counts_the_new_unread_notices(member, lead):
    with time_machine.travel(NOW, tick=False):
        notification_email_mode_set(user=member, mode=Mode.DAILY)
        notification_email_mode_set(user=lead, mode=Mode.OFF)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        notification_create(recipients=[member, lead], title="Een")
        notification_create(recipients=[member, lead], title="Twee")
        assert notification_email_direct_task() == 0  # daily users get no direct mail
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert notification_email_digest_task() == 1
        assert notification_email_digest_task() == 0
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Uw dagelijks overzicht van Optimaal Leven"
    assert message.body.startswith("Sinds het vorige overzicht zijn er 2 nieuwe meldingen voor u.")


def test_the_beat_schedule_runs_both_mail_jobs():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "olteams.tasks.notification_email_direct_task",
        "olteams.tasks.notification_email_digest_task",
        "caseload.tasks.system_tasks_sync_task",
    } <= tasks


# --- no client in any e-mail, over every kind and every place that notifies -----------------


def _every_place_notifies(member, lead, consultant, client, request_data):  # noqa: F811
    """Each place in the product that writes notifications about a client (or at all)."""
    from herstelplan.services import plan_reminders_create
    from wmo import services as wmo
    from wmo.constants import DecisionKind

    request = wmo.request_create(actor=member, client=client, data=request_data)
    wmo_consent(client)
    wmo.request_submit(actor=member, request=request)  # task to the consultants
    wmo.deadline_sweep(today=NOW.date() + dt.timedelta(days=14))  # reminder + escalation (SQL)
    wmo.request_decide(  # info to the team
        actor=consultant,
        request=request,
        kind=DecisionKind.GRANTED,
        today=NOW.date(),
        now=NOW,
    )
    wmo.expiry_sweep(today=dt.date(2026, 7, 28))  # task to the casemanager (SQL)
    plan_reminders_create(today=NOW.date())  # plan, goal, I.ROC, naaste reminders
    membership = MembershipFactory(user=lead, team=client.team, role=TeamRole.LEAD)
    membership_changed(actor=lead, membership=membership, event_type="update")
    notification_create(  # a report notice, and the urgent e-mail path
        recipients=[member],
        kind=NotificationKind.REPORT,
        title=f"Rapport over {client.full_name}",
        body=f"BSN {client.bsn}, verslag: somber.",
        client_id=client.pk,
        email=True,
    )


@pytest.mark.django_db
def test_no_e_mail_names_a_client_over_every_kind_and_creator(
    member,
    lead,
    consultant,
    consultant_lead,
    wmo_client,  # noqa: F811
    request_data,  # noqa: F811
    eager_send,
    django_capture_on_commit_callbacks,
):
    from clients.models import Naaste
    from tests.caseload.pages_fixtures import in_care

    wmo_client.first_name, wmo_client.last_name = "Quirina", "Zeldzaamkwartier"
    wmo_client.save()
    in_care(wmo_client, member, on=dt.date(2025, 1, 6))
    Naaste.objects.create(
        client=wmo_client,
        name="Naaste Bijzonderlaan",
        relation="broer",
        role="mantelzorger",
        zag_due_on=NOW.date(),
    )
    users = [member, lead, consultant, consultant_lead]
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        for n, user in enumerate(users):
            notification_email_mode_set(user=user, mode=Mode.DIRECT if n % 2 == 0 else Mode.DAILY)
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _every_place_notifies(member, lead, consultant, wmo_client, request_data)
    notices = Notification.objects.filter(client_id=wmo_client.pk)
    keys = {n.dedupe_key.split(":")[0] for n in notices}
    assert {"herstelplan", "wmo-submitted", "wmo-reminder", "wmo-escalation"} <= keys
    assert {"wmo-decision", "wmo-expiry"} <= keys
    assert set(Notification.objects.values_list("kind", flat=True)) == set(NotificationKind.values)
    assert any("Zeldzaamkwartier" in n.title for n in notices)  # the titles do name the client
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        notification_email_direct_task()
        notification_email_digest_task()
    assert len(mail.outbox) >= 4
    assert {m.to[0] for m in mail.outbox} == {u.email for u in users}
    secrets = ["Zeldzaamkwartier", "Quirina", "Bijzonderlaan", wmo_client.bsn, "somber"]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not [s for s in secrets if s and s in text], text
