"""Exports of the caseload lists: content, the EXPORT audit event, who may download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clients.constants import AssignmentRole
from olteams.models import AuditEvent
from tests.caseload import pages_fixtures
from tests.caseload.pages_fixtures import assign, contact, in_care, make_client

pytestmark = pytest.mark.django_db

frozen = pages_fixtures.frozen  # a fixture


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return [line.split(";") for line in text.strip().splitlines()]


def _url(kind: str, fmt: str = "csv") -> str:
    return reverse("caseload:export", kwargs={"kind": kind, "fmt": fmt})


def test_caseload_per_worker_csv_content_and_audit(team, lead, member, login, frozen):
    for _ in range(3):
        assign(make_client(team), member, AssignmentRole.CASEMANAGER)

    response = login(lead).get(_url("caseload-per-medewerker"), {"team": team.pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:5] == ["Medewerker", "Organisatie", "Discipline", "FTE", "Cliënten"]
    member_row = next(r for r in rows if r[4] == "3")
    assert member_row[1:4] == ["GGZ-T", "Casemanager", "0.80"]
    assert member_row[6:] == ["3.8", "16.0", "nee"]
    event = AuditEvent.objects.get(event_type="export")
    assert event.user == lead
    assert event.detail == f"caseload-per-medewerker team {team.pk} (csv)"


def test_mdo_xlsx_names_the_clients_and_reasons(team, lead, member, login, frozen):
    c = make_client(team, name="Smit", first="Sanne")
    in_care(c, member)
    assign(c, member, AssignmentRole.CASEMANAGER)

    response = login(lead).get(_url("mdo", "xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Cliëntnummer", "Naam", "Bespreken omdat")
    assert rows[1][:3] == (c.pk, "Sanne Smit", "I.ROC; nog geen contact")
    assert AuditEvent.objects.filter(event_type="export", detail__startswith="mdo").count() == 1


def test_hours_export(team, lead, member, login, frozen):
    contact(make_client(team), [member], day=dt.date(2026, 3, 2), minutes=90, travel=30)

    rows = _csv(login(lead).get(_url("uren")))

    assert rows[0] == [
        "Medewerker",
        "Maand",
        "Direct (uren)",
        "Indirect (uren)",
        "Onbetaald (uren)",
    ]
    assert rows[1][1:] == ["2026-03", "1.5", "0.5", "0.0"]


def test_my_caseload_export_for_a_lead(team, lead, login, frozen):
    c = make_client(team, name="Mulder")
    assign(c, lead)
    contact(c, [lead], day=dt.date(2026, 3, 6))

    rows = _csv(login(lead).get(_url("mijn-caseload")))

    assert rows[1][:6] == [str(c.pk), "Piet Mulder", "Ambulant begeleider", "", "2026-03-06", "10"]


@pytest.mark.parametrize("kind", ["mijn-caseload", "caseload-per-medewerker", "mdo", "uren"])
@pytest.mark.parametrize("user_fixture", ["member", "outsider", "consultant", "controller"])
def test_exports_forbidden_without_the_export_permission(request, login, kind, user_fixture):
    user = request.getfixturevalue(user_fixture)
    response = login(user).get(_url(kind))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type="export").exists()


def test_export_of_another_team_is_404(team, other_team, lead, login):
    response = login(lead).get(_url("mdo"), {"team": other_team.pk})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type="export").exists()


@pytest.mark.parametrize(("kind", "fmt"), [("alles", "csv"), ("mdo", "pdf")])
def test_unknown_kind_or_format_is_404(lead, login, kind, fmt):
    assert login(lead).get(_url(kind, fmt)).status_code == 404


def test_secretariaat_may_export(team, secretary, login):
    assert login(secretary).get(_url("caseload-per-medewerker")).status_code == 200


def test_export_anonymous_is_sent_to_sign_in(client):
    assert client.get(_url("mdo")).status_code == 302
