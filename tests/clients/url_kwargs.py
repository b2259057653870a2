"""URL kwargs of the clients app's client-scoped routes, for tests/olteams/test_url_audit.py."""

from __future__ import annotations

import datetime as dt

from tests.factories.clients import (
    AssignmentFactory,
    ConsentFactory,
    InvolvedOrganisationFactory,
    NaasteFactory,
)


def _assignment(*, client, user):  # type: ignore[no-untyped-def]
    return AssignmentFactory(client=client, worker=user, start_date=dt.date(2020, 1, 1)).pk


def _involved(*, client, user):  # type: ignore[no-untyped-def]
    return InvolvedOrganisationFactory(client=client).pk


def _party(*, client, user):  # type: ignore[no-untyped-def]
    from clients.models import ExternalParty

    return ExternalParty.objects.create(
        client=client,
        name="Dagcentrum De Linde",
        kind="dagbesteding",
        activity="Vijf ochtenden dagbesteding in een prikkelarme groep",
        start_date=dt.date(2020, 1, 1),
    ).pk


def _naaste(*, client, user):  # type: ignore[no-untyped-def]
    return NaasteFactory(client=client).pk


def _consent(*, client, user):  # type: ignore[no-untyped-def]
    return ConsentFactory(client=client, recorded_by=user).pk


KWARG_FACTORIES = {
    "clients:assignment-end": {"pk": _assignment},
    "clients:involved-end": {"pk": _involved},
    "clients:involved-party-update": {"pk": _party},
    "clients:involved-party-end": {"pk": _party},
    "clients:naaste-update": {"pk": _naaste},
    "clients:consent-withdraw": {"pk": _consent},
    "api:naaste-detail": {"pk": _naaste},
    "api:consent-withdraw": {"pk": _consent},
}
