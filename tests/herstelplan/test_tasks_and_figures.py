from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from clients.models import Client, Naaste
from herstelplan import selectors, services
from herstelplan.constants import PlanStatus
from herstelplan.models import Plan, TeamInstrumentSettings
from herstelplan.tasks import plan_reviews_due_task
from olteams.models import Notification
from tests.factories.herstelplan import end_care, make_honos, make_iroc, make_plan, put_in_care

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_iroc_due_date_uses_team_interval(care_client, member, team):
    assert selectors.iroc_due_date(client=care_client, today=TODAY) == TODAY
    make_iroc(care_client, member, date=dt.date(2026, 1, 31))
    assert selectors.iroc_due_date(client=care_client, today=TODAY) == dt.date(2026, 4, 30)
    TeamInstrumentSettings.objects.create(team=team, iroc_interval_months=6)
    assert selectors.iroc_due_date(client=care_client, today=TODAY) == dt.date(2026, 7, 31)


def test_honos_badges_use_team_thresholds(care_client, member, team):
    make_honos(care_client, member, date=TODAY, scores=[1] * 12)  # total 12
    badges = selectors.honos_assessment_list(client=care_client)[0].badges
    assert [(b.key, b.threshold) for b in badges] == [("outpatient", 10), ("residential", 11)]
    TeamInstrumentSettings.objects.create(team=team, honos_threshold_outpatient=12)
    badges = selectors.honos_assessment_list(client=care_client)[0].badges
    assert [b.key for b in badges] == ["residential"]


def test_iroc_history_totals_and_latest_scores(care_client, member):
    make_iroc(care_client, member, date=dt.date(2025, 12, 1), scores=2)
    make_iroc(
        care_client, member, date=dt.date(2026, 3, 1), scores=[6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6]
    )
    history = selectors.iroc_history(client=care_client)
    assert [(h.date, h.total) for h in history] == [
        (dt.date(2026, 3, 1), 42),
        (dt.date(2025, 12, 1), 24),
    ]
    assert history[0].area_totals == {"thuis": 15, "kansen": 6, "mensen": 6, "empowerment": 15}
    assert selectors.iroc_latest_scores(client=care_client)[1] == 6


def test_daily_job_notifies_care_team_once(care_client, member, assigned_colleague):
    plan = make_plan(
        care_client,
        member,
        goals=[("Werk", [6])],
        activate=True,
        now=dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC),
    )
    Plan.objects.filter(pk=plan.pk).update(review_date=dt.date(2026, 3, 20))
    plan.goals.update(evaluation_date=dt.date(2026, 3, 1))
    make_iroc(care_client, member, date=dt.date(2025, 12, 1))
    Naaste.objects.create(
        client=care_client,
        name="Moeder Jansen",
        relation="moeder",
        role="mantelzorger",
        zag_due_on=dt.date(2026, 3, 15),
    )
    counts = plan_reviews_due_task(TODAY.isoformat())
    assert counts == {"plan_reviews": 2, "goal_reviews": 2, "iroc_due": 2, "naaste_meetings": 2}
    titles = sorted(Notification.objects.filter(recipient=member).values_list("title", flat=True))
    assert titles == [
        'Evaluatie doel "Werk" van Sanne de Boer uiterlijk 1 mrt 2026',
        "Evaluatie herstelplan Sanne de Boer uiterlijk 20 mrt 2026",
        "I.ROC van Sanne de Boer invullen uiterlijk 1 mrt 2026",
        "Jaarlijks gesprek met naaste Moeder Jansen (Sanne de Boer) uiterlijk 15 mrt 2026",
    ]
    # Idempotent: a second run (today or tomorrow) creates nothing new.
    assert plan_reviews_due_task(TODAY.isoformat()) == {
        "plan_reviews": 0,
        "goal_reviews": 0,
        "iroc_due": 0,
        "naaste_meetings": 0,
    }
    assert plan_reviews_due_task("2026-03-11")["iroc_due"] == 0
    assert Notification.objects.count() == 8


def test_daily_job_skips_done_and_not_yet_due(care_client, member):
    plan = make_plan(
        care_client, member, activate=True, now=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    )
    Plan.objects.filter(pk=plan.pk).update(review_date=dt.date(2026, 3, 1))
    services.evaluation_create(
        actor=member,
        plan=plan,
        date=dt.date(2026, 3, 2),
        text="Goed",
        now=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
    )
    make_iroc(care_client, member, date=dt.date(2026, 2, 1))  # next due 1 May: not yet
    assert plan_reviews_due_task(TODAY.isoformat()) == {
        "plan_reviews": 0,
        "goal_reviews": 0,
        "iroc_due": 0,
        "naaste_meetings": 0,
    }


def test_daily_job_ignores_clients_out_of_care(care_client, member):
    end_care(care_client, member, on=dt.date(2026, 1, 1))
    assert plan_reviews_due_task(TODAY.isoformat())["iroc_due"] == 0
    assert Notification.objects.count() == 0


def test_beat_schedule_has_the_daily_job():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["herstelplan-plan-reviews"]
    assert entry["task"] == "herstelplan.tasks.plan_reviews_due_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {0})


def _client(team, worker, name):
    client = Client.objects.create(team=team, first_name=name, last_name="Test")
    put_in_care(client, worker, on=dt.date(2025, 1, 1))
    return client


def test_team_outcome_figures(team, other_team, member, outsider):
    a, b, c, d = (_client(team, member, n) for n in ("Anna", "Bram", "Cees", "Dirk"))
    gone = _client(team, member, "Weg")
    end_care(gone, member, on=dt.date(2025, 6, 1))
    _client(other_team, outsider, "Elders")
    make_iroc(a, member, date=dt.date(2025, 6, 1), scores=2)
    make_iroc(a, member, date=dt.date(2026, 2, 1), scores=4)  # +24, recent
    make_iroc(b, member, date=dt.date(2025, 6, 1), scores=3)
    make_iroc(b, member, date=dt.date(2025, 9, 1), scores=2)  # -12, not recent
    make_iroc(c, member, date=dt.date(2026, 3, 1), scores=3)  # once, recent
    make_honos(a, member, date=dt.date(2025, 6, 1), scores=2)  # 24
    make_honos(a, member, date=dt.date(2026, 1, 1), scores=1)  # 12 → -12
    on_time = make_plan(a, member, activate=True, now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    late = make_plan(b, member, activate=True, now=dt.datetime(2025, 6, 5, 9, tzinfo=dt.UTC))
    assert late.review_date == dt.date(2025, 12, 5)
    make_plan(c, member)  # draft only
    assert on_time.status == PlanStatus.ACTIVE
    figures = selectors.team_outcome_figures(team_id=team.pk, today=TODAY)
    assert figures.clients_in_care == 4
    assert (figures.with_recent_iroc, figures.recent_iroc_pct) == (2, Decimal("50.0"))
    assert (figures.with_active_agreed_plan, figures.active_agreed_plan_pct) == (2, Decimal("50.0"))
    assert (figures.evaluations_on_time, figures.evaluations_on_time_pct) == (1, Decimal("50.0"))
    assert (figures.iroc_average_change, figures.iroc_clients_measured_twice) == (Decimal("6.0"), 2)
    assert (figures.honos_average_change, figures.honos_clients_measured_twice) == (
        Decimal("-12.0"),
        1,
    )
    empty = selectors.team_outcome_figures(team_id=other_team.pk + 999, today=TODAY)
    assert (empty.clients_in_care, empty.recent_iroc_pct, empty.iroc_average_change) == (
        0,
        None,
        None,
    )
    del d
