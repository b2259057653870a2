"""Outflow as one step: the episode ends and everything that belongs to the care period
closes with it, each through the service of the app that owns it.

The orchestration sits here because caseload is the highest clinical app that needs every
part (clients, herstelplan, wmo and its own intensity); no lower app reaches up."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caseload.constants import OUTFLOW_STOP_REASONS
from caseload.selectors.outflow import OPEN_NOTICE_KINDS, outflow_checklist
from caseload.services._common import check_day, raise_if, today_or
from caseload.services.events import intensity_end
from caseload.services.tasks import tasks_close_for_client
from clients.constants import OutflowReason
from clients.models import Client
from clients.services import episode_outflow, involved_organisation_end
from herstelplan.services import plan_archive
from olteams.access import require_client
from olteams.models import User
from olteams.services import notifications_close
from wmo.constants import RequestStatus
from wmo.services import indication_end, request_delete, request_withdraw

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutflowResult:
    requests_withdrawn: int
    indications_ended: int
    plan_archived: bool
    intensity_ended: bool
    organisations_ended: int
    notices_closed: int


def _check(on: dt.date, reason: str, today: dt.date) -> None:
    errors: dict[str, str] = {}
    check_day(errors, "on", on, today)
    if not reason:
        errors["reason"] = _("Kies een reden van uitstroom.")
    elif reason not in OutflowReason.values:
        errors["reason"] = _("Kies een geldige reden van uitstroom.")
    raise_if(errors)


@transaction.atomic
def client_outflow(
    *,
    actor: User,
    client: Client,
    on: dt.date,
    reason: str,
    destination: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> OutflowResult:
    """Close the client's care period on ``on`` in one transaction: withdraw every Wmo
    request awaiting a decision (it leaves the consultant's inbox), delete drafts never
    sent, end every running indication
    on ``on`` with the matching WMO307 reason, archive the plan in force, end the care
    intensity and the involved organisations, close the reminders and tasks about the
    client, and end the episode and the care team (``episode_outflow``). Death is an outflow
    reason like any other and closes the same. Any refusal undoes everything."""
    day = today_or(today)
    require_client(actor, client)
    _check(on, reason, day)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one outflow at a time
    todo = outflow_checklist(client=client, on=on)
    if todo.episode is None:
        raise ValidationError({"on": _("Deze cliënt heeft geen lopende zorgperiode.")})
    for request in todo.requests:
        if request.status == RequestStatus.CONCEPT:  # never sent: the draft goes
            request_delete(actor=actor, request=request)
        else:
            request_withdraw(actor=actor, request=request)
    stop_reason = OUTFLOW_STOP_REASONS[reason]
    for indication in todo.indications:
        indication_end(actor=actor, indication=indication, end_date=on, reason=stop_reason)
    if todo.plan is not None:
        plan_archive(actor=actor, plan=todo.plan, on=on, note=str(OutflowReason(reason).label))
    ended = intensity_end(actor=actor, client=client, end_date=on, today=day)
    for involved in todo.organisations:
        involved_organisation_end(
            actor=actor, involved=involved, end_date=max(on, involved.start_date)
        )
    closed = notifications_close(client_id=client.pk, kinds=OPEN_NOTICE_KINDS)
    tasks_close_for_client(client=client, actor=actor)
    # last: it ends the care team, through whom a worker of another team may have access
    episode_outflow(
        actor=actor,
        episode=todo.episode,
        on=on,
        reason=reason,
        destination=destination,
        note=note,
        today=day,
    )
    logger.info("client outflow client_id=%s reason=%s", client.pk, reason)
    return OutflowResult(
        requests_withdrawn=len(todo.requests),
        indications_ended=len(todo.indications),
        plan_archived=todo.plan is not None,
        intensity_ended=ended is not None,
        organisations_ended=len(todo.organisations),
        notices_closed=closed,
    )
