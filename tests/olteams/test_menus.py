"""The menu's and the tabs' items written in Python give the HTML of the template loops they
replace (issue 15), escaping included; and the pages show them."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe

from olteams.templatetags.menus import menu_items, tab_items

# The loops as the templates had them.
MENU_LOOP = (
    "{% load i18n %}{% for item in nav_items %}"
    '<li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>'
    '{{ item.label }}{% if item.badge %} <span class="badge" aria-label="{% blocktranslate '
    'count n=item.badge %}{{ n }} open{% plural %}{{ n }} open{% endblocktranslate %}">'
    "{{ item.badge }}</span>{% endif %}</a></li>{% endfor %}"
)
TAB_LOOP = (
    "{% load i18n %}{% for tab in tabs %}"
    '<li><a href="{{ tab.url }}"{% if tab.current %} aria-current="page"{% endif %}>'
    '{{ tab.label }}{% if tab.disputed %} <span class="badge badge-warn">'
    '{% translate "betwist" %}</span>{% endif %}</a></li>{% endfor %}'
)

HOSTILE = '<b>"Taken" & co\'s</b>'


def _loop(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


MENUS = [
    [],
    [{"label": "Mijn cliënten", "url": "/caseload/", "current": True, "badge": 0}],
    [
        {"label": "Start", "url": "/", "current": False, "badge": 0},
        {"label": "Mijn taken", "url": "/taken/", "current": False, "badge": 1},
        {"label": HOSTILE, "url": "/a?b=1&c=<2>", "current": True, "badge": 12},
        {"label": mark_safe("<em>veilig</em>"), "url": "/x/", "current": False, "badge": 3},
    ],
]

TABS = [
    [],
    [
        {"label": "Dossier", "url": "/clienten/1/", "current": True, "disputed": False},
        {"label": "Gegevens", "url": "/clienten/1/gegevens/", "current": False, "disputed": True},
        {"label": HOSTILE, "url": "/c?d=1&e=2", "current": False, "disputed": True},
        {"label": mark_safe("<i>Wmo</i>"), "url": "/w/", "current": False, "disputed": False},
    ],
]


@pytest.mark.parametrize("items", MENUS)
def test_the_menu_items_are_the_template_loops(items):
    assert _squeezed(menu_items(items)) == _squeezed(_loop(MENU_LOOP, nav_items=items))


@pytest.mark.parametrize("tabs", TABS)
def test_the_tab_items_are_the_template_loops(tabs):
    assert _squeezed(tab_items(tabs)) == _squeezed(_loop(TAB_LOOP, tabs=tabs))


def test_hostile_labels_and_urls_are_escaped():
    html = menu_items(MENUS[2]) + tab_items(TABS[1])
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Taken&quot; &amp; co&#x27;s&lt;/b&gt;" in html
    assert 'href="/a?b=1&amp;c=&lt;2&gt;"' in html


@pytest.mark.django_db
def test_the_pages_show_the_menu_and_the_tabs(member, own_client, login):
    http = login(member)
    url = reverse("caseload:client-file", kwargs={"client_id": own_client.pk})
    html = http.get(url).content.decode()
    menu = re.search(r'<nav aria-label="Hoofdmenu" class="main-nav">(.*?)</nav>', html, re.S)
    tabs = re.search(r'<nav class="client-tabs"[^>]*>(.*?)</nav>', html, re.S)
    assert menu and tabs
    assert f'<a href="{reverse("caseload:task-list")}">' in menu.group(1)
    assert f'<a href="{url}" aria-current="page">Dossier</a>' in tabs.group(1)
    assert (
        f'<a href="{reverse("clients:client-detail", args=[own_client.pk])}">Gegevens</a>'
        in tabs.group(1)
    )


@pytest.mark.django_db
def test_the_header_counts_come_with_the_user_and_follow_each_change(member, team, login):
    """On a GET the unread notifications and the open tasks are counted in the sign-in's
    read of the user (no statement of their own); a change made by a POST shows on the
    page its redirect lands on."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseload.models import Task
    from olteams.services import notification_create

    notification_create(recipients=[member], title="Eerste")
    notification_create(recipients=[member], title="Tweede")
    Task.objects.create(title="Bellen", team=team, assignee=member, created_by=member)
    http = login(member)
    start = reverse("olteams:home")
    http.get(start)

    with CaptureQueriesContext(connection) as queries:
        html = http.get(start).content.decode()

    assert 'aria-label="2 ongelezen">2</span>' in html
    tasks = reverse("caseload:task-list")
    assert f'<a href="{tasks}">Mijn taken <span class="badge" aria-label="1 open">1</span>' in html
    counting = [q["sql"] for q in queries if '"olteams_notification"' in q["sql"]]
    reading = [sql for sql in counting if "count(*)" in sql]
    assert len(reading) == 1 and '"olteams_user"."password"' in reading[0]

    after = http.post(reverse("olteams:notification-mark-read"), follow=True)
    assert after.status_code == 200
    assert "ongelezen" not in after.content.decode().split("</header>")[0]
    Task.objects.update(done_at="2026-01-01T00:00Z", done_by=member)
    html = http.get(start).content.decode()
    assert f'<a href="{tasks}">Mijn taken</a>' in html


def test_menu_and_tab_labels_are_translated_once_per_language_and_forgotten_on_change(settings):
    """The labels are the lazy labels' texts, kept per language; changing the languages
    (as a test may) empties the store, as Django empties its catalogs."""
    from olteams import client_frame, navigation
    from olteams.constants import Role
    from olteams.templatetags import cached_i18n

    items = navigation.nav_for([r.value for r in Role], "/")
    by_name = {i.url_name: str(i.label) for i in navigation.NAV_ITEMS}
    assert items and {item["label"] for item in items} <= set(by_name.values())
    assert cached_i18n._LABELS
    tab = client_frame.TABS[0]
    assert cached_i18n.translated_label(("client_frame", tab.key), tab.label, "nl") == str(
        tab.label
    )
    assert ("nl", ("client_frame", tab.key)) in cached_i18n._LABELS
    settings.LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
    assert not cached_i18n._LABELS
