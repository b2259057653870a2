"""Reads compiled once per process (olteams.compiled.compiled_objects) answer what the ORM
answers: the frame's client reads, and the session, user and second-factor device read on
every signed-in request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count, F, Prefetch
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework import serializers

from clients.constants import OutflowReason, Phase
from clients.models import Assignment, CareEpisode, Client
from clients.selectors.facts import client_care_team, client_episodes
from herstelplan.constants import PlanStatus
from herstelplan.models import SignalPlan
from herstelplan.selectors.signal_plans import signal_plan_in_force
from olteams.api.serializers import FlatFieldsSerializer, copy_fields
from olteams.backends import StaffModelBackend
from olteams.compiled import compiled_objects
from olteams.middleware import OTPMiddleware
from olteams.sessions import SessionStore
from tests.conftest import verified_client
from tests.factories.clients import AssignmentFactory, CareEpisodeFactory, ClientFactory
from tests.factories.olteams import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 24)


def _state(objs):
    """Everything an instance carries: its fields, its select_related rows, its database."""
    rows = []
    for obj in objs:
        fields = {
            f.attname: getattr(obj, f.attname)
            for f in type(obj)._meta.concrete_fields
            if f.attname not in obj.get_deferred_fields()
        }
        related = {
            name: (value.pk, value.__dict__.get("username"))
            for name, value in obj._state.fields_cache.items()
        }
        rows.append((type(obj), fields, related, obj._state.db, obj._state.adding,
                     sorted(obj.get_deferred_fields())))  # fmt: skip
    return rows


def test_the_frames_reads_give_the_instances_the_orm_gives(team, member):
    client = ClientFactory(team=team)
    other = ClientFactory(team=team)
    worker, ended, future = UserFactory(), UserFactory(), UserFactory()
    AssignmentFactory(client=client, worker=worker, start_date=DAY - dt.timedelta(days=9))
    AssignmentFactory(client=client, worker=member, role="begeleider", start_date=DAY)
    AssignmentFactory(
        client=client,
        worker=ended,
        start_date=DAY - dt.timedelta(days=90),
        end_date=DAY - dt.timedelta(days=1),
    )
    AssignmentFactory(client=client, worker=future, start_date=DAY + dt.timedelta(days=1))
    AssignmentFactory(client=other, worker=worker, start_date=DAY - dt.timedelta(days=9))
    CareEpisodeFactory(
        client=client,
        started_on=DAY - dt.timedelta(days=400),
        ended_on=DAY - dt.timedelta(days=100),
        phase=Phase.OUTFLOW,
        outflow_reason=OutflowReason.MOVED,
    )
    CareEpisodeFactory(client=client, started_on=DAY - dt.timedelta(days=30))
    agreed = {"agreed_on": DAY, "agreed_recorded_by": member, "agreed_how": "gesprek"}
    by = {"created_by": member, "updated_by": member}
    SignalPlan.objects.create(client=client, version=1, status=PlanStatus.ARCHIVED, **agreed, **by)
    SignalPlan.objects.create(client=client, version=2, status=PlanStatus.ACTIVE, **agreed, **by)
    SignalPlan.objects.create(client=client, version=3, status=PlanStatus.DRAFT, **by)

    team_by_orm = list(
        Assignment.objects.filter(client=client, start_date__lte=DAY)
        .exclude(end_date__lt=DAY)
        .select_related("worker")
        .order_by("role", "start_date")
    )
    care_team = client_care_team(client=client, day=DAY)
    assert len(care_team) == 2
    assert _state(care_team) == _state(team_by_orm)
    assert care_team[0].worker.username == team_by_orm[0].worker.username

    episodes_by_orm = list(CareEpisode.objects.filter(client=client).order_by("-started_on"))
    assert _state(client_episodes(client=client)) == _state(episodes_by_orm)

    plan = signal_plan_in_force(client=client)
    plan_by_orm = (
        SignalPlan.objects.filter(client=client, status=PlanStatus.ACTIVE)
        .only("id", "client_id", "version", "status", "agreed_on")
        .order_by("-version")
        .first()
    )
    assert plan.version == 2
    assert _state([plan]) == _state([plan_by_orm])
    assert signal_plan_in_force(client=other) is None
    assert client_care_team(client=other, day=DAY - dt.timedelta(days=10)) == []


def test_a_compiled_read_sets_annotations_as_the_orm_does(team, member):
    client = ClientFactory(team=team)
    AssignmentFactory(client=client, worker=member)
    AssignmentFactory(client=client)

    def build(pk: int) -> Any:
        return Client.objects.filter(pk=pk).annotate(
            n_assignments=Count("assignments"), doubled=F("id") * 2
        )

    read = compiled_objects("test.annotated", "default", build, {"pk": -987654321})
    (found,) = read.all("default", {"pk": client.pk})
    (by_orm,) = build(client.pk)
    assert (
        (found.n_assignments, found.doubled)
        == (by_orm.n_assignments, by_orm.doubled)
        == (
            2,
            2 * client.pk,
        )
    )
    assert _state([found]) == _state([by_orm])


def test_a_compiled_read_refuses_what_it_cannot_make_and_a_lost_stand_in(team):
    client = ClientFactory(team=team)
    with pytest.raises(ValueError, match="not a plain model read"):
        compiled_objects(
            "test.extra",
            "default",
            lambda pk: Assignment.objects.filter(client_id=pk).extra(select={"n": "1"}),
            {"pk": -987654321},
        )
    with pytest.raises(ValueError, match="not a plain model read"):
        compiled_objects(
            "test.prefetch",
            "default",
            lambda pk: Assignment.objects.filter(client_id=pk).prefetch_related(Prefetch("worker")),
            {"pk": -987654321},
        )
    with pytest.raises(RuntimeError, match="lost a parameter"):
        compiled_objects(
            "test.lost",
            "default",
            lambda pk: Assignment.objects.filter(client_id=client.pk),  # ignores the stand-in
            {"pk": -987654321},
        )


def test_the_session_store_loads_and_refuses_as_djangos_database_store(member):
    live = SessionStore()
    live[SESSION_KEY] = str(member.pk)
    live.save()
    expired = SessionStore()
    expired["x"] = 1
    expired.save()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (live.session_key, expired.session_key, "geen-bestaande-sessie-sleutel"):
        ours, django = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == django.load()
        assert ours.session_key == django.session_key
    assert SessionStore(live.session_key).load()[SESSION_KEY] == str(member.pk)
    assert SessionStore(expired.session_key).load() == {}


def test_the_user_backend_gives_active_users_only(member):
    backend = StaffModelBackend()
    found = backend.get_user(member.pk)
    assert found == member and found.username == member.username
    assert found.password == member.password  # the session hash is computed from it
    assert backend.get_user(-1) is None
    assert backend.get_user("geen-id") is None
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert backend.get_user(member.pk) is None


def test_the_device_read_accepts_and_refuses_what_django_otp_accepts_and_refuses(member):
    device = StaticDevice.objects.create(user=member, name="backup")
    middleware = OTPMiddleware(lambda request: None)
    for persistent_id in (
        device.persistent_id,
        f"otp_static.staticdevice/{device.pk + 1000}",
        "otp_static.staticdevice/abc",
        "otp_static.staticdevice",
        "geen.model/1",
        "otp_static/staticdevice/1",
    ):
        ours = middleware._device_from_persistent_id(persistent_id)
        theirs = Device.from_persistent_id(persistent_id)
        if theirs is None:
            assert ours is None, persistent_id
        else:
            assert _state([ours]) == _state([theirs])
    # A model that is no device: nobody (django-otp itself fails here with an error).
    assert middleware._device_from_persistent_id("olteams.user/1") is None


def test_a_device_of_another_user_or_unconfirmed_does_not_verify(member, team):
    home = reverse("olteams:home")
    http = verified_client(member)
    assert http.get(home).status_code == 200
    someone = UserFactory()
    theirs = StaticDevice.objects.create(user=someone, name="backup")
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = theirs.persistent_id
    session.save()
    assert http.get(home)["Location"].startswith(reverse("olteams:otp-verify"))
    own = StaticDevice.objects.create(user=member, name="backup2", confirmed=False)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = own.persistent_id
    session.save()
    assert http.get(home)["Location"].startswith(reverse("olteams:otp-verify"))


def test_a_signed_in_request_reads_session_user_and_device_once_each(member):
    http = verified_client(member)
    http.get(reverse("olteams:notification-list"))
    with CaptureQueriesContext(connection) as queries:
        assert http.get(reverse("olteams:notification-list")).status_code == 200
    statements = [q["sql"] for q in queries]

    def count(text: str) -> int:
        return sum(text in sql for sql in statements)

    assert count('FROM "django_session"') == 1
    assert count('"olteams_user"."password"') == 1  # the user's own row
    assert count('FROM "otp_static_staticdevice"') == 1
    # The access facts and the devices come with the user's row (a GET): no statements of
    # their own.
    assert count('FROM "olteams_membership"') == 1
    user_row = next(s for s in statements if '"password"' in s)
    assert 'FROM "olteams_membership"' in user_row
    assert 'FROM "otp_static_staticdevice"' in user_row
    assert 'FROM "otp_totp_totpdevice"' in user_row


def test_the_devices_read_with_the_user_are_the_orms_and_refuse_what_it_refuses(member):
    """On a GET the signed-in user's devices come with the user's row (``remember_devices``):
    the device of the session is the ORM's instance, field for field; another user's device
    or an unknown one is nobody, as django-otp ends up with; without a request cache (a
    write request) the device is read on its own."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from olteams import request_cache

    now = timezone.now()
    totp = TOTPDevice.objects.create(
        user=member,
        name="telefoon",
        throttling_failure_count=2,
        throttling_failure_timestamp=now.replace(microsecond=654321),
        last_used_at=now,
        drift=-1,
        last_t=123456789,
    )
    static = StaticDevice.objects.create(user=member, name="codes", confirmed=False)
    theirs = StaticDevice.objects.create(user=UserFactory(), name="van een ander")
    middleware = OTPMiddleware(lambda request: None)
    backend = StaffModelBackend()
    with request_cache.request_cache(), CaptureQueriesContext(connection) as queries:
        assert backend.get_user(member.pk) == member
        found = {
            device: middleware._device_from_persistent_id(device.persistent_id)
            for device in (totp, static, theirs)
        }
        unknown = middleware._device_from_persistent_id(f"otp_totp.totpdevice/{totp.pk + 99}")
    assert len(queries.captured_queries) == 1  # the user's row, devices included
    assert _state([found[totp]]) == _state([TOTPDevice.objects.get(pk=totp.pk)])
    assert _state([found[static]]) == _state([StaticDevice.objects.get(pk=static.pk)])
    assert found[theirs] is None and unknown is None
    with CaptureQueriesContext(connection) as queries:
        alone = middleware._device_from_persistent_id(theirs.persistent_id)
    assert alone == theirs and len(queries.captured_queries) == 1


def test_the_otp_middleware_gives_the_verified_user_itself_not_a_proxy(member, rf):
    """``request.user`` after the middleware is the user (no lazy proxy), verified with the
    session's device; without a session the anonymous user, read without a query."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import LazyObject

    seen = {}

    def view(request):
        seen["user"] = request.user
        return None

    chain = AuthenticationMiddleware(OTPMiddleware(view))
    http = verified_client(member)
    request = rf.get("/")
    request.session = SessionStore(http.session.session_key)
    chain(request)
    user = seen["user"]
    assert not isinstance(user, LazyObject)
    assert type(user) is type(member) and user.pk == member.pk
    assert user.is_verified() and user.otp_device.user_id == member.pk

    request = rf.get("/")
    request.session = SessionStore()
    with CaptureQueriesContext(connection) as queries:
        chain(request)
    assert isinstance(seen["user"], AnonymousUser) and not seen["user"].is_verified()
    assert len(queries) == 0


class _Nested(serializers.Serializer):
    n = serializers.IntegerField()


class _Input(FlatFieldsSerializer):
    name = serializers.CharField(max_length=5)
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    tags = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    inner = _Nested(required=False)


class _PlainInput(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    tags = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    inner = _Nested(required=False)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "kees", "kind": "a", "tags": ["x"], "inner": {"n": 3}},
        {"name": "te lang", "kind": "c", "tags": ["xyz"], "inner": {"n": "x"}},
        {},
    ],
)
def test_flat_field_copies_validate_as_drfs_deep_copies(data):
    ours, drf = _Input(data=data), _PlainInput(data=data)
    assert ours.is_valid() == drf.is_valid()
    assert ours.errors == drf.errors
    assert (ours.validated_data if not ours.errors else None) == (
        drf.validated_data if not drf.errors else None
    )


def test_each_instance_binds_its_own_copies():
    first, second = _Input(data={}), _Input(data={})
    for name in ("name", "kind", "tags", "inner"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
        assert _Input._declared_fields[name].parent is None  # the class's own never bound
    # A field holding other fields is copied all the way down: its child is its own.
    assert first.fields["tags"].child is not second.fields["tags"].child
    assert first.fields["tags"].child.parent is first.fields["tags"]
    copies = copy_fields(_Input._declared_fields)
    assert copies["inner"].fields["n"] is not _Input._declared_fields["inner"].fields["n"]
