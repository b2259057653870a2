"""Shared fixtures: a small organisation with one user per role, signed-in clients."""

from __future__ import annotations

import os
import shutil

import pytest
from django.test import Client as HttpClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from olteams.constants import Discipline, OrganisationKind, TeamRole
from tests.factories.olteams import (
    ControllerRoleFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- database roles (olteams/db.py) ---------------------------------------------------------
# The test database is created and migrated as the owner role; the tests then run as the
# runtime role, so what the runtime role may not do (TRUNCATE the audit log...) is refused.
_RUNTIME_CREDENTIALS: dict[str, object] = {}


def _use_credentials(credentials: dict[str, object]) -> None:
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict.update({k: v for k, v in credentials.items() if v not in (None, "")})


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    from django.db import connections

    from olteams.db import owner_credentials, split_active

    if split_active():
        settings_dict = connections["default"].settings_dict
        _RUNTIME_CREDENTIALS.update({k: settings_dict.get(k) for k in ("USER", "PASSWORD")})
        _use_credentials(owner_credentials() or {})


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from olteams.db import grant_runtime, owner_credentials

    if _RUNTIME_CREDENTIALS:
        with django_db_blocker.unblock():
            grant_runtime("default", str(_RUNTIME_CREDENTIALS["USER"]))
        _use_credentials(_RUNTIME_CREDENTIALS)
    yield
    if _RUNTIME_CREDENTIALS:  # dropping the test database (without --reuse-db) is the owner's
        _use_credentials(owner_credentials() or {})


@pytest.fixture(autouse=True)
def _clear_cache(request):
    from django.core.cache import cache

    cache.clear()
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        # A transactional test empties the tables and restores them afterwards: the
        # content types may come back under other ids than this process has cached (seen
        # as an admin-log insert refused by its foreign key in the next test).
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture
def org_ggz(db):
    return OrganisationFactory(
        name="GGZ Testregio", short_name="GGZ-T", kind=OrganisationKind.GGZ, agb_code="12345678"
    )


@pytest.fixture
def org_welzijn(db):
    return OrganisationFactory(
        name="Welzijn Testregio", short_name="WZ-T", kind=OrganisationKind.WELZIJN
    )


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Testgemeente", cbs_code="9001")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Andere gemeente", cbs_code="9002")


@pytest.fixture
def team(db, municipality):
    return TeamFactory(name="Team Noord", slug="team-noord", municipalities=[municipality])


@pytest.fixture
def other_team(db, other_municipality):
    return TeamFactory(name="Team Zuid", slug="team-zuid", municipalities=[other_municipality])


@pytest.fixture
def member(team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="lid"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.CASEMANAGER,
    ).user


@pytest.fixture
def welfare_member(team, org_welzijn):
    return MembershipFactory(
        user=UserFactory(username="welzijn"),
        team=team,
        organisation=org_welzijn,
        discipline=Discipline.WELZIJNSWERKER,
    ).user


@pytest.fixture
def lead(team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="leider"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.PROJECTLEIDER,
        role=TeamRole.LEAD,
    ).user


@pytest.fixture
def secretary(team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="secretariaat"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.SECRETARIAAT,
        role=TeamRole.SECRETARIAAT,
    ).user


@pytest.fixture
def outsider(other_team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="buitenstaander"), team=other_team, organisation=org_ggz
    ).user


@pytest.fixture
def consultant(municipality):
    return MunicipalityRoleFactory(
        user=UserFactory(username="consulent"), municipality=municipality
    ).user


@pytest.fixture
def consultant_lead(municipality):
    return MunicipalityRoleFactory(
        user=UserFactory(username="consulentlead"), municipality=municipality, is_lead=True
    ).user


@pytest.fixture
def controller(org_ggz):
    return ControllerRoleFactory(user=UserFactory(username="controller"), organisation=org_ggz).user


@pytest.fixture
def stuurgroep_user(db):
    return UserFactory(username="stuurgroep", is_stuurgroep=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="beheerder", is_functional_admin=True, is_staff=True, is_superuser=False
    )


def verified_client(user) -> HttpClient:
    """A test browser signed in with password and a passed second factor."""
    http = HttpClient(REMOTE_ADDR="127.0.0.1")
    http.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return http


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The world of the module's permission table, built once (tests/permissions.py,
    ``shared_world``)."""
    from tests.permissions import build_module_world

    yield from build_module_world(request, django_db_blocker)


@pytest.fixture
def login():
    return verified_client


# --- browser tests --------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The smallest common office screen: no journey page may scroll sideways on it.
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1366, "height": 768},
    }
