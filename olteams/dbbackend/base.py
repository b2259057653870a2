"""Django's PostgreSQL backend (``ENGINE = "olteams.dbbackend"``) with two steps made cheaper
that every signed-in page pays (issue 15), each with the same outcome as Django's:

- **The health check** (``CONN_HEALTH_CHECKS``) at a request's first query. Django sends
  ``SELECT 1``: a round trip to PostgreSQL on every request. A connection idle between
  requests has nothing to read, unless the server closed it (a restart, a terminated
  backend: the server's farewell message and the end of the stream are then waiting), so
  this check asks the socket first (no round trip) and sends Django's ``SELECT 1`` only
  when something is waiting or the connection is not idle.
- **Reading ``timestamptz`` values.** Django reads each through a Python loader that calls
  psycopg's C loader and then sets the connection's time zone. When the session's time
  zone (as PostgreSQL reports it) is that same zone, the C loader's result already is what
  Django's would be, so its ``load`` is used directly. Otherwise Django's way is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import select
from typing import Any

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import pq
from psycopg._tz import get_tzinfo


@functools.cache
def fast_tz_loader(zone: dt.tzinfo | None) -> type[BaseTzLoader]:
    """Django's ``timestamptz`` loader for ``zone`` that skips its Python step when the
    session's time zone is ``zone`` (the C loader then returns values in ``zone``); one
    class per zone, shared by the connections."""

    class FastTzLoader(BaseTzLoader):
        timezone = zone  # what Django compares to decide on a loader per cursor

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            connection = getattr(context, "connection", None)
            if (
                zone is not None
                and connection is not None
                and get_tzinfo(connection.pgconn) is zone
            ):
                # psycopg calls the instance's ``load`` for every value.
                self.load = self.orig_loader.load  # type: ignore[method-assign]

    return FastTzLoader


def nothing_waiting(raw: Any) -> bool:
    """True when the idle connection's socket has nothing to read (no round trip)."""
    if raw.closed or raw.broken or raw.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        readable, _, _ = select.select([raw.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        # On this connection's own adapters (a copy of the template Django passed).
        connection.adapters.register_loader("timestamptz", fast_tz_loader(self.timezone))
        return connection

    def is_usable(self) -> bool:
        if self.connection is not None and nothing_waiting(self.connection):
            return True
        return super().is_usable()
