"""Outflow as a checklist: what is still open for the client, closed in one step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from caseload import services
from caseload.forms import OutflowForm
from caseload.selectors.outflow import outflow_checklist
from caseload.views.logging import _CreateAuditMixin, client_file_url
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest


class ClientOutflowView(_CreateAuditMixin, View):
    """GET: the checklist of what the outflow closes, and the form. POST: ``client_outflow``
    closes it all in one transaction; a refusal keeps every typed value (400)."""

    def _render(self, form: OutflowForm, status: int = 200) -> HttpResponse:
        on = form.cleaned_data.get("on") if hasattr(form, "cleaned_data") else None
        checklist = outflow_checklist(client=self.client, on=on or timezone.localdate())
        return render(
            self.request,
            "caseload/outflow_form.html",
            {"form": form, "client": self.client, "checklist": checklist},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        return self._render(OutflowForm(initial={"on": timezone.localdate()}))

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = OutflowForm(request.POST)
        if form.is_valid():
            data: dict[str, Any] = form.cleaned_data
            try:
                services.client_outflow(actor=request.user, client=self.client, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("De uitstroom is vastgelegd; alles wat nog openstond, is afgesloten."),
                )
                return redirect(client_file_url(self.client.pk))
        return self._render(form, status=400)
