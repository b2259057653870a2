"""The inzage export (caseload/services/inzage.py): the whole file of a client as JSON that
validates against the documented schema (docs/inzage-export.schema.json) and as a PDF for
people, in the portal ('Mijn gegevens') and for the team lead on the client file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload.services.inzage import build_export, export_pdf
from caseload.services.inzage_schema import export_schema
from clients.constants import PortalShare
from olteams.audit import audit_record
from olteams.constants import AuditEventType, AuditOutcome
from olteams.models import AuditEvent
from tests.caseload.url_kwargs import _appointment, _document
from tests.conftest import verified_client
from tests.factories.caseload import ContactFactory, CrisisFactory
from tests.factories.clients import (
    ClientFactory,
    ClientPortalAccountFactory,
    ConsentFactory,
    NaasteFactory,
    NaasteGrantFactory,
    NaastePortalAccountFactory,
    make_bsn,
)
from tests.factories.finance import indication
from tests.factories.herstelplan import (
    EvaluationFactory,
    GoalActionFactory,
    RecoveryPhaseFactory,
    make_honos,
    make_iroc,
    make_plan,
    put_in_care,
    signal_plan_in_force,
)
from tests.portal.browser import portal_browser
from tests.portal.pdfs import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "inzage-export.schema.json"
GOAL = "Ik wil weer zelf boodschappen doen."


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def rich_client(team, member, municipality, *, contacts: int = 1, seed: int = 31):
    """A client with something in every part of the file."""
    client = ClientFactory(team=team, bsn=make_bsn(seed), municipality=municipality)
    start = dt.date(2026, 1, 5)
    put_in_care(client, member, on=start)
    plan = make_plan(client, member, goals=((GOAL, (6,)),), activate=True, who_i_am="Tuinier.")
    GoalActionFactory(
        goal=plan.goals.get(), description="Samen naar de markt", frequency="wekelijks"
    )
    EvaluationFactory(plan=plan, goal=plan.goals.get(), by=member)
    RecoveryPhaseFactory(client=client, recorded_by=member)
    make_iroc(client, member, date=dt.date(2026, 2, 1), scores=4)
    make_honos(client, member, date=dt.date(2026, 2, 2), scores=2)
    signal_plan_in_force(client, member)
    for _ in range(contacts):
        ContactFactory(client=client, author=member, note="Samen de post doorgenomen.")
    CrisisFactory(client=client, by=member)
    ConsentFactory(client=client, recorded_by=member)
    naaste = NaasteFactory(client=client, name="Gerda Naaste")
    NaastePortalAccountFactory(naaste=naaste, bsn=make_bsn(seed + 1))
    NaasteGrantFactory(naaste=naaste, category=PortalShare.PLAN)
    indication(client, municipality=municipality, start=start, by=member)
    _appointment(client=client, user=member)
    _document(client=client, user=member)
    audit_record(user=member, event_type=AuditEventType.READ, client_id=client.pk)
    return client


def test_the_documented_schema_is_the_one_the_code_makes():
    assert _schema() == export_schema()
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_the_export_of_a_rich_client_validates_and_holds_every_part(team, member, municipality):
    client = rich_client(team, member, municipality)
    data = json.loads(json.dumps(build_export(client)))

    jsonschema.Draft202012Validator(
        _schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    assert data["personalia"]["last_name"] == client.last_name
    assert data["personalia"]["bsn"] == client.bsn
    assert data["care_episodes"][0]["phase_transitions"][0]["to_phase"] == "In zorg"
    assert data["herstelplan"][0]["goals"][0]["text"] == GOAL
    assert data["herstelplan"][0]["goals"][0]["actions"][0]["description"] == "Samen naar de markt"
    assert data["herstelplan"][0]["evaluations"]
    assert len(data["iroc"][0]["answers"]) == 12
    assert data["honos"][0]["item_1"] and data["honos"][0]["total"] == 24
    assert data["signaleringsplan"][0]["red_signs"] == "Ik slaap niet meer."
    assert data["contacts"][0]["note"] == "Samen de post doorgenomen."
    assert data["appointments"] and data["crises"] and data["consents"]
    assert data["documents"][0]["title"] == "Notitie"
    assert "team" in data["documents"][0]["how_to_get"]
    assert data["wmo"]["indications"] and data["wmo"]["requests"][0]["decisions"]
    naaste = data["naasten"][0]
    assert naaste["name"] == "Gerda Naaste"
    assert naaste["portal_account"]["bsn"].startswith("*****")
    assert naaste["grants"][0]["category"] == "Mijn plan"
    who = member.get_full_name()
    assert any(e["who"] == who and e["kind"] == "staff" for e in data["access_log"])


def test_another_clients_data_is_never_in_the_export(team, member, municipality):
    client = rich_client(team, member, municipality)
    other = rich_client(team, member, municipality, seed=41)
    text = json.dumps(build_export(client), ensure_ascii=False)
    assert other.last_name not in text and other.bsn not in text


def test_the_export_needs_the_same_queries_for_a_small_and_a_large_file(team, member, municipality):
    small = rich_client(team, member, municipality, contacts=1, seed=51)
    large = rich_client(team, member, municipality, contacts=8, seed=61)
    for _ in range(5):
        audit_record(user=member, event_type=AuditEventType.READ, client_id=large.pk)

    def count(client) -> int:
        with CaptureQueriesContext(connection) as queries:
            build_export(client)
        return len(queries)

    assert count(small) == count(large) <= 45


def test_the_export_pdf_renders_with_a_heading_per_part(team, member, municipality):
    client = rich_client(team, member, municipality)
    pdf = export_pdf(client)
    assert pdf.startswith(b"%PDF")
    assert len(pdf_pages(pdf)) > 1
    text = pdf_text(pdf)
    for heading in (
        "Persoonsgegevens",
        "Herstelplan (alle versies)",
        "I.ROC-metingen",
        "Signaleringsplan",
        "Wie heeft uw dossier bekeken",
        "Wmo-indicaties",
    ):
        assert heading in text
    assert GOAL in text


# --- the portal: Mijn gegevens -----------------------------------------------------------


def test_the_client_downloads_the_export_and_each_download_is_audited(team, member, municipality):
    client = rich_client(team, member, municipality)
    account = ClientPortalAccountFactory(client=client)
    browser = portal_browser(account)

    page = browser.get(reverse("portal:gegevens")).content.decode()
    assert reverse("portal:export-json") in page and reverse("portal:export-pdf") in page
    assert "REQUEST FORM" not in page  # the marked block is a template comment
    assert "Bezwaar" in page and "Correctie" in page

    response = browser.get(reverse("portal:export-json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    jsonschema.validate(data, _schema())
    pdf = browser.get(reverse("portal:export-pdf"))
    assert pdf.content.startswith(b"%PDF")
    events = AuditEvent.objects.filter(event_type=AuditEventType.EXPORT, client_id=client.pk)
    assert sorted(e.detail for e in events) == ["inzage-export (json)", "inzage-export (pdf)"]


# --- the staff side: one click for a written request -------------------------------------


def _staff_export(user, client, **query):
    url = reverse("caseload:inzage-export", kwargs={"client_id": client.pk})
    return verified_client(user).get(url, query)


def test_the_team_lead_exports_the_file_as_json_and_pdf(team, member, lead, municipality):
    client = rich_client(team, member, municipality)
    page = verified_client(lead).get(
        reverse("caseload:client-file", kwargs={"client_id": client.pk})
    )
    assert (
        reverse("caseload:inzage-export", kwargs={"client_id": client.pk}) in page.content.decode()
    )

    as_json = _staff_export(lead, client, formaat="json")
    assert as_json.status_code == 200
    jsonschema.validate(json.loads(as_json.content), _schema())
    as_pdf = _staff_export(lead, client)
    assert as_pdf.content.startswith(b"%PDF")
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT, client_id=client.pk, user=lead
    )
    assert sorted(e.detail for e in events) == ["inzage-export (json)", "inzage-export (pdf)"]
    assert all(e.outcome == AuditOutcome.SUCCESS for e in events)


def test_only_the_lead_of_the_clients_team_may_export(
    team, member, lead, secretary, outsider, municipality
):
    client = rich_client(team, member, municipality)
    page = verified_client(member).get(
        reverse("caseload:client-file", kwargs={"client_id": client.pk})
    )
    assert "inzage-export" not in page.content.decode()
    assert _staff_export(member, client).status_code == 404
    assert _staff_export(outsider, client).status_code == 404
    assert _staff_export(secretary, client).status_code == 403
    denied = AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT, client_id=client.pk, outcome=AuditOutcome.DENIED
    )
    assert denied.count() == 3
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.EXPORT, client_id=client.pk, outcome=AuditOutcome.SUCCESS
    ).exists()


def test_an_unknown_format_is_a_dutch_400(team, member, lead, municipality):
    client = ClientFactory(team=team)
    response = _staff_export(lead, client, formaat="xlsx")
    assert response.status_code == 400
    assert "Kies als formaat pdf of json." in response.content.decode()
