"""Outflow as a checklist (issue 11): ``client_outflow`` closes in one transaction what the
care period left open, each part through its own app's service; the page shows it first."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseload.models import IntensityChange
from caseload.selectors.outflow import outflow_checklist
from caseload.selectors.pages import intensity_in_force
from caseload.services import client_outflow
from clients.constants import AssignmentRole, OutflowReason, Phase
from clients.models import Assignment, CareEpisode, InvolvedOrganisation
from herstelplan.constants import PlanStatus
from herstelplan.models import Plan
from olteams.constants import NotificationKind
from olteams.models import Notification
from olteams.services import notification_create
from tests.caseload.pages_fixtures import in_care
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.wmo import MunicipalProductFactory, active_plan, category, wmo_consent
from wmo import selectors as wmo_selectors
from wmo import services as wmo_services
from wmo.constants import PENDING_STATUSES, DecisionKind, RequestStatus
from wmo.models import Indication, IndicationRequest

pytestmark = pytest.mark.django_db

SUBMITTED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 16)
OUT_ON = dt.date(2026, 3, 13)


def _request_data(code: str, goals, **extra):
    return {
        "product_code": code,
        "volume": 3,
        "unit": "04",
        "frequency": "2",
        "start": dt.date(2026, 3, 2),
        "end": dt.date(2026, 9, 1),
        "result_areas": [1],
        "motivation": "Ondersteuning bij de administratie.",
        "is_temporary": False,
        "goal_ids": [g.pk for g in goals],
        "zrm_scores": {},
        **extra,
    }


@pytest.fixture
def open_file(team, municipality, member, consultant, org_welzijn):
    """Client Sanne in care with everything a care period leaves open: a submitted and a
    draft Wmo request, a granted indication, the plan in force, intensity FACT, an
    involved organisation and a reminder; the consultant has the request as a task."""
    client = ClientFactory(team=team, municipality=municipality, first_name="Sanne")
    episode = in_care(client, member, on=dt.date(2026, 1, 5))
    AssignmentFactory(
        client=client, worker=member, role=AssignmentRole.CASEMANAGER, start_date=episode.started_on
    )
    goals = active_plan(client, member)
    wmo_consent(client)
    for code, cat in (("02B01", "02"), ("07D01", "07"), ("15W01", "15")):
        MunicipalProductFactory(municipality=municipality, code=code, category=category(cat))
    granted = wmo_services.request_create(
        actor=member, client=client, data=_request_data("02B01", goals)
    )
    pending = wmo_services.request_create(
        actor=member, client=client, data=_request_data("07D01", goals)
    )
    draft = wmo_services.request_create(
        actor=member, client=client, data=_request_data("15W01", goals)
    )
    for request in (granted, pending):
        wmo_services.request_submit(actor=member, request=request, now=SUBMITTED)
    wmo_services.request_decide(
        actor=consultant,
        request=granted,
        kind=DecisionKind.GRANTED,
        today=SUBMITTED.date(),
        now=SUBMITTED,
    )
    IntensityChange.objects.create(
        client=client, team=team, date=dt.date(2026, 2, 1), level=5, reason="Crisis.", by=member
    )
    InvolvedOrganisation.objects.create(
        client=client, organisation=org_welzijn, start_date=dt.date(2026, 1, 5)
    )
    notification_create(
        recipients=[member],
        kind=NotificationKind.REMINDER,
        title="Evaluatie herstelplan uiterlijk 1 apr. 2026",
        dedupe_key="test-reminder",
        client_id=client.pk,
    )
    return client, granted, pending, draft


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_checklist_lists_every_open_item(open_file):
    client, granted, pending, draft = open_file
    checklist = outflow_checklist(client=client, on=OUT_ON)
    assert [r.pk for r in checklist.requests] == [pending.pk, draft.pk]
    assert [i.decision.request_id for i in checklist.indications] == [granted.pk]
    assert checklist.plan is not None and checklist.plan.version == 1
    assert checklist.intensity is not None and checklist.intensity.level == 5
    assert [o.organisation.name for o in checklist.organisations] == ["Welzijn Testregio"]
    # the reminder, and the consultants' tasks of the two submitted requests
    assert checklist.reminders == 3
    assert checklist.open_items == 9


def _inbox(consultant):
    """The consultant's inbox as it opens: requests awaiting a decision."""
    return wmo_selectors.inbox_list(user=consultant).filter(status__in=PENDING_STATUSES)


def test_outflow_closes_everything_in_one_step(open_file, member, consultant):
    client, granted, pending, draft = open_file
    assert [r.pk for r in _inbox(consultant)] == [pending.pk]
    result = client_outflow(actor=member, client=client, on=OUT_ON, reason=OutflowReason.GOALS_MET)
    assert result.requests_withdrawn == 2
    assert (result.indications_ended, result.plan_archived, result.intensity_ended) == (
        1,
        True,
        True,
    )
    assert result.organisations_ended == 1
    # the Wmo request: withdrawn, out of the consultant's inbox, the task closed
    statuses = dict(IndicationRequest.objects.filter(client=client).values_list("pk", "status"))
    assert statuses == {granted.pk: RequestStatus.TOEGEKEND, pending.pk: RequestStatus.INGETROKKEN}
    assert list(_inbox(consultant)) == []
    assert not IndicationRequest.objects.filter(pk=draft.pk).exists()  # never sent: deleted
    assert not Notification.objects.filter(recipient=consultant, read_at__isnull=True).exists()
    # the indication ends on the outflow date with WMO307 reason 19 (ended as planned)
    indication = Indication.objects.get(client=client)
    assert (indication.end, indication.end_reason) == (OUT_ON, "19")
    # the plan is archived, intensity and organisations end, reminders are closed
    plan = Plan.objects.get(client=client)
    assert (plan.status, plan.archived_on) == (PlanStatus.ARCHIVED, OUT_ON)
    assert intensity_in_force(client=client, day=TODAY) is None
    assert IntensityChange.objects.get(client=client).ended_on == OUT_ON
    assert InvolvedOrganisation.objects.get(client=client).end_date == OUT_ON
    unread = Notification.objects.filter(client_id=client.pk, read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == ["info"]  # the decision: news only
    # the episode and the care team
    episode = CareEpisode.objects.get(client=client)
    assert (episode.phase, episode.ended_on, episode.outflow_reason) == (
        Phase.OUTFLOW,
        OUT_ON,
        OutflowReason.GOALS_MET,
    )
    assert list(Assignment.objects.filter(client=client).values_list("end_date", flat=True)) == [
        OUT_ON
    ]
    assert outflow_checklist(client=client, on=OUT_ON).open_items == 0


def test_death_closes_the_same_with_reason_02(open_file, member, consultant):
    client, _granted, pending, _draft = open_file
    client_outflow(actor=member, client=client, on=OUT_ON, reason=OutflowReason.DECEASED)
    assert Indication.objects.get(client=client).end_reason == "02"
    assert IndicationRequest.objects.get(pk=pending.pk).status == RequestStatus.INGETROKKEN
    assert Plan.objects.get(client=client).status == PlanStatus.ARCHIVED
    assert CareEpisode.objects.get(client=client).outflow_reason == OutflowReason.DECEASED


def _state(client):
    return (
        sorted(IndicationRequest.objects.filter(client=client).values_list("status", flat=True)),
        list(Indication.objects.filter(client=client).values_list("end", "end_reason")),
        list(Plan.objects.filter(client=client).values_list("status", flat=True)),
        list(IntensityChange.objects.filter(client=client).values_list("ended_on", flat=True)),
        list(InvolvedOrganisation.objects.filter(client=client).values_list("end_date", flat=True)),
        Notification.objects.filter(read_at__isnull=True).count(),
        list(CareEpisode.objects.filter(client=client).values_list("phase", "ended_on")),
    )


@pytest.mark.parametrize(
    ("on", "reason", "errors"),
    [
        (OUT_ON, "", {"reason": ["Kies een reden van uitstroom."]}),
        (OUT_ON, "weg", {"reason": ["Kies een geldige reden van uitstroom."]}),
        (dt.date(2026, 3, 17), "overleden", {"on": ["De datum ligt in de toekomst."]}),
        (None, "overleden", {"on": ["Vul een datum in."]}),
        # the last step refuses (before the start of care): every earlier step is undone
        (
            dt.date(2026, 1, 2),
            "overleden",
            {"on": ["De datum ligt vóór de vorige faseovergang (5 januari 2026)."]},
        ),
    ],
)
def test_refused_outflow_changes_nothing(open_file, member, on, reason, errors):
    client = open_file[0]
    before = _state(client)
    with pytest.raises(ValidationError) as exc:
        client_outflow(actor=member, client=client, on=on, reason=reason)
    assert {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()} == errors
    assert _state(client) == before


def test_other_provider_needs_a_destination_and_undoes_the_rest(open_file, member):
    client = open_file[0]
    before = _state(client)
    with pytest.raises(ValidationError) as exc:
        client_outflow(actor=member, client=client, on=OUT_ON, reason=OutflowReason.OTHER_PROVIDER)
    assert exc.value.message_dict == {
        "destination": ["Vul in naar welke aanbieder de cliënt gaat."]
    }
    assert _state(client) == before


def test_outflow_without_open_episode_is_refused(team, member):
    client = ClientFactory(team=team)
    with pytest.raises(ValidationError) as exc:
        client_outflow(actor=member, client=client, on=OUT_ON, reason="overleden")
    assert exc.value.message_dict == {"on": ["Deze cliënt heeft geen lopende zorgperiode."]}


def test_outsider_may_not_close_the_care_period(open_file, outsider):
    client = open_file[0]
    before = _state(client)
    with pytest.raises(PermissionDenied):
        client_outflow(actor=outsider, client=client, on=OUT_ON, reason="overleden")
    assert _state(client) == before


def test_a_client_with_nothing_open_flows_out_too(team, member):
    client = ClientFactory(team=team)
    in_care(client, member, on=dt.date(2026, 1, 5))
    result = client_outflow(actor=member, client=client, on=OUT_ON, reason="verhuisd")
    assert (result.requests_withdrawn, result.indications_ended, result.plan_archived) == (
        0,
        0,
        False,
    )
    assert (result.intensity_ended, result.organisations_ended, result.notices_closed) == (
        False,
        0,
        0,
    )
    assert CareEpisode.objects.get(client=client).phase == Phase.OUTFLOW


# --- the page --------------------------------------------------------------------------


def test_checklist_page_shows_what_is_open_and_closes_it(open_file, member, login):
    client = open_file[0]
    http = login(member)
    url = reverse("caseload:outflow", kwargs={"client_id": client.pk})
    body = http.get(url).content.decode()
    assert "Er staan nog 9 punten open." in body
    assert "Intensief (FACT-bord, dagelijks)" in body and "Welzijn Testregio" in body
    response = http.post(url, {"on": "2026-03-13", "reason": "", "destination": "Huisarts"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies een reden van uitstroom." in body and 'value="Huisarts"' in body
    response = http.post(url, {"on": "2026-03-13", "reason": "doelen_bereikt"})
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:client-file", kwargs={"client_id": client.pk})
    assert CareEpisode.objects.get(client=client).phase == Phase.OUTFLOW
    assert "geen lopende zorgperiode" in http.get(url).content.decode()


def test_old_outflow_address_leads_to_the_checklist(open_file, member, outsider, login):
    client = open_file[0]
    old = reverse("clients:episode-outflow", kwargs={"client_id": client.pk})
    new = reverse("caseload:outflow", kwargs={"client_id": client.pk})
    response = login(member).get(old)
    assert (response.status_code, response["Location"]) == (302, new)
    response = login(member).post(old, {"on": "2026-03-13", "reason": "overleden"})
    assert (response.status_code, response["Location"]) == (307, new)
    assert login(outsider).get(old).status_code == 404
    assert CareEpisode.objects.get(client=client).ended_on is None
