"""The deadline badge (issue 11): on the deadline day a decision is still on time, so the badge
says "laatste dag", never the contradictory "te laat · termijn verstrijkt vandaag"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from wmo import selectors, services
from wmo.models import IndicationRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # deadline 16 March


@pytest.fixture
def submitted(member, wmo_client, request_data):
    return services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )


def _badge(request, day):
    clock = selectors.deadline_clock(request, day)
    return clock, " ".join(render_to_string("wmo/_clock.html", {"clock": clock}).split())


def test_the_deadline_day_is_the_last_day_not_late(submitted):
    _clock, html = _badge(submitted, dt.date(2026, 3, 15))
    assert html == '<span class="badge badge-warn">nog 1 dag</span>'
    IndicationRequest.objects.filter(pk=submitted.pk).update(is_overdue=True)  # escalated
    submitted.refresh_from_db()
    clock, html = _badge(submitted, dt.date(2026, 3, 16))
    assert (clock.state, clock.is_late) == ("last_day", False)
    assert html == '<span class="badge badge-warn">laatste dag</span> besluit uiterlijk vandaag'
    clock, html = _badge(submitted, dt.date(2026, 3, 17))
    assert (clock.state, clock.is_late) == ("late", True)
    assert html == '<span class="badge badge-late">te laat</span> 1 dag over de termijn'


def test_the_inbox_counts_late_only_after_the_deadline_day(submitted, consultant):
    IndicationRequest.objects.filter(pk=submitted.pk).update(is_overdue=True)
    on_deadline = selectors.pending_counts(user=consultant, today=dt.date(2026, 3, 16))
    after = selectors.pending_counts(user=consultant, today=dt.date(2026, 3, 17))
    assert (on_deadline["pending"], on_deadline["overdue"]) == (1, 0)
    assert (after["pending"], after["overdue"]) == (1, 1)
