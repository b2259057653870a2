from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from olteams.constants import TeamRole
from olteams.models import Notification
from tests.factories.olteams import MembershipFactory, MunicipalityRoleFactory, UserFactory
from wmo import services, tasks
from wmo.constants import DecisionKind
from wmo.models import IndicationRequest

AMS = ZoneInfo("Europe/Amsterdam")
DAY0 = dt.date(2026, 3, 2)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=AMS)


def _submit(member, client, data):
    with time_machine.travel(_at(DAY0), tick=False):
        request = services.request_create(actor=member, client=client, data=data)
        return services.request_submit(actor=member, request=request)


def _notices(request):
    return sorted(
        Notification.objects.filter(dedupe_key__endswith=f":{request.pk}")
        .exclude(dedupe_key__startswith="wmo-submitted")
        .values_list("recipient__username", "kind")
    )


@pytest.mark.django_db
def test_clock_nothing_until_day_10_one_reminder_one_escalation_never_twice(
    member, lead, consultant, consultant_lead, wmo_client, request_data
):
    request = _submit(member, wmo_client, request_data)
    for offset in range(0, 20):
        day = DAY0 + dt.timedelta(days=offset)
        with time_machine.travel(_at(day), tick=False):
            for _run in range(2):  # the job runs twice each day: still nothing twice
                tasks.deadline_sweep_task.apply(args=[day.isoformat()]).get()
        notices = _notices(request)
        if offset < 10:
            assert notices == [], offset
        elif offset < 14:
            # the consultants, and the casemanager who submitted the request ("lid")
            assert notices == [
                ("consulent", "reminder"),
                ("consulentlead", "reminder"),
                ("lid", "reminder"),
            ], offset
        else:
            assert notices == [
                ("consulent", "reminder"),
                ("consulentlead", "escalation"),
                ("consulentlead", "reminder"),
                ("leider", "escalation"),
                ("lid", "escalation"),
                ("lid", "reminder"),
            ], offset
    request.refresh_from_db()
    assert request.is_overdue is True
    assert timezone.localtime(request.reminder_sent_at).date() == dt.date(2026, 3, 12)
    assert timezone.localtime(request.escalated_at).date() == dt.date(2026, 3, 16)
    reminder = Notification.objects.get(recipient=consultant, kind="reminder")
    assert reminder.title == (f"Besluit op Wmo-aanvraag {request.reference} uiterlijk 16-03-2026")
    assert reminder.url == f"/clienten/{wmo_client.pk}/wmo/aanvragen/{request.pk}/"
    escalation = Notification.objects.get(recipient=lead, kind="escalation")
    assert escalation.title == (
        f"Wmo-aanvraag {request.reference} heeft de termijn van 14 dagen bereikt"
    )
    assert reminder.client_id == wmo_client.pk
    told = Notification.objects.filter(recipient=member).exclude(dedupe_key__startswith="wmo-sub")
    assert sorted(told.values_list("kind", "title", "url", "client_id")) == [
        (
            "escalation",
            escalation.title,
            f"/clienten/{wmo_client.pk}/wmo/aanvragen/{request.pk}/",
            wmo_client.pk,
        ),
        ("reminder", reminder.title, reminder.url, wmo_client.pk),
    ]


@pytest.mark.django_db
def test_sweep_ignores_decided_concept_and_inactive_people(
    member, consultant, wmo_client, request_data, team, municipality
):
    request = _submit(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=DAY0, now=_at(DAY0)
    )
    services.request_create(
        actor=member,
        client=wmo_client,
        data=request_data | {"start": dt.date(2027, 1, 1), "end": None},
    )
    result = services.deadline_sweep(today=DAY0 + dt.timedelta(days=30))
    assert (result.reminded, result.escalated, result.notifications) == (0, 0, 0)


@pytest.mark.django_db
def test_sweep_on_day_14_first_run_sends_both_once(
    member, lead, consultant, wmo_client, request_data, municipality, team
):
    expired = MunicipalityRoleFactory(
        user=UserFactory(username="oudconsulent"),
        municipality=municipality,
        valid_to=dt.date(2026, 1, 1),
    )
    MembershipFactory(
        user=UserFactory(username="oudleider"),
        team=team,
        role=TeamRole.LEAD,
        valid_to=dt.date(2026, 1, 1),
    )
    request = _submit(member, wmo_client, request_data)
    result = services.deadline_sweep(today=DAY0 + dt.timedelta(days=14))
    assert (result.reminded, result.escalated, result.notifications) == (1, 1, 3)
    # the submitter hears of the escalation only when both fall in one run
    assert _notices(request) == [
        ("consulent", "reminder"),
        ("leider", "escalation"),
        ("lid", "escalation"),
    ]
    assert not Notification.objects.filter(recipient=expired.user).exists()


def test_a_request_in_onderzoek_follows_the_statutory_route(
    member, lead, consultant, wmo_client, request_data
):
    """In onderzoek: not late at day 14, but after 6 weeks onderzoek + 2 weeks beschikking."""
    request = _submit(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant,
        request=request,
        kind=DecisionKind.IN_ONDERZOEK,
        today=DAY0 + dt.timedelta(days=5),
    )
    result = services.deadline_sweep(today=DAY0 + dt.timedelta(days=14))
    assert (result.reminded, result.escalated) == (1, 0)
    assert services.deadline_sweep(today=DAY0 + dt.timedelta(days=55)).escalated == 0
    assert services.deadline_sweep(today=DAY0 + dt.timedelta(days=56)).escalated == 1
    request.refresh_from_db()
    assert request.is_overdue
    # The consultant is reminded; the team lead and the submitter hear of the escalation.
    assert [n for n in _notices(request) if n[1] in ("reminder", "escalation")] == [
        ("consulent", "reminder"),
        ("leider", "escalation"),
        ("lid", "escalation"),
        ("lid", "reminder"),
    ]


# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_send_each_notice_once(
    member, lead, consultant, consultant_lead, wmo_client, request_data, team, municipality
):
    # Several requests so both runs have work to fight over.
    requests = [_submit(member, wmo_client, request_data)]
    for year in (2027, 2028, 2029):
        start = dt.date(year, 1, 1)
        requests.append(
            _submit(
                member,
                wmo_client,
                request_data | {"start": start, "end": start + dt.timedelta(days=30)},
            )
        )
    day = DAY0 + dt.timedelta(days=14)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.deadline_sweep(today=day))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sum(r.reminded for r in results) == 4
    assert sum(r.escalated for r in results) == 4
    assert sum(r.notifications for r in results) == 4 * 5
    for request in requests:
        assert _notices(request) == [
            ("consulent", "reminder"),
            ("consulentlead", "escalation"),
            ("consulentlead", "reminder"),
            ("leider", "escalation"),
            ("lid", "escalation"),
        ]
    assert IndicationRequest.objects.filter(is_overdue=True).count() == 4


@pytest.mark.django_db
def test_expiry_task_gives_the_casemanager_one_task(member, consultant, wmo_client, request_data):
    request = _submit(member, wmo_client, request_data)  # asks 9 Mar - 8 Sep 2026
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=DAY0, now=_at(DAY0)
    )
    assert tasks.expiry_task.apply(args=["2026-07-27"]).get() == 0  # 43 days before the end
    assert tasks.expiry_task.apply(args=["2026-07-28"]).get() == 1  # 42 days before
    assert tasks.expiry_task.apply(args=["2026-07-29"]).get() == 0  # never twice
    task = Notification.objects.get(kind="task", recipient=member, dedupe_key__startswith="wmo-ex")
    indication = request.decisions.get().indication
    assert task.title == (
        f"Vervolgindicatie aanvragen: indicatie {indication.toewijzing_number} loopt af op "
        "08-09-2026"
    )
    assert task.due_on == dt.date(2026, 9, 8)
    assert task.url == f"/clienten/{wmo_client.pk}/wmo/indicaties/"


@pytest.mark.django_db
def test_expiry_of_a_temporary_indication_two_weeks_ahead(
    member, consultant, wmo_client, request_data
):
    request = _submit(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.TEMPORARY, today=DAY0, now=_at(DAY0)
    )  # 9 Mar - 8 May 2026
    assert services.expiry_sweep(today=dt.date(2026, 4, 23)) == 0
    assert services.expiry_sweep(today=dt.date(2026, 4, 24)) == 1


@pytest.mark.django_db
def test_expiry_skips_when_a_follow_up_is_already_requested(
    member, consultant, wmo_client, request_data
):
    request = _submit(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=DAY0, now=_at(DAY0)
    )
    services.request_create(
        actor=member,
        client=wmo_client,
        data=request_data | {"start": dt.date(2026, 9, 9), "end": dt.date(2027, 3, 8)},
    )
    assert services.expiry_sweep(today=dt.date(2026, 8, 1)) == 0
