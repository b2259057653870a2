"""Notifications: dedupe (also under a race), e-mail after commit, marking read."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, connections, transaction

from olteams.constants import NotificationKind
from olteams.models import Notification
from olteams.services import notification_create, notification_mark_read
from tests.factories.olteams import UserFactory


@pytest.mark.django_db
def test_notification_create_without_key_creates_one_per_distinct_recipient(member, lead):
    created = notification_create(
        recipients=[member, lead, member],
        title="Teamoverleg",
        kind=NotificationKind.INFO,
        body="Donderdag",
        url="/x/",
    )
    assert created == 2
    assert sorted(Notification.objects.values_list("recipient__username", "title", "body")) == [
        ("leider", "Teamoverleg", "Donderdag"),
        ("lid", "Teamoverleg", "Donderdag"),
    ]


@pytest.mark.django_db
def test_calling_twice_with_a_dedupe_key_creates_once(member, lead):
    assert notification_create(recipients=[member], title="Termijn", dedupe_key="wmo:1:d10") == 1
    assert (
        notification_create(recipients=[member, lead], title="Termijn", dedupe_key="wmo:1:d10") == 1
    )
    assert (
        notification_create(recipients=[member, lead], title="Termijn", dedupe_key="wmo:1:d10") == 0
    )
    assert Notification.objects.filter(dedupe_key="wmo:1:d10").count() == 2


@pytest.mark.django_db
def test_the_same_key_for_another_recipient_or_an_empty_key_is_not_a_duplicate(member):
    notification_create(recipients=[member], title="A", dedupe_key="k")
    notification_create(recipients=[member], title="B")
    notification_create(recipients=[member], title="C")
    assert Notification.objects.filter(recipient=member).count() == 3


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_key_for_one_recipient(member):
    Notification.objects.create(recipient=member, kind="info", title="A", dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=member, kind="info", title="B", dedupe_key="k")


def _backend_waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_create_and_mail_once(member):
    """Run A inserts and holds its transaction open; run B's insert then waits on the unique
    index. When A commits, B must see the row as existing and report nothing created."""
    results: dict[str, int] = {}
    a_inserted, a_may_commit = threading.Event(), threading.Event()

    def run(name: str) -> None:
        try:
            with transaction.atomic():
                results[name] = notification_create(
                    recipients=[member], title="Race", dedupe_key="race", email=True
                )
                if name == "a":
                    a_inserted.set()
                    assert a_may_commit.wait(10)
        finally:
            connections.close_all()

    thread_a = threading.Thread(target=run, args=("a",))
    thread_a.start()
    assert a_inserted.wait(10)
    thread_b = threading.Thread(target=run, args=("b",))
    thread_b.start()
    for _ in range(500):  # wait until B is blocked on A's uncommitted row
        if _backend_waiting_on_a_lock():
            break
        threading.Event().wait(0.01)
    else:
        pytest.fail("run B never waited on run A's insert")
    a_may_commit.set()
    thread_a.join(10)
    thread_b.join(10)
    assert results == {"a": 1, "b": 0}
    assert Notification.objects.filter(dedupe_key="race").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_urgent_email_is_sent_after_commit_to_recipients_with_an_address(
    member, lead, django_capture_on_commit_callbacks
):
    lead.email = ""
    lead.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_create(
            recipients=[member, lead],
            title="Nieuwe aanmelding",
            body="Er is een aanmelding voor uw team.",
            url="/clienten/",
            dedupe_key="ref:1",
            email=True,
        )
    assert len(mail.outbox) == 0  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    # Fixed words only: the title and body may name a client, the e-mail never does.
    assert message.subject == "Dringende melding in Optimaal Leven"
    assert message.to == ["lid@example.invalid"]
    assert message.body == (
        "Er is een dringende melding voor u.\n\n"
        "Bekijk ze na het aanmelden op: http://localhost:8000/meldingen/"
    )


@pytest.mark.django_db
def test_a_deduplicated_repeat_sends_no_mail(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[member], title="Termijn", dedupe_key="t", email=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_create(recipients=[member], title="Termijn", dedupe_key="t", email=True)
    assert (len(mail.outbox), callbacks) == (1, [])


@pytest.mark.django_db
def test_mail_goes_only_to_recipients_whose_notification_is_new(
    member, lead, django_capture_on_commit_callbacks
):
    notification_create(recipients=[member], title="Termijn", dedupe_key="t")
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipients=[member, lead], title="Termijn", dedupe_key="t", email=True)
    assert [m.to for m in mail.outbox] == [["leider@example.invalid"]]


@pytest.mark.django_db
def test_without_email_flag_no_mail(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_create(recipients=[member], title="Alleen in de app")
    assert (callbacks, mail.outbox) == ([], [])


@pytest.mark.django_db
def test_mark_read_touches_only_the_users_own_unread_notifications(member, lead):
    notification_create(recipients=[member, lead], title="Samen", dedupe_key="s")
    notification_create(recipients=[member], title="Tweede", dedupe_key="t")
    own = list(Notification.objects.filter(recipient=member).order_by("id"))
    theirs = Notification.objects.get(recipient=lead)
    assert notification_mark_read(user=member, notification_ids=[own[0].pk, theirs.pk]) == 1
    assert notification_mark_read(user=member, notification_ids=[own[0].pk]) == 0  # already read
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert notification_mark_read(user=member) == 1
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_mark_read_of_someone_else_marks_nothing(member):
    stranger = UserFactory()
    notification_create(recipients=[member], title="Privé")
    assert notification_mark_read(user=stranger) == 0
    assert Notification.objects.get().read_at is None
