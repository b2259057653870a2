"""Retention of the Wmo records (olteams.retention): requests, decisions (beschikkingen),
indications, meldingen and iWmo messages are kept as long as the municipality's rule says:
``Municipality.wmo_retention_years`` (15 years by default, DOMAIN.md) after the last of the
client's indications ended (or the decision, request, melding or message, when no
indication followed). An indication without an end date keeps everything; so does care.

While the term runs, the client's name and BSN stay with these records even when the medical
file is destroyed (``identity_hold``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from clients.models import CareEpisode
from clients.retention import client_in_care
from olteams import retention
from olteams.constants import RetentionAction
from wmo.models import (
    Decision,
    GoalReview,
    Indication,
    IndicationRequest,
    IwmoMessage,
    Melding,
)

_OPEN = dt.date.max  # an indication without an end: never past its term


def _dated_rows(client_ids: list[int] | None) -> list[tuple[int, dt.date, int]]:
    """(client, day the term counts from, the municipality's years) for every Wmo record."""
    scope = {} if client_ids is None else {"client_id__in": client_ids}
    years = "municipality__wmo_retention_years"
    rows: list[tuple[int, dt.date, int]] = []
    for client_id, end, n in Indication.objects.filter(**scope).values_list(
        "client_id", "end", years
    ):
        rows.append((client_id, end or _OPEN, n))
    rows += Decision.objects.filter(
        **{k.replace("client_id", "request__client_id"): v for k, v in scope.items()}
    ).values_list("request__client_id", "decided_on", years)
    rows += [
        (c, created.date(), n)
        for c, created, n in IndicationRequest.objects.filter(**scope).values_list(
            "client_id", "created_at", years
        )
    ]
    rows += Melding.objects.filter(**scope).values_list("client_id", "reported_on", years)
    rows += [
        (c, created.date(), n)
        for c, created, n in IwmoMessage.objects.filter(**scope)
        .filter(client_id__isnull=False)
        .values_list("client_id", "created_at", years)
    ]
    return rows


def wmo_due(client_ids: list[int] | None = None) -> dict[int, tuple[dt.date | None, int]]:
    """Per client with Wmo records: the day their term passes (None: an open indication)
    and the number of records."""
    due: dict[int, dt.date | None] = {}
    counts: Counter[int] = Counter()
    for client_id, day, years in _dated_rows(client_ids):
        this = None if day == _OPEN else retention.years_after(day, years)
        before = due.get(client_id, dt.date.min) if counts[client_id] else dt.date.min
        counts[client_id] += 1
        due[client_id] = None if this is None or before is None else max(before, this)
    return {c: (due[c], counts[c]) for c in due}


def _expired(today: dt.date) -> list[retention.Candidate]:
    in_care = set(
        CareEpisode.objects.filter(ended_on__isnull=True).values_list("client_id", flat=True)
    )
    return [
        retention.Candidate(object_id=c, client_id=c, due_on=day, record_count=n)
        for c, (day, n) in sorted(wmo_due().items())
        if day is not None and day <= today and c not in in_care
    ]


def identity_hold(client_id: int, today: dt.date) -> str:
    """Why the client's identity stays: Wmo records still within the municipality's term."""
    day, n = wmo_due([client_id]).get(client_id, (today, 0))
    if n and (day is None or day > today):
        return gettext_now(
            "De gemeente moet de Wmo-aanvragen, besluiten en indicaties van deze cliënt "
            "bewaren (bewaartermijn van de gemeente)."
        )
    return ""


def _for_client(client_id: int, today: dt.date) -> list[retention.Candidate]:
    if client_in_care(client_id):
        return []
    found = wmo_due([client_id]).get(client_id)
    if not found:
        return []
    day, n = found
    kept = identity_hold(client_id, today)
    return [
        retention.Candidate(
            object_id=client_id, client_id=client_id, due_on=day, record_count=n, kept_reason=kept
        )
    ]


def _destroy(client_ids: list[int]) -> int:
    steps = [
        IwmoMessage.objects.filter(
            Q(client_id__in=client_ids) | Q(indication__client_id__in=client_ids)
        ),
        GoalReview.objects.filter(melding__client_id__in=client_ids),
        Melding.objects.filter(client_id__in=client_ids),
        Indication.objects.filter(client_id__in=client_ids),
        Decision.objects.filter(request__client_id__in=client_ids),
        IndicationRequest.objects.filter(client_id__in=client_ids),
    ]
    n = 0
    for queryset in steps:
        n += queryset.delete()[1].get(queryset.model._meta.label, 0)
    return n


def register() -> None:
    retention.register_kind(
        retention.RecordKind(
            key="wmo.records",
            label=_("Wmo-meldingen, aanvragen, besluiten, indicaties en iWmo-berichten"),
            rule=_(
                "De bewaartermijn van de gemeente (standaard 15 jaar) na het einde van de "
                "laatste indicatie of, zonder indicatie, na het besluit"
            ),
            action=RetentionAction.DESTROY,
            order=30,
            expired=_expired,
            apply=_destroy,
            for_client=_for_client,
        )
    )
    retention.register_identity_hold(identity_hold)
