"""MDO meetings: planned from the MDO list, each client's discussion with decisions and
follow-up tasks, closing writes an "MDO-besluit" into the client's file; audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseload.constants import MdoStatus, TaskSource
from caseload.models import Contact, MdoItem, MdoMeeting, Task
from caseload.services.mdo import (
    mdo_item_add,
    mdo_item_record,
    mdo_meeting_close,
    mdo_meeting_create,
)
from clients.constants import AssignmentRole
from olteams.models import AuditEvent
from tests.caseload.pages_fixtures import NOW, assign, contact, in_care, make_client

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2026, 3, 16, 13, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(team, member):
    """In care, no contact for months: on the MDO list."""
    client = make_client(team, name="Vlinderbos", first="Anna")
    in_care(client, member, on=dt.date(2025, 1, 6))
    assign(client, member, AssignmentRole.CASEMANAGER, start=dt.date(2025, 1, 6))
    return client


@pytest.fixture
def unlisted(team, member):
    """In care with a contact last week: not on the MDO list."""
    client = make_client(team, name="Rustighoeve", first="Bas")
    in_care(client, member, on=dt.date(2025, 1, 6))
    contact(client, [member], day=dt.date(2026, 3, 10))
    return client


def _meeting(lead, team, clients, attendees):
    return mdo_meeting_create(
        actor=lead,
        team=team,
        starts_at=STARTS,
        chair=lead,
        attendee_ids=[u.pk for u in attendees],
        client_ids=[c.pk for c in clients],
        reasons={clients[0].pk: "6 weken of langer geen contact"},
    )


def test_plan_record_and_close_writes_the_decision_into_the_file(lead, member, team, listed):
    meeting = _meeting(lead, team, [listed], [member])
    assert set(meeting.attendees.all()) == {lead, member}
    (item,) = meeting.items.all()
    assert item.reasons == "6 weken of langer geen contact"
    mdo_item_record(
        actor=member,
        item=item,
        summary="Gaat achteruit.",
        decisions="Opschalen naar FACT.",
        follow_ups=[{"title": "Huisbezoek plannen", "assignee": member, "due_on": None}],
    )
    (follow_up,) = Task.objects.all()
    assert (follow_up.source, follow_up.client, follow_up.mdo_item, follow_up.assignee) == (
        TaskSource.MDO,
        listed,
        item,
        member,
    )
    contacts_before = Contact.objects.count()
    mdo_meeting_close(actor=lead, meeting=meeting)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.status, meeting.closed_by, item.decided_on) == (
        MdoStatus.CLOSED,
        lead,
        dt.date(2026, 3, 16),
    )
    assert Contact.objects.count() == contacts_before  # no MDO contact: no hours twice


def test_a_closed_meeting_does_not_change(lead, member, team, listed, unlisted):
    meeting = _meeting(lead, team, [listed], [member])
    item = meeting.items.get()
    mdo_item_record(actor=lead, item=item, summary="", decisions="Afwachten.")
    mdo_meeting_close(actor=lead, meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        mdo_item_record(actor=lead, item=item, summary="", decisions="Anders.")
    assert exc.value.message_dict == {"meeting": ["Dit MDO is afgesloten en wijzigt niet meer."]}
    with pytest.raises(ValidationError):
        mdo_item_add(actor=lead, meeting=meeting, client_id=unlisted.pk)
    with pytest.raises(ValidationError):
        mdo_meeting_close(actor=lead, meeting=meeting)
    item.refresh_from_db()
    assert item.decisions == "Afwachten."


def test_closing_without_any_decision_is_refused(lead, member, team, listed):
    meeting = _meeting(lead, team, [listed], [member])
    with pytest.raises(ValidationError) as exc:
        mdo_meeting_close(actor=lead, meeting=meeting)
    assert exc.value.message_dict == {
        "meeting": ["Leg eerst bij ten minste één cliënt een besluit vast."]
    }
    meeting.refresh_from_db()
    assert meeting.status == MdoStatus.OPEN


def test_bad_plans_are_refused_in_dutch(lead, member, team, outsider, listed, secretary):
    from tests.factories.clients import ClientFactory

    foreign = ClientFactory(team=outsider.memberships.first().team)
    with pytest.raises(ValidationError) as exc:
        mdo_meeting_create(
            actor=lead,
            team=team,
            starts_at=None,
            chair=outsider,
            attendee_ids=[outsider.pk],
            client_ids=[],
        )
    assert exc.value.message_dict == {
        "starts_at": ["Vul de datum en de tijd van het MDO in."],
        "chair": ["Kies een voorzitter uit het team."],
        "attendees": ["Kies de aanwezigen uit het team."],
        "clients": ["Kies ten minste één cliënt om te bespreken."],
    }
    with pytest.raises(ValidationError) as exc:
        _meeting(lead, team, [listed, foreign], [member])
    assert exc.value.message_dict == {"clients": ["Kies alleen cliënten van dit team."]}
    with pytest.raises(PermissionDenied):  # the secretariaat reads no clinical notes
        _meeting(secretary, team, [listed], [member])
    assert not MdoMeeting.objects.exists()


def test_follow_up_for_someone_outside_the_team_undoes_the_record(
    lead, member, team, listed, outsider
):
    meeting = _meeting(lead, team, [listed], [member])
    item = meeting.items.get()
    with pytest.raises(ValidationError) as exc:
        mdo_item_record(
            actor=lead,
            item=item,
            summary="x",
            decisions="y",
            follow_ups=[{"title": "Bellen", "assignee": outsider, "due_on": None}],
        )
    assert exc.value.message_dict == {"follow_up_0_assignee": ["Kies een medewerker van het team."]}


# --- pages ---------------------------------------------------------------------------------


def test_the_lead_reaches_it_from_the_team_overview(login, lead, member, team, listed):
    http = login(lead)
    overview = http.get(reverse("caseload:team-overview")).content.decode()
    assert f"{reverse('caseload:mdo-create')}?team={team.pk}" in overview
    form = http.get(reverse("caseload:mdo-create"), {"team": team.pk})
    assert form.status_code == 200
    assert form.context["form"].initial["clients"] == [str(listed.pk)]


def test_the_whole_meeting_through_the_pages(login, lead, member, team, listed, unlisted):
    http = login(lead)
    response = http.post(
        f"{reverse('caseload:mdo-create')}?team={team.pk}",
        {
            "date": "2026-03-16",
            "time": "13:00",
            "chair": lead.pk,
            "attendees": [str(lead.pk), str(member.pk)],
            "clients": [str(listed.pk)],
        },
    )
    meeting = MdoMeeting.objects.get()
    detail = reverse("caseload:mdo-detail", kwargs={"meeting_id": meeting.pk})
    assert response["Location"] == detail
    page = http.get(detail)
    assert "Vlinderbos" in page.content.decode()
    assert AuditEvent.objects.filter(
        user=lead, client_id=listed.pk, event_type="read", object_id=str(meeting.pk)
    ).exists()
    # add a client that is not on the list
    http.post(detail, {"action": "add", "client": unlisted.pk})
    assert set(meeting.items.values_list("client_id", flat=True)) == {listed.pk, unlisted.pk}
    item = meeting.items.get(client=listed)
    response = http.post(
        detail,
        {
            "action": "record",
            "item": item.pk,
            f"item{item.pk}-summary": "Besproken.",
            f"item{item.pk}-decisions": "Opschalen naar FACT.",
            f"item{item.pk}-follow_up_title": "Huisbezoek plannen",
            f"item{item.pk}-follow_up_assignee": member.pk,
            f"item{item.pk}-follow_up_due_on": "2026-03-20",
        },
    )
    assert response.status_code == 302
    assert Task.objects.get().title == "Huisbezoek plannen"
    http.post(detail, {"action": "close"})
    # the decision is on the client's timeline, for the member too
    file_page = (
        login(member)
        .get(reverse("caseload:client-file", kwargs={"client_id": listed.pk}))
        .content.decode()
    )
    assert "MDO-besluit" in file_page and "Opschalen naar FACT." in file_page
    assert "Huisbezoek plannen" in file_page
    assert AuditEvent.objects.filter(
        user=lead, client_id=listed.pk, event_type="update", detail="MDO-besluit"
    ).exists()


def test_the_timeline_filters_on_mdo_decisions(login, lead, member, team, listed):
    meeting = _meeting(lead, team, [listed], [member])
    mdo_item_record(actor=lead, item=meeting.items.get(), summary="", decisions="Afwachten.")
    mdo_meeting_close(actor=lead, meeting=meeting)
    contact(listed, [member], day=dt.date(2026, 3, 12))
    url = reverse("caseload:client-file", kwargs={"client_id": listed.pk})
    page = login(member).get(url, {"soort": "mdo"})
    assert [e.kind for e in page.context["entries"]] == ["mdo"]


def test_the_secretariaat_sees_the_entry_but_not_the_decision(
    login, lead, member, secretary, team, listed
):
    meeting = _meeting(lead, team, [listed], [member])
    mdo_item_record(actor=lead, item=meeting.items.get(), summary="", decisions="Geheim besluit.")
    mdo_meeting_close(actor=lead, meeting=meeting)
    page = (
        login(secretary)
        .get(reverse("caseload:client-file", kwargs={"client_id": listed.pk}))
        .content.decode()
    )
    assert "MDO-besluit" in page and "Geheim besluit." not in page
    assert login(secretary).get(reverse("caseload:mdo-list")).status_code == 403


def test_a_bad_record_is_a_400_and_saves_nothing(login, lead, member, team, listed):
    meeting = _meeting(lead, team, [listed], [member])
    item = meeting.items.get()
    response = login(lead).post(
        reverse("caseload:mdo-detail", kwargs={"meeting_id": meeting.pk}),
        {
            "action": "record",
            "item": item.pk,
            f"item{item.pk}-decisions": "Iets.",
            f"item{item.pk}-follow_up_title": "Bellen",
        },
    )
    assert response.status_code == 400
    assert "Kies voor wie de vervolgactie is." in response.content.decode()
    item.refresh_from_db()
    assert item.decisions == "" and not Task.objects.exists()
    closing = login(lead).post(
        reverse("caseload:mdo-detail", kwargs={"meeting_id": meeting.pk}), {"action": "close"}
    )
    assert closing.status_code == 400
    assert "Leg eerst bij ten minste één cliënt een besluit vast." in closing.content.decode()


def test_another_team_s_meeting_is_not_found(login, lead, member, team, listed, outsider):
    meeting = _meeting(lead, team, [listed], [member])
    url = reverse("caseload:mdo-detail", kwargs={"meeting_id": meeting.pk})
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {"action": "close"}).status_code == 404
    assert MdoItem.objects.get().decided_on is None
