"""Retention batches (olteams.retention): what passed its term, waiting for a functional
administrator's confirmation, and afterwards the record of what was removed and why.

A batch names records by kind and id only, never by name or content: the report of what was
destroyed must not itself keep the destroyed personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from olteams.constants import (
    RetentionAction,
    RetentionBatchKind,
    RetentionBatchStatus,
    RetentionItemStatus,
)


class RetentionBatch(models.Model):
    kind = models.CharField(
        _("aanleiding"),
        max_length=10,
        choices=RetentionBatchKind.choices,
        default=RetentionBatchKind.TERM,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RetentionBatchStatus.choices,
        default=RetentionBatchStatus.PENDING,
    )
    found_on = models.DateField(_("gevonden op"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    # A destruction request: who granted it, why, and the request in the register
    # (clients.PrivacyRequest; by id, olteams imports no app).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verzoek toegekend door"),
    )
    request_reason = models.CharField(_("reden van het verzoek"), max_length=500, blank=True)
    privacy_request_id = models.BigIntegerField(_("privacyverzoek"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decision_note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bewaartermijnbatch")
        verbose_name_plural = _("bewaartermijnbatches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RetentionBatchStatus.PENDING)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="retentionbatch_decided_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.found_on:%Y-%m-%d} ({self.get_status_display()})"


class RetentionItem(models.Model):
    """One object of one kind (olteams.retention.RecordKind): a client's records of an app,
    or the audit log up to an event number."""

    batch = models.ForeignKey(RetentionBatch, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("soort gegevens"), max_length=60)
    object_id = models.BigIntegerField(_("object-id"))
    # The client's id (pseudonymous once the client is anonymised); none for the audit log.
    client_id = models.BigIntegerField(_("cliënt-id"), null=True, blank=True)
    action = models.CharField(_("handeling"), max_length=10, choices=RetentionAction.choices)
    due_on = models.DateField(_("termijn verstreken op"), null=True, blank=True)
    record_count = models.PositiveIntegerField(_("aantal records"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RetentionItemStatus.choices,
        default=RetentionItemStatus.PENDING,
    )
    kept_reason = models.CharField(_("reden bewaren"), max_length=300, blank=True)
    done_count = models.PositiveIntegerField(_("verwerkt"), default=0)

    class Meta:
        verbose_name = _("bewaartermijnregel")
        verbose_name_plural = _("bewaartermijnregels")
        ordering = ["batch", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kind", "object_id"], name="retentionitem_once_per_batch"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="retentionitem_kind_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class AuditChainAnchor(models.Model):
    """The link a purge of the oldest audit events leaves behind: the number and hash of the
    last removed event, so the chain still verifies from the new first event. Written only
    by the database function ``olteams_audit_purge`` (the runtime role may only read)."""

    last_seq = models.BigIntegerField(unique=True)
    last_hash = models.CharField(max_length=64)
    removed = models.BigIntegerField()
    batch_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("ankerpunt auditlog")
        verbose_name_plural = _("ankerpunten auditlog")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"tot en met {self.last_seq}"
