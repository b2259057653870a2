from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from herstelplan.constants import PlanStatus
from herstelplan.models import Evaluation, HonosAssessment, IrocAssessment, Plan, RecoveryPhase
from olteams.models import AuditEvent
from tests.factories.herstelplan import iroc_answers, make_plan

pytestmark = pytest.mark.django_db


def api(name: str, *args) -> str:
    return reverse(f"api:herstelplan-{name}", args=args)


def test_iroc_create_and_list(login, member, care_client):
    http = login(member)
    response = http.post(
        api("iroc", care_client.pk),
        {
            "date": "2026-01-10",
            "filled_in_with": "Cliënt",
            "answers": iroc_answers([5] * 12, notes={1: "Beter"}),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == 60
    listing = http.get(api("iroc", care_client.pk)).json()
    assert [row["total"] for row in listing] == [60]
    assert listing[0]["answers"][0] == {"indicator": 1, "score": 5, "note": "Beter"}
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="create").count() == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (iroc_answers()[:11], "Beantwoord alle 12 vragen; er zijn er nu 11 ingevuld."),
        (
            [{**a, "score": 7} if a["indicator"] == 2 else a for a in iroc_answers()],
            "De score bij indicator 2 moet 1 tot en met 6 zijn.",
        ),
    ],
)
def test_iroc_bad_input_is_400_with_dutch_field_errors(
    login, member, care_client, answers, message
):
    response = login(member).post(
        api("iroc", care_client.pk),
        {
            "date": "2026-01-10",
            "filled_in_with": "Cliënt",
            "answers": answers,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"answers": [message]}
    assert IrocAssessment.objects.count() == 0


def test_honos_create_and_out_of_range(login, member, care_client):
    http = login(member)
    body = {
        "date": "2026-01-10",
        "item_8_problem_type": "H",
        **{f"item_{n}": 1 for n in range(1, 13)},
    }
    body["item_4"] = 9
    response = http.post(api("honos", care_client.pk), body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert (data["total"], data["valid_item_count"], data["is_incomplete"]) == (11, 11, True)
    assert data["subscales"] == {"behaviour": 3, "impairment": 1, "symptoms": 3, "social": 4}
    body["item_2"] = 5
    response = http.post(api("honos", care_client.pk), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"item_2": ["Kies een score van 0 tot en met 4, of 9 (niet bekend)."]}
    assert HonosAssessment.objects.count() == 1


def test_phase_create(login, member, care_client):
    response = login(member).post(
        api("phases", care_client.pk),
        {"phase": 4, "date": "2026-01-10", "set_with": "Cliënt"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["phase_name"] == "Leven voorbij de aandoening"
    assert RecoveryPhase.objects.count() == 1


def test_plan_flow_through_the_api(login, member, care_client):
    http = login(member)
    plan = http.post(api("plan-list", care_client.pk)).json()
    pid = plan["id"]
    plan = http.patch(
        api("plan-detail", care_client.pk, pid),
        {"lock_version": plan["lock_version"], "who_i_am": "Ik"},
        content_type="application/json",
    ).json()
    goal = http.post(
        api("goal-create", care_client.pk, pid),
        {"lock_version": plan["lock_version"], "text": "Werk", "indicators": [6]},
        content_type="application/json",
    )
    assert goal.status_code == 201
    assert goal.json()["indicators"] == [6]
    response = http.post(
        api("action-create", care_client.pk, pid, goal.json()["id"]),
        {
            "lock_version": plan["lock_version"] + 1,
            "description": "Samen zoeken",
            "performer": "worker",
            "worker": member.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    # activating an unagreed plan: 400
    response = http.post(
        api("plan-activate", care_client.pk, pid),
        {"lock_version": plan["lock_version"] + 2},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["plan"][0].startswith("Alleen een plan waarmee de cliënt akkoord is")
    plan = http.post(
        api("plan-agree", care_client.pk, pid),
        {
            "lock_version": plan["lock_version"] + 2,
            "agreed_on": "2026-01-05",
            "agreed_how": "digital",
        },
        content_type="application/json",
    ).json()
    plan = http.post(
        api("plan-activate", care_client.pk, pid),
        {"lock_version": plan["lock_version"]},
        content_type="application/json",
    ).json()
    assert plan["status"] == "active"
    # evaluation before the plan start: 400, nothing saved
    before = dt.date.fromisoformat(plan["valid_from"]) - dt.timedelta(days=1)
    response = http.post(
        api("evaluations", care_client.pk, pid),
        {"date": before.isoformat(), "text": "Te vroeg"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["date"]
    assert Evaluation.objects.count() == 0


def test_editing_an_archived_version_is_400(login, member, care_client):
    plan = make_plan(care_client, member, activate=True)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ARCHIVED)
    response = login(member).patch(
        api("plan-detail", care_client.pk, plan.pk),
        {"lock_version": plan.lock_version, "who_i_am": "X"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"plan": ["Een gearchiveerde versie kan niet meer worden gewijzigd."]}


def test_stale_lock_version_is_409_with_dutch_message(
    login, member, assigned_colleague, care_client
):
    plan = make_plan(care_client, member)
    stale = plan.lock_version
    url = api("plan-detail", care_client.pk, plan.pk)
    assert (
        login(assigned_colleague)
        .patch(url, {"lock_version": stale, "wishes": "A"}, content_type="application/json")
        .status_code
        == 200
    )
    response = login(member).patch(
        url, {"lock_version": stale, "wishes": "B"}, content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Iemand anders heeft dit plan gewijzigd")
    assert body["lock_version"] == stale + 1
    assert body["changes"][0].startswith('Karin Mulder wijzigde "mijn wensen"')
    plan.refresh_from_db()
    assert plan.wishes == "A"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),
        ("outsider", 404),
        ("consultant", 404),
        ("secretary", 404),
        ("member", 200),
    ],
)
def test_api_permissions(request, login, client, care_client, member, who, expected):
    plan = make_plan(care_client, member)
    http = client if who == "anonymous" else login(request.getfixturevalue(who))
    for url in [
        api("iroc", care_client.pk),
        api("honos", care_client.pk),
        api("phases", care_client.pk),
        api("plan-list", care_client.pk),
        api("plan-detail", care_client.pk, plan.pk),
        api("evaluations", care_client.pk, plan.pk),
    ]:
        assert http.get(url).status_code == expected, url
    if who != "member":
        response = http.patch(
            api("plan-detail", care_client.pk, plan.pk),
            {"lock_version": plan.lock_version, "who_i_am": "X"},
            content_type="application/json",
        )
        assert response.status_code == expected
        plan.refresh_from_db()
        assert plan.who_i_am == ""
