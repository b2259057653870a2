"""The shared machinery of the per-app permission tables (tests/<app>/test_permissions.py).

Each app's module keeps its own roles, world and route table; what they share is here: the
expected-outcome table, the snapshot of rows a refused request must leave alone, and how a
role's browser is made and a response read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.test import Client as HttpClient
from django.urls import reverse

from tests.conftest import verified_client

LOGIN, HIDDEN, OK = "login", "hidden", "ok"
ANON = "anonymous"
_OUTCOMES = {"ok": OK, "hidden": HIDDEN, "e403": 403, "e404": 404, "e405": 405}


def outcome_table(roles: Sequence[str], **by_outcome: tuple[str, ...]) -> dict[str, Any]:
    """The expected outcome of every role in ``roles`` (anonymous always goes to the login
    page); every role must be given exactly one outcome."""
    table: dict[str, Any] = {ANON: LOGIN}
    for name, named_roles in by_outcome.items():
        table |= dict.fromkeys(named_roles, _OUTCOMES[name])
    assert set(table) == set(roles), set(roles) - set(table)
    return table


def models_of(*app_labels: str) -> list[type[Model]]:
    return [model for label in app_labels for model in apps.get_app_config(label).get_models()]


def rows_of(models: Iterable[type[Model]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``models``: what a refused request must leave exactly as it was."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def http_for(user: Any) -> HttpClient:
    """A browser for the role: anonymous (None) or signed in with the second factor passed."""
    return HttpClient() if user is None else verified_client(user)


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("olteams:login"))
