"""The staff picker: one form field for every place where workers are chosen.

The client's care team comes first as a short list of checkboxes (or radio buttons for a single
choice), each worker labelled "Naam · discipline, organisatie"; a small team is listed whole. Anyone else is found by typing
a name: htmx asks ``olteams:staff-search`` (staff of the user's teams only, no client data) and
a chosen result joins the list. Without JavaScript the rest is one plain select list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from olteams.models import User
from olteams.selectors import StaffScope, staff_annotate, staff_label

# Up to this many workers are simply all listed; beyond it only the care team and the chosen
# ones are, and the rest is found by typing.
SMALL_TEAM = 8


class StaffPicker(forms.SelectMultiple):
    """Care team first, search for the rest; renders radios when ``multiple`` is off."""

    template_name = "olteams/widgets/staff_picker.html"
    is_staff_picker = True

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiple: bool = True) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.scope = StaffScope(queryset=User.objects.none())

    @property
    def allow_multiple_selected(self) -> bool:  # type: ignore[override]
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if hasattr(data, "getlist"):
            raw = data.getlist(name)
        else:  # a plain dict (tests, code): one value or a list
            raw = data.get(name)
            raw = list(raw) if isinstance(raw, (list, tuple)) else [raw]
        values = [str(v) for v in raw if v not in (None, "")]
        if self.multiple:
            return list(dict.fromkeys(values))
        # The checked radio comes before the no-JS select in the page: the first value wins.
        return values[0] if values else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v not in (None, "")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        selected = set(self.format_value(value))
        shown: list[dict[str, Any]] = []
        rest: list[dict[str, Any]] = []
        options = [(v, label) for v, label in self.choices if str(v) != ""]
        small = len(options) <= SMALL_TEAM
        for choice_value, label in options:
            key = str(choice_value)
            option = {"value": key, "label": label, "checked": key in selected}
            instance = getattr(choice_value, "instance", None)
            first = instance is not None and instance.pk in self.scope.first_ids
            (shown if small or first or option["checked"] else rest).append(option)
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        for i, option in enumerate(shown):
            option["id"] = f"{base_id}_{i}"
        return {
            "widget": {
                "name": name,
                "id": base_id,
                "input_type": "checkbox" if self.multiple else "radio",
                "multiple": self.multiple,
                "required": self.is_required,
                "shown": shown,
                "rest": rest,
                "has_first": bool(self.scope.first_ids),
                "nothing_checked": not selected,
                "search_url": reverse("olteams:staff-search"),
                "search_vals_json": json.dumps(
                    _search_vals(name, self.multiple, self.scope, shown)
                ),
            }
        }

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine (the form renderer only searches the apps' folders).
        html = render_to_string(self.template_name, self.get_context(name, value, attrs))
        return mark_safe(html)  # noqa: S308 - rendered by the autoescaping template engine


def _search_vals(name: str, multiple: bool, scope: StaffScope, shown: list[dict]) -> dict:
    vals: dict[str, Any] = {
        "name": name,
        "type": "checkbox" if multiple else "radio",
        "exclude": ",".join(option["value"] for option in shown),
    }
    if scope.team_id is not None:
        vals["team"] = str(scope.team_id)
    if scope.exclude_roles:
        vals["zonder"] = ",".join(scope.exclude_roles)
    return vals


class _StaffFieldMixin:
    widget: StaffPicker
    queryset: Any

    def configure(self, scope: StaffScope | QuerySet[User], *, today: Any = None) -> None:
        """Set who may be chosen; a bare queryset is searched in all of the user's teams."""
        if not isinstance(scope, StaffScope):
            scope = StaffScope(queryset=scope)
        self.queryset = staff_annotate(
            scope.queryset, team_id=scope.team_id, first_ids=scope.first_ids, today=today
        )
        self.widget.scope = scope

    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class StaffChoiceField(_StaffFieldMixin, forms.ModelChoiceField):
    """One worker (casemanager, regiebehandelaar, performer of a plan action)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        kwargs.setdefault("widget", StaffPicker(multiple=False))
        kwargs.setdefault("empty_label", None)
        super().__init__(**kwargs)


class StaffMultipleChoiceField(_StaffFieldMixin, forms.ModelMultipleChoiceField):
    """Several workers (contact participants, intake workers)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        kwargs.setdefault("widget", StaffPicker(multiple=True))
        super().__init__(**kwargs)


def staff_field(form: forms.BaseForm, name: str) -> _StaffFieldMixin:
    """``form.fields[name]`` as the staff field it is (to configure its scope)."""
    found = form.fields[name]
    assert isinstance(found, _StaffFieldMixin)
    return found


def care_team_first(
    queryset: QuerySet[User],
    *,
    team_id: int | None,
    care_team_ids: Iterable[int],
    exclude_roles: tuple[str, ...] = (),
) -> StaffScope:
    """The usual scope of a client page: the team's workers, the client's care team first."""
    return StaffScope(
        queryset=queryset,
        team_id=team_id,
        first_ids=frozenset(care_team_ids),
        exclude_roles=exclude_roles,
    )
