"""Permission rows of "Mijn team", "Mijn afspraken" and "Contacten met het team".

``prepare`` gives clients A and B each a care team, a coming appointment and a contact with
a report, all with names and words of their own; a visitor of A never reads B's and the
other way round."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.portal.care_data import appointment, care_worker, contact
from tests.portal.table import CLIENT_ONLY, GRANTED_ONLY, PortalRoute, PortalWorld

# Per client: the care worker's surname, the appointment's place, the contact's report.
MARKS = {
    "a": ("Aalderink", "Buurthuis De Aalscholver", "Annemiek wil weer gaan zwemmen."),
    "b": ("Bosscher", "Bibliotheek Brinkstraat", "Bertus zoekt een nieuwe woning."),
}


def prepare(world: PortalWorld) -> None:
    soon = timezone.now() + dt.timedelta(days=3)
    for key, client in (("a", world.client_a), ("b", world.client_b)):
        surname, place, note = MARKS[key]
        worker = care_worker(client, last_name=surname)
        appointment(client, worker, starts_at=soon, place=place)
        contact(client, worker, starts_at=timezone.now() - dt.timedelta(days=2), note=note)


def _key(world: PortalWorld, role: str, *, own: bool) -> str:
    client = world.own_client(role) if own else world.other_client(role)
    return "a" if client == world.client_a else "b"


def _shows(index: int):  # type: ignore[no-untyped-def]
    def shows(world: PortalWorld, role: str, page: str) -> bool:
        return MARKS[_key(world, role, own=True)][index] in page

    return shows


def _never_shows(world: PortalWorld, role: str, page: str) -> bool:
    other = world.other_client(role)
    return other.first_name in page or any(
        mark in page for mark in MARKS[_key(world, role, own=False)]
    )


ROUTES = [
    PortalRoute("team", CLIENT_ONLY, shows=_shows(0), never_shows=_never_shows),
    PortalRoute("appointments", GRANTED_ONLY, shows=_shows(1), never_shows=_never_shows),
    PortalRoute("contacts", GRANTED_ONLY, shows=_shows(2), never_shows=_never_shows),
]
