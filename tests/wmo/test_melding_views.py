"""The pages of the municipal route by form: Dutch messages beside the fields (400),
nothing half-saved; a successful form moves the melding on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clients.models import Client
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory
from tests.wmo.municipal import arrangement, decided, investigated, registered
from wmo.models import Melding

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(name, melding):
    return reverse(name, kwargs={"client_id": melding.client_id, "pk": melding.pk})


def test_register_a_melding_by_form(consultant, municipality, team, login):
    http = login(consultant)
    url = reverse("wmo:melding-create")
    assert "Nieuwe melding bij het Wmo-loket" in http.get(url).content.decode()
    bad = http.post(url, {"municipality": municipality.pk, "reported_on": "2026-04-01"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "De datum van de melding ligt in de toekomst." in body
    assert "Schrijf de hulpvraag op in de woorden van de inwoner." in body
    assert "Kies het team dat de ondersteuning gaat bieden." in body
    assert not Client.objects.exists() and not Melding.objects.exists()
    ok = http.post(
        url,
        {
            "first_name": "Henk",
            "last_name": "Jansen",
            "date_of_birth": "1958-04-02",
            "municipality": municipality.pk,
            "team": team.pk,
            "reported_on": "2026-03-16",
            "question": "Na mijn beroerte raak ik snel overprikkeld.",
        },
    )
    melding = Melding.objects.get()
    assert ok.status_code == 302 and ok["Location"] == _url("wmo:melding-detail", melding)
    assert "Melding bij het Wmo-loket" in http.get(ok["Location"]).content.decode()
    # A second registration of the same person asks to confirm (name + birth date).
    again = http.post(
        url,
        {
            "first_name": "Henk",
            "last_name": "Jansen",
            "date_of_birth": "1958-04-02",
            "municipality": municipality.pk,
            "team": team.pk,
            "reported_on": "2026-03-16",
            "question": "Opnieuw.",
        },
    )
    assert again.status_code == 400
    assert "Controleer of het dezelfde persoon is." in again.content.decode()
    assert "andere persoon dan de gevonden inwoner" in again.content.decode()


def test_onderzoek_goals_and_decision_by_form(consultant, municipality, team, login):
    melding = registered(
        consultant=consultant, municipality=municipality, team=team, on=dt.date(2026, 3, 2)
    )
    arrangement(municipality)
    http = login(consultant)
    bad = http.post(
        _url("wmo:melding-conversation", melding),
        {"conversation_on": "2026-03-01", "naaste_name": "Ria"},
    )
    assert bad.status_code == 400
    assert "Het gesprek ligt vóór de melding" in bad.content.decode()
    ok = http.post(
        _url("wmo:melding-conversation", melding),
        {
            "conversation_on": "2026-03-09",
            "naaste_name": "Ria Jansen",
            "naaste_relation": "partner",
            "zrm_tijdsbesteding": "2",
        },
    )
    assert ok.status_code == 302
    empty = http.post(_url("wmo:melding-goals", melding), {"goal_1": " "})
    assert empty.status_code == 400
    assert "Schrijf ten minste één doel op." in empty.content.decode()
    assert http.post(_url("wmo:melding-goals", melding), {"goal_1": "Rust."}).status_code == 302
    bad = http.post(_url("wmo:melding-decide", melding), {"volume": "0"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Kies een arrangement van deze gemeente." in body
    assert "De omvang moet een geheel getal groter dan 0 zijn." in body
    melding.refresh_from_db()
    assert melding.request is None
    decide = http.get(_url("wmo:melding-decide", melding)).content.decode()
    assert "besluit uiterlijk" in decide  # the statutory clock: 2 weeks after the aanvraag


def test_the_team_takes_up_the_toewijzing_by_form(
    consultant, municipality, team, lead, member, login
):
    melding = registered(
        consultant=consultant, municipality=municipality, team=team, on=dt.date(2026, 3, 2)
    )
    melding = decided(
        investigated(melding, consultant, on=dt.date(2026, 3, 9)), consultant, now=NOW
    )
    regisseur = MembershipFactory(
        user=UserFactory(username="regisseur"),
        team=team,
        organisation=OrganisationFactory(kind="welzijn", short_name="WZ"),
    ).user
    http = login(lead)
    inbox = http.get(reverse("wmo:toewijzing-inbox")).content.decode()
    assert _url("wmo:melding-accept", melding) in inbox
    bad = http.post(_url("wmo:melding-accept", melding), {"location": ""})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Kies de organisatie die de intake doet." in body
    assert "Kies de casusregisseur." in body
    ok = http.post(
        _url("wmo:melding-accept", melding),
        {
            "intake_organisation": regisseur.memberships.get().organisation_id,
            "planned_on": "2026-03-18",
            "planned_time": "10:00",
            "location": "Thuis",
            "workers": [member.pk],
            "casusregisseur": regisseur.pk,
        },
    )
    assert ok.status_code == 302
    dossier = http.get(reverse("clients:client-detail", kwargs={"client_id": melding.client_id}))
    assert "Casusregisseur" in dossier.content.decode()
