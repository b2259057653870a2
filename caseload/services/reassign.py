"""Bulk reassignment: the team lead moves clients from one worker to another, with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from caseload.models import Reassignment
from clients.models import Assignment, Client
from clients.services import assignment_end, assignment_set
from clients.services.care_team import LEAD_ROLES
from olteams.access import active_on, team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, TeamRole
from olteams.models import Membership, Team, User

REASON_MAX = 300


def _check_input(
    *,
    actor: User,
    team: Team,
    from_worker: User | None,
    to_worker: User | None,
    client_ids: list[int],
    on: dt.date | None,
    reason: str,
) -> None:
    if team.pk not in team_ids_for(actor, roles=(TeamRole.LEAD,), today=on):
        raise PermissionDenied(_("Alleen de teamleider kan cliënten overdragen."))
    errors: dict[str, str] = {}
    if from_worker is None:
        errors["from_worker"] = _("Kies de medewerker van wie de cliënten komen.")
    if to_worker is None:
        errors["to_worker"] = _("Kies de medewerker naar wie de cliënten gaan.")
    elif from_worker is not None and to_worker.pk == from_worker.pk:
        errors["to_worker"] = _("Kies een andere medewerker dan de huidige.")
    elif on is not None and not (
        to_worker.is_active
        and Membership.objects.filter(active_on(on), team=team, user=to_worker).exists()
    ):
        errors["to_worker"] = _("%(name)s is op %(date)s geen actief lid van het team.") % {
            "name": to_worker.get_full_name() or to_worker.get_username(),
            "date": date_format(on, "SHORT_DATE_FORMAT"),
        }
    if not client_ids:
        errors["clients"] = _("Kies ten minste één cliënt.")
    if on is None:
        errors["on"] = _("Vul de datum van de overdracht in.")
    if not reason.strip():
        errors["reason"] = _("Vul de reden van de overdracht in.")
    elif len(reason.strip()) > REASON_MAX:
        errors["reason"] = _("De reden is te lang (hoogstens %(n)s tekens).") % {"n": REASON_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignments_reassign(
    *,
    actor: User,
    team: Team,
    from_worker: User | None,
    to_worker: User | None,
    client_ids: Iterable[Any],
    on: dt.date | None,
    reason: str,
) -> Reassignment:
    """Move the chosen clients of ``from_worker`` in ``team`` to ``to_worker`` from ``on``.

    Each of the from-worker's active assignments of those clients ends the day before
    ``on`` (as ``clients.services.assignment_set`` ends a replaced casemanager) and the
    to-worker gets the same role from ``on``. All or nothing: one client that cannot move
    (not the from-worker's, not in the team, a role the to-worker's discipline may not
    hold) stops the whole reassignment. One UPDATE audit event per client."""
    try:
        ids = sorted({int(pk) for pk in client_ids})
    except (TypeError, ValueError):
        raise ValidationError({"clients": _("Kies cliënten uit de lijst.")}) from None
    reason = reason or ""
    _check_input(
        actor=actor,
        team=team,
        from_worker=from_worker,
        to_worker=to_worker,
        client_ids=ids,
        on=on,
        reason=reason,
    )
    assert from_worker is not None and to_worker is not None and on is not None
    clients = list(
        Client.objects.select_for_update()
        .filter(pk__in=ids, team=team, merged_into__isnull=True)
        .order_by("pk")
    )
    assignments = list(
        Assignment.objects.select_for_update()
        .filter(
            active_on(on, start="start_date", end="end_date"),
            client_id__in=ids,
            client__team=team,
            worker=from_worker,
        )
        .select_related("client")
        .order_by("client_id", "role")
    )
    moving = {a.client_id for a in assignments}
    if len(clients) != len(ids) or moving != set(ids):
        raise ValidationError(
            {"clients": _("Niet alle gekozen cliënten zijn cliënten van deze medewerker.")}
        )
    for assignment in assignments:
        _move(actor, assignment, to_worker, on)
    record = Reassignment.objects.create(
        team=team,
        from_worker=from_worker,
        to_worker=to_worker,
        on=on,
        reason=reason.strip(),
        by=actor,
    )
    record.clients.set(clients)
    for client in clients:
        audit_record(
            user=actor,
            event_type=AuditEventType.UPDATE,
            client_id=client.pk,
            obj=record,
            detail=f"overgedragen van {from_worker.pk} naar {to_worker.pk}",
        )
    return record


def _move(actor: User, assignment: Assignment, to_worker: User, on: dt.date) -> None:
    if assignment.start_date >= on:
        raise ValidationError(
            {
                "on": _("%(client)s is pas sinds %(date)s toegewezen; kies een latere datum.")
                % {
                    "client": assignment.client.full_name,
                    "date": date_format(assignment.start_date, "SHORT_DATE_FORMAT"),
                }
            }
        )
    # assignment_set ends an open casemanager/regiebehandelaar itself (the day before);
    # other roles may be held by several workers, so the from-worker's ends here.
    if assignment.end_date is None and assignment.role not in LEAD_ROLES:
        assignment_end(actor=actor, assignment=assignment, end_date=on - dt.timedelta(days=1))
    elif assignment.end_date is not None:
        # Ends later than ``on`` (a planned end): it stops the day before ``on`` now.
        assignment.end_date = on - dt.timedelta(days=1)
        assignment.save(update_fields=["end_date"])
    assignment_set(
        actor=actor, client=assignment.client, worker=to_worker, role=assignment.role, start_date=on
    )
