"""The project's get_FOO_display (olteams.choice_display) returns what Django's returns."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Field, Model
from django.test import override_settings
from django.utils import translation

from olteams import choice_display


def _fields_with_choices():
    for model in apps.get_models():
        if model._meta.app_label not in choice_display.PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, Field) and field.choices:
                yield model, field


def test_every_fixed_choice_field_of_the_project_has_the_fast_display():
    fields = list(_fields_with_choices())
    assert len(fields) > 50
    for model, field in fields:
        method = getattr(model, f"get_{field.name}_display")
        assert method.__qualname__.startswith("_display."), (model, field.name)


def test_every_value_displays_as_djangos_display_in_dutch_and_english():
    checked = 0
    for language in ("nl", "en"):
        with translation.override(language):
            for model, field in _fields_with_choices():
                obj = model()
                for value in [*(v for v, _label in field.flatchoices), "geen-keuze", None, 7]:
                    setattr(obj, field.attname, value)
                    ours = getattr(obj, f"get_{field.name}_display")()
                    djangos = Model._get_FIELD_display(obj, field)  # type: ignore[attr-defined]
                    assert (ours, type(ours)) == (djangos, type(djangos)), (model, field, value)
                    checked += 1
    assert checked > 500


def test_new_languages_empty_the_store():
    from clients.constants import AssignmentRole
    from clients.models import Assignment

    with translation.override("nl"):
        assert Assignment(role=AssignmentRole.CASEMANAGER).get_role_display() == "Casemanager"
    assert choice_display._LABELS
    with override_settings(LANGUAGES=[("nl", "Nederlands")]):
        assert choice_display._LABELS == {}
