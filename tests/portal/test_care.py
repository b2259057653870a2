"""The portal's care pages: "Mijn team", "Mijn afspraken", "Contacten met het team".

What the client (and a naaste with the grant) reads, what is never shown (the team's
planning notes, the staff's cancel reason, funding, travel time, a worker's account e-mail),
the crisis numbers from the signaleringsplan in force, paging, and query counts that do not
grow with the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from caseload.constants import AppointmentPlace, ContactFunding, ContactKind
from clients.constants import AssignmentRole, PortalShare
from herstelplan import services as plan_services
from olteams.constants import AuditEventType, AuditOutcome, Discipline
from olteams.models import AuditEvent
from tests.factories.clients import (
    AssignmentFactory,
    ClientFactory,
    ClientPortalAccountFactory,
    NaasteFactory,
    NaasteGrantFactory,
    NaastePortalAccountFactory,
)
from tests.factories.herstelplan import put_in_care, signal_plan_in_force
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory
from tests.portal.browser import portal_browser
from tests.portal.care_data import appointment, care_worker, contact

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)
TEAM, APPOINTMENTS, CONTACTS = "portal:team", "portal:appointments", "portal:contacts"


@pytest.fixture
def account(team: Any, member: Any) -> Any:
    """Client Sanne of ``team`` in care with ``member`` as casemanager, with a portal login."""
    client = ClientFactory(team=team, first_name="Sanne", last_name="Visser")
    put_in_care(client, member, on=dt.date(2025, 1, 1))
    return ClientPortalAccountFactory(client=client)


def _page(account: Any, url_name: str, query: str = "") -> str:
    response = portal_browser(account).get(reverse(url_name) + query)
    assert response.status_code == 200
    return response.content.decode()


def _naaste_with(account: Any, *categories: str) -> Any:
    naaste = NaasteFactory(client=account.client, name="Gerda Visser")
    for category in categories:
        NaasteGrantFactory(naaste=naaste, category=category, granted_at=NOW - dt.timedelta(days=9))
    return NaastePortalAccountFactory(naaste=naaste)


# --- Mijn team ------------------------------------------------------------------------


def test_the_team_page_names_each_worker_with_role_discipline_and_organisation(
    account: Any, member: Any, org_ggz: Any
) -> None:
    member.first_name, member.last_name, member.email = "Karin", "Mulder", "k.mulder@privé.test"
    member.save()
    welzijn = OrganisationFactory(name="Welzijn Noord", short_name="WN")
    care_worker(
        account.client,
        last_name="Dekker",
        role=AssignmentRole.ERVARINGSDESKUNDIGE,
        discipline=Discipline.ERVARINGSDESKUNDIGE,
        organisation=welzijn,
    )
    page = _page(account, TEAM)
    assert "Karin Mulder" in page
    assert "Casemanager</strong>. Uw vaste contactpersoon." in page
    assert "Beroep: Casemanager. Werkt bij GGZ Testregio." in page
    assert "Wil Dekker" in page
    assert "Beroep: Ervaringsdeskundige. Werkt bij Welzijn Noord." in page
    # The casemanager comes first; a worker's account e-mail is not for clients.
    assert page.index("Karin Mulder") < page.index("Wil Dekker")
    assert "k.mulder" not in page


def test_a_worker_assigned_from_another_team_shows_their_own_organisation(
    account: Any, other_team: Any
) -> None:
    elsewhere = OrganisationFactory(name="Verslavingszorg Zuid", short_name="VZ")
    worker = UserFactory(first_name="Omar", last_name="Zuidema")
    MembershipFactory(
        user=worker, team=other_team, organisation=elsewhere, discipline=Discipline.VERSLAVINGSARTS
    )
    AssignmentFactory(client=account.client, worker=worker, role=AssignmentRole.OTHER)
    page = _page(account, TEAM)
    assert "Omar Zuidema" in page
    assert "Beroep: Verslavingsarts. Werkt bij Verslavingszorg Zuid." in page


def test_an_ended_assignment_is_not_in_the_team(account: Any) -> None:
    worker = care_worker(account.client, last_name="Vroegere", role=AssignmentRole.BEGELEIDER)
    worker.assignments.update(end_date=dt.date(2025, 6, 1))
    assert "Vroegere" not in _page(account, TEAM)


def test_the_team_page_shows_how_to_reach_the_team(account: Any, team: Any) -> None:
    team.phone, team.email = "0592 123 456", "noord@team.example"
    team.opening_hours = "Maandag tot en met vrijdag van 9 tot 17 uur"
    team.crisis_phone = "0592 999 000"
    team.save()
    page = _page(account, TEAM)
    assert "Maandag tot en met vrijdag van 9 tot 17 uur" in page
    crisis = page.split('id="crisis-kop"')[1].split("</section>")[0]
    assert '<a class="portal-call" href="tel:0592999000">Bel 0592 999 000</a>' in crisis
    assert "Crisislijn van uw team" in crisis
    assert '<a href="tel:0592123456">0592 123 456</a>' in page
    assert 'href="mailto:noord@team.example"' in page
    assert "Stationsstraat 1" in page and "9401 AB Assen" in page


def test_the_national_crisis_lines_are_always_there(account: Any) -> None:
    page = _page(account, TEAM)
    assert 'href="tel:112"' in page
    assert 'href="tel:113"' in page
    assert 'href="tel:08000113"' in page
    assert "113 Zelfmoordpreventie" in page
    assert "U hebt nog geen signaleringsplan." in page
    assert "Crisislijn van uw team" not in page  # the team has none on record


def test_the_crisis_contacts_come_from_the_signal_plan_in_force(account: Any, member: Any) -> None:
    signal_plan_in_force(account.client, member)
    page = _page(account, TEAM)
    assert 'href="tel:0881234567"' in page and "Crisisdienst" in page
    assert 'href="tel:0201234567"' in page and "Dokter Jansen" in page
    assert "U hebt nog geen signaleringsplan." not in page


def test_a_draft_signal_plan_gives_no_crisis_contacts(account: Any, member: Any) -> None:
    draft = plan_services.signal_plan_create(actor=member, client=account.client)
    plan_services.signal_plan_update(
        actor=member,
        plan=draft,
        lock_version=draft.lock_version,
        contacts=[{"name": "Nog niet afgesproken", "role": "buurvrouw", "phone": "06 1111 2222"}],
    )
    page = _page(account, TEAM)
    assert "Nog niet afgesproken" not in page and "tel:0611112222" not in page


def test_another_clients_crisis_contacts_never_show(account: Any, member: Any) -> None:
    other = ClientFactory(team=account.client.team)
    put_in_care(other, member, on=dt.date(2025, 1, 1))
    signal_plan_in_force(other, member)
    assert "Crisisdienst" not in _page(account, TEAM)


def test_the_team_page_reads_a_fixed_number_of_rows(
    account: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    browser = portal_browser(account)
    url = reverse(TEAM)
    browser.get(url)
    with django_assert_max_num_queries(12) as small:
        assert browser.get(url).status_code == 200
    for n in range(4):
        care_worker(account.client, last_name=f"Extra{n}", role=AssignmentRole.BEGELEIDER)
    with django_assert_num_queries(len(small.captured_queries)):
        assert browser.get(url).status_code == 200


# --- Mijn afspraken ---------------------------------------------------------------------


def _at(days: float, hour: int = 10) -> dt.datetime:
    return (NOW + dt.timedelta(days=days)).replace(hour=hour, minute=0)


def test_the_client_sees_coming_and_past_months_appointments(account: Any, member: Any) -> None:
    client = account.client
    appointment(client, member, starts_at=_at(2), place="Buurthuis De Kolk")
    appointment(client, member, starts_at=_at(-10), place="Bibliotheek Assen")
    appointment(client, member, starts_at=_at(-40), place="Te oud")
    appointment(client, member, starts_at=_at(100), place="Te ver weg")
    with time_machine.travel(NOW, tick=False):
        page = _page(account, APPOINTMENTS)
    coming, past = page.split("Afspraken van de afgelopen maand")
    assert "Buurthuis De Kolk" in coming and "Bibliotheek Assen" in past
    assert "Te oud" not in page and "Te ver weg" not in page
    assert "vrijdag 12 juni 2026, 12:00\u201312:45" in coming  # Europe/Amsterdam
    assert member.get_full_name() in coming


def test_an_appointment_at_the_team_office_gives_the_teams_address(
    account: Any, member: Any
) -> None:
    appointment(account.client, member, starts_at=_at(1), place_kind=AppointmentPlace.TEAM_OFFICE)
    with time_machine.travel(NOW, tick=False):
        page = _page(account, APPOINTMENTS)
    assert "Op de teamlocatie: Stationsstraat 1, Assen" in page


def test_an_appointment_without_the_client_says_so(account: Any, member: Any) -> None:
    appointment(account.client, member, starts_at=_at(1), client_present=False)
    with time_machine.travel(NOW, tick=False):
        assert "U bent hier zelf niet bij." in _page(account, APPOINTMENTS)
        naaste = _naaste_with(account, PortalShare.APPOINTMENTS)
        assert "Sanne is hier zelf niet bij." in _page(naaste, APPOINTMENTS)


def test_a_cancelled_appointment_is_marked_without_the_staffs_reason_or_notes(
    account: Any, member: Any
) -> None:
    appointment(
        account.client,
        member,
        starts_at=_at(3),
        note="Intern: sleutel bij de buren",
        cancel_reason="Casemanager ziek, collega had geen tijd",
    )
    with time_machine.travel(NOW, tick=False):
        page = _page(account, APPOINTMENTS)
    assert "gaat niet door" in page
    assert "Deze afspraak is afgezegd." in page
    assert "Casemanager ziek" not in page
    assert "sleutel bij de buren" not in page


def test_a_naaste_with_the_grant_reads_the_same_appointments(account: Any, member: Any) -> None:
    appointment(account.client, member, starts_at=_at(2), place="Buurthuis De Kolk")
    naaste = _naaste_with(account, PortalShare.APPOINTMENTS)
    with time_machine.travel(NOW, tick=False):
        page = _page(naaste, APPOINTMENTS)
    assert "Buurthuis De Kolk" in page
    assert "De afspraken van Sanne met het team. U kunt hier alleen lezen." in page
    assert "<form" not in page.split('id="inhoud"')[1]  # read-only: nothing to submit
    event = AuditEvent.objects.get(path=reverse(APPOINTMENTS))
    assert event.username == f"portaal:naaste:{naaste.pk}"
    assert event.event_type == AuditEventType.READ
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.detail == "afspraken"


def test_the_appointments_page_reads_a_fixed_number_of_rows(
    account: Any, member: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    browser = portal_browser(account)
    url = reverse(APPOINTMENTS)
    with time_machine.travel(NOW, tick=False):
        appointment(account.client, member, starts_at=_at(1))
        browser.get(url)
        with django_assert_max_num_queries(12) as one:
            assert browser.get(url).status_code == 200
        naaste = NaasteFactory(client=account.client)
        for n in range(5):
            appointment(account.client, member, starts_at=_at(n - 5), naasten=(naaste,))
        with django_assert_num_queries(len(one.captured_queries)):
            assert browser.get(url).status_code == 200


# --- Contacten met het team -------------------------------------------------------------


def test_the_client_reads_each_contact_with_its_report(
    account: Any, member: Any, org_ggz: Any
) -> None:
    member.first_name, member.last_name = "Karin", "Mulder"
    member.save()
    contact(
        account.client,
        member,
        starts_at=_at(-3),
        note="We hebben de brief van de woningcorporatie gelezen.",
        kind=ContactKind.PHONE,
        travel_minutes=37,
        funding_stream=ContactFunding.WMO,
        presence__organisation=org_ggz,
        presence__discipline=Discipline.SPV,
    )
    page = _page(account, CONTACTS)
    assert "We hebben de brief van de woningcorporatie gelezen." in page
    assert "<strong>Telefoongesprek</strong>, 45 minuten" in page
    assert "Karin Mulder (SPV&#x27;er, GGZ Testregio)" in page
    assert "1 contact" in page
    # The team's administration is not part of what the client reads.
    assert "Wmo" not in page and "37 min" not in page and "reistijd" not in page


def test_contacts_are_paged_newest_first(account: Any, member: Any) -> None:
    for n in range(25):
        contact(account.client, member, starts_at=_at(-n - 1), note=f"Verslag nummer {n:02d}.")
    first = _page(account, CONTACTS)
    assert "25 contacten" in first
    assert "Verslag nummer 00." in first and "Verslag nummer 19." in first
    assert "Verslag nummer 20." not in first
    assert first.index("Verslag nummer 00.") < first.index("Verslag nummer 01.")
    assert "Pagina 1 van 2" in first and "pagina=2" in first
    second = _page(account, CONTACTS, "?pagina=2")
    assert "Verslag nummer 20." in second and "Verslag nummer 24." in second
    assert "Verslag nummer 19." not in second


def test_a_naaste_with_the_grant_reads_the_contacts_and_another_clients_never(
    account: Any, member: Any
) -> None:
    contact(account.client, member, starts_at=_at(-1), note="Samen boodschappen gedaan.")
    contact(ClientFactory(), member, starts_at=_at(-1), note="Van een ander.")
    naaste = _naaste_with(account, PortalShare.CONTACTS)
    page = _page(naaste, CONTACTS)
    assert "Samen boodschappen gedaan." in page
    assert "Van een ander." not in page
    assert "Wat het team opschreef over de contacten met Sanne." in page


def test_a_naaste_with_only_the_appointments_grant_cannot_read_contacts(account: Any) -> None:
    naaste = _naaste_with(account, PortalShare.APPOINTMENTS)
    assert portal_browser(naaste).get(reverse(CONTACTS)).status_code == 403
    assert portal_browser(naaste).get(reverse(TEAM)).status_code == 403


def test_the_contacts_page_reads_a_fixed_number_of_rows(
    account: Any, member: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    browser = portal_browser(account)
    url = reverse(CONTACTS)
    contact(account.client, member, starts_at=_at(-1), note="Eerste.")
    browser.get(url)
    with django_assert_max_num_queries(12) as one:
        assert browser.get(url).status_code == 200
    for n in range(6):
        contact(account.client, member, starts_at=_at(-n - 2), note=f"Nog een {n}.")
    with django_assert_num_queries(len(one.captured_queries)):
        assert browser.get(url).status_code == 200
