"""Django's ``{% load i18n %}`` with ``{% translate "literal" %}`` looked up once per language.

Registered under the label ``i18n`` (``TEMPLATES`` ``libraries`` in the settings), so every
template's ``{% load i18n %}`` gets it. All of Django's i18n tags and filters are here
unchanged; only a ``translate``/``trans`` of a literal string (no ``noop``, no ``as``, no
``context``, no filter) keeps its output per (language, literal, autoescape): Django makes a
lazy translation of it, looks the catalogs up and escapes it again at every render, ~10 µs
each; the client file has over fifty of them (issue 15). The catalogs do not change while
a process runs; a test that changes the languages or locale paths empties the store
(``setting_changed``), as Django empties its own catalog cache then.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Token, Variable
from django.template.context import Context
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

_STORE: dict[tuple[str | None, str, bool], str] = {}
TRANSLATION_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"})


# Labels (lazy translations of module constants: menu items, tabs) per language and key.
_LABELS: dict[tuple[str | None, Hashable], str] = {}
# Every store of translated text, emptied together when the languages change.
_STORES: list[dict[Any, Any]] = [_STORE, _LABELS]


def translation_store[S: dict[Any, Any]](store: S) -> S:
    """``store`` (a dict of translated text, keyed with the language) emptied with this
    module's own when the languages or locale paths change."""
    _STORES.append(store)
    return store


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in TRANSLATION_SETTINGS:
        for store in _STORES:
            store.clear()


def translated_label(key: Hashable, label: Any, language: str | None) -> str:
    """``str(label)`` in ``language``, translated once per process for ``key`` (a constant's
    own name, e.g. a menu item's URL name): a lazy string costs a catalog lookup at every
    use."""
    found = _LABELS.get((language, key))
    if found is None:
        found = _LABELS[(language, key)] = str(label)
    return found


class CachedTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        var = self.filter_expression.var
        self.literal: str | None = (
            var.literal
            if (
                isinstance(var, Variable)
                and isinstance(var.literal, str)
                and not self.filter_expression.filters
                and not self.noop
                and not self.asvar
                and self.message_context is None
            )
            else None
        )

    def render(self, context: Context) -> str:
        if self.literal is None:
            return super().render(context)
        key = (get_language(), self.literal, context.autoescape)
        found = _STORE.get(key)
        if found is None:
            found = _STORE[key] = super().render(context)
        return found


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> CachedTranslateNode:
    node = django_i18n.do_translate(parser, token)
    return CachedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
