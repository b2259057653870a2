"""Typing helpers for code behind ``LoginRequiredMiddleware`` (for type checkers only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.forms import BaseForm, ChoiceField, ModelChoiceField
from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request

    from olteams.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An ``HttpRequest`` whose user is signed in.

    Every view not marked ``login_not_required`` sits behind ``LoginRequiredMiddleware``, so its
    ``request.user`` is a ``User``, never an ``AnonymousUser``. Only used in annotations; Django
    still passes a plain ``HttpRequest`` at runtime.
    """

    user: User


def request_user(request: Request) -> User:
    """The signed-in user of a DRF request behind ``IsAuthenticated`` (a typing narrowing only)."""
    return cast("User", request.user)


def model_choice_field(form: BaseForm, name: str) -> ModelChoiceField[Any]:
    """``form.fields[name]`` as the ``ModelChoiceField`` it is (to set its queryset)."""
    field = form.fields[name]
    assert isinstance(field, ModelChoiceField)
    return field


def choice_field(form: BaseForm, name: str) -> ChoiceField:
    """``form.fields[name]`` as the ``ChoiceField`` it is (to set its choices)."""
    field = form.fields[name]
    assert isinstance(field, ChoiceField)
    return field
