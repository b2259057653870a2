"""A Wmo request's goals and ZRM go to the municipality only with the client's recorded
consent for that municipality and the purpose of the Wmo request (services, UI, API)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import Consent
from olteams.constants import ConsentPurpose, DataCategory
from olteams.models import Notification
from tests.factories.clients import ConsentFactory
from tests.factories.olteams import MunicipalityFactory
from tests.factories.wmo import wmo_consent
from wmo import services
from wmo.constants import RequestStatus
from wmo.models import IndicationRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
GOALS_ONLY = (
    "Geen toestemming van de cliënt om de doelen uit het herstelplan te delen met de gemeente "
    "Testgemeente voor deze Wmo-aanvraag. Leg eerst de toestemming vast (tabblad Netwerk, doel "
    "'Wmo-aanvraag bij de gemeente'); er is niets verstuurd."
)
BOTH = GOALS_ONLY.replace(
    "de doelen uit het herstelplan",
    "de doelen uit het herstelplan en de zelfredzaamheidsmatrix (ZRM)",
)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def concept(member, wmo_client, request_data):
    """A concept whose client has no consent on record (the fixture's consent removed)."""
    Consent.objects.filter(client=wmo_client).delete()
    return services.request_create(actor=member, client=wmo_client, data=request_data)


def _unchanged(request: IndicationRequest, goal_texts: list[str]) -> None:
    request.refresh_from_db()
    assert (request.status, request.submitted_on, request.deadline) == (
        RequestStatus.CONCEPT,
        None,
        None,
    )
    assert [g.text for g in request.goals.order_by("priority", "id")] == goal_texts
    assert not Notification.objects.filter(dedupe_key=f"wmo-submitted:{request.pk}").exists()


def _consent(client, municipality, category, **change):
    return ConsentFactory(
        client=client,
        recipient_organisation=None,
        recipient_municipality=municipality,
        category=category,
        purpose_kind=change.pop("purpose_kind", ConsentPurpose.WMO_REQUEST),
        **change,
    )


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("none", BOTH),
        ("withdrawn", BOTH),
        ("future", BOTH),
        ("wrong_purpose", BOTH),
        ("other_municipality", BOTH),
        ("goals_only", BOTH.replace("de doelen uit het herstelplan en ", "")),
        ("zrm_only", GOALS_ONLY),
    ],
)
def test_submit_without_consent_for_the_municipality_and_purpose_is_refused(
    state, message, member, wmo_client, municipality, concept
):
    texts = [g.text for g in concept.goals.order_by("priority", "id")]
    plan, support = DataCategory.RECOVERY_PLAN, DataCategory.WMO_SUPPORT
    for category in (plan, support):
        if state == "withdrawn":
            _consent(
                wmo_client,
                municipality,
                category,
                given_on=dt.date(2026, 1, 5),
                withdrawn_on=dt.date(2026, 3, 1),
            )
        elif state == "future":
            _consent(wmo_client, municipality, category, given_on=dt.date(2026, 3, 3))
        elif state == "wrong_purpose":
            _consent(wmo_client, municipality, category, purpose_kind=ConsentPurpose.CARE)
        elif state == "other_municipality":
            _consent(wmo_client, MunicipalityFactory(name="Elders", cbs_code="0999"), category)
        elif (state, category) in (("goals_only", plan), ("zrm_only", support)):
            _consent(wmo_client, municipality, category)
    with pytest.raises(ValidationError) as exc:
        services.request_submit(actor=member, request=concept, now=NOW)
    assert exc.value.message_dict == {"consent": [message]}
    _unchanged(concept, texts)


def test_submit_with_consent_for_the_goals_and_zrm_goes_to_the_municipality(
    member, consultant, wmo_client, concept
):
    wmo_consent(wmo_client, given_on=dt.date(2026, 3, 2))  # given today counts
    request = services.request_submit(actor=member, request=concept, now=NOW)
    assert request.status == RequestStatus.INGEDIEND
    assert Notification.objects.filter(recipient=consultant).count() == 1


def test_without_a_zrm_only_the_goals_need_consent(member, wmo_client, municipality, request_data):
    Consent.objects.filter(client=wmo_client).delete()
    request = services.request_create(
        actor=member, client=wmo_client, data=request_data | {"zrm_scores": {}}
    )
    _consent(wmo_client, municipality, DataCategory.RECOVERY_PLAN)
    assert services.request_submit(actor=member, request=request, now=NOW).status == (
        RequestStatus.INGEDIEND
    )


def test_the_browser_shows_the_refusal_and_nothing_is_sent(member, wmo_client, concept, login):
    texts = [g.text for g in concept.goals.order_by("priority", "id")]
    http = login(member)
    detail = reverse("wmo:request-detail", kwargs={"client_id": wmo_client.pk, "pk": concept.pk})
    before = http.get(detail).content.decode()
    assert 'id="toestemming-ontbreekt"' in before  # said before anyone clicks "Indienen"
    assert reverse("clients:consent-create", kwargs={"client_id": wmo_client.pk}) in before
    url = reverse("wmo:request-submit", kwargs={"client_id": wmo_client.pk, "pk": concept.pk})
    response = http.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert BOTH.replace("'", "&#x27;") in page
    assert "De aanvraag is ingediend" not in page
    _unchanged(concept, texts)
    wmo_consent(wmo_client)
    assert 'id="toestemming-ontbreekt"' not in http.get(detail).content.decode()


def test_the_api_answers_400_with_the_message_and_nothing_is_sent(
    member, wmo_client, concept, login
):
    texts = [g.text for g in concept.goals.order_by("priority", "id")]
    response = login(member).post(
        f"/api/v1/wmo/clienten/{wmo_client.pk}/aanvragen/{concept.pk}/indienen/"
    )
    assert response.status_code == 400
    assert response.json() == {"consent": [BOTH]}
    _unchanged(concept, texts)
