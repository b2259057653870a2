"""The replica router and its guards without a replica (tests/resilience/test_replica.py runs
them against a real streaming replica)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from finance.models import MonthlyAccount, SteeringFigure
from olteams.models import Team, User
from olteams.replica import (
    PRIMARY,
    ReplicaRouter,
    _routed,
    on_replica,
    read_alias,
    replica_pin,
    replica_pinned,
)

router = ReplicaRouter()
# The alias is only named in the settings, never connected to here.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    """A replica alias in the settings; the guards under test decide before connecting."""
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    settings.REPLICA_PIN_SECONDS = 15


def test_only_the_named_models_of_a_block_read_on_its_alias_and_writes_never_do():
    with _routed("replica", [SteeringFigure]):
        assert router.db_for_read(SteeringFigure) == "replica"
        assert router.db_for_read(Team) == PRIMARY  # the access policy's tables
        assert router.db_for_read(User) == PRIMARY
        assert router.db_for_read(MonthlyAccount) == PRIMARY
        assert router.db_for_write(SteeringFigure) == PRIMARY
    assert router.db_for_read(SteeringFigure) == PRIMARY
    # an object loaded from the replica does not take its relations there
    assert router.db_for_read(Team, instance=SteeringFigure(team_id=1)) == PRIMARY
    assert router.allow_migrate("replica", "finance") is False
    assert router.allow_migrate(PRIMARY, "finance") is True


@pytest.mark.django_db
def test_without_a_replica_every_read_is_on_the_primary(team):
    assert read_alias() == PRIMARY
    assert read_alias(caught_up=True) == PRIMARY
    count = on_replica(lambda: Team.objects.filter(pk=team.pk).count(), models=[Team])
    assert count == 1


@pytest.mark.django_db
def test_a_write_pins_the_user_to_the_primary_for_the_pin_seconds(with_replica, controller, login):
    http = login(controller)
    assert not replica_pinned(controller)
    http.get(reverse("finance:report-list"))
    assert not replica_pinned(controller)  # reading does not pin

    response = http.post(reverse("finance:report-create"), {"month": "2026-13", "format": "pdf"})
    assert response.status_code == 400  # refused input is a POST too: pinned all the same
    assert replica_pinned(controller)
    assert read_alias(user=controller) == PRIMARY  # decided without asking the replica
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=16)):
        assert not replica_pinned(controller)


@pytest.mark.django_db
def test_pin_needs_a_replica_and_a_signed_in_user(settings, controller):
    replica_pin(controller)  # no replica configured: nothing to pin
    assert not replica_pinned(controller)
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    replica_pin(None)
    replica_pin(controller)
    assert replica_pinned(controller)
