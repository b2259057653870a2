"""``{% url %}`` with integer arguments through ``olteams.reverse.fast_reverse``.

Loaded as a builtin after Django's own (``TEMPLATES`` ``builtins`` in the settings), so every
template's ``{% url %}`` is this one. Django's node walks the resolver at every render
(~35 µs); a page such as the client file has ten and the menu more (issue 15). Here a
``{% url %}`` whose arguments are all keywords with non-negative integers (at most three)
reverses through ``fast_reverse``; anything else, and any name ``fast_reverse`` cannot
build (a pattern that refuses the stand-in integers), is Django's ``URLNode`` unchanged.
No namespace of ours has two instances, so the current app Django passes along cannot
change a URL.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from olteams.reverse import MAX_ARGUMENTS, fast_reverse

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context: Context) -> Any:
        if self.args or len(self.kwargs) > MAX_ARGUMENTS:
            return super().render(context)
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        if not all(type(value) is int and value >= 0 for value in kwargs.values()):
            return super().render(context)
        try:
            url = fast_reverse(self.view_name.resolve(context), **kwargs)
        except NoReverseMatch:
            return super().render(context)  # Django's answer, or its error
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> FastURLNode:
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
