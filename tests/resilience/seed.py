"""Seed the resilience stack: a controller and a steering-group member with verified sessions,
and four teams' month.

Run as ``python -m tests.resilience.seed`` with the stack's environment; prints JSON."""

from __future__ import annotations

import json

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

from olteams.models import User  # noqa: E402
from tests.factories.finance import build_team_month  # noqa: E402
from tests.factories.olteams import (  # noqa: E402
    ControllerRoleFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)
from tests.finance.report_helpers import MONTH  # noqa: E402


def main() -> None:
    organisation = OrganisationFactory(name="GGZ Veerkracht", short_name="GGZ-V")
    for number in range(1, 5):  # four teams and the consolidated account: five PDFs
        municipality = MunicipalityFactory(name=f"Gemeente {number}", cbs_code=f"80{number:02d}")
        team = TeamFactory(
            name=f"Team {number}", slug=f"team-{number}", municipalities=[municipality]
        )
        build_team_month(
            team=team, month=MONTH, organisation=organisation, municipality=municipality
        )
    user = ControllerRoleFactory(
        user=UserFactory(username="controller"), organisation=organisation
    ).user
    steering = UserFactory(username="stuurgroep", is_stuurgroep=True)
    print(
        json.dumps(
            {
                "session": _session(user),
                "steering_session": _session(steering),
                "month": MONTH.strftime("%Y-%m"),
            }
        )
    )


def _session(user: User) -> str:
    """A signed-in session with the second factor passed (a static backup device)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "olteams.backends.StaffModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)


if __name__ == "__main__":
    main()
