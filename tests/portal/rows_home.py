"""Permission rows of the portal's start page."""

from __future__ import annotations

from tests.portal.table import EVERYONE_OWN, PortalRoute


def _own_name(world, role, page):
    return world.own_client(role).first_name in page


def _other_name(world, role, page):
    return world.other_client(role).first_name in page


ROUTES = [PortalRoute("home", EVERYONE_OWN, shows=_own_name, never_shows=_other_name)]
