"""The privacy request pages (issue 12): bad input, the banner in the client frame, the
register's filters and export, and the links users follow to get there."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from clients.constants import AssignmentRole
from clients.models import PrivacyRequest
from clients.services import privacy_requests as svc
from olteams.models import AuditEvent
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import UserFactory
from tests.permissions import body

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(db):
    return UserFactory(username="privacy", is_privacy_officer=True)


@pytest.fixture
def client_(team, member):
    c = ClientFactory(team=team, first_name="Bram", last_name="Betwist")
    AssignmentFactory(client=c, worker=member, role=AssignmentRole.CASEMANAGER)
    return c


def _file(client, by, *, kind="correctie", part="honos", received=dt.date(2026, 2, 10)):
    return svc.file_request(
        client,
        kind=kind,
        description="De HoNOS-score van januari klopt niet.",
        disputed=part,
        received_on=received,
        filed_via="brief",
        filed_by=by,
        today=received,
    )


def _url(name, client, **kw):
    return reverse(f"clients:{name}", kwargs={"client_id": client.pk, **kw})


# --- bad input ----------------------------------------------------------------------------


def test_create_with_bad_input_shows_dutch_errors_keeps_values_and_saves_nothing(
    client_, member, login
):
    http = login(member)
    response = http.post(
        _url("privacy-request-create", client_),
        {
            "kind": "correctie",
            "disputed": "overig",
            "description": "Mijn adres klopt niet.",
            "received_on": "2026-03-09",
            "filed_via": "brief",
        },
    )
    assert response.status_code == 400
    page = body(response)
    assert "De datum van ontvangst ligt in de toekomst." in page
    assert "Omschrijf welke gegevens het verzoek betreft." in page
    assert "Mijn adres klopt niet." in page  # the typed value is kept
    assert not PrivacyRequest.objects.exists()


def test_create_files_the_request_and_lands_on_it(client_, member, login):
    http = login(member)
    response = http.post(
        _url("privacy-request-create", client_),
        {
            "kind": "verwijdering",
            "disputed": "contactverslagen",
            "description": "Verwijder het verslag van 3 februari.",
            "received_on": "2026-03-01",
            "filed_via": "email",
        },
    )
    pr = PrivacyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("privacy-request-detail", client_, pk=pr.pk)
    assert (pr.filed_by, pr.due_on) == (member, dt.date(2026, 4, 1))


def test_decide_without_reason_is_refused_with_a_message(client_, member, lead, login):
    pr = _file(client_, member)
    response = login(lead).post(
        _url("privacy-request-decide", client_, pk=pr.pk),
        {"decision": "afgewezen", "reason": "nee"},
    )
    assert response.status_code == 400
    assert "Motiveer de beslissing (minstens 10 tekens)." in body(response)
    pr.refresh_from_db()
    assert (pr.status, pr.decision) == ("open", "")


def test_extend_beyond_two_months_is_refused(client_, member, lead, login):
    pr = _file(client_, member)
    response = login(lead).post(
        _url("privacy-request-extend", client_, pk=pr.pk),
        {"months": "3", "reason": "Het dossier is groot.", "client_told_on": "2026-03-01"},
    )
    assert response.status_code == 400
    pr.refresh_from_db()
    assert pr.extended_until is None


def test_a_decided_request_offers_no_actions_and_its_forms_redirect(client_, member, lead, login):
    pr = _file(client_, member)
    svc.decide(pr, actor=lead, decision="toegewezen", reason="De score is gecorrigeerd.")
    http = login(lead)
    page = body(http.get(_url("privacy-request-detail", client_, pk=pr.pk)))
    assert "De score is gecorrigeerd." in page
    assert _url("privacy-request-decide", client_, pk=pr.pk) not in page
    response = http.post(
        _url("privacy-request-decide", client_, pk=pr.pk),
        {"decision": "afgewezen", "reason": "Toch niet gecorrigeerd."},
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.decision == "toegewezen"


def test_a_request_of_another_client_is_not_found(client_, member, team, login):
    other = ClientFactory(team=team)
    pr = _file(other, member)
    response = login(member).get(_url("privacy-request-detail", client_, pk=pr.pk))
    assert response.status_code == 404


# --- the disputed data marked in the file ------------------------------------------------------


def test_the_frame_shows_the_dispute_banner_and_marks_the_tab_until_decided(
    client_, member, lead, login
):
    pr = _file(client_, member, part="honos")
    http = login(member)
    for name in ("clients:client-detail", "caseload:client-file", "herstelplan:client-overview"):
        page = body(http.get(reverse(name, kwargs={"client_id": client_.pk})))
        banner = page[
            page.index('class="dispute-banner"') : page.index(
                "</div>", page.index('class="dispute-banner"')
            )
        ]
        assert (
            escape(
                "Betwist door de cliënt: HoNOS — verzoek van 10 februari 2026, "
                "beslissing uiterlijk 10 maart 2026"
            )
            in banner
        ), name
        tabs = page[page.index('class="client-tabs"') :]
        herstelplan_tab = tabs[
            tabs.index(reverse("herstelplan:client-overview", kwargs={"client_id": client_.pk})) :
        ]
        assert herstelplan_tab.index("betwist") < herstelplan_tab.index("</li>")
    svc.decide(pr, actor=lead, decision="afgewezen", reason="De score is juist vastgelegd.")
    page = body(http.get(reverse("clients:client-detail", kwargs={"client_id": client_.pk})))
    assert "dispute-banner" not in page and "Betwist door de cliënt" not in page


def test_inzage_and_addition_do_not_mark_the_file(client_, member, login):
    _file(client_, member, kind="inzage", part="hele_dossier")
    _file(client_, member, kind="aanvulling", part="herstelplan")
    page = body(
        login(member).get(reverse("caseload:client-file", kwargs={"client_id": client_.pk}))
    )
    assert "dispute-banner" not in page


def test_an_extended_request_shows_its_new_deadline(client_, member, lead, login):
    pr = _file(client_, member, part="personalia")
    svc.extend(
        pr,
        actor=lead,
        months=2,
        reason="Gegevens bij drie organisaties.",
        client_told_on=dt.date(2026, 3, 1),
    )
    page = body(
        login(member).get(reverse("clients:client-detail", kwargs={"client_id": client_.pk}))
    )
    assert (
        escape("Personalia — verzoek van 10 februari 2026, beslissing uiterlijk 10 mei 2026")
        in page
    )


# --- the register ----------------------------------------------------------------------------


def test_register_filters_overdue_and_records_the_clients_shown(
    client_, member, team, officer, login
):
    late = _file(client_, member, received=dt.date(2026, 1, 20))  # due 20 Feb: 10 days late
    other = ClientFactory(team=team, last_name="Optijd")
    _file(other, member, received=dt.date(2026, 2, 25))
    http = login(officer)
    page = body(http.get(reverse("clients:privacy-register")))
    assert "Betwist" in page and "Optijd" in page
    assert "te laat" in page and "10 dagen over de termijn" in page
    page = body(http.get(reverse("clients:privacy-register"), {"te_laat": "on"}))
    assert "Betwist" in page and "Optijd" not in page
    event = AuditEvent.objects.filter(detail="privacyverzoeken").latest("pk")
    assert (event.event_type, event.client_ids, event.role) == (
        "search",
        [late.client_id],
        "privacy_officer",
    )


def test_register_bad_filter_is_a_400_not_a_500(officer, login):
    response = login(officer).get(reverse("clients:privacy-register"), {"status": "kwijt"})
    assert response.status_code == 400


def test_register_export_csv_names_the_exported_clients_in_the_event(
    client_, member, officer, login
):
    pr = _file(client_, member)
    response = login(officer).get(reverse("clients:privacy-register-export"))
    rows = list(csv.reader(io.StringIO(body(response)), delimiter=";"))
    assert rows[0][:4] == ["Cliëntnummer", "Naam", "Team", "Soort"]
    assert rows[1][0] == str(client_.pk) and rows[1][3] == "Correctie (AVG art. 16)"
    event = AuditEvent.objects.get(event_type="export", object_type="clients.privacyrequest")
    assert event.client_ids == [pr.client_id]


def test_users_find_the_pages_by_clicking(client_, member, lead, officer, login):
    pr = _file(client_, member)
    register = reverse("clients:privacy-register")
    assert register in body(login(officer).get(reverse("olteams:home")))
    assert register in body(login(lead).get(reverse("olteams:home")))
    page = body(
        login(member).get(reverse("clients:client-detail", kwargs={"client_id": client_.pk}))
    )
    assert _url("privacy-request-list", client_) in page  # the frame's tab
    tab = body(login(member).get(_url("privacy-request-list", client_)))
    assert _url("privacy-request-create", client_) in tab
    assert _url("privacy-request-detail", client_, pk=pr.pk) in tab
    detail = body(login(lead).get(_url("privacy-request-detail", client_, pk=pr.pk)))
    for action in ("decide", "extend", "withdraw"):
        assert _url(f"privacy-request-{action}", client_, pk=pr.pk) in detail
    officer_detail = body(login(officer).get(_url("privacy-request-detail", client_, pk=pr.pk)))
    assert _url("privacy-request-decide", client_, pk=pr.pk) in officer_detail
    # The officer's frame offers the privacy tab only: never the rest of the file.
    assert reverse("clients:client-detail", kwargs={"client_id": client_.pk}) not in officer_detail


def test_an_inzage_request_links_the_whole_file_export_for_the_team_lead(team, member, lead):
    """The lead answers a written inzage request with the one-click export; a member reads
    who makes it."""
    from clients.constants import DisputedPart, FiledVia, PrivacyRequestKind
    from clients.services.privacy_requests import file_request
    from tests.conftest import verified_client
    from tests.factories.clients import ClientFactory

    client = ClientFactory(team=team)
    pr = file_request(
        client,
        kind=PrivacyRequestKind.INZAGE,
        description="Ik wil mijn hele dossier.",
        disputed=DisputedPart.WHOLE_FILE,
        received_on=dt.date(2026, 3, 2),
        filed_via=FiledVia.LETTER,
        filed_by=member,
        today=dt.date(2026, 3, 2),
    )
    url = reverse("clients:privacy-request-detail", args=[client.pk, pr.pk])
    export = reverse("caseload:inzage-export", args=[client.pk])
    lead_page = verified_client(lead).get(url).content.decode()
    assert f"{export}?formaat=pdf" in lead_page
    assert verified_client(lead).get(f"{export}?formaat=pdf").status_code == 200
    member_page = verified_client(member).get(url).content.decode()
    assert export not in member_page
    assert "De teamleider van het team van de cliënt maakt de export" in member_page
