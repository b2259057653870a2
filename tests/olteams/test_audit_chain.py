"""The tamper-evident audit log: the runtime role cannot wipe, edit or back-date events, every
event is chained to the previous one, and ``audit_verify`` names the first broken link."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.utils import timezone

from olteams.audit import audit_chain_verify, audit_record
from olteams.constants import AuditEventType, NotificationKind
from olteams.db import owner_credentials, runtime_role
from olteams.models import AuditEvent, Notification
from olteams.tasks import audit_verify_task
from tests.factories.olteams import UserFactory


def _as_runtime(sql: str) -> str:
    with pytest.raises(ProgrammingError) as excinfo, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(excinfo.value)


@pytest.mark.django_db
def test_the_tests_run_as_the_runtime_role_which_owns_no_table():
    assert runtime_role() == "olteams_app"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, tableowner FROM pg_tables WHERE tablename = %s", [
            "olteams_auditevent"
        ])  # fmt: skip
        assert cursor.fetchone() == ("olteams_app", "olteams_owner")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("TRUNCATE olteams_auditevent", "permission denied for table olteams_auditevent"),
        ("UPDATE olteams_auditevent SET detail = 'x'", "permission denied for table"),
        ("DELETE FROM olteams_auditevent", "permission denied for table olteams_auditevent"),
        (
            "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_chain",
            "must be owner of table olteams_auditevent",
        ),
        ("DROP TABLE olteams_auditevent", "must be owner of table olteams_auditevent"),
    ],
    ids=["truncate", "update", "delete", "disable-trigger", "drop"],
)
def test_the_runtime_role_cannot_wipe_edit_or_unprotect_the_audit_log(member, sql, message):
    event = audit_record(user=member, event_type=AuditEventType.READ, client_id=42)
    assert message in _as_runtime(sql)
    assert AuditEvent.objects.filter(pk=event.pk, client_id=42, detail="").exists()


@pytest.mark.django_db
def test_the_event_time_comes_from_the_database_a_back_dated_insert_is_not_kept(member):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO olteams_auditevent (occurred_at, action, event_type, outcome, username,"
            " role, object_type, object_id, grounds, request_id, path, detail, seq, prev_hash,"
            " hash) VALUES ('2001-01-01 00:00+00', 'R', 'lezen', 'geslaagd', 'vervalser', '',"
            " '', '', '', gen_random_uuid(), '', '', 1, 'vals', 'vals') RETURNING id"
        )
        event_id = cursor.fetchone()[0]
    event = AuditEvent.objects.get(pk=event_id)
    assert abs(event.occurred_at - timezone.now()) < dt.timedelta(minutes=1)
    assert (event.prev_hash, event.hash) != ("vals", "vals") and len(event.hash) == 64
    # the ORM's value is ignored as well
    created = AuditEvent.objects.create(
        occurred_at=dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
        action="R",
        event_type=AuditEventType.READ,
        username="vervalser",
    )
    created.refresh_from_db()
    assert created.occurred_at.year == timezone.now().year


@pytest.mark.django_db
def test_each_event_links_to_the_previous_one_and_the_chain_verifies(member):
    first = audit_record(user=member, event_type=AuditEventType.READ, client_id=1)
    second = audit_record(user=member, event_type=AuditEventType.UPDATE, client_id=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash and len(second.hash) == 64
    total, broken = audit_chain_verify()
    assert broken is None and total == AuditEvent.objects.count()


def _owner_sql(*statements: str) -> None:
    """What someone with the owner's password could do: outside the app's reach."""
    owner = owner_credentials()
    assert owner is not None
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        dbname=params["dbname"],
        user=owner["USER"],
        password=owner["PASSWORD"],
        autocommit=True,
    ) as owner_connection:
        for statement in statements:
            owner_connection.execute(statement)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_verify_finds_an_edited_row_and_the_nightly_job_alerts_the_administrators(
    member, capsys
):
    admin = UserFactory(username="fb", is_functional_admin=True)
    events = [audit_record(user=member, event_type=AuditEventType.READ, client_id=n) for n in (1, 2, 3)]  # fmt: skip
    call_command("audit_verify")
    assert "Auditlog intact: 3 gebeurtenissen" in capsys.readouterr().out
    assert audit_verify_task() is True

    middle = AuditEvent.objects.get(pk=events[1].pk)
    _owner_sql(
        "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_no_update_delete",
        f"UPDATE olteams_auditevent SET client_id = 99 WHERE id = {middle.pk}",
        "ALTER TABLE olteams_auditevent ENABLE TRIGGER olteams_auditevent_no_update_delete",
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert str(excinfo.value) == (
        f"Auditlog gebroken bij gebeurtenis nummer {middle.seq} (id {middle.pk}): de inhoud is "
        "gewijzigd (hash klopt niet). 3 gebeurtenissen gecontroleerd."
    )
    assert audit_verify_task() is False
    assert audit_verify_task() is False  # once per break, not every night again
    alerts = Notification.objects.filter(recipient=admin)
    assert [(n.kind, n.title) for n in alerts] == [
        (NotificationKind.ESCALATION, f"Auditlog gebroken bij gebeurtenis nummer {middle.seq}")
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_verify_finds_a_deleted_row(member):
    events = [audit_record(user=member, event_type=AuditEventType.READ, client_id=n) for n in (1, 2, 3)]  # fmt: skip
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    _owner_sql(
        "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_no_update_delete",
        f"DELETE FROM olteams_auditevent WHERE id = {events[1].pk}",
        "ALTER TABLE olteams_auditevent ENABLE TRIGGER olteams_auditevent_no_update_delete",
    )
    total, broken = audit_chain_verify()
    assert total == 2 and broken is not None
    assert (broken.seq, broken.event_id) == (seqs[2], events[2].pk)
    assert broken.reason == f"gebeurtenis(sen) vóór nummer {seqs[2]} ontbreken"
