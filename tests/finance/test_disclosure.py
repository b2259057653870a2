"""Disclosure control over the demo data: no figure derived from fewer than 5 clients (or
with fewer than 5 on top of a percentage) reaches a steering-group page or the API, and no
withheld figure can be recovered by subtraction from the figures that are shown."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.urls import reverse

from caseload import demo as caseload_demo
from clients import demo as clients_demo
from finance import demo
from finance.models import SteeringFigure
from finance.selectors.dashboard import METRICS, STEERING_MIN_CELL
from herstelplan import demo as herstelplan_demo
from olteams import demo as olteams_demo
from olteams.models import Team
from wmo import demo as wmo_demo

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
UNITS = {d.key: d.unit for d in METRICS}


@pytest.fixture
def seeded():
    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    clients_demo.seed(today=TODAY, rng=random.Random(2), scale=0.05)
    herstelplan_demo.seed(today=TODAY, rng=random.Random(6))
    wmo_demo.seed(today=TODAY, rng=random.Random(3))
    caseload_demo.seed(today=TODAY, rng=random.Random(4), scale=0.05)
    demo.seed(today=TODAY, rng=random.Random(5), scale=0.05)


def _small(n):
    return n is not None and n < STEERING_MIN_CELL


def _api_points(http, url):
    data = http.get(url, {"months": "24", "end": "2026-02"}).json()
    for scope in [data["scope"], *data["teams"]]:
        team_id = scope["team"]["id"] if scope["team"] else None
        for metric in scope["metrics"]:
            for point in metric["points"]:
                yield team_id, metric["key"], dt.date.fromisoformat(point["month"]), point


def test_no_figure_of_fewer_than_five_reaches_a_page_or_the_api(seeded, login, stuurgroep_user):
    http = login(stuurgroep_user)
    teams = list(Team.objects.order_by("pk"))
    urls = [reverse("api:finance-dashboard")] + [
        reverse("api:finance-dashboard-team", args=[t.pk]) for t in teams
    ]
    points = [p for url in urls for p in _api_points(http, url)]
    stored = {
        (f.team_id, f.key, f.month.month): f for f in SteeringFigure.objects.select_related("month")
    }
    shown = hidden = 0
    for team_id, key, month, point in points:
        figure = stored[team_id, key, month]
        if point["suppressed"]:
            assert point["value"] is None and point["text"] in ("<5", "\u00d7")
            hidden += 1
            continue
        assert not _small(figure.base), (team_id, key, month, figure.base)
        assert not _small(figure.numerator), (team_id, key, month, figure.numerator)
        if UNITS.get(key, "count") == "count":
            assert point["value"] >= STEERING_MIN_CELL
        shown += 1
    # The demo has both: figures shown and figures withheld (the check is not empty).
    assert shown > 500 and hidden > 50

    # Every stored figure that is shown passes the rule (the pages read these rows too).
    for figure in stored.values():
        if not figure.mark:
            assert not _small(figure.base) and not _small(figure.numerator), figure.key

    # No single hidden team count under a shown all-teams count; hidden counts never add
    # up to 1-4 (both would give the hidden count away by subtraction).
    by_month: dict = {}
    for (team_id, key, month), figure in stored.items():
        if UNITS.get(key, "count") == "count" and figure.base is not None:
            by_month.setdefault((key, month), []).append((team_id, figure))
    for (key, month), cells in by_month.items():
        total = next(f for t, f in cells if t is None)
        if total.mark:
            continue
        hidden_cells = [f for t, f in cells if t is not None and f.mark]
        assert len(hidden_cells) != 1, (key, month)
        assert not (0 < sum(int(f.value or 0) for f in hidden_cells) < 5), (key, month)

    # The pages: the overview and every team page show no cell the rows withhold.
    overview = http.get(reverse("finance:dashboard"), {"months": "24", "end": "2026-02"})
    assert overview.status_code == 200
    html = overview.content.decode()
    assert "Waarom sommige cijfers ontbreken" in html
    for team in teams:
        page = http.get(reverse("finance:dashboard-team", args=[team.pk]), {"months": "24"})
        assert page.status_code == 200


def test_lead_times_over_the_demo_show_nothing_under_five(seeded, login, stuurgroep_user):
    html = login(stuurgroep_user).get(reverse("wmo:lead-times")).content.decode()
    rows = re.findall(r"<tr><td>.*?</tr>", html, flags=re.S)
    assert rows
    for row in rows:
        cells = re.findall(r'<td class="num">(.*?)</td>', row, flags=re.S)
        decided = cells[0].strip()
        assert decided == "&lt;5" or int(decided) >= STEERING_MIN_CELL, row
        if decided == "&lt;5":
            assert all(c.strip() == "&lt;5" for c in cells), row
