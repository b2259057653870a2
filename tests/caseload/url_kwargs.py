"""URL kwargs of the caseload routes for the URL-audit walker (tests/olteams/test_url_audit.py).

Keyed by URL name: the logging routes and the page routes each add their own entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories.caseload import ContactFactory, CrisisFactory


def _crisis(*, client: Any, user: Any) -> int:
    """An open crisis of the client (the one a route already used, when there is one)."""
    existing = client.crises.filter(ended_on__isnull=True).first()
    return (existing or CrisisFactory(client=client, by=user)).pk


def _contact(*, client: Any, user: Any) -> int:
    """A contact of the client written by the probe user (its author may change it)."""
    existing = client.contacts.filter(author=user).first()
    return (existing or ContactFactory(client=client, author=user)).pk


def _appointment(*, client: Any, user: Any) -> int:
    """A planned appointment of the client with the probe user (who may change it)."""
    import datetime as dt

    from caseload.models import Appointment
    from caseload.services import appointment_plan

    existing = Appointment.objects.filter(client=client, state="gepland").first()
    if existing is not None:
        return existing.pk
    return appointment_plan(
        actor=user,
        client=client,
        starts_at=dt.datetime(2026, 3, 17, 10, tzinfo=dt.UTC),
        duration_minutes=45,
        kind="telefoon",
        place_kind="telefoon",
        workers=[user],
    )[0].pk


def _document(*, client: Any, user: Any) -> int:
    """A (non-clinical) document of the client, uploaded through the service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caseload.services import document_upload

    existing = client.documents.filter(deleted_at__isnull=True).first()
    return (
        existing
        or document_upload(
            actor=user,
            client=client,
            file=SimpleUploadedFile("notitie.pdf", b"%PDF-1.4\n%%EOF\n"),
            category="overig",
            title="Notitie",
            document_date=dt.date(2026, 1, 5),
        )
    ).pk


KWARG_FACTORIES: dict[str, Any] = {
    "document_id": _document,
    # logging
    "caseload:crisis-update": {"crisis_id": _crisis},
    "caseload:contact-update": {"contact_id": _contact},
    "appointment_id": _appointment,
    "api:caseload-crisis-detail": {"crisis_id": _crisis},
}
