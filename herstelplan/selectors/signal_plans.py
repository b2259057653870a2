"""Reads of the signaleringsplan: versions, one version, the version in force."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
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


def signal_plan_in_force(*, client: Client) -> SignalPlan | None:
    """The version in force (agreed by the client), read once per request: the frame header
    and the page share it."""
    return memo(("herstelplan.signal_plan_in_force", client.pk), lambda: _in_force(client.pk))


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
