"""A municipality added by a functional administrator, and managed by its own: consultants
(who enrol their second factor at first sign-in), products and arrangements with a tariff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.constants import TariffKind
from finance.models import Tariff
from olteams.models import Municipality, MunicipalityRole, User
from olteams.navigation import nav_for
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory, category
from wmo.models import Arrangement, MunicipalProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_admin(municipality):
    return MunicipalityRoleFactory(
        user=UserFactory(username="beheer.gemeente"), municipality=municipality, is_admin=True
    ).user


def test_adding_a_municipality_checks_the_cbs_code_in_dutch(login, admin_user, municipality):
    http = login(admin_user)
    url = reverse("finance:municipality-create")
    for cbs_code, message in (
        ("626", "Een CBS-gemeentecode bestaat uit 4 cijfers, bijvoorbeeld 0626."),
        ("06a6", "Een CBS-gemeentecode bestaat uit 4 cijfers, bijvoorbeeld 0626."),
        ("9001", "Er is al een gemeente met deze CBS-code."),
    ):
        response = http.post(url, {"name": "Voorschoten", "cbs_code": cbs_code})
        assert response.status_code == 400
        assert message in response.content.decode()
    response = http.post(url, {"name": "testgemeente", "cbs_code": "0626"})
    assert "Er is al een gemeente met deze naam." in response.content.decode()
    assert Municipality.objects.count() == 1
    response = http.post(url, {"name": "Voorschoten", "cbs_code": "0626"})
    created = Municipality.objects.get(cbs_code="0626")
    assert response.url == reverse("finance:municipality-detail", args=[created.pk])


def test_a_consultant_gets_a_user_and_a_role_and_enrols_at_first_sign_in(
    client, admin_user, municipality, login
):
    http = login(admin_user)
    url = reverse("finance:consultant-create", args=[municipality.pk])
    weak = http.post(
        url,
        {"last_name": "Jansen", "email": "j@x.example", "username": "j jansen", "password": "123"},
    )
    assert weak.status_code == 400
    page = weak.content.decode()
    assert "Kies een gebruikersnaam van letters, cijfers" in page
    assert "Kies een sterker wachtwoord: minstens 10 tekens" in page
    assert not User.objects.filter(last_name="Jansen").exclude(pk=admin_user.pk).exists()
    response = http.post(
        url,
        {
            "first_name": "Joke",
            "last_name": "Jansen",
            "email": "joke@testgemeente.example",
            "username": "joke.jansen",
            "password": "Lang-en-sterk-2026!",
            "is_lead": "on",
        },
    )
    assert response.status_code == 302
    role = MunicipalityRole.objects.get(user__username="joke.jansen")
    assert (role.municipality, role.is_lead, role.is_admin) == (municipality, True, False)
    # The first sign-in asks for the second factor to be enrolled (no device yet).
    signed_in = client.post(
        reverse("olteams:login"), {"username": "joke.jansen", "password": "Lang-en-sterk-2026!"}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("olteams:otp-enrol")


def test_a_municipality_admin_manages_only_their_own(
    login, local_admin, municipality, other_municipality
):
    http = login(local_admin)
    assert http.get(reverse("finance:municipality-list")).status_code == 200
    assert http.get(reverse("finance:municipality-create")).status_code == 403
    assert (
        http.get(reverse("finance:municipality-detail", args=[municipality.pk])).status_code == 200
    )
    for name in (
        "municipality-detail",
        "consultant-create",
        "product-create",
        "arrangement-create",
    ):
        assert http.get(reverse(f"finance:{name}", args=[other_municipality.pk])).status_code == 404
    response = http.post(
        reverse("finance:product-create", args=[other_municipality.pk]),
        {"code": "02A01", "name": "X", "category": "02", "unit": "04", "start": "2026-01-01"},
    )
    assert response.status_code == 404
    assert not MunicipalProduct.objects.exists()
    # The menu shows "Gemeenten" to a municipality's administrator, not to a plain consultant.
    page = http.get(reverse("finance:municipality-list")).content.decode()
    assert 'href="/financien/gemeenten/"' in page
    plain = MunicipalityRoleFactory(municipality=municipality).user
    assert 'href="/financien/gemeenten/"' not in login(plain).get("/").content.decode()
    assert login(plain).get(reverse("finance:municipality-list")).status_code == 403
    assert all(item["label"] != "Gemeenten" for item in nav_for(["wmo_consultant"], "/"))


def test_product_and_arrangement_with_its_tariff(login, local_admin, municipality):
    category("02")  # the iWmo code list (a transactional test's flush may have removed it)
    http = login(local_admin)
    bad = http.post(
        reverse("finance:product-create", args=[municipality.pk]),
        {"code": "2a1", "name": "Arrangement kort", "category": "02", "unit": "82",
         "start": "2026-01-01"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "Een productcode bestaat uit 5 cijfers of hoofdletters" in bad.content.decode()
    http.post(
        reverse("finance:product-create", args=[municipality.pk]),
        {"code": "02a01", "name": "Arrangement kort", "category": "02", "unit": "82",
         "start": "2026-01-01"},
    )  # fmt: skip
    product = MunicipalProduct.objects.get(municipality=municipality)
    assert product.code == "02A01"
    url = reverse("finance:arrangement-create", args=[municipality.pk])
    refused = http.post(
        url, {"name": "Kort herstel", "product": product.pk, "amount": "-5,00",
              "start": "2026-01-01"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Een bedrag kan niet negatief zijn." in refused.content.decode()
    assert not Arrangement.objects.exists()  # no arrangement without its price
    response = http.post(
        url,
        {"name": "Kort herstel", "product": product.pk, "amount": "560,00",
         "start": "2026-01-01", "description": "Drie maanden herstel"},
    )  # fmt: skip
    assert response.status_code == 302
    arrangement = Arrangement.objects.get()
    assert (arrangement.code, arrangement.product) == ("kort-herstel", product)
    tariff = Tariff.objects.get(arrangement=arrangement)
    assert (tariff.kind, tariff.amount, tariff.municipality, tariff.valid_from) == (
        TariffKind.WMO_FIXED,
        Decimal("560.00"),
        municipality,
        dt.date(2026, 1, 1),
    )
    page = http.get(reverse("finance:municipality-detail", args=[municipality.pk])).content.decode()
    assert "Kort herstel" in page and "560,00" in page
    again = http.post(
        url, {"name": "Kort herstel", "product": product.pk, "amount": "600,00",
              "start": "2026-01-01"},
    )  # fmt: skip
    assert "Deze gemeente heeft al een arrangement met deze naam of code." in again.content.decode()
    # A product of another municipality is not offered.
    foreign = MunicipalProductFactory(municipality=MunicipalityRoleFactory().municipality)
    other = http.post(
        url, {"name": "Groei", "product": foreign.pk, "amount": "600,00", "start": "2026-01-01"}
    )
    assert other.status_code == 400
    assert Arrangement.objects.count() == 1
