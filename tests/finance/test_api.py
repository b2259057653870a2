"""The finance API: read-only accounts and lines, actions, tariffs/rates; 400s in Dutch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finance.constants import AccountStatus, LineCode, TariffKind
from finance.models import AccountLine, BusinessCase, CostRate, Tariff
from finance.selectors import account_totals
from finance.services import account_close, account_compute, accounts_compute_month
from olteams.constants import Discipline
from tests.factories.finance import TariffFactory, contact
from tests.finance.conftest import MARCH, TEST_REASON

pytestmark = pytest.mark.django_db
BASE = "/api/v1/financien/"
D = Decimal


@pytest.fixture
def account(team_month):
    return account_compute(team=team_month.team, month=MARCH)


def test_anonymous_gets_401_or_403(client, account):
    assert client.get(f"{BASE}verantwoordingen/").status_code in (401, 403)
    assert client.get(f"{BASE}tarieven/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["member", "lead", "stuurgroep_user"])
def test_other_roles_get_403_or_404(login, account, who, request):
    http = login(request.getfixturevalue(who))
    assert http.get(f"{BASE}verantwoordingen/").status_code == 403
    assert http.get(f"{BASE}verantwoordingen/{account.pk}/").status_code == 404
    assert http.get(f"{BASE}verantwoordingen/{account.pk}/regels/").status_code == 404
    assert http.post(f"{BASE}verantwoordingen/{account.pk}/close/").status_code == 404
    assert http.get(f"{BASE}tarieven/").status_code == 403
    assert http.post(f"{BASE}tarieven/", {}, content_type="application/json").status_code == 403
    account.refresh_from_db()
    assert account.status == AccountStatus.DRAFT


def test_list_and_detail_with_totals_and_lines(login, controller, team_month, other_team_month):
    accounts_compute_month(month=MARCH)
    http = login(controller)
    body = http.get(f"{BASE}verantwoordingen/?month=2026-03").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 3
    consolidated = next(r for r in rows if r["team"] is None)
    assert consolidated["totals"]["revenue"] == "780.00"
    assert consolidated["totals"]["revenue_by_stream"] == {"zvw": "600.00", "wmo": "180.00"}
    detail = http.get(f"{BASE}verantwoordingen/{consolidated['id']}/").json()
    assert detail["totals"]["result_excl_subsidy"] == "-23220.00"
    assert any(line["code"] == LineCode.REVENUE_ZVW for line in detail["lines"])
    lines = http.get(f"{BASE}verantwoordingen/{consolidated['id']}/regels/").json()
    assert len(lines) == len(detail["lines"])


def test_close_twice_is_400(login, controller, account):
    http = login(controller)
    url = f"{BASE}verantwoordingen/{account.pk}/close/"
    without_reason = http.post(url)
    assert without_reason.status_code == 400
    assert "Licht toe waarom" in without_reason.json()["reason"][0]
    first = http.post(url, {"reason": TEST_REASON})
    assert first.status_code == 200
    assert first.json()["status"] == AccountStatus.CLOSED
    assert first.json()["close_reason"] == TEST_REASON
    assert "ver van de formatie" in first.json()["close_findings"][0]
    second = http.post(url, {"reason": TEST_REASON})
    assert second.status_code == 400
    assert second.json() == {"non_field_errors": ["Deze maand is al gesloten."]}


def test_closed_month_cannot_change_through_the_api(login, controller, team_month, account):
    account_close(actor=controller, account=account, reason=TEST_REASON)
    before = account_totals(account)
    contact(
        client=team_month.clients[0],
        team=team_month.team,
        date=dt.date(2026, 3, 21),
        minutes=60,
        workers=[team_month.casemanager],
    )
    http = login(controller)
    response = http.post(f"{BASE}verantwoordingen/{account.pk}/herberekenen/")
    assert response.status_code == 400
    assert "gesloten" in response.json()["non_field_errors"][0]
    response = http.post(
        f"{BASE}verantwoordingen/{account.pk}/correcties/",
        {"adjusts_month": "2026-02-01", "section": "kosten", "amount": "10", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "gesloten" in response.json()["non_field_errors"][0]
    assert account_totals(account) == before
    assert not AccountLine.objects.filter(code=LineCode.ADJUSTMENT).exists()


def test_adjustment_through_the_api(login, controller, team_month, account):
    account_close(actor=controller, account=account, reason=TEST_REASON)
    april = account_compute(team=team_month.team, month=dt.date(2026, 4, 1))
    http = login(controller)
    url = f"{BASE}verantwoordingen/{april.pk}/correcties/"
    bad = http.post(
        url,
        {"adjusts_month": "2026-04-01", "section": "kosten", "amount": "10", "reason": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"adjusts_month", "reason"}
    ok = http.post(
        url,
        {
            "adjusts_month": "2026-03-01",
            "section": "opbrengsten",
            "amount": "25.00",
            "reason": "Nagekomen consult",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["amount"] == "25.00"


def test_overlapping_tariff_is_400_in_dutch(login, controller, municipality):
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60"))
    response = login(controller).post(
        f"{BASE}tarieven/",
        {
            "kind": "wmo_uur",
            "municipality": municipality.pk,
            "amount": "65.00",
            "valid_from": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "valid_from": ["Deze periode overlapt met een bestaande periode voor dezelfde gegevens."]
    }
    assert Tariff.objects.count() == 1


def test_tariff_create_update_and_negative_amount(login, admin_user):
    http = login(admin_user)
    created = http.post(
        f"{BASE}tarieven/",
        {"kind": "wlz_uur", "amount": "80.00", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["funding_stream"], created.json()["unit"]) == ("wlz", "uur")
    url = f"{BASE}tarieven/{created.json()['id']}/"
    bad = http.patch(url, {"amount": "-5"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"amount": ["Een bedrag kan niet negatief zijn."]}
    assert Tariff.objects.get().amount == D("80.00")
    assert (
        http.patch(url, {"amount": "82.50"}, content_type="application/json").json()["amount"]
        == "82.50"
    )


def test_missing_kind_fields_are_400(login, controller):
    response = login(controller).post(
        f"{BASE}tarieven/",
        {"kind": "zvw_consult", "amount": "90", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["prestatie"]


def test_cost_rate_negative_and_overlap(login, controller, org_ggz):
    http = login(controller)
    payload = {
        "organisation": org_ggz.pk,
        "discipline": Discipline.SPV,
        "monthly_cost_per_fte": "-1",
        "valid_from": "2026-01-01",
    }
    assert (
        http.post(f"{BASE}kostentarieven/", payload, content_type="application/json").status_code
        == 400
    )
    payload["monthly_cost_per_fte"] = "6500"
    assert (
        http.post(f"{BASE}kostentarieven/", payload, content_type="application/json").status_code
        == 201
    )
    again = http.post(f"{BASE}kostentarieven/", payload, content_type="application/json")
    assert again.status_code == 400
    assert "valid_from" in again.json()
    assert CostRate.objects.count() == 1


def test_team_costs_and_subsidies(login, controller, team):
    http = login(controller)
    assert (
        http.post(
            f"{BASE}teamkosten/",
            {
                "team": team.pk,
                "kind": "huisvesting",
                "monthly_amount": "1500",
                "valid_from": "2026-01-01",
            },
            content_type="application/json",
        ).status_code
        == 201
    )
    bad = http.post(
        f"{BASE}subsidies/",
        {
            "team": team.pk,
            "source": "Provincie",
            "amount": "-1",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert not BusinessCase.objects.exists()
