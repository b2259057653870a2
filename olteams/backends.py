"""The functional administrator is not a superuser: the admin rights come from this backend.

A superuser bypasses every check (and could give itself a team membership and read clinical
data). The functional administrator gets the model permissions of the registered admin
screens instead; what the admin lets them change about people is limited in
olteams/admin.py (never their own memberships, roles or superuser flag), and every
membership change is audited and notified (olteams.services.membership_changed).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.utils import timezone

from olteams import request_cache
from olteams.access import remember_facts, user_facts_annotations
from olteams.compiled import read_object
from olteams.middleware import device_annotations, remember_devices
from olteams.navigation import header_badges, header_count_annotations, remember_header_counts

ADMIN_APPS = frozenset({"olteams", "clients", "herstelplan", "wmo", "caseload", "finance"})
# Never through the admin, not even for the functional administrator.
EXCLUDED_MODELS = frozenset({"auditevent"})


class FunctionalAdminBackend(BaseBackend):
    """Grants an active, verified-by-the-admin-site functional administrator the permissions
    of the app models; authenticates nobody."""

    def _is_admin(self, user: Any) -> bool:
        return bool(user.is_active and getattr(user, "is_functional_admin", False))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not self._is_admin(user_obj) or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        model = codename.split("_", 1)[-1]
        return app_label in ADMIN_APPS and model not in EXCLUDED_MODELS

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return self._is_admin(user_obj) and app_label in ADMIN_APPS


_USER_STAND_IN = {"pk": -987654321}
_SIGNED_IN_STAND_INS = {
    "pk": -987654321,
    "day": dt.date(1901, 2, 3),
    "now": dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
}


def _signed_in_user(pk: int, day: dt.date, now: dt.datetime, badges: tuple[str, ...]) -> Any:
    """The user with what every signed-in page asks of them: the access facts on ``day``,
    the header's counts (``badges``) and the second-factor devices, as annotations of the
    user row."""
    return (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .annotate(
            **user_facts_annotations(day, now),
            **header_count_annotations(badges),
            **device_annotations(),
        )[:1]
    )


class StaffModelBackend(ModelBackend):
    """Django's ModelBackend (password sign-in, model permissions) whose ``get_user``, run
    on every signed-in request, reads the user with the ORM's own query compiled once per
    process (``olteams.compiled``) instead of composing it each time.

    Within a GET or HEAD request (a request cache is open) the same statement also reads
    what nearly every page then asks of the user: the access facts for today (the menu,
    the access policy), the header's counts (unread notifications, the menu's badges) and
    the user's second-factor devices (``OTPMiddleware`` verifies the session's one).
    ``remember_facts``, ``remember_header_counts`` and ``remember_devices`` keep them for
    the request, so they cost no statement of their own. A write request reads the user
    alone: its own service may change those, and the page after its redirect reads them
    afresh."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except Exception:  # a session holding something that is no user id: nobody
            return None
        if request_cache.active():
            day, badges = request_cache.today(), header_badges()
            user = read_object(
                ("olteams.signed_in_user", badges),
                model,
                functools.partial(_signed_in_user, badges=badges),
                _SIGNED_IN_STAND_INS,
                {"pk": pk, "day": day, "now": timezone.now()},
                exactly_once=("pk", "now"),
            )
            if user is not None:
                remember_facts(user, day)
                remember_header_counts(user, badges)
                remember_devices(user)
        else:
            user = read_object(
                "olteams.user",
                model,
                lambda pk: model._default_manager.filter(pk=pk)[:1],
                _USER_STAND_IN,
                {"pk": pk},
                exactly_once=_USER_STAND_IN,
            )
        return user if user is not None and self.user_can_authenticate(user) else None
