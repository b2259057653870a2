"""Writes on granted indications by the team: the start of delivery (WMO305), op- en
afschalen (WMO317) and ending one early (outflow, death; WMO307)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams.access import ClientAction, access_client, active_on
from olteams.models import User
from olteams.services import notifications_close
from wmo.constants import ChangeReason, Frequency, StopReason
from wmo.models import Indication, IwmoMessage

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


def indication_care_start(
    *, actor: User, client_id: int, day: dt.date, today: dt.date | None = None
) -> list[IwmoMessage]:
    """Support is delivered on ``day`` (a Wmo-funded contact): record the WMO305 'start
    Wmo-ondersteuning' of each indication in force that day that has none yet, with
    ``day`` as Begindatum. iWmo reports the start of delivery, so the first delivered
    contact counts, not the care period or the toewijzing's start. Once per indication: the
    indication row is locked, so two contacts logged at once record one message. A message
    the schema refuses (no BSN yet) does not block the contact: it is logged and the Wmo
    tab shows the indication without a start message."""
    from wmo.iwmo import wmo305_record  # iwmo imports these services: imported on use

    running = (
        Indication.objects.select_for_update()
        .filter(active_on(day, start="start", end="end"), client_id=client_id)
        .exclude(messages__message="WMO305")
        .order_by("pk")
    )
    recorded = []
    for indication in running:
        try:
            with transaction.atomic():
                recorded.append(
                    wmo305_record(actor=actor, indication=indication, start=day, today=today)
                )
        except ValidationError as exc:
            logger.warning(
                "wmo305 not recorded indication_id=%s errors=%d",
                indication.pk,
                len(exc.messages),
            )
    return recorded


def indication_change_request(
    *,
    actor: User,
    indication: Indication,
    start: dt.date | None,
    volume: int | None,
    frequency: str,
    reason: str,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> IwmoMessage:
    """Op- of afschalen of an indication: the team asks the municipality for another volume
    from ``start`` and the schema-valid WMO317 'verzoek om wijziging' is recorded. The
    indication itself stays as granted until the municipality answers (a WMO301)."""
    from wmo.iwmo import wmo317_record  # iwmo imports these services: imported on use

    access_client(actor, indication.client_id, action=ClientAction.CHANGE)
    day = today or timezone.localdate()
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = _("Vul de gewenste ingangsdatum in.")
    elif start < indication.start or (indication.end is not None and start > indication.end):
        errors["start"] = _("De gewenste ingangsdatum valt buiten de periode van de indicatie.")
    if end is not None and start is not None and end < start:
        errors["end"] = _("De einddatum ligt vóór de gewenste ingangsdatum.")
    if not isinstance(volume, int) or volume <= 0:
        errors["volume"] = _("De omvang moet een geheel getal groter dan 0 zijn.")
    elif volume == indication.volume and frequency == indication.frequency and end is None:
        errors["volume"] = _("Dit is de omvang die al is toegekend.")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Kies een geldige frequentie.")
    if reason not in ChangeReason.values:
        errors["reason"] = _("Kies een geldige reden van het verzoek.")
    if indication.end is not None and indication.end < day:
        errors["start"] = _("Deze indicatie is al beëindigd.")
    if errors:
        raise ValidationError(errors)
    assert start is not None and isinstance(volume, int)  # checked above; narrows the types
    message = wmo317_record(
        actor=actor,
        indication=indication,
        start=start,
        volume=volume,
        unit=indication.unit,
        frequency=frequency,
        end=end,
        reason=reason,
        today=day,
    )
    logger.info("wmo317 recorded indication_id=%s message_id=%s", indication.pk, message.pk)
    return message
