"""The staff and portal session store: Django's database sessions, read cheaper.

Every signed-in request reads its session row. ``SessionStore`` reads it with the query
Django's own database store builds, compiled once per process (``olteams.compiled``): same
row, same expiry rule, same handling of a missing or expired session, without composing
the queryset anew on each request. Writes, deletes and the cleanup are Django's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from olteams.compiled import read_object

_STAND_INS = {"key": "~stand-in-session-key~", "now": dt.datetime(1901, 1, 1, tzinfo=dt.UTC)}


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        found = read_object(
            "olteams.session",
            model,
            lambda key, now: model.objects.filter(session_key=key, expire_date__gt=now)[:1],
            _STAND_INS,
            {"key": self.session_key, "now": timezone.now()},
            exactly_once=_STAND_INS,
        )
        if found is None:
            self._session_key = None
        return found
