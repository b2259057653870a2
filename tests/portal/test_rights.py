"""The client's rights pages in the portal: 'Wie heeft mijn dossier bekeken' (exactly this
client's events in plain words, emergency access explained, period, paging, PDF) and 'Mijn
naasten' (grants, withdrawals, a naaste's BSN, each logged and shown to the client, and a
naaste refused at once after a withdrawal)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from clients.constants import PortalShare
from clients.models import NaasteGrant, PortalAccount
from olteams.audit import audit_record
from olteams.constants import AuditEventType, AuditOutcome
from olteams.models import AuditEvent
from olteams.services import emergency_access_request
from tests.conftest import verified_client
from tests.factories.clients import (
    ClientFactory,
    ClientPortalAccountFactory,
    NaasteFactory,
    NaastePortalAccountFactory,
    make_bsn,
)
from tests.factories.olteams import MembershipFactory, UserFactory
from tests.portal.browser import portal_browser
from tests.portal.pdfs import pdf_pages, pdf_text
from tests.portal.share_urls import PROBE

pytestmark = pytest.mark.django_db

LOG = reverse("portal:access-log")
LOG_PDF = reverse("portal:access-log-pdf")
NAASTEN = reverse("portal:naasten")


@pytest.fixture
def account(team):
    client = ClientFactory(team=team, bsn=make_bsn(11), first_name="Annemiek")
    return ClientPortalAccountFactory(client=client)


def _whos(response) -> list[str]:
    return [entry.who for entry in response.context["entries"]]


# --- Wie heeft mijn dossier bekeken ------------------------------------------------------


def test_the_log_shows_exactly_this_clients_events_in_plain_words(account, member, org_ggz):
    client = account.client
    other = ClientFactory(team=client.team)
    member.first_name, member.last_name = "Marloes", "Bekijker"
    member.save()
    verified_client(member).get(reverse("caseload:client-file", kwargs={"client_id": client.pk}))
    stranger = UserFactory(first_name="Stijn", last_name="Anderdossier")
    audit_record(user=stranger, event_type=AuditEventType.READ, client_id=other.pk)
    lister = UserFactory(first_name="Lies", last_name="Lijstkijker")
    audit_record(user=lister, event_type=AuditEventType.SEARCH, client_ids=[other.pk, client.pk])
    printer = UserFactory(first_name="Piet", last_name="Printer")
    audit_record(user=printer, event_type=AuditEventType.PRINT, client_id=client.pk)
    browser = portal_browser(account)
    browser.get(reverse("portal:home"))  # the client's own look: not listed

    response = browser.get(LOG)

    assert response.status_code == 200
    assert _whos(response) == ["Piet Printer", "Lies Lijstkijker", "Marloes Bekijker"]
    page = response.content.decode()
    assert "Anderdossier" not in page
    entries = {e.who: e for e in response.context["entries"]}
    read = entries["Marloes Bekijker"]
    assert read.what == "heeft uw dossier bekeken"
    assert read.role == "Teamlid"
    assert read.organisation == org_ggz.name
    assert read.team == client.team.name
    assert entries["Lies Lijstkijker"].what == "vond u bij het zoeken"
    assert entries["Piet Printer"].what == "heeft uw dossier afgedrukt"
    assert 'class="access-list"' in page and "<table" not in page  # cards on a phone


def test_emergency_access_is_marked_and_explained(account, outsider):
    client = account.client
    outsider.first_name, outsider.last_name = "Noor", "Nood"
    outsider.save()
    reason = "Crisisdienst belt in de nacht, cliënt is in paniek"
    emergency_access_request(actor=outsider, query=client.bsn, reason=reason)
    verified_client(outsider).get(reverse("caseload:client-file", kwargs={"client_id": client.pk}))

    response = portal_browser(account).get(LOG)

    whats = [e.what for e in response.context["entries"]]
    assert whats == ["heeft uw dossier bekeken", "heeft noodtoegang tot uw dossier gekregen"]
    read = response.context["entries"][0]
    assert read.who == "Noor Nood"
    assert read.emergency.startswith("Noodtoegang: Noor Nood")
    assert reason in read.emergency
    assert "de privacyfunctionaris is ingelicht" in read.emergency.lower()
    page = response.content.decode()
    assert "access-emergency" in page and reason in page


def test_the_period_filter_and_bad_dates(account, member):
    client = account.client
    audit_record(user=member, event_type=AuditEventType.READ, client_id=client.pk)
    today = timezone.localdate()
    browser = portal_browser(account)
    day = dt.timedelta(days=1)

    assert len(browser.get(LOG, {"van": today.isoformat()}).context["entries"]) == 1
    assert len(browser.get(LOG, {"tot": today.isoformat()}).context["entries"]) == 1
    assert browser.get(LOG, {"van": (today + day).isoformat()}).context["entries"] == []
    assert browser.get(LOG, {"tot": (today - day).isoformat()}).context["entries"] == []

    for query, message in (
        ({"van": "2026-02-31"}, "Voer een geldige datum in."),
        ({"van": "morgen"}, "Voer een geldige datum in."),
        ({"van": "99999-01-01"}, "Voer een geldige datum in."),
        ({"van": "1850-01-01"}, "Kies een datum na 1 januari 2000."),
        ({"van": "2026-03-10", "tot": "2026-03-01"}, "De einddatum ligt vóór de begindatum."),
    ):
        for url in (LOG, LOG_PDF):
            response = browser.get(url, query)
            assert response.status_code == 400, (url, query)
            assert message in response.content.decode(), (url, query)
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT, client_id=client.pk
    ).exists()


def test_paging(account, member):
    for _ in range(27):
        audit_record(user=member, event_type=AuditEventType.READ, client_id=account.client.pk)
    browser = portal_browser(account)
    first = browser.get(LOG)
    second = browser.get(LOG, {"pagina": 2})
    assert len(first.context["entries"]) == 25
    assert len(second.context["entries"]) == 2
    assert "pagina=2" in first.content.decode()


def test_the_page_needs_the_same_queries_for_few_and_many_events(account, member, lead):
    client = account.client
    naaste_account = NaastePortalAccountFactory(naaste=NaasteFactory(client=client))
    browser = portal_browser(account)

    def count() -> int:
        browser.get(LOG)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(LOG).status_code == 200
        return len(queries)

    naaste_browser = portal_browser(naaste_account)
    audit_record(user=member, event_type=AuditEventType.READ, client_id=client.pk)
    naaste_browser.get(reverse("portal:home"))
    few = count()
    for user in (member, lead) * 6:
        audit_record(user=user, event_type=AuditEventType.READ, client_id=client.pk)
        naaste_browser.get(reverse("portal:home"))
    many = count()
    assert many == few
    assert many <= 14


def test_the_pdf_of_the_filtered_list_is_audited(account, member):
    member.first_name, member.last_name = "Marloes", "Bekijker"
    member.save()
    audit_record(user=member, event_type=AuditEventType.READ, client_id=account.client.pk)
    today = timezone.localdate().isoformat()

    response = portal_browser(account).get(LOG_PDF, {"van": today, "tot": today})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(pdf_pages(response.content)) > 0
    text = pdf_text(response.content)
    assert "Marloes Bekijker" in text and "heeft uw dossier bekeken" in text
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT, path=LOG_PDF)
    assert event.client_id == account.client.pk
    assert event.username == f"portaal:client:{account.pk}"


# --- Mijn naasten ------------------------------------------------------------------------


def _post(browser, **data):
    return browser.post(NAASTEN, data)


def test_grant_withdraw_and_grant_again_keep_every_row_and_log_each(account):
    naaste = NaasteFactory(client=account.client, name="Gerda Naaste")
    browser = portal_browser(account)
    grant = {"form": "toegang", "naaste": naaste.pk, "category": PortalShare.PLAN}

    assert _post(browser, **grant, action="geven").status_code == 302
    assert _post(browser, **grant, action="intrekken").status_code == 302
    assert _post(browser, **grant, action="geven").status_code == 302

    rows = list(NaasteGrant.objects.filter(naaste=naaste).order_by("id"))
    assert len(rows) == 2
    assert rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    assert all(row.granted_by is None for row in rows)
    events = AuditEvent.objects.filter(object_type="clients.naastegrant").order_by("id")
    assert [(e.event_type, e.object_id) for e in events] == [
        (AuditEventType.CREATE, str(rows[0].pk)),
        (AuditEventType.UPDATE, str(rows[0].pk)),
        (AuditEventType.CREATE, str(rows[1].pk)),
    ]
    page = browser.get(NAASTEN)
    assert [e.what for e in page.context["history"]] == [
        "U gaf Gerda Naaste toegang tot 'Mijn plan'",
        "U trok de toegang van Gerda Naaste tot 'Mijn plan' in",
        "U gaf Gerda Naaste toegang tot 'Mijn plan'",
    ]
    log = browser.get(LOG)
    assert "U trok de toegang van Gerda Naaste tot &#x27;Mijn plan&#x27; in" in log.content.decode()


def test_bad_grant_requests_change_nothing(account):
    own = NaasteFactory(client=account.client)
    foreign = NaasteFactory(client=ClientFactory(team=account.client.team))
    browser = portal_browser(account)
    for data, message in (
        ({"naaste": foreign.pk, "category": "plan", "action": "geven"}, "Kies een van uw naasten."),
        (
            {"naaste": own.pk, "category": "alles", "action": "geven"},
            "Kies wat uw naaste mag zien.",
        ),
        ({"naaste": own.pk, "category": "plan", "action": "intrekken"}, "mag dit al niet zien"),
    ):
        response = _post(browser, form="toegang", **data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not NaasteGrant.objects.exists()
    assert not AuditEvent.objects.filter(object_type="clients.naastegrant").exists()


def test_the_naastes_bsn_is_checked_stored_masked_and_logged(account):
    naaste = NaasteFactory(client=account.client, name="Gerda Naaste")
    browser = portal_browser(account)

    bad = _post(browser, form="bsn", naaste=naaste.pk, bsn="123456789")
    assert bad.status_code == 400
    assert "elfproef" in bad.content.decode()
    own = _post(browser, form="bsn", naaste=naaste.pk, bsn=account.client.bsn)
    assert own.status_code == 400 and "uw eigen BSN" in own.content.decode()
    assert not PortalAccount.objects.filter(naaste=naaste).exists()

    bsn = make_bsn(21)
    assert _post(browser, form="bsn", naaste=naaste.pk, bsn=bsn).status_code == 302
    stored = PortalAccount.objects.get(naaste=naaste)
    assert (stored.kind, stored.client_id, stored.bsn) == ("naaste", account.client_id, bsn)
    newer = make_bsn(22)
    assert _post(browser, form="bsn", naaste=naaste.pk, bsn=newer).status_code == 302
    assert PortalAccount.objects.get(naaste=naaste).bsn == newer

    page = browser.get(NAASTEN)
    body = page.content.decode()
    assert f"*****{newer[-4:]}" in body
    assert newer not in body and bsn not in body
    assert [e.what for e in page.context["history"]] == [
        "U legde het BSN van Gerda Naaste vast, zodat die kan inloggen met DigiD"
    ] * 2
    events = AuditEvent.objects.filter(object_type="clients.portalaccount")
    assert {(e.event_type, e.object_id) for e in events} == {
        (AuditEventType.UPDATE, str(stored.pk))
    }
    assert all(newer not in e.detail and bsn not in e.detail for e in events)


@override_settings(ROOT_URLCONF="tests.portal.share_urls")
def test_a_naaste_is_refused_right_after_the_withdrawal(account):
    naaste = NaasteFactory(client=account.client, name="Gerda Naaste")
    naaste_browser = portal_browser(NaastePortalAccountFactory(naaste=naaste))
    client_browser = portal_browser(account)
    grant = {"form": "toegang", "naaste": naaste.pk, "category": PortalShare.PLAN}

    assert naaste_browser.get(PROBE).status_code == 403
    _post(client_browser, **grant, action="geven")
    read = naaste_browser.get(PROBE)
    assert read.status_code == 200 and "Annemiek" in read.content.decode()
    _post(client_browser, **grant, action="intrekken")
    assert naaste_browser.get(PROBE).status_code == 403
    # the naaste never manages the client's door
    assert naaste_browser.get(NAASTEN).status_code == 403
    assert naaste_browser.post(NAASTEN, {**grant, "action": "geven"}).status_code == 403
    assert NaasteGrant.objects.filter(withdrawn_at__isnull=True).count() == 0

    whats = [(e.who, e.what, e.refused) for e in client_browser.get(LOG).context["entries"]]
    assert ("Gerda Naaste", "bekeek 'Mijn overzicht' in het portaal", False) in whats
    refused = [w for w in whats if w[2]]
    assert refused and all(who == "Gerda Naaste" for who, _what, _r in refused)
    assert AuditEvent.objects.filter(outcome=AuditOutcome.DENIED, role="naaste").count() == 4


def test_ended_naasten_are_not_offered(account):
    NaasteFactory(client=account.client, name="Oud Naaste", ended_on=dt.date(2025, 1, 1))
    NaasteFactory(client=account.client, name="Nieuw Naaste")
    page = portal_browser(account).get(NAASTEN).content.decode()
    assert "Nieuw Naaste" in page and "Oud Naaste" not in page


def test_sections_are_in_the_menu_for_the_client_only(account):
    naaste = NaastePortalAccountFactory(naaste=NaasteFactory(client=account.client))
    MembershipFactory(team=account.client.team)
    home = portal_browser(account).get(reverse("portal:home")).content.decode()
    for name in ("portal:access-log", "portal:naasten", "portal:gegevens"):
        assert reverse(name) in home
    naaste_home = portal_browser(naaste).get(reverse("portal:home")).content.decode()
    for name in ("portal:access-log", "portal:naasten", "portal:gegevens"):
        assert reverse(name) not in naaste_home
