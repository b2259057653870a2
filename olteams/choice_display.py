"""The project's ``get_FOO_display()``: Django's result, the labels translated once per
language.

Django's ``Model._get_FIELD_display`` makes all of a field's choices hashable on every call,
and hashing a lazy label translates it: each call translated every label of the field
(the client file calls it for each care-team role, the phase and more; ~1.5% of its time,
issue 15). ``install()`` gives the project's models a ``get_FOO_display`` for each field
with fixed choices that keeps the field's {value: label} per language and returns what
Django's returns (``tests/olteams/test_choice_display.py`` compares every field and
choice, in Dutch and English). A test that changes the languages or locale paths empties
the store with ``cached_i18n``'s own (``translation_store``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

from olteams.templatetags.cached_i18n import translation_store

PROJECT_APPS = frozenset({"olteams", "clients", "herstelplan", "wmo", "caseload", "finance"})

_LABELS: dict[tuple[str | None, Field], dict[Any, Any]] = translation_store({})


def _labels(field: Field) -> dict[Any, Any]:
    key = (get_language(), field)
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
    return found


def _display(field: Field) -> Callable[[Model], Any]:
    def display(self: Model) -> Any:
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display


def djangos_display(model: type[Model], field: Field) -> bool:
    """Whether ``model`` has Django's own ``get_FOO_display`` for ``field`` (not one the
    model defines itself) and the field's choices are fixed (not a callable's)."""
    method = model.__dict__.get(f"get_{field.name}_display")
    return (
        isinstance(method, partialmethod)
        and method.func is Model._get_FIELD_display  # type: ignore[attr-defined]
        and isinstance(field.choices, (list, tuple))
    )


def install() -> list[tuple[type[Model], Field]]:
    """Replace Django's ``get_FOO_display`` of the project's models; the fields it did."""
    done = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, Field) and field.choices and djangos_display(model, field):
                setattr(model, f"get_{field.name}_display", _display(field))
                done.append((model, field))
    return done
