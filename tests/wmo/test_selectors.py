from __future__ import annotations

import datetime as dt

import pytest

from wmo import selectors, services
from wmo.constants import DecisionKind

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _decide(member, consultant, wmo_client, request_data, days_list):
    for n, days in enumerate(days_list):
        year = 2026 + n  # one request per year: the requests of a client must not overlap
        data = request_data | {"start": dt.date(year, 6, 1), "end": dt.date(year, 12, 31)}
        request = services.request_submit(
            actor=member,
            now=NOW,
            request=services.request_create(actor=member, client=wmo_client, data=data),
        )
        services.request_decide(
            actor=consultant,
            request=request,
            kind=DecisionKind.GRANTED,
            today=dt.date(2026, 3, 2) + dt.timedelta(days=days),
            now=NOW,
        )
    return selectors.lead_time_stats(
        user=consultant, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31)
    )


def test_lead_times_median_p90_and_share_within_14_days(
    member, consultant, wmo_client, request_data
):
    rows = _decide(member, consultant, wmo_client, request_data, (3, 5, 8, 10, 12, 20))
    assert rows == [
        {
            "municipality__name": "Testgemeente",
            "month": dt.date(2026, 3, 1),
            "decided": 6,
            "median": 9.0,
            "p90": 16.0,
            "on_time_pct": 83.3,  # 5 of 6
        }
    ]


def test_lead_times_of_fewer_than_five_decisions_are_not_given(
    member, consultant, wmo_client, request_data
):
    rows = _decide(member, consultant, wmo_client, request_data, (3, 10, 20))
    assert rows == [
        {
            "municipality__name": "Testgemeente",
            "month": dt.date(2026, 3, 1),
            "decided": None,
            "median": None,
            "p90": None,
            "on_time_pct": None,
        }
    ]


def test_lead_times_share_with_fewer_than_five_on_time_is_not_given(
    member, consultant, wmo_client, request_data
):
    rows = _decide(member, consultant, wmo_client, request_data, (3, 10, 15, 20, 30, 40))
    assert rows[0]["decided"] == 6
    assert rows[0]["median"] == 17.5
    assert rows[0]["on_time_pct"] is None  # 2 of 6 within 14 days: a numerator under 5


def test_lead_times_hide_other_municipalities(
    member, consultant, wmo_client, request_data, outsider
):
    assert (
        selectors.lead_time_stats(
            user=outsider, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31)
        )
        == []
    )


def test_indication_register_states(member, consultant, wmo_client, request_data):
    request = services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )
    services.request_decide(
        actor=consultant,
        request=request,
        kind=DecisionKind.TEMPORARY,
        today=dt.date(2026, 3, 3),
        now=NOW,
    )  # 9 Mar - 8 May 2026

    def state(day):
        [row] = selectors.indication_register(client=wmo_client, today=day)
        return row.state, row.days_remaining

    assert state(dt.date(2026, 3, 5)) == ("future", 61)
    assert state(dt.date(2026, 4, 1)) == ("active", 38)
    assert state(dt.date(2026, 4, 24)) == ("ending", 15)
    assert state(dt.date(2026, 5, 9)) == ("ended", 0)


def test_deadline_clock(member, wmo_client, request_data):
    request = services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )
    clock = selectors.deadline_clock
    assert (
        clock(request, dt.date(2026, 3, 2)).state,
        clock(request, dt.date(2026, 3, 2)).days,
    ) == ("running", 14)
    assert clock(request, dt.date(2026, 3, 16)).state == "last_day"
    assert (
        clock(request, dt.date(2026, 3, 19)).state,
        clock(request, dt.date(2026, 3, 19)).days,
    ) == ("late", 3)


def test_deadline_clock_in_onderzoek_runs_the_statutory_eight_weeks(
    member, consultant, wmo_client, request_data, login
):
    request = services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )
    submitted_on = request.submitted_on
    services.request_decide(
        actor=consultant,
        request=request,
        kind=DecisionKind.IN_ONDERZOEK,
        today=submitted_on + dt.timedelta(days=5),
    )
    [listed] = selectors.client_requests(user=member, client=wmo_client)
    assert listed.in_onderzoek is True

    def clock(days):
        c = selectors.deadline_clock(listed, submitted_on + dt.timedelta(days=days))
        return c.state, c.days

    assert clock(15) == ("running", 41)  # past the covenant's 14 days: not late
    assert clock(56) == ("last_day", 0)
    assert clock(58) == ("late", 2)
    request.refresh_from_db()  # without the annotation: asked of the database
    assert selectors.deadline_clock(request, submitted_on + dt.timedelta(days=15)).state == (
        "running"
    )
