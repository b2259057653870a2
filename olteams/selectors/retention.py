"""Reads of retention batches (olteams.retention): the review page and the report. They
name records by kind, count and pseudonymous client id only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from olteams import retention
from olteams.constants import RetentionAction, RetentionItemStatus
from olteams.models import RetentionBatch, RetentionItem


@dataclass(frozen=True)
class KindSummary:
    key: str
    label: Any
    rule: Any
    action: str
    action_label: Any
    objects: int
    records: int
    done: int
    kept: int
    skipped: int
    first_due: Any


def retention_batch_list() -> QuerySet[RetentionBatch]:
    return (
        RetentionBatch.objects.select_related("decided_by", "requested_by")
        .annotate(
            item_count=Count("items"),
            record_count=Sum("items__record_count"),
            done_count=Sum("items__done_count"),
            kept_count=Count("items", filter=Q(items__status=RetentionItemStatus.KEPT)),
        )
        .order_by("-created_at", "-id")
    )


def retention_batch_summary(batch: RetentionBatch) -> list[KindSummary]:
    """Per kind of record: what, how many, why (its rule and term), and what became of it."""
    rows = (
        RetentionItem.objects.filter(batch=batch)
        .values("kind", "action")
        .annotate(
            n_objects=Count("pk"),
            records=Sum("record_count"),
            done=Sum("done_count"),
            kept=Count("pk", filter=Q(status=RetentionItemStatus.KEPT)),
            skipped=Count("pk", filter=Q(status=RetentionItemStatus.SKIPPED)),
            first_due=Min("due_on"),
        )
    )
    order = {k.key: n for n, k in enumerate(retention.kinds())}
    summaries = []
    for row in sorted(rows, key=lambda r: (order.get(r["kind"], 999), r["kind"])):
        kind = retention.kind(row["kind"])
        summaries.append(
            KindSummary(
                key=row["kind"],
                label=kind.label if kind else row["kind"],
                rule=kind.rule if kind else "",
                action=row["action"],
                action_label=RetentionAction(row["action"]).label,
                objects=row["n_objects"],
                records=row["records"] or 0,
                done=row["done"] or 0,
                kept=row["kept"],
                skipped=row["skipped"],
                first_due=row["first_due"],
            )
        )
    return summaries


def retention_batch_items(batch: RetentionBatch) -> QuerySet[RetentionItem]:
    return batch.items.order_by("kind", "client_id", "object_id")
