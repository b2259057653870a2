"""The OpenAPI schema says what the API really answers (issue 14: schemathesis found these)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(member, login):
    response = login(member).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _component(schema, name):
    return schema["components"]["schemas"][name]


def test_blank_choices_and_blank_emails_are_documented(schema):
    target = _component(schema, "CaseloadNonClientTime")["properties"]["target"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in target["oneOf"]
    outflow = _component(schema, "Episode")["properties"]["outflow_reason"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in outflow["oneOf"]
    assert "format" not in _component(schema, "Client")["properties"]["email"]
    assert "format" not in _component(schema, "Naaste")["properties"]["email"]


def test_times_are_documented_as_drf_writes_them(schema):
    planned = _component(schema, "Intake")["properties"]["planned_time"]
    assert "format" not in planned
    assert re.match(planned["pattern"], "11:00:00")
    assert re.match(planned["pattern"], "11:00")
    assert not re.match(planned["pattern"], "25:00")


def test_missing_objects_are_nullable(schema):
    assert _component(schema, "MonthlyAccount")["properties"]["team_name"]["nullable"] is True
    assert _component(schema, "WmoDecision")["properties"]["indication"]["nullable"] is True


def test_report_files_are_documented_as_pdf_and_xlsx(schema):
    operation = schema["paths"]["/api/v1/financien/rapporten/bestanden/{file_id}/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_every_operation_documents_its_errors_and_names_the_token_first(schema):
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), method
            assert operation["security"][0] == {"tokenAuth": []}


def test_empty_date_filters_are_documented(schema):
    parameters = schema["paths"]["/api/v1/caseload/tijd/"]["get"]["parameters"]
    date_to = next(p for p in parameters if p["name"] == "date_to")
    assert {"type": "string", "enum": [""]} in date_to["schema"]["anyOf"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_answers_json_404(method, client):
    response = getattr(client, method)("/api/v1/tokens/null,null/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_too_many_form_fields_answer_json_400_under_the_api(member, login, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = login(member).post("/api/v1/meldingen/gelezen/", {"ids": ["1", "2", "3", "4"]})
    assert response.status_code == 400
    assert response.json() == {"detail": "Ongeldig verzoek."}
