"""The finance pages: wiring, permissions per role, Dutch errors, audit of the checks page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.constants import AccountStatus, LineCode, TariffKind
from finance.models import AccountLine, MonthlyAccount, Tariff
from finance.services import account_close, account_compute, accounts_compute_month
from olteams.models import AuditEvent
from tests.factories.finance import TariffFactory
from tests.finance.conftest import MARCH, TEST_REASON

pytestmark = pytest.mark.django_db
D = Decimal
ROLES = ["member", "lead", "stuurgroep_user", "consultant"]


@pytest.fixture
def account(team_month):
    return account_compute(team=team_month.team, month=MARCH)


def _account_urls(account) -> list[str]:
    kw = {"account_id": account.pk}
    return [
        reverse("finance:account-detail", kwargs=kw),
        reverse("finance:account-close", kwargs=kw),
        reverse("finance:adjustment-create", kwargs=kw),
        reverse("finance:checks", kwargs=kw),
    ]


DATA_URLS = [
    "finance:tariff-list",
    "finance:tariff-create",
    "finance:costrate-list",
    "finance:costrate-create",
    "finance:teamcost-list",
    "finance:teamcost-create",
    "finance:subsidy-list",
    "finance:subsidy-create",
    "finance:businesscase-list",
    "finance:businesscase-create",
]


def test_anonymous_is_sent_to_login(client, account):
    for url in [
        reverse("finance:account-list"),
        *_account_urls(account),
        *(reverse(n) for n in DATA_URLS),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"] or "aanmelden" in response["Location"]


def test_a_team_lead_reads_their_team_account_without_any_action(login, lead, account):
    html = login(lead).get(reverse("finance:account-detail", args=[account.pk])).content.decode()
    assert "Alleen inzien" in html
    assert reverse("finance:account-recompute", args=[account.pk]) not in html
    assert reverse("finance:account-close", args=[account.pk]) not in html
    assert reverse("finance:dashboard-team", args=[account.team_id]) in html


def test_a_team_lead_cannot_read_another_team_or_the_consolidated_account(
    login, lead, other_team_month
):
    other = account_compute(team=other_team_month.team, month=MARCH)
    consolidated = account_compute(team=None, month=MARCH)
    http = login(lead)
    assert http.get(reverse("finance:account-detail", args=[other.pk])).status_code == 404
    assert http.get(reverse("finance:account-detail", args=[consolidated.pk])).status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_other_roles_are_refused(login, account, who, request):
    http = login(request.getfixturevalue(who))
    assert http.get(reverse("finance:account-list")).status_code == 403
    for url in _account_urls(account):
        if who == "lead" and url == reverse("finance:account-detail", args=[account.pk]):
            continue  # the team's lead reads the account (test below); nothing else
        assert http.get(url).status_code == 404, url
    for name in DATA_URLS:
        assert http.get(reverse(name)).status_code == 403, name
    kw = {"account_id": account.pk}
    assert http.post(reverse("finance:account-close", kwargs=kw)).status_code == 404
    assert http.post(reverse("finance:account-recompute", kwargs=kw)).status_code == 404
    assert http.post(reverse("finance:month-compute"), {"maand": "2026-03"}).status_code == 403
    account.refresh_from_db()
    assert account.status == AccountStatus.DRAFT


@pytest.mark.parametrize("who", ["controller", "admin_user"])
def test_controller_and_admin_open_every_page(login, account, who, request):
    http = login(request.getfixturevalue(who))
    for url in [
        reverse("finance:account-list") + "?maand=2026-03",
        *_account_urls(account),
        *(reverse(n) for n in DATA_URLS),
    ]:
        assert http.get(url).status_code == 200, url


def test_list_shows_month_and_computes(login, controller, team_month, other_team_month):
    http = login(controller)
    page = http.get(reverse("finance:account-list") + "?maand=2026-03")
    assert "Maand openen" in page.content.decode()
    response = http.post(reverse("finance:month-compute"), {"maand": "2026-03"})
    assert response.status_code == 302
    assert MonthlyAccount.objects.filter(month=MARCH).count() == 3
    html = http.get(response["Location"]).content.decode()
    assert "Team Noord" in html and "Team Zuid" in html and "Alle teams (totaal)" in html
    assert "Maand herberekenen" in html


def test_list_query_count_does_not_grow(
    login, controller, django_assert_max_num_queries, team_month, other_team_month
):
    accounts_compute_month(month=MARCH)
    http = login(controller)
    url = reverse("finance:account-list") + "?maand=2026-03"
    http.get(url)
    with django_assert_max_num_queries(15):
        assert http.get(url).status_code == 200


def test_detail_shows_lines_totals_and_report_forms(login, controller, account):
    html = (
        login(controller)
        .get(reverse("finance:account-detail", kwargs={"account_id": account.pk}))
        .content.decode()
    )
    assert "Zvw: Consult behandeling vanaf 60 min, Psychiater (" in html
    assert "€ 390,00" in html
    # Revenue beside costs per mother organisation, and the Zvw prestaties with counts.
    assert "Opbrengsten en kosten per moederorganisatie" in html
    assert "Zvw-prestaties (zorgprestatiemodel)" in html
    assert '<th scope="row">Toeslag reistijd</th><td class="num">2</td>' in html
    assert reverse("finance:report-create") in html
    assert "Businesscase en werkelijke formatie" in html


def test_close_flow_and_second_close_error(login, controller, account):
    http = login(controller)
    url = reverse("finance:account-close", kwargs={"account_id": account.pk})
    page = http.get(url).content.decode()
    assert "Ja, maand sluiten" in page
    assert "liggen ver van de formatie" in page  # what needs a reason is shown first
    response = http.post(url, follow=True)
    assert response.status_code == 400
    assert "Licht toe waarom u deze maand toch sluit" in response.content.decode()
    account.refresh_from_db()
    assert not account.is_closed
    response = http.post(url, {"reason": "Weinig uren: de maand van de verhuizing."}, follow=True)
    assert "De maand is gesloten." in response.content.decode()
    assert "Weinig uren: de maand van de verhuizing." in response.content.decode()
    account.refresh_from_db()
    assert account.is_closed
    response = http.post(url, follow=True)
    assert "Deze maand is al gesloten." in response.content.decode()
    response = http.post(
        reverse("finance:account-recompute", kwargs={"account_id": account.pk}), follow=True
    )
    assert "gesloten" in response.content.decode()


def test_adjustment_form(login, controller, team_month, account):
    account_close(actor=controller, account=account, reason=TEST_REASON)
    april = account_compute(team=team_month.team, month=dt.date(2026, 4, 1))
    http = login(controller)
    url = reverse("finance:adjustment-create", kwargs={"account_id": april.pk})
    response = http.post(
        url,
        {
            "adjusts_month": "2026-03-01",
            "section": "kosten",
            "label": "",
            "amount": "-80,00",
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.content.decode()
    assert not AccountLine.objects.filter(code=LineCode.ADJUSTMENT).exists()
    response = http.post(
        url,
        {
            "adjusts_month": "2026-03-01",
            "section": "kosten",
            "label": "Huur",
            "amount": "-80,00",
            "reason": "Huur maart te hoog",
        },
    )
    assert response.status_code == 302
    line = AccountLine.objects.get(code=LineCode.ADJUSTMENT)
    assert (line.amount, line.adjusts_month, line.account_id) == (D("-80.00"), MARCH, april.pk)
    # into the closed month: refused
    response = http.get(reverse("finance:adjustment-create", kwargs={"account_id": account.pk}))
    assert response.status_code == 200
    response = http.post(
        reverse("finance:adjustment-create", kwargs={"account_id": account.pk}),
        {"adjusts_month": "2026-02-01", "section": "kosten", "amount": "1", "reason": "x"},
    )
    assert response.status_code == 400


def test_checks_page_lists_clients_and_records_search_event(login, controller, team_month, account):
    http = login(controller)
    before = AuditEvent.objects.count()
    html = http.get(reverse("finance:checks", kwargs={"account_id": account.pk})).content.decode()
    assert team_month.clients[2].last_name in html
    assert "Cliënten in zorg zonder geregistreerde uren (1)" in html
    assert "Medewerkers van wie de uren ver van de formatie liggen (2)" in html
    assert team_month.organisation.name in html
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.event_type == "search"
    assert event.user == controller
    assert event.object_type == "finance.monthlyaccount"
    # The clients the page names, and no other.
    named = {c.pk for c in team_month.clients if c.full_name in html}
    assert named
    assert set(event.client_ids) == named


def test_overlapping_tariff_form_shows_dutch_error(login, controller, municipality):
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60"))
    response = login(controller).post(
        reverse("finance:tariff-create"),
        {
            "kind": TariffKind.WMO_HOUR,
            "municipality": municipality.pk,
            "amount": "65",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "Deze periode overlapt met een bestaande periode" in response.content.decode()
    assert Tariff.objects.count() == 1


def test_tariff_create_and_edit(login, controller):
    http = login(controller)
    response = http.post(
        reverse("finance:tariff-create"),
        {
            "kind": TariffKind.WLZ_HOUR,
            "amount": "80,00",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    tariff = Tariff.objects.get()
    response = http.post(
        reverse("finance:tariff-update", kwargs={"pk": tariff.pk}),
        {
            "kind": TariffKind.WLZ_HOUR,
            "amount": "-1",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "Een bedrag kan niet negatief zijn." in response.content.decode()
    tariff.refresh_from_db()
    assert tariff.amount == D("80.00")


def test_business_case_form(login, admin_user, team):
    http = login(admin_user)
    data = {
        "team": team.pk,
        "name": "BC 2026",
        "target_clients": "60",
        "valid_from": "2026-01-01",
        "fte_casemanager": "3,5",
        "fte_spv": "-1",
    }
    response = http.post(reverse("finance:businesscase-create"), data)
    assert response.status_code == 400
    assert "kan niet negatief zijn" in response.content.decode()
    data["fte_spv"] = "1"
    assert http.post(reverse("finance:businesscase-create"), data).status_code == 302
