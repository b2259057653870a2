"""Writes on granted indications by the team: ending one early (outflow, death)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from olteams.access import ClientAction, access_client
from olteams.models import User
from olteams.services import notifications_close
from wmo.constants import StopReason
from wmo.models import Indication

logger = logging.getLogger(__name__)


def indication_is_running(indication: Indication, on: dt.date) -> bool:
    """Still granted after ``on``: an open end, or an end after that day."""
    return indication.end is None or indication.end > on


@transaction.atomic
def indication_end(
    *, actor: User, indication: Indication, end_date: dt.date, reason: str
) -> Indication:
    """End the delivery of an indication on ``end_date`` with a WMO307 reason code
    (``StopReason``). An indication that would have run on is cut off; one that ends
    earlier keeps its own end. One that has not started yet by ``end_date`` ends on its
    start date, the shortest period the register allows. The casemanager's task to request
    a follow-up closes. The WMO307 stop message is recorded here."""
    indication = Indication.objects.select_for_update().get(pk=indication.pk)
    access_client(actor, indication.client_id, action=ClientAction.CHANGE)
    errors: dict[str, str] = {}
    if end_date is None:
        errors["end_date"] = _("Vul de einddatum in.")
    if reason not in StopReason.values:
        errors["reason"] = _("Kies een geldige reden van beëindiging.")
    if errors:
        raise ValidationError(errors)
    if not indication_is_running(indication, end_date):
        raise ValidationError({"end_date": _("Deze indicatie is op die datum al beëindigd.")})
    indication.end = max(end_date, indication.start)
    indication.end_reason = reason
    indication.save(update_fields=["end", "end_reason"])
    _stop_message(actor=actor, indication=indication, reason=reason)
    notifications_close(dedupe_keys=[f"wmo-expiry:{indication.pk}"])
    logger.info("wmo indication ended indication_id=%s reason=%s", indication.pk, reason)
    return indication


def _stop_message(*, actor: User, indication: Indication, reason: str) -> None:
    """Record the WMO307 for the ended indication. A message the schema refuses (the client
    has no BSN on record, say) must not block the outflow itself: it is logged, and the
    functional administrator sees the indication without a WMO307 in the register."""
    from wmo.iwmo import wmo307_record  # iwmo imports these services: imported on use

    if indication.end is None:  # indication_end always sets it; narrows the type
        return
    try:
        with transaction.atomic():
            wmo307_record(
                actor=actor, indication=indication, end_date=indication.end, reason=reason
            )
    except ValidationError as exc:
        logger.warning(
            "wmo307 not recorded indication_id=%s errors=%d", indication.pk, len(exc.messages)
        )
