"""What is still open for a client before outflow: the checklist the casemanager closes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from caseload.models import IntensityChange
from caseload.selectors.pages import intensity_in_force
from clients.models import CareEpisode, Client, InvolvedOrganisation
from herstelplan.constants import PlanStatus
from herstelplan.models import Plan
from olteams.constants import NotificationKind
from olteams.models import Notification
from wmo.constants import OPEN_STATUSES
from wmo.models import Indication, IndicationRequest

# The notices that ask the care team to act for a client: closed at outflow.
OPEN_NOTICE_KINDS = (NotificationKind.REMINDER, NotificationKind.TASK, NotificationKind.ESCALATION)


@dataclass
class OutflowChecklist:
    client: Client
    on: dt.date
    episode: CareEpisode | None
    requests: list[IndicationRequest] = field(default_factory=list)
    indications: list[Indication] = field(default_factory=list)
    plan: Plan | None = None
    intensity: IntensityChange | None = None
    organisations: list[InvolvedOrganisation] = field(default_factory=list)
    reminders: int = 0

    @property
    def open_items(self) -> int:
        return (
            len(self.requests)
            + len(self.indications)
            + (self.plan is not None)
            + (self.intensity is not None)
            + len(self.organisations)
            + self.reminders
        )


def open_requests(*, client: Client) -> list[IndicationRequest]:
    """Wmo requests not decided yet: drafts and those awaiting the municipality."""
    return list(
        IndicationRequest.objects.filter(client=client, status__in=OPEN_STATUSES)
        .select_related("product", "municipality")
        .order_by("created_at", "id")
    )


def running_indications(*, client: Client, on: dt.date) -> list[Indication]:
    """Indications still granted after ``on`` (open end or a later end)."""
    qs = Indication.objects.filter(client=client).exclude(end__lte=on)
    return list(qs.select_related("product").order_by("start", "id"))


def involved_organisations_open(*, client: Client, on: dt.date) -> list[InvolvedOrganisation]:
    qs = InvolvedOrganisation.objects.filter(client=client).exclude(end_date__lte=on)
    return list(qs.select_related("organisation").order_by("start_date", "id"))


def open_notice_count(*, client: Client) -> int:
    return Notification.objects.filter(
        client_id=client.pk, kind__in=OPEN_NOTICE_KINDS, read_at__isnull=True
    ).count()


def outflow_checklist(*, client: Client, on: dt.date) -> OutflowChecklist:
    """Everything the outflow on ``on`` will close. ``client`` comes from ``access_client``
    (the view checked CHANGE access and audited the read)."""
    return OutflowChecklist(
        client=client,
        on=on,
        episode=CareEpisode.objects.filter(client=client, ended_on__isnull=True).first(),
        requests=open_requests(client=client),
        indications=running_indications(client=client, on=on),
        plan=Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).first(),
        intensity=intensity_in_force(client=client, day=on),
        organisations=involved_organisations_open(client=client, on=on),
        reminders=open_notice_count(client=client),
    )
