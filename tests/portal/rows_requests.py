"""Permission rows of the client's requests in 'Mijn gegevens': filing one (the client only)
and withdrawing an open one (the client whose request it is; another client's is not found)."""

from __future__ import annotations

import datetime as dt

from clients.constants import DisputedPart, FiledVia, PrivacyRequestKind
from clients.services.privacy_requests import file_request
from tests.portal.table import (
    CLIENT_A,
    CLIENT_B,
    CLIENT_ONLY,
    NAASTE_B,
    NAASTE_GRANTED,
    NAASTE_NONE,
    PortalRoute,
    PortalWorld,
    outcomes,
)


def prepare(world: PortalWorld) -> None:
    for side, client in (("a", world.client_a), ("b", world.client_b)):
        world.extra[f"request_{side}"] = file_request(
            client,
            kind=PrivacyRequestKind.CORRECTION,
            description=f"Mijn adres klopt niet ({side})",
            disputed=DisputedPart.PERSONALIA,
            received_on=dt.date(2026, 1, 5),
            filed_via=FiledVia.LETTER,
            filed_by_label="brief van de cliënt",
            today=dt.date(2026, 1, 5),
        )


def _new_request(world: PortalWorld, role: str) -> dict[str, object]:
    return {
        "kind": PrivacyRequestKind.ADDITION,
        "disputed": DisputedPart.HERSTELPLAN,
        "description": "Ik wil mijn eigen mening over mijn doel toevoegen.",
    }


def _own_request(world: PortalWorld, role: str, page: str) -> bool:
    side = "b" if role == CLIENT_B else "a"
    return f"Mijn adres klopt niet ({side})" in page


def _other_request(world: PortalWorld, role: str, page: str) -> bool:
    side = "a" if role == CLIENT_B else "b"
    return f"Mijn adres klopt niet ({side})" in page


ROUTES = [
    PortalRoute(
        "request-create",
        CLIENT_ONLY,
        shows=_own_request,
        never_shows=_other_request,
        post=_new_request,
    ),
    PortalRoute(
        "request-withdraw",
        outcomes(ok=(CLIENT_A,), e404=(CLIENT_B,), e403=(NAASTE_GRANTED, NAASTE_NONE, NAASTE_B)),
        kwargs=lambda w: {"pk": w.extra["request_a"].pk},
        shows=_own_request,
        never_shows=_other_request,
        post=lambda w, role: {},
    ),
]
