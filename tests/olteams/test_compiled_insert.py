"""``olteams.compiled.insert_new`` writes what ``Model.save()`` writes: the same row, the same
signals, the same returned fields, the same errors; one prepared statement."""

from __future__ import annotations

import uuid

import pytest
from django.db import DataError, connection, transaction
from django.db.models import Value
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from olteams.compiled import insert_new
from olteams.models import AuditEvent

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it, and
# a flush without it recreates the content types under new ids, which the next serialized
# test then cannot restore).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The columns the database fills (the id, the moment, the hash chain) differ per row.
DATABASE_FILLED = {"id", "occurred_at", "seq", "prev_hash", "hash"}


def _values(actor, team, org, /, **changes):
    values = {
        "action": "R",
        "event_type": "read",
        "outcome": "success",
        "user": actor,
        "username": actor.username,
        "responsible_user": actor,
        "role": "behandelaar",
        "team": team,
        "ip_address": "192.0.2.7",
        "client_id": 12,
        "object_type": "clients.client",
        "object_id": "12",
        "grounds": "behandelrelatie",
        "request_id": uuid.uuid4(),
        "path": "/clienten/12/",
        "detail": "",
        "organisation": org,
        "client_ids": [3, 2**40, 1],
    }
    return values | changes


def _row(pk):
    return {
        k: v
        for k, v in AuditEvent.objects.filter(pk=pk).values().get().items()
        if k not in DATABASE_FILLED
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"client_ids": None, "ip_address": None, "team": None, "organisation": None},
        {"ip_address": "2001:db8::1", "client_ids": []},
        {"user": None, "responsible_user": None, "username": "anoniem"},
    ],
)
def test_the_row_is_the_orms_row(member, team, org_ggz, changes):
    values = _values(member, team, org_ggz, **changes)
    by_orm = AuditEvent.objects.create(**values)
    event = AuditEvent(**values)
    insert_new(event)

    assert event.pk and event.pk != by_orm.pk
    assert _row(event.pk) == _row(by_orm.pk)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert event.occurred_at == stored.occurred_at  # returned, as the ORM returns it
    assert stored.seq is not None and stored.hash  # the chain trigger ran
    assert not event._state.adding and event._state.db == "default"


def test_one_prepared_statement(member, team, org_ggz):
    event = AuditEvent(**_values(member, team, org_ggz))
    with CaptureQueriesContext(connection) as queries:
        insert_new(event)
    assert len(queries) == 1 and 'INSERT INTO "olteams_auditevent"' in queries[0]["sql"]


def test_the_signals_run_as_for_save(member, team, org_ggz):
    seen = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.pk, kwargs["raw"], kwargs["using"]))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created, kwargs["using"]))

    pre_save.connect(before, sender=AuditEvent)
    post_save.connect(after, sender=AuditEvent)
    try:
        # The project's own pre_save cleans control characters out of audit text.
        event = AuditEvent(**_values(member, team, org_ggz, path="/clienten/\x0112/"))
        insert_new(event)
    finally:
        pre_save.disconnect(before, sender=AuditEvent)
        post_save.disconnect(after, sender=AuditEvent)
    assert seen == [("pre", None, False, "default"), ("post", event.pk, True, "default")]
    assert AuditEvent.objects.get(pk=event.pk).path == "/clienten/12/"


def test_an_expression_or_a_set_id_is_saved_by_the_orm(member, team, org_ggz):
    event = AuditEvent(**_values(member, team, org_ggz, detail=Value("berekend")))
    insert_new(event)
    assert AuditEvent.objects.get(pk=event.pk).detail == "berekend"

    pk = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    insert_new(AuditEvent(pk=pk, **_values(member, team, org_ggz)))
    assert AuditEvent.objects.filter(pk=pk).exists()


def test_an_error_is_djangos_and_rolls_the_block_back(member, team, org_ggz):
    before = AuditEvent.objects.count()
    with pytest.raises(DataError), transaction.atomic():
        insert_new(AuditEvent(**_values(member, team, org_ggz)))
        insert_new(AuditEvent(**_values(member, team, org_ggz, username="x" * 151)))
    assert AuditEvent.objects.count() == before
