"""The functional administrator's retention pages (olteams.retention): the batches the daily
job found (and destruction requests), the review and confirmation of one batch, and the
report of what was removed and why as CSV. No page shows destroyed personal data: kinds,
counts and pseudonymous client ids only."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams import retention
from olteams.audit import audit_record
from olteams.constants import AuditEventType, RetentionBatchStatus, RetentionItemStatus
from olteams.forms import RetentionConfirmForm, RetentionRejectForm, add_service_errors
from olteams.models import RetentionBatch
from olteams.pagination import paginate
from olteams.selectors.retention import (
    retention_batch_items,
    retention_batch_list,
    retention_batch_summary,
)
from olteams.services.retention import retention_batch_confirm, retention_batch_reject
from olteams.types import AuthenticatedHttpRequest


def _require_functional_admin(request: AuthenticatedHttpRequest) -> None:
    if not (request.user.is_functional_admin and request.user.is_verified()):
        raise PermissionDenied


def retention_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every batch: the pending ones to review, then what was removed, when and why."""
    _require_functional_admin(request)
    batches = retention_batch_list()
    pending = list(batches.filter(status=RetentionBatchStatus.PENDING))
    page = paginate(request, batches.exclude(status=RetentionBatchStatus.PENDING))
    return render(
        request,
        "olteams/retention_list.html",
        {"pending": pending, "page": page, "kinds": retention.kinds()},
    )


def retention_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Review one batch (what, how many, why, which rule) and confirm or reject it."""
    _require_functional_admin(request)
    batch = get_object_or_404(RetentionBatch.objects.select_related("decided_by"), pk=pk)
    confirm_form = RetentionConfirmForm(prefix="confirm")
    reject_form = RetentionRejectForm(prefix="reject")
    status = 200
    form: RetentionConfirmForm | RetentionRejectForm
    if request.method == "POST":
        if request.POST.get("action") == "reject":
            reject_form = RetentionRejectForm(request.POST, prefix="reject")
            form, done = reject_form, _reject(request, batch, reject_form)
        else:
            confirm_form = RetentionConfirmForm(request.POST, prefix="confirm")
            form, done = confirm_form, _confirm(request, batch, confirm_form)
        if done:
            return redirect("olteams:retention-detail", pk=batch.pk)
        status = 400 if form.errors else 200
    items = list(retention_batch_items(batch))
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        obj=batch,
        client_ids=[i.client_id for i in items if i.client_id],
        detail="bewaartermijnbatch ingezien",
    )
    return render(
        request,
        "olteams/retention_detail.html",
        {
            "batch": batch,
            "summary": retention_batch_summary(batch),
            "items": items,
            "confirm_form": confirm_form,
            "reject_form": reject_form,
            "is_pending": batch.status == RetentionBatchStatus.PENDING,
            "kept": RetentionItemStatus.KEPT,
        },
        status=status,
    )


def _confirm(
    request: AuthenticatedHttpRequest, batch: RetentionBatch, form: RetentionConfirmForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        retention_batch_confirm(
            actor=request.user,
            batch_id=batch.pk,
            today=timezone.localdate(),
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("De batch is uitgevoerd. Het verslag staat hieronder."))
    return True


def _reject(
    request: AuthenticatedHttpRequest, batch: RetentionBatch, form: RetentionRejectForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        retention_batch_reject(
            actor=request.user, batch_id=batch.pk, note=form.cleaned_data["note"], request=request
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("De batch is afgewezen; er is niets verwijderd."))
    return True


CSV_HEADER = [
    "batch",
    "gevonden_op",
    "aanleiding",
    "status",
    "soort_gegevens",
    "regel",
    "handeling",
    "onderdelen",
    "records",
    "verwerkt",
    "bewaard",
    "overgeslagen",
    "beoordeeld_door",
    "beoordeeld_op",
    "reden_verzoek",
    "toelichting",
]


def retention_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The report as CSV: one row per batch and kind of record; counts, no personal data."""
    _require_functional_admin(request)
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,
        object_type="olteams.retentionbatch",
        detail="verslag bewaartermijnen geëxporteerd (CSV)",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bewaartermijnen.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    for batch in retention_batch_list().order_by("created_at", "id"):
        decided_at = timezone.localtime(batch.decided_at).isoformat() if batch.decided_at else ""
        for row in retention_batch_summary(batch):
            writer.writerow(
                [
                    batch.pk,
                    batch.found_on.isoformat(),
                    batch.get_kind_display(),
                    batch.get_status_display(),
                    str(row.label),
                    str(row.rule),
                    str(row.action_label),
                    row.objects,
                    row.records,
                    row.done,
                    row.kept,
                    row.skipped,
                    batch.decided_by.get_username() if batch.decided_by else "",
                    decided_at,
                    batch.request_reason,
                    batch.decision_note,
                ]
            )
    return response
