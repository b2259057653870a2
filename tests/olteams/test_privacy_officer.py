"""The privacy officer's Toegangslog (NEN 7513 log viewer) and the review of emergency
accesses: privacy officers only (with the second factor), reading the log is itself logged,
filters by client (number or BSN, including the lists that showed the client), user, period,
kind and emergency only; paging and a CSV export."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from olteams.audit import audit_record
from olteams.constants import AuditEventType, Role
from olteams.models import AuditEvent, EmergencyAccess
from olteams.services import emergency_access_request
from tests.conftest import verified_client
from tests.factories.olteams import UserFactory
from tests.permissions import body

REASON = "Crisisdienst: cliënt meldt zich zonder afspraak"
LOG = "olteams:access-log"


@pytest.fixture
def officer(db):
    return UserFactory(username="privacy", is_privacy_officer=True)


def _log(http, **params):  # type: ignore[no-untyped-def]
    return http.get(reverse(LOG), params)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [LOG, "olteams:access-log-export", "olteams:emergency-list"])
@pytest.mark.parametrize("role", ["member", "lead", "admin_user", "stuurgroep_user", "controller"])
def test_only_privacy_officers_read_the_log(request, name, role):
    user = request.getfixturevalue(role)
    before = AuditEvent.objects.count()
    assert verified_client(user).get(reverse(name)).status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_log_needs_the_second_factor(officer):
    http = HttpClient()
    http.force_login(officer)
    response = http.get(reverse(LOG))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("olteams:otp-verify"))


@pytest.mark.django_db
def test_reading_the_log_is_logged_as_its_own_kind(officer, own_client):
    http = verified_client(officer)
    assert _log(http).status_code == 200
    assert _log(http, client=str(own_client.pk)).status_code == 200
    reads = list(AuditEvent.objects.filter(event_type=AuditEventType.LOG_READ).order_by("seq"))
    assert [(e.user_id, e.role, e.client_id) for e in reads] == [
        (officer.pk, Role.PRIVACY_OFFICER, None),
        (officer.pk, Role.PRIVACY_OFFICER, own_client.pk),
    ]
    export = http.get(reverse("olteams:access-log-export"), {"client": own_client.pk})
    assert export.status_code == 200
    body(export)
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None and last.event_type == AuditEventType.LOG_READ
    assert "geëxporteerd" in last.detail


@pytest.mark.django_db
def test_the_main_menu_links_the_log_for_privacy_officers_only(officer, member):
    home = verified_client(officer).get(reverse("olteams:home"))
    assert reverse(LOG) in body(home) and "Toegangslog" in body(home)
    assert reverse(LOG) not in body(verified_client(member).get(reverse("olteams:home")))


@pytest.mark.django_db
def test_the_client_filter_finds_file_events_and_the_lists_that_showed_the_client(
    officer, member, own_client, foreign_client
):
    http = verified_client(member)
    http.get(reverse("caseload:client-file", kwargs={"client_id": own_client.pk}))
    http.get(reverse("clients:client-list"))  # shows own_client
    audit_record(user=member, event_type=AuditEventType.READ, client_id=foreign_client.pk)
    reader = verified_client(officer)
    for value in (str(own_client.pk), own_client.bsn):
        rows = _log(reader, client=value).context["page"].object_list
        assert {e.client_id for e in rows if e.client_id} == {own_client.pk}
        assert any(e.client_ids and own_client.pk in e.client_ids for e in rows)
        assert all(
            e.client_id == own_client.pk or own_client.pk in (e.client_ids or []) for e in rows
        )
    listed = body(_log(reader, client=str(own_client.pk)))
    assert "in lijst" in listed


@pytest.mark.django_db
def test_the_other_filters(officer, member, lead, outsider, own_client):
    audit_record(user=member, event_type=AuditEventType.READ, client_id=own_client.pk)
    audit_record(user=lead, event_type=AuditEventType.EXPORT, client_id=own_client.pk)
    emergency_access_request(actor=outsider, query=own_client.bsn, reason=REASON)
    verified_client(outsider).get(
        reverse("caseload:client-file", kwargs={"client_id": own_client.pk})
    )
    http = verified_client(officer)

    def users(**params):  # type: ignore[no-untyped-def]
        return {e.username for e in _log(http, **params).context["page"].object_list}

    assert users(username="leider") == {"leider"}
    assert users(event_type=AuditEventType.EXPORT) == {"leider"}
    assert users(emergency_only="on") == {outsider.username}
    today = timezone.localdate().isoformat()
    assert "lid" in users(start=today, end=today)
    assert users(start="2000-01-01", end="2000-01-02") == set()
    emergency_page = body(_log(http, emergency_only="on"))
    assert "Noodtoegang" in emergency_page and REASON[:40] in emergency_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"client": "Jansen"}, "Vul een cliëntnummer of een volledig BSN"),
        ({"client": "111222333"}, "Er is geen cliënt met dit BSN."),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "De einddatum ligt vóór de begindatum."),
        ({"start": "gisteren"}, "Voer een geldige datum in."),
    ],
)
def test_bad_filters_get_a_dutch_message_not_a_500(officer, params, message):
    http = verified_client(officer)
    response = _log(http, **params)
    assert response.status_code == 400
    assert message in body(response)
    assert http.get(reverse("olteams:access-log-export"), params).status_code == 400


@pytest.mark.django_db
def test_paging(officer, member):
    for n in range(60):
        audit_record(user=member, event_type=AuditEventType.READ, client_id=n + 1)
    http = verified_client(officer)
    first = _log(http, username="lid")
    assert first.context["page"].paginator.num_pages == 2
    assert "pagina=2" in body(first)
    second = http.get(reverse(LOG), {"username": "lid", "pagina": 2})
    assert len(second.context["page"].object_list) == 10


@pytest.mark.django_db
def test_the_csv_export_has_the_new_columns(officer, member, own_client):
    verified_client(member).get(reverse("clients:client-list"))
    response = verified_client(officer).get(reverse("olteams:access-log-export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = body(response).splitlines()
    assert lines[0].split(";")[:3] == ["tijdstip", "actie", "soort"]
    assert "getoonde_clienten" in lines[0] and "noodtoegang" in lines[0]
    listed = [line for line in lines if "cliëntenlijst" not in line and str(own_client.pk) in line]
    assert listed


@pytest.mark.django_db
def test_the_privacy_officer_reviews_an_emergency_access(officer, outsider, own_client):
    access = emergency_access_request(actor=outsider, query=own_client.bsn, reason=REASON)
    http = verified_client(officer)
    page = http.get(reverse("olteams:emergency-list"), {"te_beoordelen": "1"})
    assert REASON in body(page) and outsider.username in body(page)
    url = reverse("olteams:emergency-review", kwargs={"pk": access.pk})
    refused = http.post(url, {"note": "  "}, follow=True)
    assert "Schrijf een notitie bij de beoordeling." in body(refused)
    access.refresh_from_db()
    assert access.reviewed_at is None
    response = http.post(url, {"note": "Terecht: crisis, dienstdoende behandelaar."})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == officer and access.review_note.startswith("Terecht")
    assert REASON not in body(http.get(reverse("olteams:emergency-list"), {"te_beoordelen": "1"}))
    assert "Beoordeeld" in body(http.get(reverse("olteams:emergency-list")))
    again = http.post(url, {"note": "nog eens"}, follow=True)
    assert "al beoordeeld" in body(again)
    # the member of the client's team cannot review
    assert verified_client(outsider).post(url, {"note": "zelf"}).status_code == 403
    assert EmergencyAccess.objects.get(pk=access.pk).review_note.startswith("Terecht")


@pytest.mark.django_db
def test_a_privacy_officer_does_not_review_their_own_emergency_access(outsider, own_client):
    outsider.is_privacy_officer = True
    outsider.save(update_fields=["is_privacy_officer"])
    access = emergency_access_request(actor=outsider, query=own_client.bsn, reason=REASON)
    url = reverse("olteams:emergency-review", kwargs={"pk": access.pk})
    response = verified_client(outsider).post(url, {"note": "Prima."}, follow=True)
    assert "eigen noodtoegang" in body(response)
    access.refresh_from_db()
    assert access.reviewed_at is None
