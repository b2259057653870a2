"""Plausible dates (issue 14): 1899 and 2100 are refused for I.ROC, plan and goal, with a
Dutch field error and nothing stored."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from herstelplan.models import Goal, IrocAssessment, Plan
from tests.factories.herstelplan import iroc_answers

pytestmark = pytest.mark.django_db


def api(name: str, *args) -> str:
    return reverse(f"api:herstelplan-{name}", args=args)


def _bounds(label: str) -> str:
    latest = timezone.localdate()
    latest = latest.replace(year=latest.year + 10, day=min(latest.day, 28))
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    last = f"{latest.day} {months[latest.month - 1]} {latest.year}"
    return f"{label} moet tussen 1 jan 1900 en {last} liggen."


@pytest.mark.parametrize("day", ["1899-12-31", "2100-01-01"])
def test_an_iroc_in_1899_or_2100_is_refused(login, member, care_client, day):
    response = login(member).post(
        api("iroc", care_client.pk),
        {"date": day, "filled_in_with": "Cliënt", "answers": iroc_answers([5] * 12)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "date" in response.json()
    if day.startswith("1899"):
        assert response.json() == {"date": [_bounds("Datum")]}
    assert IrocAssessment.objects.count() == 0


@pytest.mark.parametrize("day", ["1899-12-31", "2100-01-01"])
def test_a_plan_review_date_in_1899_or_2100_is_refused(login, member, care_client, day):
    http = login(member)
    plan = http.post(api("plan-list", care_client.pk)).json()
    response = http.patch(
        api("plan-detail", care_client.pk, plan["id"]),
        {"lock_version": plan["lock_version"], "review_date": day},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"review_date": [_bounds("Evalueren op")]}
    assert Plan.objects.get(pk=plan["id"]).review_date is None


@pytest.mark.parametrize("day", ["1899-12-31", "2100-01-01"])
def test_a_goal_evaluation_date_in_1899_or_2100_is_refused(login, member, care_client, day):
    http = login(member)
    plan = http.post(api("plan-list", care_client.pk)).json()
    response = http.post(
        api("goal-create", care_client.pk, plan["id"]),
        {"lock_version": plan["lock_version"], "text": "Werk", "evaluation_date": day},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"evaluation_date": [_bounds("Evalueren op")]}
    assert Goal.objects.count() == 0
