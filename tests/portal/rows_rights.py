"""Permission rows of the client's rights pages: 'Wie heeft mijn dossier bekeken' (and its
PDF), 'Mijn naasten' (the page, a grant, a withdrawal, a naaste's BSN) and 'Mijn gegevens'
(the page and the inzage export as JSON and PDF). All are the client's own: a naaste is
refused, with or without grants."""

from __future__ import annotations

from olteams.audit import audit_record
from olteams.constants import AuditEventType
from tests.factories.clients import NaasteFactory, make_bsn
from tests.factories.olteams import UserFactory
from tests.portal.table import CLIENT_B, CLIENT_ONLY, NAASTE_B, PortalRoute, PortalWorld

READER = {"a": "Wilhelmina Leesgraag", "b": "Bartholomeus Kijklust"}


def _side(world: PortalWorld, role: str) -> str:
    return "b" if role in (CLIENT_B, NAASTE_B) else "a"


def _other(world: PortalWorld, role: str) -> str:
    return "a" if _side(world, role) == "b" else "b"


def prepare(world: PortalWorld) -> None:
    """A staff read of each client's file by a worker with a distinctive name, and a naaste
    of client B without any grant (client A has Nico Naaste for that)."""
    for side, client in (("a", world.client_a), ("b", world.client_b)):
        first, last = READER[side].split()
        reader = UserFactory(first_name=first, last_name=last)
        audit_record(user=reader, event_type=AuditEventType.READ, client_id=client.pk)
    world.extra["naaste_a_free"] = world.accounts["naaste_none"].naaste
    world.extra["naaste_b_free"] = NaasteFactory(client=world.client_b, name="Berend Zondergrant")
    world.extra["naaste_a_granted"] = world.accounts["naaste_granted"].naaste
    world.extra["naaste_b_granted"] = world.accounts["naaste_b"].naaste


def _shows_reader(world: PortalWorld, role: str, page: str) -> bool:
    return READER[_side(world, role)] in page


def _never_other_reader(world: PortalWorld, role: str, page: str) -> bool:
    return READER[_other(world, role)] in page


def _is_pdf(world: PortalWorld, role: str, page: str) -> bool:
    return page.startswith("%PDF")


def _own_naaste(world: PortalWorld, role: str, page: str) -> bool:
    return world.extra[f"naaste_{_side(world, role)}_granted"].name in page


def _other_naaste(world: PortalWorld, role: str, page: str) -> bool:
    other = _other(world, role)
    return any(world.extra[f"naaste_{other}_{k}"].name in page for k in ("granted", "free"))


def _own_name(world: PortalWorld, role: str, page: str) -> bool:
    return world.own_client(role).first_name in page


def _other_name(world: PortalWorld, role: str, page: str) -> bool:
    return world.other_client(role).first_name in page


def _grant(world: PortalWorld, role: str) -> dict[str, object]:
    naaste = world.extra[f"naaste_{_side(world, role)}_free"]
    return {"form": "toegang", "naaste": naaste.pk, "category": "plan", "action": "geven"}


def _withdraw(world: PortalWorld, role: str) -> dict[str, object]:
    naaste = world.extra[f"naaste_{_side(world, role)}_granted"]
    return {"form": "toegang", "naaste": naaste.pk, "category": "plan", "action": "intrekken"}


def _bsn(world: PortalWorld, role: str) -> dict[str, object]:
    naaste = world.extra[f"naaste_{_side(world, role)}_free"]
    return {"form": "bsn", "naaste": naaste.pk, "bsn": make_bsn(7)}


ROUTES = [
    PortalRoute("access-log", CLIENT_ONLY, shows=_shows_reader, never_shows=_never_other_reader),
    PortalRoute("access-log-pdf", CLIENT_ONLY, shows=_is_pdf),
    PortalRoute(
        "naasten",
        CLIENT_ONLY,
        case="geven",
        shows=_own_naaste,
        never_shows=_other_naaste,
        post=_grant,
    ),
    PortalRoute("naasten", CLIENT_ONLY, case="intrekken", post=_withdraw),
    PortalRoute("naasten", CLIENT_ONLY, case="bsn", post=_bsn),
    PortalRoute("gegevens", CLIENT_ONLY, shows=_own_name, never_shows=_other_name),
    PortalRoute("export-json", CLIENT_ONLY, shows=_own_name, never_shows=_other_name),
    PortalRoute("export-pdf", CLIENT_ONLY, shows=_is_pdf),
]
