"""A client's destruction request (AVG art. 17, Wgbo art. 7:455), once granted in the
privacy request register: the batch a functional administrator confirms (olteams.retention)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from clients.retention import client_in_care
from olteams.models import RetentionBatch, User
from olteams.services.retention import retention_request_batch


def destroy_client_file(
    client: Client,
    *,
    reason: str,
    confirmed_by: User,
    privacy_request_id: int | None = None,
    today: dt.date | None = None,
) -> RetentionBatch:
    """Make the pending retention batch for one client's granted destruction request.

    ``confirmed_by`` is who granted the request; the records are only removed when a
    functional administrator confirms the batch (``retention_batch_confirm``). The term does
    not apply; what the law keeps anyway (the municipality's Wmo requests, decisions and
    indications within their term, and then the name and BSN with them) is listed as kept,
    with the reason. Refused while the client is in care: close the care episode first."""
    if client_in_care(client.pk):
        raise ValidationError(
            _(
                "De cliënt is nog in zorg. Sluit eerst de zorgperiode af; daarna kan het "
                "dossier worden vernietigd."
            )
        )
    if client.anonymised_on is not None:
        raise ValidationError(_("Het dossier van deze cliënt is al geanonimiseerd."))
    return retention_request_batch(
        client_id=client.pk,
        requested_by=confirmed_by,
        reason=reason,
        today=today or timezone.localdate(),
        privacy_request_id=privacy_request_id,
    )
