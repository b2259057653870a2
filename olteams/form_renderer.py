"""The project's form renderer: Django's standard widget templates built in Python.

Rendering the widget templates (``input.html``, ``attrs.html``, ``select_option.html``, …)
through the template engine was a large part of a form-heavy page's CPU time.
``FastWidgetRenderer`` writes the same markup directly, byte for byte, mirroring each template:

- ``{{ x }}`` is Django's ``render_value_in_context`` (localised, escaped unless safe);
- ``{{ x|stringformat:'s' }}`` is ``"%s" % x``, escaped unless ``x`` was safe;
- an included template ends in the newline of its file; the outer ``render`` strips.

Any other template (forms, fields, labels, errors, project widgets) goes through the template
engine unchanged. So does a standard template that this engine would not load from Django's
own folder (overridden), and any context the mirror does not cover: a value the engine would
call (a callable), a key missing, or anything raising. The template path is the reference;
``tests/olteams/test_form_renderer.py`` holds the two equal.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.functional import Promise
from django.utils.html import strip_spaces_between_tags
from django.utils.safestring import SafeData, SafeString, mark_safe

# The widget templates' context: autoescape on, localisation and time zone from settings.
# Only those three flags are read from it.
_CONTEXT = Context(autoescape=True)
_STOCK_DIR = Path(django.forms.__file__).parent / "templates"
_WIDGETS = "django/forms/widgets/"


class _Fallback(Exception):
    """The context has a shape the mirror does not reproduce: render the template."""


def _get(mapping: dict[str, Any], key: str) -> Any:
    """``{{ mapping.key }}``'s lookup; the engine would call a callable, so we do not."""
    value = mapping[key]
    if callable(value):
        raise _Fallback
    return value


def _text(value: Any) -> str:
    """``{{ value }}``."""
    if isinstance(value, Promise):  # a lazy translation is neither a date nor a number
        value = str(value)
    if type(value) is str:
        return html.escape(value)
    if type(value) is SafeString:
        return value
    if callable(value):
        raise _Fallback
    return render_value_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: no localisation; a safe value stays unescaped."""
    if type(value) is str:
        return html.escape(value)
    if callable(value):
        raise _Fallback
    safe = isinstance(value, SafeData)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (ValueError, TypeError):
        text = ""
    return text if safe else html.escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: True renders the bare name, False nothing, anything else ``name="value"``."""
    if "items" in attrs:  # ``widget.attrs.items`` would read this key, not the method
        raise _Fallback
    parts = []
    for name, value in attrs.items():
        if callable(value):
            raise _Fallback
        if value is not False:
            if value is True:
                parts.append(f" {_text(name)}")
            else:
                parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    """``DjangoTemplates`` with the standard widget templates written in Python."""

    def __init__(self) -> None:
        super().__init__()
        self._stock: dict[str, bool] = {}

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        build = _BUILDERS.get(template_name)
        if build is not None and request is None and type(context) is dict:
            try:
                if not self._is_stock(template_name):
                    raise _Fallback
                html_ = build(self, context["widget"]).strip()
                return mark_safe(html_)  # noqa: S308 - every value is escaped as it is written
            except Exception:  # noqa: S110 - the template path answers (or raises) instead
                pass
        return super().render(template_name, context, request)

    def _is_stock(self, template_name: str) -> bool:
        """Whether this engine loads ``template_name`` from Django's own template folder."""
        stock = self._stock.get(template_name)
        if stock is None:
            origin = self.get_template(template_name).origin.name
            stock = self._stock[template_name] = Path(origin) == _STOCK_DIR / template_name
        return stock

    def _include(self, widget: dict[str, Any]) -> str:
        """``{% include widget.template_name %}`` of an option or a subwidget."""
        name = _get(widget, "template_name")
        build = _BUILDERS.get(name) if type(name) is str else None
        if build is None or not self._is_stock(name):
            raise _Fallback
        return build(self, widget)

    # One method per template; each returns the template's output before the outer strip.

    def input(self, w: dict[str, Any]) -> str:
        value = _get(w, "value")
        # "!= None", not "is not None": the template compares, and so may a value's __eq__.
        shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711
        return (
            f'<input type="{_text(_get(w, "type"))}" name="{_text(_get(w, "name"))}"'
            f"{shown}{_attrs(_get(w, 'attrs'))}>\n"
        )

    def includes_input(self, w: dict[str, Any]) -> str:
        return self.input(w) + "\n"

    def input_option(self, w: dict[str, Any]) -> str:
        wrap = w.get("wrap_label")
        if callable(wrap):
            raise _Fallback
        if not wrap:
            return self.input(w) + "\n"
        option_id = _get(w, "attrs").get("id")
        label_for = f' for="{_text(option_id)}"' if option_id else ""
        return f"<label{label_for}>{self.input(w)} {_text(_get(w, 'label'))}</label>\n"

    def includes_input_option(self, w: dict[str, Any]) -> str:
        return self.input_option(w) + "\n"

    def multiple_input(self, w: dict[str, Any]) -> str:
        attrs = _get(w, "attrs")
        box_id, css_class = attrs.get("id"), attrs.get("class")
        if callable(box_id) or callable(css_class):
            raise _Fallback
        parts = [
            "<div",
            f' id="{_text(box_id)}"' if box_id else "",
            f' class="{_text(css_class)}"' if css_class else "",
            ">",
        ]
        for group, options, _index in _get(w, "optgroups"):
            if group:
                parts.append(f"\n  <div><label>{_text(group)}</label>")
            for option in options:
                parts.append(f"<div>\n    {self._include(option)}</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>\n")
        return "".join(parts)

    def includes_multiple_input(self, w: dict[str, Any]) -> str:
        return self.multiple_input(w) + "\n"

    def select(self, w: dict[str, Any]) -> str:
        parts = [f'<select name="{_text(_get(w, "name"))}"{_attrs(_get(w, "attrs"))}>']
        for group_name, group_choices, _index in _get(w, "optgroups"):
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                parts.append(f"\n  {self._include(option)}")
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)

    def select_option(self, w: dict[str, Any]) -> str:
        return (
            f'<option value="{_formatted(_get(w, "value"))}"{_attrs(_get(w, "attrs"))}>'
            f"{_text(_get(w, 'label'))}</option>\n"
        )

    def textarea(self, w: dict[str, Any]) -> str:
        value = _get(w, "value")
        opening = f'<textarea name="{_text(_get(w, "name"))}"{_attrs(_get(w, "attrs"))}>'
        return f"{opening}\n{_text(value) if value else ''}</textarea>\n"

    def attrs(self, w: dict[str, Any]) -> str:
        return _attrs(_get(w, "attrs"))

    def multiwidget(self, w: dict[str, Any]) -> str:
        # {% spaceless %} around the subwidgets' own templates.
        inner = "".join(self._include(sub) for sub in _get(w, "subwidgets"))
        return strip_spaces_between_tags(inner.strip()) + "\n"

    def includes_multiwidget(self, w: dict[str, Any]) -> str:
        return self.multiwidget(w) + "\n"


_Builder = Callable[[FastWidgetRenderer, dict[str, Any]], str]
# The templates that only include another one (plus their file's final newline).
_INCLUDE_INPUT = (
    *("checkbox", "color", "date", "datetime", "email", "file", "hidden"),
    *("number", "password", "search", "tel", "text", "time", "url"),
)
_INCLUDE_MULTIWIDGET = ("multiple_hidden", "select_date", "splitdatetime", "splithiddendatetime")
_BUILDERS: dict[str, _Builder] = {
    **{f"{_WIDGETS}{kind}.html": FastWidgetRenderer.includes_input for kind in _INCLUDE_INPUT},
    f"{_WIDGETS}input.html": FastWidgetRenderer.input,
    f"{_WIDGETS}attrs.html": FastWidgetRenderer.attrs,
    f"{_WIDGETS}textarea.html": FastWidgetRenderer.textarea,
    f"{_WIDGETS}select.html": FastWidgetRenderer.select,
    f"{_WIDGETS}select_option.html": FastWidgetRenderer.select_option,
    f"{_WIDGETS}input_option.html": FastWidgetRenderer.input_option,
    f"{_WIDGETS}radio_option.html": FastWidgetRenderer.includes_input_option,
    f"{_WIDGETS}checkbox_option.html": FastWidgetRenderer.includes_input_option,
    f"{_WIDGETS}multiple_input.html": FastWidgetRenderer.multiple_input,
    f"{_WIDGETS}multiwidget.html": FastWidgetRenderer.multiwidget,
    f"{_WIDGETS}radio.html": FastWidgetRenderer.includes_multiple_input,
    f"{_WIDGETS}checkbox_select.html": FastWidgetRenderer.includes_multiple_input,
    **{
        f"{_WIDGETS}{kind}.html": FastWidgetRenderer.includes_multiwidget
        for kind in _INCLUDE_MULTIWIDGET
    },
}
