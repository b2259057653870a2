"""The functional administrator is not a superuser and cannot give itself access (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from olteams.constants import AuditEventType, Discipline, TeamRole
from olteams.models import AuditEvent, Membership, Notification

pytestmark = pytest.mark.django_db


def _membership_data(user, team, org_ggz, role=TeamRole.MEMBER):
    return {
        "user": user.pk,
        "team": team.pk,
        "organisation": org_ggz.pk,
        "discipline": Discipline.CASEMANAGER,
        "role": role,
        "fte": "0.50",
        "valid_from": "2026-01-01",
        "valid_to": "",
    }


def test_the_functional_administrator_is_no_superuser_but_can_use_the_admin(admin_user, login):
    assert admin_user.is_superuser is False
    http = login(admin_user)
    assert http.get(reverse("admin:olteams_membership_changelist")).status_code == 200
    assert http.get(reverse("admin:olteams_team_changelist")).status_code == 200


def test_the_administrator_cannot_give_itself_a_membership_and_still_cannot_read_the_file(
    admin_user, team, org_ggz, own_client, login
):
    http = login(admin_user)
    response = http.post(
        reverse("admin:olteams_membership_add"), _membership_data(admin_user, team, org_ggz)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "U kunt uzelf geen teamlidmaatschap geven of het uwe wijzigen." in response.text
    assert not Membership.objects.filter(user=admin_user).exists()
    assert not AuditEvent.objects.filter(object_type="olteams.membership").exists()
    detail = reverse("clients:client-detail", kwargs={"client_id": own_client.pk})
    assert http.get(detail).status_code == 404


def test_the_administrator_cannot_make_itself_superuser(admin_user, login):
    http = login(admin_user)
    page = http.get(reverse("admin:olteams_user_change", args=[admin_user.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="memberships-TOTAL_FORMS"' not in page.text  # no own memberships inline


def test_a_membership_given_by_the_administrator_is_audited_and_notified(
    admin_user, team, org_ggz, lead, login
):
    from tests.factories.olteams import UserFactory

    newcomer = UserFactory(username="nieuw")
    http = login(admin_user)
    response = http.post(
        reverse("admin:olteams_membership_add"), _membership_data(newcomer, team, org_ggz)
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    event = AuditEvent.objects.get(object_type="olteams.membership")
    assert (event.user, event.event_type, event.object_id) == (
        admin_user,
        AuditEventType.CREATE,
        str(membership.pk),
    )
    assert event.detail == (
        f"lidmaatschap toegevoegd: {newcomer} in Team Noord als Teamlid (vanaf 01-01-2026)"
    )
    told = set(
        Notification.objects.filter(title__startswith="Teamlidmaatschap toegevoegd").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"nieuw", "leider", "beheerder"}
