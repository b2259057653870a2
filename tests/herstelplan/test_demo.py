from __future__ import annotations

import datetime as dt
import random

import pytest

from clients.models import Client
from herstelplan import demo
from herstelplan.models import (
    Evaluation,
    HonosAssessment,
    IrocAssessment,
    Plan,
    PlanChange,
    RecoveryPhase,
)
from tests.factories.herstelplan import put_in_care
from tests.factories.olteams import TeamFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 3, 15)


def test_seed_creates_histories_and_plans_in_every_state_idempotently(member, team, org_ggz):
    emmen = TeamFactory(slug="emmen", name="Emmen")
    for t in (team, emmen):
        for i in range(20):
            client = Client.objects.create(team=t, first_name=f"C{i}", last_name="Demo")
            put_in_care(client, member, on=dt.date(2018, 1, 1))
    demo.seed(today=TODAY, rng=random.Random(7))
    counts = (
        IrocAssessment.objects.count(),
        HonosAssessment.objects.count(),
        RecoveryPhase.objects.count(),
        Plan.objects.count(),
        Evaluation.objects.count(),
        PlanChange.objects.count(),
    )
    assert (
        IrocAssessment.objects.filter(client__team=emmen).values("client").distinct().count() == 7
    )
    assert Plan.objects.filter(client__team=emmen, status="active").count() == 7
    assert set(Plan.objects.values_list("status", flat=True)) == {"draft", "active", "archived"}
    assert Plan.objects.filter(status="draft", agreed_on__isnull=False).exists()
    assert HonosAssessment.objects.exists()
    assert not IrocAssessment.objects.filter(date__gt=TODAY).exists()
    demo.seed(today=TODAY, rng=random.Random(8))
    assert (
        IrocAssessment.objects.count(),
        HonosAssessment.objects.count(),
        RecoveryPhase.objects.count(),
        Plan.objects.count(),
        Evaluation.objects.count(),
        PlanChange.objects.count(),
    ) == counts


def test_seed_gives_some_clients_a_signaleringsplan_in_every_state(member, team, org_ggz):
    from herstelplan.models import SignalPlan

    emmen = TeamFactory(slug="emmen", name="Emmen")
    for i in range(20):
        client = Client.objects.create(team=emmen, first_name=f"C{i}", last_name="Demo")
        put_in_care(client, member, on=dt.date(2018, 1, 1))
    demo.seed(today=TODAY, rng=random.Random(7))
    statuses = set(SignalPlan.objects.values_list("status", flat=True))
    assert statuses == {"draft", "active", "archived"}
    in_force = SignalPlan.objects.filter(status="active")
    assert 1 <= in_force.count() < Client.objects.count()
    assert all(p.contacts.count() >= 2 and p.red_signs for p in in_force)
    assert not SignalPlan.objects.filter(agreed_on__gt=TODAY).exists()
