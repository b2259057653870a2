"""Arrangements paid per four weeks: pro-rated by days in the accounts, never an hourly Wmo
tariff on top, declared as the arrangement's product, and kept as dated tariffs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from finance.constants import LineCode, TariffKind
from finance.models import Tariff
from finance.pdf import render_account_pdf
from finance.selectors import account_totals
from finance.services import account_compute, wmo323_declaration, wmo323_lines
from finance.services.data import tariff_create
from finance.xlsx import render_account_xlsx
from tests.factories.clients import ClientFactory
from tests.factories.finance import (
    TariffFactory,
    arrangement,
    contact,
    episode_in_care,
    indication,
)
from tests.factories.olteams import MembershipFactory
from tests.finance.conftest import MARCH
from tests.finance.report_helpers import pdf_text
from wmo import iwmo

pytestmark = pytest.mark.django_db
D = Decimal
APRIL = dt.date(2026, 4, 1)
NOW = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def worker(team, org_ggz):
    return MembershipFactory(team=team, organisation=org_ggz, discipline="ambulant_begeleider")


def _client(team, municipality, org, worker):
    client = ClientFactory(team=team, municipality=municipality, registering_organisation=org)
    episode_in_care(client, since=dt.date(2025, 1, 1), by=worker.user)
    return client


def _lines(account, code):
    return list(account.lines.filter(code=code).order_by("position"))


def test_amount_per_four_weeks_pro_rated_at_start_end_and_month_boundaries(
    team, org_ggz, municipality, worker
):
    kort = arrangement(municipality, name="Kort herstel")  # 560.00 per 4 weeks: 20.00 a day
    client = _client(team, municipality, org_ggz, worker)
    indication(
        client,
        municipality=municipality,
        start=dt.date(2026, 3, 10),
        end=dt.date(2026, 4, 20),
        by=worker.user,
        arrangement=kort,
    )
    march = account_compute(team=team, month=MARCH)
    [line] = _lines(march, LineCode.REVENUE_WMO_ARRANGEMENT)
    # 10 .. 31 March: 22 days x 560 / 28.
    assert (line.amount, line.quantity, line.unit) == (D("440.00"), D("1.00"), "cliënten")
    assert line.arrangement_id == kort.pk
    assert line.municipality_id == municipality.pk
    assert line.organisation_id == org_ggz.pk
    assert line.label == (
        "Opbrengst Wmo (arrangement per 4 weken): Testgemeente — Kort herstel (GGZ-T)"
    )
    assert account_totals(march).revenue == D("440.00")
    assert account_totals(march).revenue_by_stream == {"wmo": D("440.00")}
    # 1 .. 20 April: 20 days.
    april = account_compute(team=team, month=APRIL)
    assert [x.amount for x in _lines(april, LineCode.REVENUE_WMO_ARRANGEMENT)] == [D("400.00")]
    assert account_totals(april).revenue == D("400.00")
    # Nothing before the start, nothing after the end.
    february = account_compute(team=team, month=dt.date(2026, 2, 1))
    may = account_compute(team=team, month=dt.date(2026, 5, 1))
    assert _lines(february, LineCode.REVENUE_WMO_ARRANGEMENT) == []
    assert _lines(may, LineCode.REVENUE_WMO_ARRANGEMENT) == []
    # The consolidated account carries the line with its arrangement.
    consolidated = account_compute(team=None, month=MARCH)
    [total] = _lines(consolidated, LineCode.REVENUE_WMO_ARRANGEMENT)
    assert (total.amount, total.arrangement_id) == (D("440.00"), kort.pk)


def test_a_new_tariff_in_the_month_pays_each_day_at_its_own_amount(
    team, org_ggz, municipality, worker
):
    groei = arrangement(municipality, name="Herstel/groei/stabilisatie", amount=None)
    TariffFactory(
        kind=TariffKind.WMO_FIXED,
        municipality=municipality,
        arrangement=groei,
        amount=D("560.00"),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 3, 15),
    )
    TariffFactory(
        kind=TariffKind.WMO_FIXED,
        municipality=municipality,
        arrangement=groei,
        amount=D("840.00"),
        valid_from=dt.date(2026, 3, 16),
    )
    client = _client(team, municipality, org_ggz, worker)
    indication(
        client, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user,
        arrangement=groei,
    )  # fmt: skip
    account = account_compute(team=team, month=MARCH)
    # 15 days x 20.00 + 16 days x 30.00.
    assert [x.amount for x in _lines(account, LineCode.REVENUE_WMO_ARRANGEMENT)] == [D("780.00")]


def test_no_hourly_tariff_on_top_of_an_arrangement_whatever_the_hours(
    team, org_ggz, municipality, worker
):
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60.00"))
    kort = arrangement(municipality)
    in_arrangement = _client(team, municipality, org_ggz, worker)
    per_hour = _client(team, municipality, org_ggz, worker)
    indication(
        in_arrangement, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user,
        arrangement=kort,
    )  # fmt: skip
    indication(per_hour, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user)
    for client in (in_arrangement, per_hour):
        contact(
            client=client,
            team=team,
            date=dt.date(2026, 3, 10),
            minutes=90,
            workers=[worker],
            funding="wmo",
        )
    account = account_compute(team=team, month=MARCH)
    [hours] = _lines(account, LineCode.REVENUE_WMO_HOURS)
    assert (hours.quantity, hours.amount) == (D("1.50"), D("90.00"))  # only the hourly client
    [fixed] = _lines(account, LineCode.REVENUE_WMO_ARRANGEMENT)
    assert fixed.amount == D("620.00")  # 31 days x 20.00
    assert account_totals(account).revenue == D("710.00")
    # More hours inside the arrangement change nothing: the intensity inside it is free.
    contact(
        client=in_arrangement,
        team=team,
        date=dt.date(2026, 3, 12),
        minutes=300,
        workers=[worker],
        funding="wmo",
    )
    account = account_compute(team=team, month=MARCH)
    assert [x.amount for x in _lines(account, LineCode.REVENUE_WMO_HOURS)] == [D("90.00")]
    assert [x.amount for x in _lines(account, LineCode.REVENUE_WMO_ARRANGEMENT)] == [D("620.00")]
    assert account_totals(account).revenue == D("710.00")
    # The declaration: hours for the hourly client, the arrangement for the other.
    declared = wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH)
    by_product = sorted((line.product_code, line.unit, line.amount_cents) for line in declared)
    hourly_product = per_hour.wmo_indications.get().product.code
    # 90 minutes x 60.00 an hour, in minutes; the arrangement as one output of 620.00.
    assert by_product == sorted([(kort.product.code, "82", 62000), (hourly_product, "01", 9000)])


def test_declaration_follows_the_arrangement_and_is_schema_valid(
    team, org_ggz, municipality, worker
):
    kort = arrangement(municipality)
    client = _client(team, municipality, org_ggz, worker)
    granted = indication(
        client,
        municipality=municipality,
        start=dt.date(2026, 3, 10),
        end=dt.date(2026, 4, 20),
        by=worker.user,
        arrangement=kort,
    )
    [line] = wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH)
    assert line.toewijzing_number == granted.toewijzing_number
    assert (line.product_code, line.category) == (kort.product.code, "02")
    assert (line.start, line.end) == (dt.date(2026, 3, 10), dt.date(2026, 3, 31))
    assert (line.volume, line.unit, line.tariff_cents, line.amount_cents) == (1, "82", None, 44000)
    xml = wmo323_declaration(
        organisation=org_ggz, municipality=municipality, month=MARCH, today=dt.date(2026, 4, 2)
    )
    root = etree.fromstring(xml)
    assert iwmo.schema_errors(root, "WMO323") == []
    assert root.findtext("{*}Declaratie/{*}Clienten/{*}Client/{*}Prestaties/{*}Prestatie/"
                         "{*}ProductCode") == kort.product.code  # fmt: skip
    assert (
        root.findtext(f"{{*}}Declaratie/{{*}}TotaalIngediendBedrag/{{{iwmo.NS_BASIS}}}TotaalBedrag")
        == "44000"
    )
    # April: 1 .. 20 April pro-rated.
    [april] = wmo323_lines(organisation=org_ggz, municipality=municipality, month=APRIL)
    assert (april.start, april.end, april.amount_cents) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 20),
        40000,
    )


def test_arrangement_tariff_rules_in_the_service(controller, municipality, other_municipality):
    kort = arrangement(municipality, amount=None)
    saved = tariff_create(
        actor=controller,
        kind=TariffKind.WMO_FIXED,
        arrangement=kort,
        amount=D("560.00"),
        valid_from=dt.date(2026, 1, 1),
    )
    assert saved.municipality == municipality  # follows the arrangement
    assert (saved.funding_stream, saved.unit) == ("wmo", "4weken")
    with pytest.raises(Exception) as exc:
        tariff_create(
            actor=controller,
            kind=TariffKind.WMO_HOUR,
            arrangement=kort,
            municipality=municipality,
            amount=D("60.00"),
            valid_from=dt.date(2026, 1, 1),
        )
    assert exc.value.message_dict == {
        "arrangement": ["Een arrangement wordt betaald met een vast bedrag per cliënt per 4 weken."]
    }
    with pytest.raises(Exception) as exc:
        tariff_create(
            actor=controller,
            kind=TariffKind.WMO_FIXED,
            arrangement=kort,
            municipality=other_municipality,
            product=kort.product,
            amount=D("560.00"),
            valid_from=dt.date(2027, 1, 1),
        )
    assert set(exc.value.message_dict) == {"municipality", "product"}
    with pytest.raises(Exception) as exc:
        tariff_create(
            actor=controller,
            kind=TariffKind.WMO_FIXED,
            arrangement=kort,
            amount=D("600.00"),
            valid_from=dt.date(2026, 6, 1),
        )
    assert exc.value.message_dict == {
        "valid_from": ["Deze periode overlapt met een bestaande periode voor dezelfde gegevens."]
    }
    assert Tariff.objects.count() == 1


def test_an_hourly_tariff_and_an_arrangement_tariff_live_side_by_side(controller, municipality):
    """The municipality pays hourly for plain indications and per four weeks for arrangements."""
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=D("60.00"))
    kort = arrangement(municipality)
    assert Tariff.objects.filter(arrangement=kort, kind=TariffKind.WMO_FIXED).count() == 1


def test_api_400s_for_arrangement_tariffs(login, controller, municipality):
    kort = arrangement(municipality, amount=None)
    http = login(controller)
    url = "/api/v1/financien/tarieven/"
    wrong_kind = http.post(
        url,
        {"kind": "wmo_uur", "arrangement": kort.pk, "amount": "60.00", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert wrong_kind.status_code == 400
    assert wrong_kind.json()["arrangement"] == [
        "Een arrangement wordt betaald met een vast bedrag per cliënt per 4 weken."
    ]
    missing = http.post(
        url,
        {"kind": "wmo_vast", "arrangement": 999999, "amount": "60.00", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert list(missing.json()) == ["arrangement"]
    ok = http.post(
        url,
        {
            "kind": "wmo_vast",
            "arrangement": kort.pk,
            "amount": "560.00",
            "valid_from": "2026-01-01",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    assert (ok.json()["arrangement"], ok.json()["municipality"]) == (kort.pk, municipality.pk)
    assert Tariff.objects.count() == 1


def test_tariff_page_sets_an_arrangement_tariff_with_dutch_errors(login, controller, municipality):
    kort = arrangement(municipality, amount=None)
    http = login(controller)
    url = reverse("finance:tariff-create")
    page = http.get(f"{url}?kind=wmo_vast&arrangement={kort.pk}").content.decode()
    assert f'<option value="{kort.pk}" selected>' in page
    bad = http.post(
        url, {"kind": "wmo_uur", "arrangement": kort.pk, "amount": "60,00",
              "valid_from": "2026-01-01"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "Een arrangement wordt betaald met een vast bedrag" in bad.content.decode()
    assert not Tariff.objects.exists()
    good = http.post(
        url, {"kind": "wmo_vast", "arrangement": kort.pk, "amount": "560,00",
              "valid_from": "2026-01-01"},
    )  # fmt: skip
    assert good.status_code == 302
    assert Tariff.objects.get().arrangement == kort


def test_arrangement_revenue_on_the_page_pdf_and_xlsx(
    login, team, org_ggz, municipality, worker, controller
):
    kort = arrangement(municipality, name="Kort herstel")
    client = _client(team, municipality, org_ggz, worker)
    indication(
        client, municipality=municipality, start=dt.date(2026, 3, 10), by=worker.user,
        arrangement=kort,
    )  # fmt: skip
    account = account_compute(team=team, month=MARCH)
    label = "Opbrengst Wmo (arrangement per 4 weken): Testgemeente — Kort herstel (GGZ-T)"
    page = login(controller).get(reverse("finance:account-detail", args=[account.pk]))
    assert label in page.content.decode()
    assert label in pdf_text(render_account_pdf(account, now=NOW))
    sheet = load_workbook(io.BytesIO(render_account_xlsx(account, now=NOW)))["Team Noord"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    [row] = [r for r in rows if label in r]
    assert 440 in row or D("440.00") in row or 440.0 in row
