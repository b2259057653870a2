"""The dashboard API: read-only, steering group allowed, "<5" as null + suppressed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.selectors.dashboard import NO_FIGURE
from finance.services.accounts import account_compute
from tests.factories.clients import ClientFactory
from tests.factories.finance import build_team_month, episode_in_care

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=dt.UTC)
URL = "/api/v1/dashboard/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(team, other_team, member, outsider):
    clients = [
        ClientFactory(team=team, first_name="Geheim", last_name="Persoonsnaam", bsn="123456782")
    ]
    clients += [ClientFactory(team=team) for _ in range(6)]
    for client in clients:
        episode_in_care(client, since=dt.date(2025, 6, 1), by=member)
    for _ in range(3):
        episode_in_care(ClientFactory(team=other_team), since=dt.date(2025, 6, 1), by=outsider)


def _metric(scope, key):
    return next(m for m in scope["metrics"] if m["key"] == key)


def test_anonymous_is_refused(client):
    assert client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize("who", ["member", "consultant"])
def test_team_and_wmo_roles_are_refused(request, login, who, team):
    http = login(request.getfixturevalue(who))
    assert http.get(URL).status_code == 403
    assert http.get(f"{URL}teams/{team.pk}/").status_code == 403


def test_a_team_lead_gets_their_own_team_only(login, lead, team, other_team):
    http = login(lead)
    assert http.get(URL).status_code == 403
    own = http.get(f"{URL}teams/{team.pk}/")
    assert own.status_code == 200
    assert own.json()["scope"]["team"] == {"id": team.pk, "name": team.name}
    assert own.json()["teams"] == []
    assert http.get(f"{URL}teams/{other_team.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["stuurgroep_user", "controller", "admin_user"])
def test_allowed_roles(request, login, who, team):
    http = login(request.getfixturevalue(who))
    assert http.get(URL).status_code == 200
    assert http.get(f"{URL}teams/{team.pk}/").status_code == 200
    assert http.get(f"{URL}teams/999999/").status_code == 404


def test_read_only(login, stuurgroep_user):
    http = login(stuurgroep_user)
    assert http.post(URL, {}).status_code == 405
    assert http.delete(URL).status_code == 405


def test_series_with_suppression(login, stuurgroep_user, seeded, team, other_team):
    data = login(stuurgroep_user).get(URL, {"months": "3"}).json()

    assert data["end_month"] == "2026-03-01"
    assert data["months"] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert data["min_cell"] == 5 and data["suppressed_text"] == "<5"
    assert data["scope"]["team"] is None
    assert _metric(data["scope"], "clients_in_care")["points"][-1] == {
        "month": "2026-03-01",
        "value": 10.0,
        "suppressed": False,
        "text": "10",
    }
    by_team = {s["team"]["name"]: s for s in data["teams"]}
    # Withheld against subtraction: 10 (all teams) - 7 would reveal Team Zuid's 3.
    noord = _metric(by_team["Team Noord"], "clients_in_care")["points"][-1]
    assert noord == {"month": "2026-03-01", "value": None, "suppressed": True, "text": "\u00d7"}
    zuid = _metric(by_team["Team Zuid"], "clients_in_care")["points"][-1]
    assert zuid == {"month": "2026-03-01", "value": None, "suppressed": True, "text": "<5"}
    # Derived from three clients: withheld too.
    cov = _metric(by_team["Team Zuid"], "iroc_coverage_pct")["points"][-1]
    assert cov["suppressed"] is True and cov["value"] is None


def test_team_endpoint(login, stuurgroep_user, seeded, other_team):
    data = login(stuurgroep_user).get(f"{URL}teams/{other_team.pk}/").json()
    assert data["scope"]["team"] == {"id": other_team.pk, "name": "Team Zuid"}
    assert data["teams"] == []
    assert len(data["months"]) == 12
    points = _metric(data["scope"], "clients_in_care")["points"]
    assert all(p["suppressed"] and p["value"] is None for p in points)


def test_no_client_name_or_bsn_in_the_json(login, stuurgroep_user, seeded, team):
    http = login(stuurgroep_user)
    for url in (URL, f"{URL}teams/{team.pk}/"):
        text = json.dumps(http.get(url).json())
        for secret in ("Geheim", "Persoonsnaam", "123456782", "6782"):
            assert secret not in text


def test_money_from_accounts(login, stuurgroep_user, team, org_ggz, municipality):
    build_team_month(
        team=team, month=dt.date(2026, 3, 1), organisation=org_ggz, municipality=municipality
    )
    account_compute(team=team, month=dt.date(2026, 3, 1))
    data = login(stuurgroep_user).get(f"{URL}teams/{team.pk}/", {"months": "2"}).json()
    revenue = _metric(data["scope"], "revenue")["points"]
    assert revenue[0] == {
        "month": "2026-02-01",
        "value": None,
        "suppressed": False,
        "text": NO_FIGURE,
    }
    assert revenue[1]["value"] == 390.0 and revenue[1]["text"] == "€ 390,00"
    assert _metric(data["scope"], "revenue_per_client")["points"][1]["suppressed"] is True


@pytest.mark.parametrize(
    "params",
    [{"months": "0"}, {"months": "25"}, {"months": "x"}, {"end": "2026-13"}, {"end": "2030-01"}],
)
def test_bad_parameters_are_400_with_field_errors(login, stuurgroep_user, params):
    response = login(stuurgroep_user).get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) >= set(params)


def test_query_count_is_constant(login, stuurgroep_user, team, member, seeded):
    http = login(stuurgroep_user)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    count({"months": "24"})  # the first read stores the months (computed set-based)
    few = count({"months": "12"})
    for _ in range(9):
        episode_in_care(ClientFactory(team=team), since=dt.date(2024, 1, 1), by=member)
    assert count({"months": "24"}) == few
