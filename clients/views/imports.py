"""Spreadsheet import: upload (dry run first), progress polled by htmx, per-row outcome."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clients.constants import IMPORT_ASYNC_ROWS
from clients.forms import ImportForm
from clients.imports import ImportFileError, import_job_create, import_run, uncompressed_size
from clients.models import ImportJob
from clients.tasks import import_run_task
from clients.views._base import member_teams
from olteams.access import can_export, team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, TeamRole
from olteams.outbox import send_on_commit
from olteams.types import AuthenticatedHttpRequest

# Above this many unpacked bytes an import goes to the worker (an XLSX of 200 rows is ~60 KB).
IMPORT_INLINE_BYTES = 512 * 1024


def _start(job: ImportJob) -> None:
    """Small files run now; large ones in a Celery worker after the commit."""
    content = bytes(job.content)
    try:  # judged by what the file holds once unpacked, not by its compressed size
        size = uncompressed_size(content, job.filename)
    except ImportFileError:
        size = 0  # unreadable: the inline run fails the job with the reason
    if content.count(b"\n") > IMPORT_ASYNC_ROWS or size > IMPORT_INLINE_BYTES:
        send_on_commit(ImportJob, job.pk, import_run_task, [job.pk])
    else:
        import_run(job_id=job.pk)


def import_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file for a dry run; from a finished dry run, start the real import."""
    if not can_export(request.user):  # lead and secretariaat manage the team's lists
        raise PermissionDenied
    source = request.POST.get("van_proef")
    if request.method == "POST" and source:
        dry = get_object_or_404(ImportJob, pk=source, dry_run=True, created_by=request.user)
        job = import_job_create(
            actor=request.user,
            team=dry.team,
            filename=dry.filename,
            content=bytes(dry.content),
            dry_run=False,
            skip_invalid=dry.skip_invalid,
        )
        audit_record(
            user=request.user,
            event_type=AuditEventType.CREATE,
            request=request,  # type: ignore[arg-type]
            obj=job,
            detail="import gestart",
        )
        _start(job)
        return redirect("clients:import-detail", job_id=job.pk)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        teams=member_teams(request.user, roles=(TeamRole.LEAD, TeamRole.SECRETARIAAT)),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_create(
            actor=request.user,
            team=form.cleaned_data["team"],
            filename=upload.name,
            content=upload.read(),
            dry_run=True,
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        _start(job)
        return redirect("clients:import-detail", job_id=job.pk)
    return render(
        request, "clients/import_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def import_detail_view(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id, team_id__in=team_ids_for(request.user))  # type: ignore[arg-type]
    results = job.results or []
    context = {
        "job": job,
        "errors": [r for r in results if not r["ok"]],
        "valid": sum(1 for r in results if r["ok"]),
        "results": results,
    }
    template = "clients/import_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#import-status"
    return render(request, template, context)
