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


def _privacy_request(*, client, user):  # type: ignore[no-untyped-def]
    """An open correction request of the client, filed by a privacy officer (so filing
    gives ``user`` no new access)."""
    from clients.services.privacy_requests import file_request
    from tests.factories.olteams import UserFactory

    officer = UserFactory(is_privacy_officer=True)
    return file_request(
        client,
        kind="correctie",
        description="Het adres in mijn personalia klopt niet.",
        disputed="personalia",
        received_on=dt.date(2020, 1, 6),
        filed_via="brief",
        filed_by=officer,
        today=dt.date(2020, 1, 6),
    ).pk


KWARG_FACTORIES = {
    "clients:assignment-end": {"pk": _assignment},
    "clients:involved-end": {"pk": _involved},
    "clients:involved-party-update": {"pk": _party},
    "clients:involved-party-end": {"pk": _party},
    "clients:naaste-update": {"pk": _naaste},
    "clients:consent-withdraw": {"pk": _consent},
    "api:naaste-detail": {"pk": _naaste},
    "api:consent-withdraw": {"pk": _consent},
    "clients:privacy-request-detail": {"pk": _privacy_request},
    "clients:privacy-request-decide": {"pk": _privacy_request},
    "clients:privacy-request-extend": {"pk": _privacy_request},
    "clients:privacy-request-withdraw": {"pk": _privacy_request},
    "api:privacy-request-detail": {"pk": _privacy_request},
    "api:privacy-request-decide": {"pk": _privacy_request},
}
