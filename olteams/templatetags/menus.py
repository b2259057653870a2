"""``{% menu_items %}`` and ``{% tab_items %}``: the items of the main menu and of the client
frame's tabs, written in Python.

Every signed-in page shows the menu (up to a dozen items) and every client page the tabs
(up to eight); as template loops each item cost a dozen nodes (link, current page, label,
badge), some 0.4 ms of the client file (issue 15). Here each item is one string; the HTML is
the template loop's, tested against it (``tests/olteams/test_menus.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from olteams.markup import html_text

register = template.Library()


def _current(item: Mapping[str, Any]) -> str:
    return ' aria-current="page"' if item["current"] else ""


@register.simple_tag
def menu_items(items: Iterable[Mapping[str, Any]]) -> SafeString:
    """The ``<li>`` of each main-menu item (``olteams.navigation.nav_for``): its link, the
    current page marked, and the count beside it (open tasks) when there is one."""
    html = []
    for item in items:
        badge = item["badge"]
        count = (
            ' <span class="badge" aria-label="{}">{}</span>'.format(
                html_text(ngettext("%(n)s open", "%(n)s open", badge) % {"n": badge}),
                html_text(badge),
            )
            if badge
            else ""
        )
        html.append(
            f'<li><a href="{html_text(item["url"])}"{_current(item)}>'
            f"{html_text(item['label'])}{count}</a></li>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value escaped above


@register.simple_tag
def tab_items(tabs: Iterable[Mapping[str, Any]]) -> SafeString:
    """The ``<li>`` of each tab of the client frame (``olteams.client_frame.frame_for``):
    its link, the current tab marked, and "betwist" on a tab with disputed data."""
    disputed = ""
    html = []
    for tab in tabs:
        if tab["disputed"] and not disputed:
            disputed = f' <span class="badge badge-warn">{html_text(gettext("betwist"))}</span>'
        html.append(
            f'<li><a href="{html_text(tab["url"])}"{_current(tab)}>{html_text(tab["label"])}'
            f"{disputed if tab['disputed'] else ''}</a></li>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above
