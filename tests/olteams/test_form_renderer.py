"""The fast form renderer writes exactly what Django's template renderer writes."""

from __future__ import annotations

import datetime
import decimal
import importlib
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.views.pages import TimelineFilterForm
from olteams.form_renderer import FastWidgetRenderer
from olteams.forms import DateInput, MonthInput, TimeInput
from olteams.staff import StaffPicker

TEMPLATES = DjangoTemplates()
FAST = FastWidgetRenderer()
WORKERS = [(1, "A B"), (2, "C <D> & 'E'")]


@contextmanager
def no_template_path() -> Iterator[None]:
    """Inside, a fall-back to the template engine fails the test."""
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError("template")):
        yield


def assert_same(widget: forms.Widget, value: Any, attrs: dict | None = None, *, fast=True) -> str:
    """Render with both renderers; ``fast``: without the template engine."""
    expected = widget.render("veld", value, attrs, renderer=TEMPLATES)
    if fast:
        with no_template_path():
            got = widget.render("veld", value, attrs, renderer=FAST)
    else:
        got = widget.render("veld", value, attrs, renderer=FAST)
    assert got == expected
    assert isinstance(got, SafeString)
    return got


# --- every standard widget ------------------------------------------------------------------

SPECIAL = "a<b>&\"c\"'d'"
SCALARS = [
    None,
    "",
    "tekst",
    SPECIAL,
    0,
    17,
    1.5,
    decimal.Decimal("1234.56"),
    True,
    False,
    mark_safe("<b>veilig</b>"),
    gettext_lazy("Iedereen"),
    ("a", 1),
    datetime.date(2026, 3, 1),
    datetime.datetime(2026, 3, 1, 14, 5),
]
ATTRS: list[dict | None] = [
    None,
    {"id": "veld_id"},
    {"id": "x", "class": "breed <smal>", "required": True, "disabled": True},
    {"hidden": False, "data-leeg": None, "maxlength": 10, "step": 0.5, "title": SPECIAL},
    {"placeholder": gettext_lazy("Zoeken"), "aria-label": mark_safe("&amp;"), "autofocus": True},
]
INPUTS = [
    forms.TextInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.ColorInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.PasswordInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.FileInput(),
    forms.DateInput(),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.Textarea(),
    forms.Textarea(attrs={"rows": 3, "cols": None}),
    forms.CheckboxInput(),
    forms.CheckboxInput(check_test=lambda v: v == "ja"),
    DateInput(),
    TimeInput(),
    MonthInput(),
    forms.TextInput(attrs={"required": True, "class": "k"}),
]


@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
def test_input_widgets(widget, attrs):
    for value in SCALARS:
        if isinstance(widget, (forms.DateInput, forms.TimeInput)) and isinstance(value, tuple):
            continue  # the widgets' format_value cannot take it
        assert_same(widget, value, attrs)


def test_dates_and_times_as_our_inputs_write_them():
    html = assert_same(DateInput(), datetime.date(2026, 3, 1), {"id": "id_van"})
    assert html == '<input type="date" name="veld" value="2026-03-01" id="id_van">'
    assert_same(TimeInput(), datetime.time(9, 5))
    assert_same(MonthInput(), datetime.date(2026, 3, 1))
    assert_same(forms.DateTimeInput(), datetime.datetime(2026, 3, 1, 9, 5, tzinfo=datetime.UTC))


def test_localized_input_values():
    widget = forms.NumberInput()
    widget.is_localized = True
    for value in (decimal.Decimal("1234.5"), 1234.5, 10**6, datetime.date(2026, 1, 2)):
        assert_same(widget, value)


CHOICES: list[Any] = [
    ("", "---------"),
    (1, "Een"),
    ("2", SPECIAL),
    ("Groep <1>", [(3, "Drie"), ("4", gettext_lazy("Vier")), (5.5, 5.5)]),
    (mark_safe("<i>veilig</i>"), mark_safe("<i>veilig</i>")),
    (None, None),
    ("d", datetime.date(2026, 3, 1)),
    (gettext_lazy("Lui"), [("l", "L")]),
]
CHOICE_WIDGETS = [
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.NullBooleanSelect,
]
CHOICE_VALUES = [None, "", 1, "1", [], ["1", "3"], [1, "4", "5.5", "None"], "d", SPECIAL]
CHOICE_ATTRS: list[dict | None] = [
    None,
    {"id": "id_soort"},
    {"id": "s", "class": "lijst", "required": True, "disabled": True, "data-x": SPECIAL},
    {"class": "zonder-id", "size": 4, "hidden": False},
]


@pytest.mark.parametrize("widget_class", CHOICE_WIDGETS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("attrs", CHOICE_ATTRS)
def test_choice_widgets(widget_class, attrs):
    widget = (
        widget_class() if widget_class is forms.NullBooleanSelect else widget_class(choices=CHOICES)
    )
    for value in CHOICE_VALUES:
        if isinstance(value, list) and isinstance(widget, forms.NullBooleanSelect):
            continue  # its format_value cannot take a list
        assert_same(widget, value, attrs)


def test_select_with_multiple_allowed_and_a_flat_list():
    widget = forms.Select(choices=[(i, f"Keuze {i}") for i in range(12)])
    widget.allow_multiple_selected = True
    assert_same(widget, ["3", "7"], {"id": "m"})
    assert_same(forms.SelectMultiple(choices=[]), None)
    assert_same(forms.CheckboxSelectMultiple(choices=[]), None, {"id": "leeg"})


def test_option_attributes_of_subclasses():
    class Marked(forms.RadioSelect):
        def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            option = super().create_option(*args, **kwargs)
            option["attrs"]["data-soort"] = f"{option['value']}<"
            option["wrap_label"] = option["index"] != "1"
            return option

    assert_same(Marked(choices=CHOICES), "1", {"id": "r"})


def test_multi_widgets():
    assert_same(forms.SplitDateTimeWidget(), datetime.datetime(2026, 3, 1, 9, 5))
    assert_same(forms.SplitDateTimeWidget(), None, {"id": "w", "class": "c"})
    assert_same(forms.SplitHiddenDateTimeWidget(), datetime.datetime(2026, 3, 1, 9, 5))
    assert_same(forms.MultipleHiddenInput(), ["1", SPECIAL], {"id": "h"})
    assert_same(forms.SelectDateWidget(years=[2025, 2026]), datetime.date(2026, 3, 1))
    assert_same(forms.SelectDateWidget(years=[2026]), None, {"id": "d", "required": True})
    both = forms.MultiWidget(widgets={"a": forms.TextInput(), "b": forms.Select(choices=CHOICES)})
    assert_same(both, ["<x>", "2"], {"id": "m"})


def test_file_inputs_with_an_initial_value_use_the_template():
    # clearable_file_input.html is not mirrored; it still renders the same.
    assert_same(forms.ClearableFileInput(), None, fast=False)


def test_staff_picker_renders_itself_the_same():
    picker = StaffPicker(multiple=False)
    picker.choices = [(1, "A B"), (2, SPECIAL)]
    assert_same(picker, "2", {"id": "id_medewerker"}, fast=False)


# --- property-based: any text, any attributes -----------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
attr_values = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(),
    texts,
    texts.map(mark_safe),
    st.sampled_from([gettext_lazy("Zoeken"), 1.25, decimal.Decimal("3.10")]),
)
attr_dicts = st.dictionaries(
    st.text('abcdefghij-_<"&', min_size=1, max_size=6).filter(lambda k: k != "items"),
    attr_values,
    max_size=5,
)
any_values = st.one_of(st.none(), texts, st.integers(), st.floats(allow_nan=False), st.booleans())
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(value=any_values, attrs=attr_dicts, widget=st.sampled_from(INPUTS))
def test_inputs_for_any_value_and_attributes(value, attrs, widget):
    assert_same(widget, value, attrs)


@PROPERTY
@given(
    choices=st.lists(st.tuples(st.one_of(texts, st.integers()), st.one_of(texts, st.integers()))),
    group=texts,
    chosen=st.lists(texts, max_size=3),
    attrs=attr_dicts,
    widget_class=st.sampled_from(CHOICE_WIDGETS[:4]),
)
def test_choice_widgets_for_any_choices(choices, group, chosen, attrs, widget_class):
    widget = widget_class(choices=[*choices, (group, choices[:2])])
    value = chosen + [str(v) for v, _label in choices[:1]]
    assert_same(widget, value if widget.allow_multiple_selected else value[-1:], attrs)


# --- the project's forms, field by field ----------------------------------------------------


def _render_fields(form_factory) -> None:
    expected_form = form_factory(TEMPLATES)
    got_form = form_factory(FAST)
    for name in expected_form.fields:
        assert str(got_form[name]) == str(expected_form[name]), name
    assert str(got_form) == str(expected_form)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"soort": ["contact", "<x>"], "van": "2026-03-01", "tot": "2026-02-01", "medewerker": "2"},
        {"soort": [], "van": "geen datum", "tot": "", "medewerker": "9"},
    ],
)
def test_timeline_filter_form(data):
    _render_fields(lambda renderer: TimelineFilterForm(data, workers=WORKERS, renderer=renderer))


@pytest.mark.parametrize(
    "data", [None, {"soort": ["contact"], "van": "2026-03-01", "tot": "2026-02-01"}]
)
def test_timeline_filter_form_takes_the_fast_path(data):
    form = TimelineFilterForm(data, workers=WORKERS, renderer=FAST)
    form.full_clean()
    with no_template_path():
        widgets = {name: str(form[name]) for name in form.fields}
    if data:
        assert widgets["tot"] == (
            '<input type="date" name="tot" value="2026-02-01" aria-invalid="true"'
            ' aria-describedby="id_tot_error" id="id_tot">'
        )
        assert 'value="contact" id="id_soort_0" checked' in widgets["soort"]
    assert '<option value="2">C &lt;D&gt; &amp; &#x27;E&#x27;</option>' in widgets["medewerker"]


def _project_form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_name in (
        "olteams.forms",
        "clients.forms",
        "herstelplan.forms",
        "wmo.forms",
        "caseload.forms",
        "finance.forms",
        "caseload.views.pages",
    ):
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found[f"{module_name}.{name}"] = value
    return [found[key] for key in sorted(found)]


def _arguments(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    """Its required keyword-only arguments: the two workers, or an empty list of choices."""
    parameters = inspect.signature(form_class.__init__).parameters.values()
    return {
        p.name: WORKERS if p.name == "workers" else []
        for p in parameters
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    }


@pytest.mark.django_db
def test_project_forms():
    """Every project form that can be built from its required keyword arguments alone
    (``_arguments``) renders the same on both paths, unbound and bound empty. The others
    need a client or a queryset; they are counted, not skipped, and stay few."""
    rendered, unbuildable = [], []
    for form_class in _project_form_classes():
        kwargs = _arguments(form_class)
        try:
            form_class(renderer=TEMPLATES, **kwargs)
        except (TypeError, ValueError, AttributeError):  # an abstract base, or it needs more
            unbuildable.append(form_class.__name__)
            continue
        _render_fields(lambda renderer: form_class(renderer=renderer, **kwargs))  # noqa: B023
        _render_fields(lambda renderer: form_class({}, renderer=renderer, **kwargs))  # noqa: B023
        rendered.append(form_class.__name__)
    assert len(rendered) >= 40, rendered
    assert len(unbuildable) <= 15, unbuildable


# --- what goes to the template engine -------------------------------------------------------


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
    assert isinstance(TimelineFilterForm(workers=WORKERS).renderer, FastWidgetRenderer)


def test_other_templates_go_to_the_template_engine():
    context = {"form": TimelineFilterForm(workers=WORKERS), "fields": []}
    with mock.patch.object(DjangoTemplates, "render", return_value="sjabloon") as render:
        assert FAST.render("django/forms/div.html", context) == "sjabloon"
    render.assert_called_once_with("django/forms/div.html", context, None)


def test_a_request_or_an_unusual_context_goes_to_the_template_engine():
    widget = forms.TextInput().get_context("veld", "x", None)
    for args in [(widget, object()), ({"andere": 1},)]:
        with mock.patch.object(DjangoTemplates, "render", return_value="sjabloon"):
            assert FAST.render("django/forms/widgets/text.html", *args) == "sjabloon"


def test_values_the_engine_would_call_go_to_the_template_engine():
    # The template engine calls a callable; the mirror leaves that to it.
    widget = forms.TextInput(attrs={"data-x": lambda: "<geroepen>"})
    html = assert_same(widget, "v", fast=False)
    assert 'data-x="&lt;geroepen&gt;"' in html
    # An attribute named "items" hides dict.items from the template: it fails, so do we.
    for renderer in (TEMPLATES, FAST):
        with pytest.raises(ValueError, match="Need 2 values to unpack"):
            forms.TextInput(attrs={"items": "x"}).render("veld", "v", renderer=renderer)


def test_an_overridden_standard_template_is_not_mirrored(tmp_path):
    override = tmp_path / "django/forms/widgets/text.html"
    override.parent.mkdir(parents=True)
    override.write_text("<input eigen>\n")

    class Overridden(FastWidgetRenderer):
        @cached_property
        def engine(self):
            return self.backend(
                {
                    "APP_DIRS": False,
                    "DIRS": [tmp_path, *TEMPLATES.engine.dirs],
                    "NAME": "t",
                    "OPTIONS": {},
                }
            )

    assert forms.TextInput().render("veld", "x", renderer=Overridden()) == "<input eigen>"
    assert forms.NumberInput().render("veld", 1, renderer=Overridden()) == (
        '<input type="number" name="veld" value="1">'
    )
