"""Shared base of the herstelplan pages: one client, clinical access, one audit event."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from olteams.access import ClientAction
from olteams.audit import ClientScopedMixin
from olteams.consent import RecordConsentMixin
from olteams.constants import AuditEventType
from olteams.types import AuthenticatedHttpRequest


class ClinicalView(ClientScopedMixin, RecordConsentMixin, View):
    """Reads need VIEW_CLINICAL; pages that change data set ``client_action`` to CHANGE_CLINICAL.
    A page of one kind of record sets ``record_kind``: without the client's consent for the
    worker's organisation it shows only the explanation (``olteams.consent``).

    A POST is audited as ``post_event_type`` (create by default, update for edits)."""

    client_action = ClientAction.VIEW_CLINICAL
    post_event_type: str = AuditEventType.CREATE
    template_name = ""
    section = ""
    request: AuthenticatedHttpRequest

    @property
    def audit_event_type(self) -> str:  # type: ignore[override]
        return self.post_event_type if self.request.method == "POST" else AuditEventType.READ

    def render(
        self, request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"client": self.client, "section": self.section, **context},
            status=status,
        )
