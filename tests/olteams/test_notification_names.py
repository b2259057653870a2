"""Notifications name the client only for readers the access policy lets see the client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients.constants import AssignmentRole
from olteams.constants import NotificationKind
from olteams.models import Notification
from olteams.selectors import notification_list
from olteams.services import notification_create, notifications_close
from tests.factories.clients import AssignmentFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of_team(team, member):
    client = ClientFactory(team=team, first_name="Sanne", name_prefix="de", last_name="Vries")
    AssignmentFactory(client=client, worker=member, role=AssignmentRole.CASEMANAGER)
    return client


def test_client_named_for_those_who_may_see_them(member, outsider, client_of_team):
    url = reverse("clients:client-detail", kwargs={"client_id": client_of_team.pk})
    for user in (member, outsider):
        notification_create(
            recipients=[user], title="Herinnering", url=url, client_id=client_of_team.pk
        )
    notification_create(recipients=[member], title="Zonder cliënt")
    names = [(n.title, n.client_name) for n in notification_list(user=member)]
    assert sorted(names, key=str) == [("Herinnering", "Sanne de Vries"), ("Zonder cliënt", None)]
    assert [n.client_name for n in notification_list(user=outsider)] == [None]


def test_notification_page_shows_the_name_only_to_the_team(login, member, outsider, client_of_team):
    notification_create(
        recipients=[member, outsider], title="Herinnering I.ROC", client_id=client_of_team.pk
    )
    page = reverse("olteams:notification-list")
    assert "Sanne de Vries" in login(member).get(page).content.decode()
    body = login(outsider).get(page).content.decode()
    assert "Herinnering I.ROC" in body and "Sanne de Vries" not in body


def test_close_by_key_or_by_client_and_kind(member, lead, client_of_team):
    notification_create(recipients=[member, lead], title="Taak", dedupe_key="wmo-submitted:1")
    notification_create(
        recipients=[member],
        title="Herinnering",
        kind=NotificationKind.REMINDER,
        client_id=client_of_team.pk,
    )
    notification_create(
        recipients=[member],
        title="Besluit",
        kind=NotificationKind.INFO,
        client_id=client_of_team.pk,
    )
    assert notifications_close(dedupe_keys=["wmo-submitted:1"]) == 2
    closed = notifications_close(client_id=client_of_team.pk, kinds=[NotificationKind.REMINDER])
    assert closed == 1
    unread = Notification.objects.filter(read_at__isnull=True).values_list("title", flat=True)
    assert list(unread) == ["Besluit"]
    assert notifications_close(dedupe_keys=[]) == 0
