"""The week views (my agenda, the team's agenda), the client's Afspraken tab and the private
calendar feed (Agendakoppeling)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from caseload.constants import AppointmentPlace, ContactKind
from caseload.models import CalendarFeedToken
from caseload.services import (
    Recurrence,
    appointment_plan,
    calendar_feed_create,
    calendar_feed_revoke,
)
from caseload.services.calendar_feed import token_hash
from clients.constants import AssignmentRole
from tests.caseload.conftest import AMSTERDAM
from tests.conftest import verified_client
from tests.factories.clients import AssignmentFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=AMSTERDAM)  # Wednesday of the week of 2 March
WEEK = "2026-03-02"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _plan(actor, client, *, day=2, hour=10, workers=None, rule=None, note=""):
    return appointment_plan(
        actor=actor,
        client=client,
        starts_at=dt.datetime(2026, 3, day, hour, 0, tzinfo=AMSTERDAM),
        duration_minutes=45,
        kind=ContactKind.PHONE,
        place_kind=AppointmentPlace.PHONE,
        place="Bellen op het vaste nummer, Dorpsstraat 1",
        workers=workers or [actor],
        recurrence=rule,
        note=note,
    )


# --- my agenda ----------------------------------------------------------------------------


def test_my_agenda_shows_my_week_with_names(member, care_client):
    _plan(member, care_client, day=3, hour=9)
    _plan(member, care_client, day=10)  # next week
    response = verified_client(member).get(reverse("caseload:agenda"), {"week": WEEK})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Visser" in body
    assert "09:00\N{EN DASH}09:45" in body
    days = response.context["days"]
    assert days[0].day == dt.date(2026, 3, 2)
    assert [len(d.appointments) for d in days] == [0, 1, 0, 0, 0, 0, 0]
    # Previous and next week are plain links (without JavaScript) that htmx also swaps.
    assert 'href="/agenda/?week=2026-02-23"' in body
    assert 'hx-get="/agenda/?week=2026-03-09"' in body


def test_next_week_by_htmx_swaps_only_the_week(member, care_client):
    _plan(member, care_client, day=10)
    response = verified_client(member).get(
        reverse("caseload:agenda"), {"week": "2026-03-09"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="agenda-week"')
    assert "<h1" not in body
    assert "Sanne Visser" in body


def test_a_day_within_the_week_opens_that_week_and_nonsense_opens_this_week(member):
    http = verified_client(member)
    assert http.get(reverse("caseload:agenda"), {"week": "2026-03-05"}).context[
        "monday"
    ] == dt.date(2026, 3, 2)
    assert http.get(reverse("caseload:agenda"), {"week": "gisteren"}).context["monday"] == dt.date(
        2026, 3, 2
    )


def test_the_week_costs_the_same_queries_for_one_or_many_appointments(
    member, welfare_member, care_client
):
    http = verified_client(member)
    url = reverse("caseload:agenda")
    http.get(url, {"week": WEEK})  # warm the session
    _plan(member, care_client, day=2)
    with CaptureQueriesContext(connection) as one:
        http.get(url, {"week": WEEK})
    for day in (3, 4, 5, 6):
        _plan(member, care_client, day=day, workers=[member, welfare_member])
    with CaptureQueriesContext(connection) as five:
        response = http.get(url, {"week": WEEK})
    assert sum(len(d.appointments) for d in response.context["days"]) == 5
    assert len(five) == len(one)


def test_week_query_count(member, care_client, django_assert_num_queries):
    http = verified_client(member)
    url = reverse("caseload:agenda")
    http.get(url, {"week": WEEK})
    _plan(member, care_client, day=2)
    with django_assert_num_queries(QUERIES_MY_WEEK):
        http.get(url, {"week": WEEK})


# session, user with the access facts, the menu's counts and the OTP devices, the
# appointments (the visible-clients scope an EXISTS inside), their workers, the audit event.
QUERIES_MY_WEEK = 5


# --- the team's agenda --------------------------------------------------------------------


@pytest.fixture
def foreign_appointment(member, outsider, other_client):
    """The member is assigned to a client of the other team and has an appointment there."""
    AssignmentFactory(client=other_client, worker=member, role=AssignmentRole.BEGELEIDER)
    AssignmentFactory(client=other_client, worker=outsider, role=AssignmentRole.CASEMANAGER)
    return _plan(outsider, other_client, day=5, workers=[outsider, member])[0]


def test_team_agenda_hides_the_name_of_another_teams_client(
    lead, member, care_client, foreign_appointment
):
    _plan(member, care_client, day=3)
    response = verified_client(lead).get(reverse("caseload:team-agenda"), {"week": WEEK})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Visser" in body
    assert "Zuidema" not in body
    assert "Cliënt van een ander team" in body
    rows = [a for d in response.context["days"] for a in d.appointments]
    assert {a.pk for a in rows} >= {foreign_appointment.pk}
    # The member, who is assigned there, sees the name in their own agenda.
    mine = verified_client(member).get(reverse("caseload:agenda"), {"week": WEEK})
    assert "Piet Zuidema" in mine.content.decode()


def test_team_agenda_of_a_team_not_mine_is_not_found(lead, other_team):
    response = verified_client(lead).get(reverse("caseload:team-agenda"), {"team": other_team.pk})
    assert response.status_code == 404


def test_notes_and_places_are_not_on_the_week(member, care_client):
    _plan(member, care_client, day=3, note="Vertelt over schulden")
    body = verified_client(member).get(reverse("caseload:agenda"), {"week": WEEK}).content
    assert "schulden" not in body.decode()


# --- the client's Afspraken tab -----------------------------------------------------------


def test_afspraken_tab_lists_upcoming_and_past_with_the_one_click_log(member, care_client):
    _plan(member, care_client, day=2, rule=Recurrence(interval_weeks=2, count=3))
    url = reverse("caseload:appointment-list", kwargs={"client_id": care_client.pk})
    response = verified_client(member).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert [a.starts_at.date() for a in response.context["upcoming"]] == [
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 30),
    ]
    assert [a.starts_at.date() for a in response.context["past"]] == [dt.date(2026, 3, 2)]
    past = response.context["past"][0]
    log_url = reverse("caseload:contact-create", kwargs={"client_id": care_client.pk})
    assert f"{log_url}?afspraak={past.pk}" in body
    assert body.count("?afspraak=") == 1  # only the past one can be logged
    assert f'<a href="{url}" aria-current="page">Afspraken</a>' in body


def test_plan_by_the_form_every_two_weeks_for_two_months(member, care_client):
    url = reverse("caseload:appointment-create", kwargs={"client_id": care_client.pk})
    response = verified_client(member).post(
        url,
        {
            "date": "2026-03-02",
            "start_time": "10:00",
            "end_time": "10:30",
            "kind": ContactKind.PHONE,
            "place_kind": AppointmentPlace.PHONE,
            "workers": [member.pk],
            "client_present": "on",
            "repeat": "tot",
            "interval_weeks": "2",
            "until": "2026-05-01",
        },
    )
    assert response.status_code == 302
    assert care_client.pk  # the list
    rows = list(verified_client(member).get(response["Location"]).context["upcoming"])
    rows += list(verified_client(member).get(response["Location"]).context["past"])
    assert len(rows) == 5
    assert {a.duration_minutes for a in rows} == {30}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "De eindtijd moet na de begintijd liggen."),
        (
            {"repeat": "tot", "until": ""},
            "until",
            "Vul de datum in tot wanneer de afspraak herhaalt.",
        ),
        ({"repeat": "aantal", "count": ""}, "count", "Vul in hoe vaak de afspraak plaatsvindt."),
        (
            {"repeat": "aantal", "count": "200"},
            "count",
            "Een reeks heeft hoogstens 104 afspraken.",
        ),
        (
            {"repeat": "tot", "until": "2026-03-01"},
            "until",
            "De einddatum van de herhaling moet na de eerste afspraak liggen.",
        ),
        ({"workers": []}, "workers", "Kies minstens één medewerker."),
    ],
)
def test_the_form_says_what_is_wrong_in_dutch_and_keeps_the_input(
    member, care_client, changes, field, message
):
    data = {
        "date": "2026-03-02",
        "start_time": "10:00",
        "end_time": "10:30",
        "kind": ContactKind.PHONE,
        "place_kind": AppointmentPlace.PHONE,
        "workers": [member.pk],
        "repeat": "eenmalig",
        "interval_weeks": "2",
    } | changes
    url = reverse("caseload:appointment-create", kwargs={"client_id": care_client.pk})
    response = verified_client(member).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not care_client.__class__.objects.filter(pk=care_client.pk, contacts__isnull=False)


# --- the calendar feed --------------------------------------------------------------------


def _feed_url(secret: str) -> str:
    return reverse("caseload:agenda-feed", kwargs={"token": secret})


def test_feed_holds_the_five_fortnightly_appointments_without_names(member, care_client, client):
    care_client.bsn = "123456782"
    care_client.save()
    _plan(
        member,
        care_client,
        rule=Recurrence(interval_weeks=2, until=dt.date(2026, 5, 1)),
        note="Vertelt over schulden",
    )
    secret = calendar_feed_create(actor=member)
    response = client.get(_feed_url(secret))  # no sign-in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 5
    starts = [e.decoded("dtstart").astimezone(AMSTERDAM) for e in events]
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-03-02 10:00",
        "2026-03-16 10:00",
        "2026-03-30 10:00",
        "2026-04-13 10:00",
        "2026-04-27 10:00",
    ]
    assert str(events[0]["summary"]) == f"Telefonisch · cliënt C{care_client.pk}"
    assert str(events[0]["location"]) == "Telefonisch"
    for secret_text in ("Sanne", "Visser", "schulden", "123456782", "Dorpsstraat"):
        assert secret_text.encode() not in body
    assert b"Visser" not in body.replace(b"\r\n ", b"")  # folded lines too


def test_revoked_and_unknown_addresses_are_not_found(member, care_client, client):
    _plan(member, care_client)
    secret = calendar_feed_create(actor=member)
    assert client.get(_feed_url(secret)).status_code == 200
    calendar_feed_revoke(actor=member)
    assert client.get(_feed_url(secret)).status_code == 404
    assert client.get(_feed_url("geen-geldig-adres")).status_code == 404


def test_a_new_address_replaces_the_old_and_only_the_hash_is_stored(member, client):
    first = calendar_feed_create(actor=member)
    second = calendar_feed_create(actor=member)
    assert client.get(_feed_url(first)).status_code == 404
    assert client.get(_feed_url(second)).status_code == 200
    assert len(second) >= 43  # 32 random bytes
    active = CalendarFeedToken.objects.get(user=member, revoked_at__isnull=True)
    assert active.token_hash == token_hash(second)
    assert not CalendarFeedToken.objects.filter(token_hash=second).exists()


def test_the_feed_page_shows_the_address_once_and_revokes_it(member):
    http = verified_client(member)
    url = reverse("caseload:agenda-feed-settings")
    assert "U hebt geen agendakoppeling." in http.get(url).content.decode()
    response = http.post(url, {"action": "maken"})
    assert response.status_code == 302
    shown = http.get(url)
    feed_url = shown.context["new_url"]
    assert feed_url.startswith("http://testserver/agenda/feed/")
    assert feed_url in shown.content.decode()
    assert http.get(url).context["new_url"] is None  # shown once
    path = feed_url.removeprefix("http://testserver")
    assert verified_client(member).get(path).status_code == 200
    http.post(url, {"action": "intrekken"})
    assert verified_client(member).get(path).status_code == 404
    assert "U hebt geen agendakoppeling." in http.get(url).content.decode()


def test_the_feed_of_another_worker_does_not_list_my_appointments(
    member, welfare_member, care_client, client
):
    _plan(member, care_client)
    secret = calendar_feed_create(actor=welfare_member)
    events = Calendar.from_ical(client.get(_feed_url(secret)).content).walk("VEVENT")
    assert events == []


def test_the_afspraken_tab_costs_the_same_queries_for_one_or_many_series(
    member, welfare_member, care_client
):
    http = verified_client(member)
    url = reverse("caseload:appointment-list", kwargs={"client_id": care_client.pk})
    _plan(member, care_client, day=2)
    http.get(url)
    with CaptureQueriesContext(connection) as one:
        http.get(url)
    for day in (3, 4, 5):
        _plan(
            member,
            care_client,
            day=day,
            workers=[member, welfare_member],
            rule=Recurrence(interval_weeks=1, count=4),
        )
    with CaptureQueriesContext(connection) as many:
        response = http.get(url)
    assert len(response.context["upcoming"]) + len(response.context["past"]) == 13
    assert len(many) == len(one)


def _form_data(member, **changes):
    return {
        "date": "2026-03-16",
        "start_time": "15:00",
        "end_time": "15:30",
        "kind": ContactKind.HOME,
        "place_kind": AppointmentPlace.HOME,
        "workers": [member.pk],
        "client_present": "on",
        "repeat": "aantal",
        "interval_weeks": "2",
        "count": "4",
    } | changes


def test_change_this_and_following_through_the_page(member, care_client):
    planned = _plan(member, care_client, day=2, rule=Recurrence(interval_weeks=2, count=4))
    url = reverse(
        "caseload:appointment-update",
        kwargs={"client_id": care_client.pk, "appointment_id": planned[1].pk},
    )
    http = verified_client(member)
    form = http.get(url).context["form"]
    assert form.initial["count"] == 4
    assert form.initial["repeat"] == "aantal"
    assert "scope" in form.fields
    response = http.post(url, _form_data(member, scope="deze_en_volgende"))
    assert response.status_code == 302
    listing = http.get(response["Location"]).context
    rows = [*reversed(listing["past"]), *listing["upcoming"]]
    assert [(timezone_hm(a), a.kind) for a in rows] == [
        ("2026-03-02 10:00", ContactKind.PHONE),
        ("2026-03-16 15:00", ContactKind.HOME),
        ("2026-03-30 15:00", ContactKind.HOME),
        ("2026-04-13 15:00", ContactKind.HOME),
    ]


def timezone_hm(appointment):
    return appointment.starts_at.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")


def test_cancel_through_the_page_needs_a_reason(member, care_client):
    planned = _plan(member, care_client, day=9)
    url = reverse(
        "caseload:appointment-cancel",
        kwargs={"client_id": care_client.pk, "appointment_id": planned[0].pk},
    )
    http = verified_client(member)
    response = http.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Geef de reden van het annuleren." in response.content.decode()
    response = http.post(url, {"reason": "Cliënt belde af."})
    assert response.status_code == 302
    listing = http.get(response["Location"]).content.decode()
    assert "Geannuleerd" in listing
    assert "Cliënt belde af." in listing
    # A cancelled appointment is no longer changed or cancelled: not found.
    assert http.get(url).status_code == 404
