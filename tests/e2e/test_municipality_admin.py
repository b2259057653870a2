"""The functional administrator adds a municipality by clicks: the municipality, a Wmo
consultant, a product and an arrangement with its amount per four weeks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from finance.models import Tariff
from olteams.models import Municipality, MunicipalityRole
from tests.e2e.browser import serious_violations
from tests.e2e.helpers import sign_in
from tests.factories.wmo import category
from wmo.models import Arrangement, MunicipalProduct

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def test_functional_admin_adds_a_municipality_with_consultant_product_and_arrangement(
    live_server, page, traffic, admin_user
):
    category("02")  # the iWmo code list (loaded by a migration; made sure of here)
    sign_in(page, live_server.url, admin_user)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gemeenten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeenten")
    assert serious_violations(page) == []

    _main(page).get_by_role("link", name="Gemeente toevoegen").click()
    page.get_by_label("Naam").fill("Voorschoten")
    page.get_by_label("CBS-gemeentecode").fill("0626")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorschoten")
    expect(page.get_by_role("status")).to_contain_text("De gemeente is toegevoegd.")
    assert serious_violations(page) == []

    _main(page).get_by_role("link", name="Consulent toevoegen").click()
    page.get_by_label("Voornaam").fill("Vera")
    page.get_by_label("Achternaam").fill("Consulent")
    page.get_by_label("E-mailadres").fill("vera@voorschoten.example")
    page.get_by_label("Gebruikersnaam").fill("vera.consulent")
    page.get_by_label("Eerste wachtwoord").fill("Kwartel-Ladder-9841")
    page.get_by_label("Functioneel beheerder van deze gemeente").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De consulent is toegevoegd")
    expect(_main(page)).to_contain_text("vera.consulent")

    _main(page).get_by_role("link", name="Product toevoegen").click()
    page.get_by_label("Productcode").fill("02A01")
    page.get_by_label("Naam").fill("Arrangement kort herstel")
    page.get_by_label("Productcategorie").select_option("02")
    page.get_by_label("Eenheid").select_option("82")
    page.get_by_label("Geldig vanaf").fill("2026-01-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het product is toegevoegd.")
    expect(_main(page)).to_contain_text("02A01")

    _main(page).get_by_role("link", name="Arrangement toevoegen").click()
    page.get_by_label("Naam").fill("Kort herstel")
    page.get_by_label("Product (iWmo)").select_option(label="02A01 Arrangement kort herstel")
    page.get_by_label("Bedrag per 4 weken (€)").fill("560,00")
    page.get_by_label("Geldig vanaf").fill("2026-01-01")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het arrangement en zijn bedrag")
    arrangements = _main(page).get_by_role("table").filter(has_text="Bedrag per 4 weken")
    expect(arrangements).to_contain_text("Kort herstel")
    expect(arrangements).to_contain_text("€ 560,00")
    assert serious_violations(page) == []

    municipality = Municipality.objects.get(cbs_code="0626")
    role = MunicipalityRole.objects.get(municipality=municipality)
    assert (role.user.username, role.is_admin) == ("vera.consulent", True)
    product = MunicipalProduct.objects.get(municipality=municipality)
    arrangement = Arrangement.objects.get(municipality=municipality)
    assert arrangement.product == product
    tariff = Tariff.objects.get(arrangement=arrangement)
    assert (tariff.amount, tariff.valid_from) == (Decimal("560.00"), dt.date(2026, 1, 1))
    assert traffic.problems == []
