from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.permissions import SAFE_METHODS


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


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` with a personal token (olteams.models.ApiToken): only
    active, unexpired, unrevoked tokens; a read token may only read."""

    keyword = "Token"

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        from olteams.services import api_token_authenticate

        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldig token.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Ongeldig token.") from None
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Token onbekend, verlopen of ingetrokken.")
        if token.scope == "lezen" and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("Dit token mag alleen lezen.")
        user = token.user
        # The token was made after a passed second factor: it stands for that session.
        user.is_verified = lambda: True
        return user, token

    def authenticate_header(self, request):  # type: ignore[no-untyped-def]
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "olteams.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Een persoonlijk API-token: "Token <sleutel>".',
        }
