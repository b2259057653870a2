"""``request_cache.today()``: the day a request began with, for every part of the page."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine

from olteams import request_cache

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def test_a_request_keeps_its_day_across_midnight_and_outside_one_the_clock_rules():
    before_midnight = dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=AMSTERDAM)
    with time_machine.travel(before_midnight, tick=False) as clock:
        assert request_cache.today() == dt.date(2026, 12, 31)
        with request_cache.request_cache():
            assert request_cache.today() == dt.date(2026, 12, 31)
            clock.shift(dt.timedelta(seconds=2))
            assert request_cache.today() == dt.date(2026, 12, 31)  # the request's own day
        assert request_cache.today() == dt.date(2027, 1, 1)
        with request_cache.request_cache():
            assert request_cache.today() == dt.date(2027, 1, 1)


def test_the_day_is_amsterdams_not_utcs():
    # 23:30 UTC on 1 July is already 2 July in Amsterdam (summer time, UTC+2).
    moment = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), request_cache.request_cache():
        assert request_cache.today() == dt.date(2026, 7, 2)
