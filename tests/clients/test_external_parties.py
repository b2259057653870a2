"""The network beyond the partner organisations: day care, peer group, sports club, the
partner as mantelzorger, with contact details, what they do and the period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clients import services
from clients.models import ExternalParty
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_(team):
    return ClientFactory(team=team, first_name="Henk", last_name="Jansen")


def test_add_update_and_end_a_party(client_, member):
    party = services.external_party_add(
        actor=member,
        client=client_,
        name=" Dagcentrum De Linde ",
        kind="dagbesteding",
        activity="Vijf ochtenden in een prikkelarme groep",
        phone="071 123 4567",
        email="info@delinde.example",
        start_date=dt.date(2026, 3, 23),
    )
    assert party.name == "Dagcentrum De Linde"
    services.external_party_update(actor=member, party=party, contact_name="Joke")
    party.refresh_from_db()
    assert party.contact_name == "Joke" and party.kind == "dagbesteding"
    services.external_party_end(actor=member, party=party, end_date=dt.date(2026, 9, 1))
    party.refresh_from_db()
    assert party.end_date == dt.date(2026, 9, 1)


def test_bad_input_is_refused_in_dutch(client_, member):
    with pytest.raises(ValidationError) as exc:
        services.external_party_add(
            actor=member,
            client=client_,
            name="",
            kind="circus",
            activity="",
            email="geen-adres",
            start_date=dt.date(2026, 3, 1),
            end_date=dt.date(2026, 2, 1),
        )
    assert exc.value.message_dict == {
        "name": ["Vul de naam van de partij in."],
        "kind": ["Kies wat voor partij het is."],
        "activity": ["Beschrijf kort wat zij doen voor de cliënt."],
        "end_date": ["De einddatum ligt vóór de begindatum."],
        "email": ["Vul een geldig e-mailadres in."],
    }
    assert not ExternalParty.objects.exists()


def test_outsiders_cannot_add(client_, outsider, consultant):
    for actor in (outsider, consultant):
        with pytest.raises(PermissionDenied):
            services.external_party_add(
                actor=actor,
                client=client_,
                name="X",
                kind="sport",
                activity="Y",
                start_date=dt.date(2026, 3, 1),
            )


def test_the_netwerk_tab_shows_and_adds_parties_by_form(client_, member, login):
    http = login(member)
    url = reverse("clients:involved-party-create", kwargs={"client_id": client_.pk})
    bad = http.post(url, {"name": "", "kind": "", "activity": "", "start_date": ""})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Vul de naam van de partij in." in page and "Vul de begindatum in." in page
    assert not ExternalParty.objects.exists()
    ok = http.post(
        url,
        {
            "name": "Lotgenotengroep Na de beroerte",
            "kind": "lotgenoten",
            "activity": "Maandelijkse bijeenkomst",
            "email": "groep@example.invalid",
            "start_date": "2026-03-01",
        },
    )
    assert ok.status_code == 302
    network = http.get(reverse("clients:network", kwargs={"client_id": client_.pk}))
    body = network.content.decode()
    assert "Lotgenotengroep Na de beroerte" in body and "Maandelijkse bijeenkomst" in body
    assert "Lotgenotengroep" in body and "groep@example.invalid" in body
