"""Appointments (issue 16): recurrence, changing one or the series, cancelling, the rules'
Dutch messages, and logging the contact of a past appointment in one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from caseload.constants import AppointmentPlace, AppointmentScope, AppointmentState, ContactKind
from caseload.models import Appointment, AppointmentSeries, Contact
from caseload.services import (
    Recurrence,
    appointment_cancel,
    appointment_contact_log,
    appointment_plan,
    appointment_update,
)
from caseload.services.appointments import occurrences
from tests.caseload.conftest import AMSTERDAM, at
from tests.caseload.pages_fixtures import in_care
from tests.conftest import verified_client
from tests.factories.clients import NaasteFactory
from tests.factories.olteams import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)  # a Monday
FORTNIGHTLY_TWO_MONTHS = Recurrence(interval_weeks=2, until=dt.date(2026, 5, 1))
BEFORE = dt.datetime(2026, 3, 1, 9, 0, tzinfo=AMSTERDAM)  # "now" when planning


def _plan(actor, client, *, rule=FORTNIGHTLY_TWO_MONTHS, now=BEFORE, **changes):
    values = {
        "starts_at": FIRST,
        "duration_minutes": 45,
        "kind": ContactKind.PHONE,
        "place_kind": AppointmentPlace.PHONE,
        "workers": [actor],
        "recurrence": rule,
        "now": now,
    }
    return appointment_plan(actor=actor, client=client, **(values | changes))


def _local(rows):
    return [r.starts_at.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M") for r in rows]


# --- recurrence ---------------------------------------------------------------------------


def test_every_two_weeks_for_two_months_is_five_appointments(member, care_client):
    planned = _plan(member, care_client)
    assert _local(planned) == [
        "2026-03-02 10:00",
        "2026-03-16 10:00",
        "2026-03-30 10:00",  # after the change to summer time: still 10:00 local
        "2026-04-13 10:00",
        "2026-04-27 10:00",
    ]
    assert [a.sequence for a in planned] == [0, 1, 2, 3, 4]
    assert Appointment.objects.filter(client=care_client).count() == 5
    assert AppointmentSeries.objects.get().until == dt.date(2026, 5, 1)
    assert all(list(a.workers.all()) == [member] for a in planned)


def test_n_times(member, care_client):
    planned = _plan(member, care_client, rule=Recurrence(interval_weeks=1, count=3))
    assert _local(planned) == ["2026-03-02 10:00", "2026-03-09 10:00", "2026-03-16 10:00"]


def test_until_is_inclusive():
    rule = Recurrence(interval_weeks=1, until=dt.date(2026, 3, 16))
    assert len(occurrences(FIRST, rule)) == 3


def test_one_off_is_a_series_of_one(member, care_client):
    planned = _plan(member, care_client, rule=None)
    assert len(planned) == 1
    assert planned[0].series.repeats is False


def test_participants_naasten_and_workers_of_other_organisations(
    member, welfare_member, care_client
):
    naaste = NaasteFactory(client=care_client)
    planned = _plan(
        member,
        care_client,
        rule=Recurrence(interval_weeks=2, count=2),
        workers=[member, welfare_member],
        naasten=[naaste],
        client_present=False,
    )
    for appointment in planned:
        assert set(appointment.workers.all()) == {member, welfare_member}
        assert list(appointment.naasten.all()) == [naaste]
        assert appointment.client_present is False
    assert {m.organisation_id for m in member.memberships.all()} != {
        m.organisation_id for m in welfare_member.memberships.all()
    }


# --- validation --------------------------------------------------------------------------


def _errors(exc) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"rule": Recurrence(interval_weeks=1, count=105)},
            "count",
            "Een reeks heeft 1 tot 104 afspraken.",
        ),
        (
            {"rule": Recurrence(interval_weeks=1, until=dt.date(2028, 6, 1))},
            "until",
            "Zo worden het meer dan 104 afspraken. Kies een eerdere einddatum.",
        ),
        (
            {"rule": Recurrence(interval_weeks=2, until=dt.date(2026, 3, 2))},
            "until",
            "De einddatum van de herhaling moet na de eerste afspraak liggen.",
        ),
        (
            {"rule": Recurrence(interval_weeks=0, count=3)},
            "interval_weeks",
            "Herhaal elke 1 tot 52 weken.",
        ),
        (
            {"rule": Recurrence(interval_weeks=2, until=None, count=None)},
            "count",
            "Kies of de reeks eindigt op een datum of na een aantal keer.",
        ),
        (
            {"duration_minutes": 0},
            "duration_minutes",
            "De duur moet tussen 1 en 1440 minuten (24 uur) liggen.",
        ),
        ({"workers": []}, "workers", "Kies minstens één medewerker."),
        ({"kind": ContactKind.WRITTEN}, "kind", "Kies een van de mogelijkheden."),
        (
            {"place_kind": AppointmentPlace.ELSEWHERE, "place": " "},
            "place",
            "Vul in waar de afspraak is.",
        ),
        ({"starts_at": dt.datetime(2026, 3, 2, 10)}, "starts_at", "Vul een datum en tijd in."),
        (
            {"starts_at": dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC)},
            "starts_at",
            "Plan een afspraak binnen 5 jaar van vandaag.",
        ),
    ],
)
def test_bad_input_is_refused_in_dutch_and_saves_nothing(
    member, care_client, changes, field, message
):
    with pytest.raises(ValidationError) as exc:
        _plan(member, care_client, **changes)
    assert _errors(exc)[field] == [message]
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


def test_a_worker_outside_the_team_is_refused(member, outsider, care_client):
    with pytest.raises(ValidationError) as exc:
        _plan(member, care_client, workers=[member, outsider])
    assert _errors(exc)["workers"] == [
        f"{outsider} werkt niet in het team van de cliënt en is niet aan de cliënt toegewezen."
    ]


def test_a_naaste_of_another_client_is_refused(member, care_client, other_client):
    with pytest.raises(ValidationError) as exc:
        _plan(member, care_client, naasten=[NaasteFactory(client=other_client)])
    assert _errors(exc)["naasten"] == ["Kies alleen naasten van deze cliënt."]


def test_someone_without_access_cannot_plan(outsider, care_client):
    with pytest.raises(PermissionDenied):
        _plan(outsider, care_client)
    assert not Appointment.objects.exists()


# --- changing one or the series ----------------------------------------------------------


def _change(appointment, actor, scope, **changes):
    values = {
        "starts_at": appointment.starts_at,
        "duration_minutes": appointment.duration_minutes,
        "kind": appointment.kind,
        "place_kind": appointment.place_kind,
        "workers": [actor],
        "now": BEFORE,
    }
    return appointment_update(
        actor=actor, appointment=appointment, scope=scope, **(values | changes)
    )


def test_changing_only_this_one_detaches_it(member, care_client):
    planned = _plan(member, care_client)
    third = planned[2]
    _change(
        third,
        member,
        AppointmentScope.ONE,
        starts_at=dt.datetime(2026, 3, 31, 14, 0, tzinfo=AMSTERDAM),
        kind=ContactKind.HOME,
        place_kind=AppointmentPlace.HOME,
    )
    third.refresh_from_db()
    assert third.detached is True
    assert third.kind == ContactKind.HOME
    rows = Appointment.objects.filter(series=third.series).order_by("sequence")
    assert _local(rows) == [
        "2026-03-02 10:00",
        "2026-03-16 10:00",
        "2026-03-31 14:00",
        "2026-04-13 10:00",
        "2026-04-27 10:00",
    ]


def test_changing_a_one_off_keeps_it_in_place(member, care_client):
    appointment = _plan(member, care_client, rule=None)[0]
    changed = _change(
        appointment,
        member,
        AppointmentScope.SERIES,
        starts_at=dt.datetime(2026, 3, 3, 9, 0, tzinfo=AMSTERDAM),
        recurrence=Recurrence(interval_weeks=1, count=1),
    )
    assert changed.pk == appointment.pk
    appointment.refresh_from_db()
    assert _local([appointment, appointment.series]) == ["2026-03-03 09:00"] * 2
    assert appointment.detached is False
    assert Appointment.objects.count() == 1


def test_a_one_off_can_become_a_series(member, care_client):
    appointment = _plan(member, care_client, rule=None)[0]
    _change(
        appointment,
        member,
        AppointmentScope.SERIES,
        recurrence=Recurrence(interval_weeks=1, count=3),
    )
    rows = Appointment.objects.order_by("starts_at")
    assert _local(rows) == ["2026-03-02 10:00", "2026-03-09 10:00", "2026-03-16 10:00"]


def test_changing_the_whole_series_regenerates_future_unlogged_ones(member, care_client):
    """Now is 20 March: the first two are past and stay; the detached third stays; the rest
    moves to Tuesday 11:00 and the series becomes weekly until 28 April."""
    planned = _plan(member, care_client)
    _change(planned[2], member, AppointmentScope.ONE, duration_minutes=30)
    now = dt.datetime(2026, 3, 20, 9, 0, tzinfo=AMSTERDAM)
    _change(
        planned[3],
        member,
        AppointmentScope.SERIES,
        starts_at=dt.datetime(2026, 4, 14, 11, 0, tzinfo=AMSTERDAM),
        recurrence=Recurrence(interval_weeks=2, until=dt.date(2026, 4, 28)),
        now=now,
    )
    rows = Appointment.objects.filter(client=care_client).order_by("starts_at")
    assert _local(rows) == [
        "2026-03-02 10:00",  # past: kept
        "2026-03-16 10:00",  # past: kept
        "2026-03-30 10:00",  # changed on its own: kept
        "2026-04-14 11:00",
        "2026-04-28 11:00",
    ]
    series = AppointmentSeries.objects.get()
    assert _local([series]) == ["2026-03-03 11:00"]  # moved a day, at the new time


def test_changing_this_and_following_splits_the_series(member, care_client):
    planned = _plan(member, care_client, rule=Recurrence(interval_weeks=2, count=5))
    _change(
        planned[2],
        member,
        AppointmentScope.FOLLOWING,
        starts_at=dt.datetime(2026, 3, 30, 15, 0, tzinfo=AMSTERDAM),
        recurrence=Recurrence(interval_weeks=1, count=5),
    )
    old, new = AppointmentSeries.objects.order_by("pk")
    assert old.count == 2
    assert _local(old.appointments.order_by("sequence")) == [
        "2026-03-02 10:00",
        "2026-03-16 10:00",
    ]
    # The total of five stays: three more, weekly now.
    assert new.count == 3
    assert _local(new.appointments.order_by("sequence")) == [
        "2026-03-30 15:00",
        "2026-04-06 15:00",
        "2026-04-13 15:00",
    ]


def test_a_logged_appointment_cannot_change(member, care_client):
    planned = _plan(member, care_client, rule=None)
    appointment = planned[0]
    with pytest.raises(ValidationError):
        appointment_contact_log(
            actor=member,
            appointment=appointment,
            now=at(9),  # 2 March 09:00: before the appointment
            starts_at=FIRST,
            duration_minutes=45,
            kind=ContactKind.PHONE,
        )
    in_care(care_client, member)
    appointment_contact_log(
        actor=member,
        appointment=appointment,
        now=at(12),
        starts_at=FIRST,
        duration_minutes=45,
        kind=ContactKind.PHONE,
    )
    with pytest.raises(ValidationError) as exc:
        _change(appointment, member, AppointmentScope.ONE, duration_minutes=30)
    assert exc.value.messages == [
        "Deze afspraak is al gelogd als contact en kan niet meer wijzigen."
    ]


# --- cancelling --------------------------------------------------------------------------


def test_cancel_one_keeps_the_reason(member, care_client):
    planned = _plan(member, care_client)
    assert (
        appointment_cancel(
            actor=member, appointment=planned[1], reason="Cliënt is ziek.", now=BEFORE
        )
        == 1
    )
    states = list(Appointment.objects.order_by("sequence").values_list("state", "cancel_reason"))
    assert states == [
        (AppointmentState.PLANNED, ""),
        (AppointmentState.CANCELLED, "Cliënt is ziek."),
        (AppointmentState.PLANNED, ""),
        (AppointmentState.PLANNED, ""),
        (AppointmentState.PLANNED, ""),
    ]


def test_cancel_this_and_following(member, care_client):
    planned = _plan(member, care_client)
    count = appointment_cancel(
        actor=member,
        appointment=planned[2],
        reason="Zorg afgeschaald.",
        scope=AppointmentScope.FOLLOWING,
        now=BEFORE,
    )
    assert count == 3
    assert list(Appointment.objects.order_by("sequence").values_list("state", flat=True)) == [
        AppointmentState.PLANNED,
        AppointmentState.PLANNED,
        AppointmentState.CANCELLED,
        AppointmentState.CANCELLED,
        AppointmentState.CANCELLED,
    ]


def test_cancel_needs_a_reason(member, care_client):
    planned = _plan(member, care_client, rule=None)
    with pytest.raises(ValidationError) as exc:
        appointment_cancel(actor=member, appointment=planned[0], reason="  ")
    assert _errors(exc)["reason"] == ["Geef de reden van het annuleren."]
    assert Appointment.objects.get().state == AppointmentState.PLANNED


# --- the contact from a past appointment --------------------------------------------------


@pytest.fixture
def past_appointment(member, welfare_member, care_client, frozen):
    """Planned on 1 March for 2 March 10:00; now is 2 March 14:30."""
    in_care(care_client, member)
    naaste = NaasteFactory(client=care_client)
    return _plan(
        member,
        care_client,
        rule=None,
        kind=ContactKind.HOME,
        place_kind=AppointmentPlace.HOME,
        duration_minutes=50,
        workers=[member, welfare_member],
        naasten=[naaste],
    )[0]


def test_the_contact_form_is_filled_from_the_appointment(member, welfare_member, past_appointment):
    client = past_appointment.client
    url = reverse("caseload:contact-create", kwargs={"client_id": client.pk})
    response = verified_client(member).get(f"{url}?afspraak={past_appointment.pk}")
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["date"] == dt.date(2026, 3, 2)
    assert initial["time"] == dt.time(10, 0)
    assert initial["duration_minutes"] == 50
    assert initial["kind"] == ContactKind.HOME
    assert initial["workers"] == [member.pk, welfare_member.pk]
    assert initial["naaste_present"] is True
    assert f'name="afspraak" value="{past_appointment.pk}"' in response.content.decode()


def test_logging_from_the_appointment_links_the_contact(member, welfare_member, past_appointment):
    client = past_appointment.client
    url = reverse("caseload:contact-create", kwargs={"client_id": client.pk})
    response = verified_client(member).post(
        url,
        {
            "afspraak": past_appointment.pk,
            "date": "2026-03-02",
            "time": "10:00",
            "duration_minutes": "50",
            "travel_minutes": "0",
            "kind": ContactKind.HOME,
            "workers": [member.pk, welfare_member.pk],
            "naaste_present": "on",
            "note": "Samen boodschappen gedaan.",
            "funding_stream": "zvw",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    past_appointment.refresh_from_db()
    assert past_appointment.state == AppointmentState.LOGGED
    assert past_appointment.contact == contact
    assert set(contact.workers.all()) == {member, welfare_member}
    assert contact.naaste_present is True
    # Once logged, the one-click button is gone and a second attempt is refused.
    again = verified_client(member).post(
        url,
        {
            "afspraak": past_appointment.pk,
            "date": "2026-03-02",
            "time": "10:00",
            "duration_minutes": "50",
            "travel_minutes": "0",
            "kind": ContactKind.HOME,
            "funding_stream": "zvw",
        },
    )
    assert again.status_code == 400
    assert "Deze afspraak is al gelogd of geannuleerd." in again.content.decode()
    assert Contact.objects.count() == 1


def test_a_future_appointment_cannot_be_logged(member, care_client, frozen):
    in_care(care_client, member)
    future = _plan(
        member, care_client, rule=None, starts_at=dt.datetime(2026, 3, 3, 10, tzinfo=AMSTERDAM)
    )[0]
    with pytest.raises(ValidationError) as exc:
        appointment_contact_log(
            actor=member,
            appointment=future,
            starts_at=at(10),
            duration_minutes=45,
            kind=ContactKind.PHONE,
        )
    assert _errors(exc)["appointment"] == [
        "De afspraak van 3 maart 2026 10:00 is nog niet geweest."
    ]
    assert not Contact.objects.exists()


def test_the_appointment_of_another_client_is_not_found(member, care_client, past_appointment):
    other = MembershipFactory(user=UserFactory(), team=care_client.team).user
    del other
    stranger = care_client.__class__.objects.create(
        team=care_client.team, first_name="Kees", last_name="Anders"
    )
    url = reverse("caseload:contact-create", kwargs={"client_id": stranger.pk})
    response = verified_client(member).get(f"{url}?afspraak={past_appointment.pk}")
    assert response.status_code == 404
