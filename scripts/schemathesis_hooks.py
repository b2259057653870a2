"""Schemathesis CLI hooks: a personal API token that outlives its own revocation.

The stateful phase finds ``DELETE /api/v1/tokens/{id}/`` and may revoke the very token the
run signs in with; this provider asks the database for a fresh one whenever the current one
no longer authenticates. Used by the full run in docs/operations.md:

    SCHEMATHESIS_HOOKS=scripts.schemathesis_hooks SCHEMATHESIS_USER=demo.teamleider st run ...
"""

from __future__ import annotations

import os
from typing import Any

import django
import schemathesis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "olteams.settings.base")
django.setup()

from olteams.models import User  # noqa: E402
from olteams.services import api_token_authenticate, api_token_create  # noqa: E402


@schemathesis.auth(refresh_interval=None)
class PersonalToken:
    key = ""

    def get(self, case: Any, ctx: Any) -> str:
        if not self.key or api_token_authenticate(self.key) is None:
            user = User.objects.get(username=os.environ.get("SCHEMATHESIS_USER", "demo.teamleider"))
            _token, self.key = api_token_create(
                actor=user, name="schemathesis", scope="schrijven", days=1, verified=True
            )
        return self.key

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}
