from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that also requires the second factor to have been passed."""

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not user.is_verified():
            raise exceptions.PermissionDenied("Tweestapsverificatie is vereist.")
        return user, auth


class VerifiedSessionScheme(SessionScheme):
    """Describes the verified session in the OpenAPI schema as the usual cookie scheme."""

    target_class = "olteams.api.authentication.VerifiedSessionAuthentication"
