"""No self-service access: who may add a worker to a client's care team (issue 14)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients.models import Assignment
from olteams.models import AuditEvent
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(team, member):
    return ClientFactory(team=team, first_name="Anna", last_name="de Vries")


def _post(http, file, worker, **extra):
    data = {"worker": worker.pk, "role": "overig", "start_date": "2026-03-01", **extra}
    return http.post(
        reverse("api:care-team", args=[file.pk]), data, content_type="application/json"
    )


def _snapshot(file):
    return (
        list(Assignment.objects.filter(client=file).values_list("worker_id", "role")),
        AuditEvent.objects.filter(client_id=file.pk, object_type="clients.assignment").count(),
    )


def test_the_secretariaat_cannot_grant_a_worker_of_another_team_access(
    file, secretary, outsider, login
):
    before = _snapshot(file)
    response = _post(login(secretary), file, outsider)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Het zorgsecretariaat kan geen zorgteamleden")
    assert _snapshot(file) == before
    # and the outsider still cannot read the file
    reader = login(outsider)
    assert reader.get(reverse("api:client-detail", args=[file.pk])).status_code == 404


def test_the_secretariaat_cannot_grant_clinical_access_within_the_team_either(
    file, secretary, welfare_member, login
):
    before = _snapshot(file)
    assert _post(login(secretary), file, welfare_member).status_code == 403
    assert _snapshot(file) == before
    page = login(secretary).get(reverse("clients:assignment-create", args=[file.pk]))
    assert page.status_code == 403


def test_a_member_cannot_add_a_worker_of_another_team(file, member, outsider, login):
    before = _snapshot(file)
    response = _post(login(member), file, outsider, reason="Waarneming")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Alleen de teamleider kan een medewerker van een ander team toevoegen."
    )
    assert _snapshot(file) == before


def test_the_lead_adds_a_worker_of_another_team_only_with_a_reason_audited_and_shown(
    file, lead, outsider, login
):
    http = login(lead)
    response = _post(http, file, outsider)
    assert response.status_code == 400
    assert response.json()["reason"] == [
        "Vul de reden in waarom een medewerker van een ander team meedoet."
    ]
    assert _snapshot(file) == ([], 0)

    response = _post(http, file, outsider, reason="Tijdelijke waarneming tijdens verlof")
    assert response.status_code == 201
    assert response.json()["cross_team_reason"] == "Tijdelijke waarneming tijdens verlof"
    event = AuditEvent.objects.get(client_id=file.pk, object_type="clients.assignment")
    assert (event.user, event.event_type) == (lead, "create")
    assert event.detail == (
        f"zorgteam: {outsider} als Overig (ander team; reden: Tijdelijke waarneming tijdens verlof)"
    )
    team = http.get(reverse("api:care-team", args=[file.pk])).json()
    assert [(r["worker"], r["cross_team_reason"]) for r in team] == [
        (outsider.pk, "Tijdelijke waarneming tijdens verlof")
    ]


def test_a_member_adds_a_colleague_of_the_team_and_the_grant_is_audited(
    file, member, welfare_member, login
):
    response = _post(login(member), file, welfare_member)
    assert response.status_code == 201
    assert response.json()["cross_team_reason"] == ""
    event = AuditEvent.objects.get(client_id=file.pk, object_type="clients.assignment")
    assert event.detail == f"zorgteam: {welfare_member} als Overig"


# --- the web form on the Netwerk tab ---------------------------------------------------


def _form_post(http, file, **data):
    return http.post(
        reverse("clients:assignment-create", args=[file.pk]),
        {"role": "overig", "start_date": "2026-03-01", **data},
    )


def test_the_lead_sees_the_other_team_and_the_reason_on_the_form(file, lead, outsider, login):
    page = login(lead).get(reverse("clients:assignment-create", args=[file.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert list(form.fields["other_worker"].queryset) == [outsider]
    html = page.content.decode()
    assert "Reden (bij een medewerker van een ander team)" in html
    assert "Verplicht bij een medewerker van een ander team" in html


def test_a_member_gets_no_other_team_choice(file, member, login):
    page = login(member).get(reverse("clients:assignment-create", args=[file.pk]))
    assert page.status_code == 200
    assert {"other_worker", "reason"}.isdisjoint(page.context["form"].fields)


def test_the_lead_adds_another_teams_worker_in_the_form_only_with_a_reason(
    file, lead, outsider, login
):
    http = login(lead)
    response = _form_post(http, file, other_worker=outsider.pk, reason="  ")
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Vul de reden in waarom een medewerker van een ander team meedoet."
    ]
    assert _snapshot(file) == ([], 0)

    response = _form_post(http, file, other_worker=outsider.pk, reason="Waarneming tijdens verlof")
    assert response.status_code == 302
    assignment = Assignment.objects.get(client=file)
    assert (assignment.worker, assignment.cross_team_reason) == (
        outsider,
        "Waarneming tijdens verlof",
    )
    event = AuditEvent.objects.get(client_id=file.pk, object_type="clients.assignment")
    assert (event.user, event.event_type) == (lead, "create")
    assert event.detail.endswith("(ander team; reden: Waarneming tijdens verlof)")
    network = http.get(reverse("clients:network", args=[file.pk])).content.decode()
    assert "Ander team; reden: Waarneming tijdens verlof" in network


def test_the_form_wants_one_worker(file, lead, member, outsider, login):
    http = login(lead)
    response = _form_post(http, file)
    assert response.context["form"].errors["worker"] == ["Kies een medewerker."]
    response = _form_post(http, file, worker=member.pk, other_worker=outsider.pk, reason="x")
    assert response.status_code == 400
    assert response.context["form"].errors["other_worker"] == [
        "Kies één medewerker: uit het eigen team of uit een ander team."
    ]
    assert _snapshot(file) == ([], 0)


def test_the_secretariaat_cannot_post_the_form(file, secretary, outsider, welfare_member, login):
    http = login(secretary)
    before = _snapshot(file)
    assert _form_post(http, file, worker=welfare_member.pk).status_code == 403
    response = _form_post(http, file, other_worker=outsider.pk, reason="Waarneming")
    assert response.status_code == 403
    assert _snapshot(file) == before
