"""The functional administrator is not a superuser: the admin rights come from this backend.

A superuser bypasses every check (and could give itself a team membership and read clinical
data). The functional administrator gets the model permissions of the registered admin
screens instead; what the admin lets them change about people is limited in
olteams/admin.py (never their own memberships, roles or superuser flag), and every
membership change is audited and notified (olteams.services.membership_changed).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

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
