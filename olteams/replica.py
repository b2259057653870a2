"""Reads on a streaming replica, narrowly: only the blocks that ask for it, only their models.

``DATABASES["replica"]`` exists when ``DATABASE_REPLICA_URL`` is set (a PostgreSQL hot
standby of the primary, the runtime role's credentials). Nothing goes there by default:
``ReplicaRouter`` sends every write and every read to ``default`` (the primary) unless the
read runs inside ``replica_reads(models=...)`` / ``on_replica`` and its model is one of those
named, or a queryset says ``.using(read_alias(...))``. So the access policy, sessions, users
and teams are always read on the primary and every write (audit events included) goes
there; a selector chooses which of its reads may be seconds old (the stored steering
figures, the accounts a report renders, the audit-log export).

Where a block reads is decided once, on entry (``read_alias``), with guards:
- no replica configured → primary;
- the user wrote something in the last ``REPLICA_PIN_SECONDS`` (``replica_pin``, set by
  ``ReplicaPinMiddleware`` on every POST/PUT/PATCH/DELETE) → primary, so a page after a
  change shows the change;
- ``caught_up=True`` (a worker rendering what the task before it just wrote) → the replica
  only when it has replayed everything the primary had written on entry (it waits up to
  ``REPLICA_CATCH_UP_SECONDS`` for that);
- the replica unreachable, not in recovery, not streaming, or behind by more than
  ``REPLICA_MAX_LAG_SECONDS`` → primary, with a warning; after a failure the replica is not
  tried again for ``REPLICA_RETRY_SECONDS`` in this process.
``on_replica`` also runs a block again on the primary when the replica fails during it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS

# (alias, models) of the innermost replica_reads block of this thread or task.
_block: ContextVar[tuple[str, frozenset[str]] | None] = ContextVar("replica_block", default=None)
_down_until = 0.0  # monotonic time before which this process does not try the replica again

# In recovery; streaming (a WAL receiver runs: its pid is visible to any role); the lag in
# seconds: 0 when all received WAL is replayed, else the age of the last replayed commit.
_LAG_SQL = (
    "SELECT pg_is_in_recovery(), EXISTS (SELECT 1 FROM pg_stat_wal_receiver),"
    " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


class ReplicaRouter:
    """Everything on the primary, except reads of the named models inside a replica block."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        block = _block.get()
        if block is not None and _label(model) in block[1]:
            return block[0]
        return PRIMARY  # also for objects loaded from the replica: their relations too

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two servers

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # a hot standby is read-only; it follows the primary's schema


# --- the read-after-write pin ---------------------------------------------------------------


def _pin_key(user_id: Any) -> str:
    return f"replica-pin:{user_id}"


def replica_pin(user: Any) -> None:
    """The user just wrote: their replica reads go to the primary for REPLICA_PIN_SECONDS."""
    if replica_configured() and getattr(user, "is_authenticated", False):
        cache.set(_pin_key(user.pk), time.time(), timeout=settings.REPLICA_PIN_SECONDS)


def replica_pinned(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    wrote = cache.get(_pin_key(user.pk))
    return wrote is not None and time.time() - float(wrote) < settings.REPLICA_PIN_SECONDS


class ReplicaPinMiddleware:
    """Pins the user to the primary after every request that may have written."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in self.UNSAFE:
            replica_pin(getattr(request, "user", None))
        return response


# --- choosing where a block reads -----------------------------------------------------------


def _fall_back(reason: str, **context: Any) -> str:
    extra = " ".join(f"{k}={v}" for k, v in context.items())
    logger.warning("replica not used, reading the primary reason=%s %s", reason, extra)
    return PRIMARY


def _mark_down(error: BaseException) -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    with suppress(DatabaseError):  # the connection is gone already
        connections[REPLICA].close()
    logger.warning("replica unreachable error=%s", type(error).__name__)


def _primary_lsn() -> str:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return str(cursor.fetchone()[0])


def _replayed(cursor: Any, target: str) -> bool:
    """Wait up to REPLICA_CATCH_UP_SECONDS for the standby to replay the primary's WAL up to
    ``target``: streaming on a healthy pair takes milliseconds."""
    deadline = time.monotonic() + settings.REPLICA_CATCH_UP_SECONDS
    while True:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
        if cursor.fetchone()[0]:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def read_alias(*, user: Any = None, caught_up: bool = False) -> str:
    """Where a read that tolerates lag should go now: ``"replica"`` or ``"default"``.
    ``caught_up``: only a replica that has replayed all the primary wrote before this call."""
    if not replica_configured():
        return PRIMARY
    if user is not None and replica_pinned(user):
        return PRIMARY  # read-after-write: this user's last change may not be there yet
    if time.monotonic() < _down_until:
        return PRIMARY
    try:
        target = _primary_lsn() if caught_up else None
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            recovering, streaming, lag = cursor.fetchone()
            if not recovering:
                return _fall_back("not-a-standby")
            if not streaming:  # cut off from the primary: how stale it is cannot be told
                return _fall_back("not-streaming")
            if float(lag) > settings.REPLICA_MAX_LAG_SECONDS:
                return _fall_back("lag", seconds=f"{float(lag):.1f}")
            if target is not None and not _replayed(cursor, target):
                return _fall_back("behind", lsn=target)
    except (OperationalError, InterfaceError) as exc:
        _mark_down(exc)
        return PRIMARY
    return REPLICA


@contextmanager
def _routed(alias: str, models: Iterable[type[Model]]) -> Iterator[str]:
    token = _block.set((alias, frozenset(_label(m) for m in models)))
    try:
        yield alias
    finally:
        _block.reset(token)


@contextmanager
def replica_reads(
    *, models: Iterable[type[Model]], user: Any = None, caught_up: bool = False
) -> Iterator[str]:
    """Reads of ``models`` inside the block go to the replica when ``read_alias`` allows it;
    yields the alias chosen. Every other read and every write stays on the primary."""
    with _routed(read_alias(user=user, caught_up=caught_up), models) as alias:
        yield alias


def on_replica[T](
    read: Callable[[], T],
    *,
    models: Iterable[type[Model]],
    user: Any = None,
    caught_up: bool = False,
) -> T:
    """``read()`` inside ``replica_reads``; when the replica fails during it, once more on
    the primary (a read is safe to repeat), so the page keeps working."""
    models = tuple(models)
    with replica_reads(models=models, user=user, caught_up=caught_up) as alias:
        if alias == PRIMARY:
            return read()
        try:
            return read()
        except (OperationalError, InterfaceError) as exc:
            _mark_down(exc)
    with _routed(PRIMARY, models):
        return read()
