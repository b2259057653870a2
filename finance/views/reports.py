"""Reports in the browser: ask for one, watch its progress (htmx), download the files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from finance.constants import ReportFormat, ReportStatus
from finance.models import ReportFile, ReportJob
from finance.services.reports import (
    can_use_reports,
    report_file_get,
    report_job_get,
    report_job_list,
    report_request,
)
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.forms import MonthField
from olteams.models import Team
from olteams.types import AuthenticatedHttpRequest


class ReportRequestForm(forms.Form):
    month = MonthField(label=_("Maand"), help_text=_("Bijvoorbeeld 2026-03."))
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=ReportFormat.choices,
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Alle teams en het totaal"),
    )


def _require(user: Any) -> None:
    if not can_use_reports(user):
        raise PermissionDenied


def _list_context(form: ReportRequestForm, user: Any) -> dict[str, Any]:
    return {"form": form, "jobs": report_job_list(user=user)}


@require_GET
def report_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Recent report jobs and the form to ask for a new one."""
    _require(request.user)
    return render(
        request, "finance/report_list.html", _list_context(ReportRequestForm(), request.user)
    )


@require_POST
def report_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request.user)
    form = ReportRequestForm(request.POST)
    if form.is_valid():
        try:
            job = report_request(
                actor=request.user,
                month=form.cleaned_data["month"],
                format=form.cleaned_data["format"],
                team=form.cleaned_data["team"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("finance:report-detail", job_id=job.pk)
    return render(
        request, "finance/report_list.html", _list_context(form, request.user), status=400
    )


@require_GET
def report_detail_view(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """The job's progress; htmx polls the status block while the worker runs."""
    try:
        job = report_job_get(user=request.user, job_id=job_id)
    except ReportJob.DoesNotExist:
        raise Http404 from None
    context = {
        "job": job,
        "files": list(job.files.defer("content").select_related("account__team")),
        "in_progress": job.status in (ReportStatus.PENDING, ReportStatus.RUNNING),
    }
    template = "finance/report_detail.html"
    if getattr(request, "htmx", False):
        template += "#report-status"
    return render(request, template, context)


@require_GET
def report_download_view(request: AuthenticatedHttpRequest, file_id: int) -> HttpResponse:
    try:
        file = report_file_get(user=request.user, file_id=file_id)
    except ReportFile.DoesNotExist:
        raise Http404 from None
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,
        obj=file,
        detail="financieel rapport gedownload",
    )
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
