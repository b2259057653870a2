"""Values read once per request and shared by the parts of one page.

A client page asks the same things in several places: the access policy (the client, the
frame's tabs, the edit links, the note categories, the navigation's roles) and the facts the
frame header and the page both show (episodes, care team, crises, Wmo requests). Inside
``request_cache()``, opened by ``olteams.middleware.RequestCacheMiddleware`` around every
GET and HEAD request (a read changes none of these), ``memo`` reads each value once;
outside it ``memo`` reads afresh every time, so services, tasks and tests that change data
always see the change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Model
from django.db.models.expressions import RawSQL
from django.utils import timezone

_CACHE: ContextVar[dict[Hashable, Any] | None] = ContextVar("olteams_request_cache", default=None)


@contextlib.contextmanager
def request_cache() -> Iterator[None]:
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def active() -> bool:
    return _CACHE.get() is not None


def memo[T](key: Hashable, read: Callable[[], T]) -> T:
    """``read()`` once per request for ``key``; every call when no request cache is open."""
    cache = _CACHE.get()
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return cache[key]


def today() -> dt.date:
    """``timezone.localdate()``, once per request: every part of a page asks for the same
    day (and a page that spans midnight keeps the day it began with)."""
    return memo(_TODAY, timezone.localdate)


_TODAY = "olteams.today"


def remember(key: Hashable, read: Callable[[], Any]) -> None:
    """Keep ``read()`` as the request's value for ``key``, read along with something else
    (nothing is kept, and ``read`` is not called, when no request cache is open)."""
    cache = _CACHE.get()
    if cache is not None:
        cache[key] = read()


def recall(key: Hashable) -> Any:
    """The request's value for ``key`` if one was read or remembered, else None (and None
    when no request cache is open)."""
    cache = _CACHE.get()
    return None if cache is None else cache.get(key)


def known_absent(obj: Any, kind: str) -> bool:
    """Whether ``obj`` was read with ``has_<kind>=Exists(...)`` annotated and has none of
    that kind: the page then skips the query for those rows (one EXISTS in the row's own
    query instead of one query per empty kind)."""
    return getattr(obj, f"has_{kind}", None) is False


def client_presence(model: type[Model], where: str = "", params: Sequence[Any] = ()) -> RawSQL:
    """``has_<kind>`` for a client's own query (``Client.objects…annotate(has_x=…)``): whether
    any ``model`` row has ``client_id`` = the client, and ``where`` (SQL over the row's
    columns, ``%s`` for ``params``) holds. Written as SQL: a page annotates a dozen kinds,
    and composing a dozen ``Exists`` subqueries with the ORM cost ~3.5 ms per request,
    running them a fraction of that (issue 15). Only for the client table's own query."""
    table = connection.ops.quote_name(model._meta.db_table)
    client = connection.ops.quote_name(_client_table())
    condition = f" AND ({where})" if where else ""
    return RawSQL(  # noqa: S611 - table names only; values are parameters
        f"EXISTS (SELECT 1 FROM {table} p WHERE p.client_id = {client}.id{condition})",  # noqa: S608
        tuple(params),
        output_field=BooleanField(),
    )


def _client_table() -> str:
    from django.apps import apps

    return apps.get_model("clients", "Client")._meta.db_table
