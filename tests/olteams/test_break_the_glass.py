"""Break-the-glass (Noodtoegang): a care worker without access to a client may ask for
time-limited view access with a mandatory reason; every access under it is audited with the
grounds "emergency" and marked, the privacy officer is notified, the frame shows a banner,
and changing is never allowed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from olteams.access import ClientAction, can, client_actions, clients_visible_to
from olteams.constants import AuditEventType, AuditOutcome, Ground, NotificationKind, Role
from olteams.models import AuditEvent, EmergencyAccess, Notification
from olteams.services import emergency_access_request
from tests.conftest import verified_client
from tests.factories.olteams import UserFactory

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
REASON = "Crisis op de SEH, behandelaar vraagt naar medicatie"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(db):
    return UserFactory(username="privacy", is_privacy_officer=True)


def _file(client):  # type: ignore[no-untyped-def]
    return reverse("caseload:client-file", kwargs={"client_id": client.pk})


def _granted(user, client):  # type: ignore[no-untyped-def]
    return emergency_access_request(actor=user, query=client.bsn, reason=REASON)


@pytest.mark.django_db
def test_without_emergency_access_the_file_is_hidden(outsider, own_client):
    response = verified_client(outsider).get(_file(own_client))
    assert response.status_code == 404
    assert not can(outsider, own_client, ClientAction.VIEW)


@pytest.mark.django_db
def test_the_client_search_by_bsn_offers_emergency_access_without_naming_the_client(
    outsider, own_client
):
    http = verified_client(outsider)
    response = http.get(reverse("clients:client-list"), {"q": own_client.bsn})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cliënt buiten uw teams" in html and "noodtoegang aanvragen" in html
    # (the page's own header names the signed-in user, who may share a first name)
    page = html.split("</header>", 1)[1]
    assert own_client.last_name not in page and own_client.first_name not in page
    # the lookup of a client outside the user's scope is itself on record
    lookup = AuditEvent.objects.get(user=outsider, client_id=own_client.pk)
    assert (lookup.event_type, lookup.outcome) == (AuditEventType.SEARCH, AuditOutcome.DENIED)
    # a name search does not reach outside the scope
    by_name = http.get(reverse("clients:client-list"), {"q": own_client.last_name})
    assert "noodtoegang aanvragen" not in by_name.content.decode()
    # nor does the hint appear for a BSN nobody has
    nobody = http.get(reverse("clients:client-list"), {"q": "111222333"})
    assert "noodtoegang aanvragen" not in nobody.content.decode()


@pytest.mark.django_db
def test_the_search_hint_is_for_care_workers_only(secretary, other_team, org_ggz):
    from tests.factories.clients import ClientFactory

    stranger = ClientFactory(team=other_team)
    response = verified_client(secretary).get(reverse("clients:client-list"), {"q": stranger.bsn})
    assert "noodtoegang aanvragen" not in response.content.decode()


@pytest.mark.django_db
def test_a_request_without_a_reason_is_refused_with_a_dutch_message(outsider, own_client):
    http = verified_client(outsider)
    response = http.post(
        reverse("olteams:emergency-request"), {"query": own_client.bsn, "reason": " "}
    )
    assert response.status_code == 400
    assert "Er is iets niet goed ingevuld" in response.content.decode()
    short = http.post(
        reverse("olteams:emergency-request"), {"query": own_client.bsn, "reason": "even"}
    )
    assert short.status_code == 400
    assert "minstens 10 tekens" in short.content.decode()
    unknown = http.post(reverse("olteams:emergency-request"), {"query": "abc", "reason": REASON})
    assert "Geen cliënt buiten uw teams gevonden" in unknown.content.decode()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_the_request_grants_view_access_audits_it_and_notifies_the_privacy_officer(
    outsider, own_client, officer, member, org_ggz
):
    http = verified_client(outsider)
    response = http.post(
        reverse("olteams:emergency-request"), {"query": own_client.bsn, "reason": REASON}
    )
    assert response.status_code == 302 and response["Location"] == _file(own_client)
    access = EmergencyAccess.objects.get(user=outsider, client_id=own_client.pk)
    assert access.reason == REASON
    assert access.expires_at - access.started_at == dt.timedelta(hours=24)
    start = AuditEvent.objects.get(event_type=AuditEventType.EMERGENCY)
    assert (start.client_id, start.grounds, start.emergency_access_id) == (
        own_client.pk,
        Ground.EMERGENCY.value,
        access.pk,
    )
    notice = Notification.objects.get(recipient=officer)
    assert notice.kind == NotificationKind.TASK and notice.client_id == own_client.pk
    assert notice.url == reverse("olteams:emergency-list")
    assert not Notification.objects.exclude(recipient=officer).exists()

    page = http.get(_file(own_client))
    html = page.content.decode()
    assert page.status_code == 200
    assert own_client.last_name in html
    assert "U kijkt met noodtoegang" in html
    read = AuditEvent.objects.filter(event_type=AuditEventType.READ, client_id=own_client.pk).last()
    assert read is not None
    assert read.grounds == Ground.EMERGENCY.value
    assert read.emergency_access_id == access.pk
    assert read.role == Role.TEAM_MEMBER and read.organisation_id == org_ggz.pk
    # the clinical part is viewable too
    plan = http.get(reverse("herstelplan:client-overview", kwargs={"client_id": own_client.pk}))
    assert plan.status_code == 200
    # the team's own member sees no banner
    own = verified_client(member).get(_file(own_client))
    assert "U kijkt met noodtoegang" not in own.content.decode()


@pytest.mark.django_db
def test_emergency_access_never_allows_a_change(outsider, own_client):
    _granted(outsider, own_client)
    assert client_actions(
        outsider, own_client, actions=[ClientAction.VIEW, ClientAction.CHANGE, ClientAction.EXPORT]
    ) == {ClientAction.VIEW}
    for action in ClientAction.values:
        assert (action in client_actions(outsider, own_client, actions=[action])) == can(
            outsider, own_client, action
        )
    http = verified_client(outsider)
    url = reverse("clients:client-update", kwargs={"client_id": own_client.pk})
    assert http.get(url).status_code == 404
    before = own_client.last_name
    assert http.post(url, {"last_name": "Anders"}).status_code == 404
    own_client.refresh_from_db()
    assert own_client.last_name == before
    assert AuditEvent.objects.filter(
        client_id=own_client.pk, outcome=AuditOutcome.DENIED, user=outsider
    ).exists()


@pytest.mark.django_db
def test_emergency_access_expires(outsider, own_client):
    with override_settings(EMERGENCY_ACCESS_HOURS=2):
        access = _granted(outsider, own_client)
    assert access.expires_at == timezone.now() + dt.timedelta(hours=2)
    # a new session each time: the idle session of the start would have expired
    with time_machine.travel(NOW + dt.timedelta(hours=1, minutes=59), tick=False):
        assert verified_client(outsider).get(_file(own_client)).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        assert verified_client(outsider).get(_file(own_client)).status_code == 404
        assert not clients_visible_to(outsider).filter(pk=own_client.pk).exists()


@pytest.mark.django_db
def test_the_worker_can_end_it_early_from_the_banner(outsider, own_client):
    access = _granted(outsider, own_client)
    http = verified_client(outsider)
    response = http.post(reverse("olteams:emergency-end", kwargs={"pk": access.pk}))
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.ended_at is not None
    assert http.get(_file(own_client)).status_code == 404


@pytest.mark.django_db
def test_someone_else_cannot_end_it(outsider, own_client, member):
    access = _granted(outsider, own_client)
    response = verified_client(member).post(
        reverse("olteams:emergency-end", kwargs={"pk": access.pk})
    )
    assert response.status_code == 404
    access.refresh_from_db()
    assert access.ended_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["secretary", "controller", "stuurgroep_user", "consultant", "admin_user", "officer"]
)
def test_only_team_members_and_leads_may_break_the_glass(request, role, own_client):
    user = request.getfixturevalue(role)
    assert verified_client(user).get(reverse("olteams:emergency-request")).status_code == 403
    with pytest.raises(PermissionDenied):
        emergency_access_request(actor=user, query=own_client.bsn, reason=REASON)
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_a_client_the_worker_already_sees_needs_no_emergency_access(member, own_client):
    with pytest.raises(ValidationError) as excinfo:
        emergency_access_request(actor=member, query=str(own_client.pk), reason=REASON)
    assert "query" in excinfo.value.error_dict
    assert not EmergencyAccess.objects.exists()
