"""indication_end (outflow, death) and request_withdraw closing the consultants' notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from olteams.models import Notification
from tests.wmo.conftest import TODAY
from wmo import services
from wmo.constants import DecisionKind, RequestStatus, StopReason
from wmo.models import Indication

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def indication(member, consultant, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    services.request_submit(actor=member, request=request, now=NOW)
    decision = services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
    )
    return decision.indication  # 9 Mar 2026 to 8 Sep 2026


def test_end_cuts_the_period_and_records_the_reason(member, indication):
    Notification.objects.create(
        recipient=member, kind="task", title="Vervolg", dedupe_key=f"wmo-expiry:{indication.pk}"
    )
    ended = services.indication_end(
        actor=member, indication=indication, end_date=dt.date(2026, 4, 30), reason="02"
    )
    row = Indication.objects.get(pk=indication.pk)
    assert (ended.end, row.end, row.end_reason) == (
        dt.date(2026, 4, 30),
        dt.date(2026, 4, 30),
        StopReason.OVERLIJDEN,
    )
    assert Notification.objects.get(dedupe_key=f"wmo-expiry:{indication.pk}").read_at is not None


def test_end_before_the_start_ends_on_the_start(member, indication):
    services.indication_end(
        actor=member, indication=indication, end_date=dt.date(2026, 3, 5), reason="19"
    )
    assert Indication.objects.get(pk=indication.pk).end == dt.date(2026, 3, 9)


@pytest.mark.parametrize(
    ("end_date", "reason", "errors"),
    [
        (dt.date(2026, 4, 30), "99", {"reason": ["Kies een geldige reden van beëindiging."]}),
        (None, "19", {"end_date": ["Vul de einddatum in."]}),
        (dt.date(2026, 9, 8), "19", {"end_date": ["Deze indicatie is op die datum al beëindigd."]}),
        (
            dt.date(2026, 12, 1),
            "19",
            {"end_date": ["Deze indicatie is op die datum al beëindigd."]},
        ),
    ],
)
def test_end_refusals_change_nothing(member, indication, end_date, reason, errors):
    with pytest.raises(ValidationError) as exc:
        services.indication_end(
            actor=member, indication=indication, end_date=end_date, reason=reason
        )
    assert {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()} == errors
    row = Indication.objects.get(pk=indication.pk)
    assert (row.end, row.end_reason) == (dt.date(2026, 9, 8), "")


def test_end_by_someone_outside_the_team_is_not_found(outsider, indication):
    with pytest.raises(Http404):
        services.indication_end(
            actor=outsider, indication=indication, end_date=dt.date(2026, 4, 30), reason="19"
        )
    assert Indication.objects.get(pk=indication.pk).end_reason == ""


def test_ended_indication_gets_no_follow_up_task(member, indication):
    services.indication_end(
        actor=member, indication=indication, end_date=dt.date(2026, 4, 30), reason="21"
    )
    assert services.expiry_sweep(today=dt.date(2026, 4, 1)) == 0


def test_withdraw_closes_the_consultants_task_and_reminders(
    member, consultant, wmo_client, request_data
):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    services.request_submit(actor=member, request=request, now=NOW)
    services.deadline_sweep(today=dt.date(2026, 3, 12))
    open_before = sorted(
        Notification.objects.filter(recipient=consultant, read_at__isnull=True).values_list(
            "dedupe_key", flat=True
        )
    )
    assert open_before == [f"wmo-reminder:{request.pk}", f"wmo-submitted:{request.pk}"]
    services.request_withdraw(actor=member, request=request)
    request.refresh_from_db()
    assert (request.status, request.is_overdue) == (RequestStatus.INGETROKKEN, False)
    assert not Notification.objects.filter(read_at__isnull=True, recipient=consultant).exists()
