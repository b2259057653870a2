"""The machinery of the permission tables (tests/permissions.py) keeps its power to fail:
the row snapshot sees every kind of change, and a world shared by a module's tests starts
every test as it was built (what one test writes is gone before the next one).

The tests of this module run in file order (pytest keeps it; the suite has no random order):
the second and third check what the first one left behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from olteams.constants import NotificationKind
from olteams.models import Notification
from tests.permissions import ANON, frozen_at, http_as, rows_of, shared_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC)
_frozen = frozen_at(NOW)


@dataclass
class World:
    notice: Any
    users: dict[str, Any]


@shared_world
def world(member, outsider):
    notice = Notification.objects.create(recipient=member, kind=NotificationKind.INFO, title="x")
    return World(notice=notice, users={ANON: None, "member": member, "outsider": outsider})


def test_the_snapshot_sees_an_insert_an_update_of_one_column_and_a_delete(world):
    before = rows_of([Notification])
    assert rows_of([Notification]) == before
    extra = Notification.objects.create(recipient=world.users["member"], kind=NotificationKind.INFO)
    assert rows_of([Notification]) != before
    extra.delete()
    assert rows_of([Notification]) == before
    Notification.objects.filter(pk=world.notice.pk).update(read_at=timezone.now())
    assert rows_of([Notification]) != before
    Notification.objects.filter(pk=world.notice.pk).update(read_at=None)
    assert rows_of([Notification]) == before
    world.notice.delete()
    assert rows_of([Notification]) != before


def test_each_test_starts_from_the_world_as_built(world):
    """The notice the test above deleted is back, with its user: that test's writes were
    rolled back. Changing this test's copy of the world changes nothing for the next."""
    assert Notification.objects.filter(pk=world.notice.pk, read_at=None).exists()
    world.notice.title = "changed in this test only"
    world.users["member"].first_name = "Anders"


def test_the_world_objects_are_each_tests_own_copy(world):
    assert world.notice.title == "x"
    assert world.users["member"].first_name != "Anders"


def test_each_role_is_signed_in_once_for_the_module_and_anonymous_is_not(world):
    """Signed in with the second factor passed (no detour to verification), each role as
    itself; anonymous is sent to the sign-in page."""
    home = reverse("olteams:home")
    for role in ("member", "outsider"):
        response = http_as(world, role).get(home)
        assert response.status_code == 200
        assert response.wsgi_request.user.pk == world.users[role].pk
    assert http_as(world, ANON).get(home)["Location"].startswith(reverse("olteams:login"))
