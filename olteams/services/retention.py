"""Retention: find what passed its term (the daily job), record it as a pending batch, and
anonymise or destroy it only when a functional administrator confirms (olteams.retention)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams import retention
from olteams.audit import audit_record
from olteams.constants import (
    AuditEventType,
    RetentionBatchKind,
    RetentionBatchStatus,
    RetentionItemStatus,
)
from olteams.models import AuditEvent, RetentionBatch, RetentionItem, User

logger = logging.getLogger(__name__)

_SCAN_LOCK = 7514  # one scan at a time (advisory lock key)


def _items(batch: RetentionBatch, key: str, found: Iterable[retention.Candidate]) -> list:
    kind = retention.kind(key)
    assert kind is not None
    return [
        RetentionItem(
            batch=batch,
            kind=key,
            object_id=c.object_id,
            client_id=c.client_id,
            action=kind.action,
            due_on=c.due_on,
            record_count=c.record_count,
            status=RetentionItemStatus.KEPT if c.kept_reason else RetentionItemStatus.PENDING,
            kept_reason=c.kept_reason[:300],
        )
        for c in found
    ]


def _pending_keys() -> tuple[set[tuple[str, int]], set[str]]:
    rows = RetentionItem.objects.filter(
        batch__status=RetentionBatchStatus.PENDING, status=RetentionItemStatus.PENDING
    ).values_list("kind", "object_id")
    return set(rows), {kind for kind, _id in rows}


@transaction.atomic
def retention_scan(*, today: dt.date) -> RetentionBatch | None:
    """The daily job: record everything past its term that no pending batch holds yet as one
    new pending batch. Removes nothing. Running it twice on a day finds nothing new."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCAN_LOCK])
    pending, pending_kinds = _pending_keys()
    found: dict[str, list[retention.Candidate]] = {}
    for kind in retention.kinds():
        if kind.single_pending and kind.key in pending_kinds:
            continue
        fresh = [
            c for c in kind.expired(today)
            if c.record_count > 0 and (kind.key, c.object_id) not in pending
        ]  # fmt: skip
        if fresh:
            found[kind.key] = fresh
    if not found:
        logger.info("retention scan today=%s found=0", today)
        return None
    batch = RetentionBatch.objects.create(kind=RetentionBatchKind.TERM, found_on=today)
    for key, candidates in found.items():
        RetentionItem.objects.bulk_create(_items(batch, key, candidates))
    logger.info(
        "retention scan today=%s batch_id=%s items=%s",
        today,
        batch.pk,
        sum(len(c) for c in found.values()),
    )
    return batch


@transaction.atomic
def retention_request_batch(
    *,
    client_id: int,
    requested_by: User,
    reason: str,
    today: dt.date,
    privacy_request_id: int | None = None,
) -> RetentionBatch:
    """A client's destruction request (AVG art. 17, Wgbo art. 7:455), granted: one pending
    batch with every kind's records of this client, whatever their term; what the law keeps
    (a municipality's Wmo decisions) is listed as kept with the reason. The same confirmation
    by a functional administrator is needed before anything is removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van het verzoek.")})
    batch = RetentionBatch.objects.create(
        kind=RetentionBatchKind.REQUEST,
        found_on=today,
        requested_by=requested_by,
        request_reason=reason[:500],
        privacy_request_id=privacy_request_id,
    )
    for kind in retention.kinds():
        if kind.for_client is None:
            continue
        found = [c for c in kind.for_client(client_id, today) if c.record_count > 0]
        RetentionItem.objects.bulk_create(_items(batch, kind.key, found))
    return batch


def _still_due(batch: RetentionBatch, kind: retention.RecordKind, items: list, today: dt.date):
    """The batch's items of a kind that are still due today (a client who came back into care
    since the batch was made is skipped): exactly the batch's objects, never more."""
    if batch.kind == RetentionBatchKind.REQUEST:
        client_ids = {item.client_id for item in items}
        current = {
            c.object_id
            for client_id in client_ids
            for c in (kind.for_client(client_id, today) if kind.for_client else ())
            if not c.kept_reason
        }
    else:
        current = {c.object_id for c in kind.expired(today)}
    if kind.single_pending:  # the audit log: up to an event number that may only grow
        limit = max(current, default=None)
        return [i for i in items if limit is not None and i.object_id <= limit]
    return [i for i in items if i.object_id in current]


def _apply(kind: retention.RecordKind, item: RetentionItem) -> int:
    """One item; a record another one still points at (PROTECT) stops the whole batch: the
    error leaves the transaction, so nothing of the batch is removed."""
    try:
        return kind.apply([item.object_id])
    except (ProtectedError, RestrictedError) as exc:
        logger.warning("retention blocked kind=%s item_id=%s", kind.key, item.pk)
        raise ValidationError(
            {
                "batch": _(
                    "%(kind)s van cliëntnummer %(client)s kon niet worden verwijderd: andere "
                    "gegevens verwijzen er nog naar. Er is niets verwijderd."
                )
                % {"kind": kind.label, "client": item.client_id or "—"}
            }
        ) from exc


def _require_functional_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_functional_admin):
        raise PermissionDenied


def _lock_pending(batch_id: int) -> RetentionBatch:
    batch = RetentionBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise ValidationError({"batch": _("Deze batch bestaat niet.")})
    if batch.status != RetentionBatchStatus.PENDING:
        raise ValidationError({"batch": _("Deze batch is al beoordeeld.")})
    return batch


@transaction.atomic
def retention_batch_confirm(
    *, actor: User, batch_id: int, today: dt.date, note: str = "", request: object = None
) -> RetentionBatch:
    """Anonymise or destroy exactly the batch's records, in one transaction, kinds in their
    order (dependent records first). An item no longer due (the client is in care again) is
    skipped. One DELETE audit event per client and one for the batch."""
    _require_functional_admin(actor)
    batch = _lock_pending(batch_id)
    by_kind: dict[str, list[RetentionItem]] = defaultdict(list)
    for item in batch.items.filter(status=RetentionItemStatus.PENDING):
        by_kind[item.kind].append(item)
    touched_clients: set[int] = set()
    for kind in retention.kinds():
        items = by_kind.pop(kind.key, [])
        if not items:
            continue
        due = _still_due(batch, kind, items, today)
        due_ids = {i.pk for i in due}
        for item in items:
            if item.pk in due_ids:
                item.done_count = _apply(kind, item)
                item.status = RetentionItemStatus.DONE
                if item.client_id:
                    touched_clients.add(item.client_id)
            else:
                item.status = RetentionItemStatus.SKIPPED
            item.save(update_fields=["status", "done_count"])
    for leftover in by_kind.values():  # a kind no longer registered: nothing is removed
        for item in leftover:
            item.status = RetentionItemStatus.SKIPPED
            item.save(update_fields=["status"])
    batch.status = RetentionBatchStatus.CONFIRMED
    batch.decided_by = actor
    batch.decided_at = timezone.now()
    batch.decision_note = note.strip()[:500]
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    for client_id in sorted(touched_clients):
        audit_record(
            user=actor,
            event_type=AuditEventType.DELETE,
            request=request,  # type: ignore[arg-type]
            client_id=client_id,
            object_type="olteams.retentionbatch",
            object_id=str(batch.pk),
            detail="bewaartermijn: dossier vernietigd of geanonimiseerd",
        )
    audit_record(
        user=actor,
        event_type=AuditEventType.DELETE,
        request=request,  # type: ignore[arg-type]
        obj=batch,
        detail=f"bewaartermijnbatch bevestigd: {batch.items.filter(status=RetentionItemStatus.DONE).count()} onderdelen",
    )
    return batch


@transaction.atomic
def retention_batch_reject(
    *, actor: User, batch_id: int, note: str, request: object = None
) -> RetentionBatch:
    """Nothing is removed; the next daily run finds what is still past its term again."""
    _require_functional_admin(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Geef aan waarom u deze batch afwijst.")})
    batch = _lock_pending(batch_id)
    batch.status = RetentionBatchStatus.REJECTED
    batch.decided_by = actor
    batch.decided_at = timezone.now()
    batch.decision_note = note[:500]
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        user=actor,
        event_type=AuditEventType.UPDATE,
        request=request,  # type: ignore[arg-type]
        obj=batch,
        detail="bewaartermijnbatch afgewezen",
    )
    return batch


# --- the audit log's own kind ------------------------------------------------------------


def audit_retention_years() -> int:
    """NEN 7513: at least 5 years, whatever the setting says."""
    years = int(getattr(settings, "RETENTION_AUDIT_YEARS", retention.AUDIT_MINIMUM_YEARS))
    return max(years, retention.AUDIT_MINIMUM_YEARS)


def _audit_expired(today: dt.date) -> list[retention.Candidate]:
    """The oldest events up to the last one written before ``today`` minus the term (whole
    days: an event of 4 Dec 2026 is first found on 5 Dec 2031). Never the newest event."""
    years = audit_retention_years()
    cutoff_day = retention.years_before(today, years)
    cutoff = timezone.make_aware(dt.datetime.combine(cutoff_day, dt.time.min))
    events = AuditEvent.objects.filter(seq__isnull=False)
    newest = events.order_by("-seq").values_list("seq", flat=True).first()
    if newest is None:
        return []
    first_kept = (
        events.filter(occurred_at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
    )
    upto = min(newest - 1, (first_kept or newest + 1) - 1)
    old = events.filter(seq__lte=upto)
    oldest = old.order_by("seq").values_list("occurred_at", flat=True).first()
    count = old.count()
    if not count or oldest is None:
        return []
    oldest_day = timezone.localtime(oldest).date()
    due = retention.years_after(oldest_day, years) + dt.timedelta(days=1)
    return [retention.Candidate(object_id=upto, record_count=count, due_on=due)]


def _audit_purge(upto: list[int]) -> int:
    """Remove the events up to the number (olteams_audit_purge, the owner's function: a
    prefix of the chain only, never the newest, leaving the anchor)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT olteams_audit_purge(%s, NULL)", [max(upto)])
        return int(cursor.fetchone()[0])


def register_audit_kind() -> None:
    from django.utils.translation import gettext_lazy

    from olteams.constants import RetentionAction

    retention.register_kind(
        retention.RecordKind(
            key="olteams.audit",
            label=gettext_lazy("Auditlog (NEN 7513)"),
            rule=gettext_lazy(
                "Gebeurtenissen ouder dan de bewaartermijn van het auditlog (NEN 7513: ten "
                "minste 5 jaar); de keten blijft controleerbaar vanaf een ankerpunt."
            ),
            action=RetentionAction.DESTROY,
            order=100,
            expired=_audit_expired,
            apply=_audit_purge,
            single_pending=True,
        )
    )
