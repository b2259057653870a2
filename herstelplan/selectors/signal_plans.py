"""Reads of the signaleringsplan: versions, one version, the version in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import JSONField, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from clients.models import Client
from herstelplan.constants import PlanStatus
from herstelplan.models import SignalPlan, SignalPlanContact
from olteams.compiled import read_object
from olteams.request_cache import memo


def signal_plan_list(*, client: Client) -> QuerySet[SignalPlan]:
    """Every version of the client's signaleringsplan, newest first, with its contacts."""
    return (
        SignalPlan.objects.filter(client=client)
        .select_related("created_by", "updated_by", "agreed_recorded_by")
        .prefetch_related(
            Prefetch("contacts", queryset=SignalPlanContact.objects.order_by("position", "id"))
        )
        .order_by("-version")
    )


def signal_plan_get(*, client: Client, signal_plan_id: int | str) -> SignalPlan:
    """A version of this client's plan; another client's plan answers 404 like a missing one."""
    plan = (
        signal_plan_list(client=client).filter(pk=signal_plan_id).first()
        if str(signal_plan_id).isdigit()
        else None
    )
    if plan is None:
        raise Http404
    return plan


# The name of the annotation that reads the version in force with the client's own query.
IN_FORCE_ANNOTATION = "signal_plan_in_force_row"
_UNREAD = object()


def signal_plan_in_force(*, client: Client) -> SignalPlan | None:
    """The version in force (agreed by the client), read once per request: the frame header
    and the page share it. A client read with ``signal_plan_in_force_annotation()`` (the
    client file) brings it along, and no row is read here."""

    def read() -> SignalPlan | None:
        row = getattr(client, IN_FORCE_ANNOTATION, _UNREAD)
        if row is _UNREAD:
            return _in_force(client.pk)
        return _from_row(client, row)

    return memo(("herstelplan.signal_plan_in_force", client.pk), read)


def signal_plan_in_force_annotation() -> dict[str, RawSQL]:
    """``signal_plan_in_force_row`` for a client's own query: the version in force as a JSON
    array [id, version, agreed_on] (null for none), the columns ``_in_force`` reads."""
    table = connection.ops.quote_name(SignalPlan._meta.db_table)
    client = connection.ops.quote_name(Client._meta.db_table)
    return {
        IN_FORCE_ANNOTATION: RawSQL(  # noqa: S611 - table names only; values are parameters
            f"(SELECT jsonb_build_array(s.id, s.version, s.agreed_on) FROM {table} s "  # noqa: S608
            f"WHERE s.client_id = {client}.id AND s.status = %s ORDER BY s.version DESC LIMIT 1)",
            (PlanStatus.ACTIVE,),
            output_field=JSONField(),
        )
    }


def _from_row(client: Client, row: Any) -> SignalPlan | None:
    """The version in force from the annotation's value, as ``_in_force`` reads it (the same
    columns, the others deferred)."""
    if row is None:
        return None
    pk, version, agreed_on = row
    return SignalPlan.from_db(
        client._state.db,
        ["id", "client_id", "version", "status", "agreed_on"],
        [
            pk,
            client.pk,
            version,
            PlanStatus.ACTIVE,
            dt.date.fromisoformat(agreed_on) if agreed_on is not None else None,
        ],
    )


def _in_force(client_id: int) -> SignalPlan | None:
    # Compiled once per process (olteams.compiled): the frame header reads it on every
    # client page.
    return read_object(
        "herstelplan.signal_plan_in_force",
        SignalPlan,
        lambda client_id: (
            SignalPlan.objects.filter(client_id=client_id, status=PlanStatus.ACTIVE)
            .only("id", "client_id", "version", "status", "agreed_on")
            .order_by("-version")[:1]  # not the Meta ordering by client: that joins clients
        ),
        {"client_id": -987654321},
        {"client_id": client_id},
        exactly_once=["client_id"],
    )
