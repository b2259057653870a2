"""Report jobs: the accounts of a month rendered as PDF or XLSX by parallel Celery tasks.

A job is prepared once (drafts computed, ``total`` set), then one task per account renders
one ``ReportFile``. Each task adds one to ``done`` with ``F("done") + 1``; the task that
brings ``done`` to ``total`` finishes the job and notifies. Re-running any task does nothing
twice: a file that exists is not rendered again (``UniqueConstraint(job, account)``) and a
finished job is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.constants import AccountStatus, ReportFormat, ReportStatus
from finance.models import (
    AccountLine,
    BusinessCase,
    BusinessCaseLine,
    MonthlyAccount,
    ReportFile,
    ReportJob,
)
from finance.pdf import render_account_pdf
from finance.selectors.accounts import can_work_with_accounts
from finance.services.accounts import account_compute, accounts_compute_month
from finance.xlsx import render_account_xlsx
from olteams.constants import NotificationKind
from olteams.models import Team, User
from olteams.outbox import send_on_commit
from olteams.replica import on_replica
from olteams.services import notification_create

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def can_use_reports(user: Any) -> bool:
    """Controllers and functional administrators make and download reports."""
    return can_work_with_accounts(user)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(today: dt.date) -> dt.date:
    """The month the schedule reports on: the whole month before ``today``'s."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def report_request(
    *,
    actor: User,
    month: dt.date,
    format: str,
    team: Team | None = None,
    consolidated_only: bool = False,
) -> ReportJob:
    """Ask for a report of one month (all teams, or one team); a worker renders it."""
    if not can_use_reports(actor):
        raise PermissionDenied
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("Kies PDF of spreadsheet (XLSX).")})
    if team is not None and consolidated_only:
        raise ValidationError(
            {"team": _("Kies één team of alleen het totaal van alle teams, niet allebei.")}
        )
    with transaction.atomic():
        job = ReportJob.objects.create(
            month=first_of_month(month),
            format=format,
            team=team,
            consolidated_only=consolidated_only,
            requested_by=actor,
        )
        _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    """Send the job after the commit; when Redis is down the outbox sweep sends it later."""
    # Imported here: finance.tasks imports this module (tasks call services, not the reverse).
    from finance.tasks import report_job_start_task

    send_on_commit(ReportJob, job_id, report_job_start_task, [job_id])


def reports_monthly(*, today: dt.date) -> tuple[ReportJob, bool]:
    """The scheduled job of the previous month (PDF, every team and the consolidated one).

    Returns the job and whether it was created now; a second run finds the first one."""
    month = previous_month(today)
    with transaction.atomic():
        job, created = ReportJob.objects.get_or_create(
            month=month,
            format=ReportFormat.PDF,
            team=None,
            consolidated_only=False,
            requested_by=None,
        )
    return job, created


def _compute(job: ReportJob, now: dt.datetime) -> list[MonthlyAccount]:
    """Compute the drafts the job needs; closed accounts are rendered as they were frozen."""
    if job.team_id is None:
        accounts_compute_month(month=job.month, now=now)  # leaves closed accounts alone
    else:
        try:
            account_compute(team=job.team, month=job.month, now=now)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "closed":
                raise
    accounts = MonthlyAccount.objects.filter(month=job.month).select_related("team")
    if job.team_id is not None:
        accounts = accounts.filter(team_id=job.team_id)
    elif job.consolidated_only:
        accounts = accounts.filter(team__isnull=True)
    return sorted(accounts, key=lambda a: (a.team_id is None, a.team.name if a.team else ""))


def report_job_prepare(*, job_id: int, now: dt.datetime | None = None) -> list[int]:
    """Compute the drafts, set the job's total and return the accounts still to render.

    A finished or failed job returns nothing; a job prepared before (a repeated task) returns
    the accounts of its files-to-be without computing again."""
    moment = now or timezone.now()
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return []
        if job.status == ReportStatus.RUNNING and job.total:
            job.progress_at = moment
            job.save(update_fields=["progress_at"])
            return _remaining(job)
        try:
            accounts = _compute(job, moment)
        except (ValidationError, MonthlyAccount.DoesNotExist) as exc:
            _fail(job, "; ".join(getattr(exc, "messages", [str(exc)])))
            return []
        if not accounts:
            _fail(job, _("Er zijn geen verantwoordingen voor deze maand."))
            return []
        job.total, job.status, job.progress_at = len(accounts), ReportStatus.RUNNING, moment
        job.save(update_fields=["total", "status", "progress_at"])
    return [a.pk for a in accounts]


def _remaining(job: ReportJob) -> list[int]:
    """Accounts of a prepared job without a file yet (the same selection as ``_compute``)."""
    accounts = MonthlyAccount.objects.filter(month=job.month)
    if job.team_id is not None:
        accounts = accounts.filter(team_id=job.team_id)
    elif job.consolidated_only:
        accounts = accounts.filter(team__isnull=True)
    done = ReportFile.objects.filter(job=job).values("account_id")
    return list(accounts.exclude(pk__in=done).values_list("pk", flat=True))


def _fail(job: ReportJob, error: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportStatus.FAILED, error=error[:300], finished_at=timezone.now()
    )
    logger.warning("report job failed job=%s", job.pk)


def _render(job: ReportJob, account: MonthlyAccount, now: dt.datetime) -> tuple[bytes, str]:
    if job.format == ReportFormat.XLSX:
        return render_account_xlsx(account, now=now), "xlsx"
    return render_account_pdf(account, now=now), "pdf"


# What a rendering reads may come from the replica, once it has replayed everything written
# before (the drafts that report_job_prepare just computed): olteams.replica.
RENDER_MODELS = (MonthlyAccount, AccountLine, BusinessCase, BusinessCaseLine)


def report_filename(account: MonthlyAccount, extension: str) -> str:
    who = account.team.slug if account.team_id else "alle-teams"  # type: ignore[union-attr]
    return f"verantwoording-{who}-{account.month:%Y-%m}.{extension}"


def report_file_render(
    *, job_id: int, account_id: int, now: dt.datetime | None = None
) -> ReportFile | None:
    """Render one account of a job; does nothing when its file exists or the job failed."""
    moment = now or timezone.now()
    job = ReportJob.objects.get(pk=job_id)
    if job.status != ReportStatus.RUNNING:
        return None
    existing = ReportFile.objects.filter(job_id=job_id, account_id=account_id).first()
    if existing is not None:
        return existing
    account = MonthlyAccount.objects.select_related("team").get(pk=account_id)
    started = time.perf_counter()
    try:
        content, extension = on_replica(
            lambda: _render(job, account, moment), models=RENDER_MODELS, caught_up=True
        )
    except Exception as exc:  # a broken render fails the job with a reason, never silently
        logger.exception("report render failed job=%s account=%s", job_id, account_id)
        _fail(job, _("Maken van %(name)s mislukt: %(e)s") % {"name": account, "e": exc})
        return None
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            file = ReportFile.objects.create(
                job=job,
                account=account,
                filename=report_filename(account, extension),
                content_type=CONTENT_TYPES[ReportFormat(job.format)],
                content=content,
                was_draft=account.status == AccountStatus.DRAFT,
                render_seconds=seconds,
            )
            ReportJob.objects.filter(pk=job_id).update(
                done=F("done") + 1, progress_at=timezone.now()
            )
            job.refresh_from_db(fields=["done", "total"])
    except IntegrityError:  # the same task ran twice at once: the other one counted it
        return ReportFile.objects.get(job_id=job_id, account_id=account_id)
    logger.info("report rendered job=%s account=%s seconds=%.2f", job_id, account_id, seconds)
    if job.done >= job.total:
        report_job_finish(job_id=job_id, now=moment)
    return file


def report_job_finish(*, job_id: int, now: dt.datetime | None = None) -> ReportJob:
    """Mark a job whose files are all there done, then notify (once)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ReportStatus.RUNNING or job.done < job.total:
            return job
        job.status, job.finished_at = ReportStatus.DONE, now or timezone.now()
        job.save(update_fields=["status", "finished_at"])
        _notify(job)
    return job


def _notify(job: ReportJob) -> int:
    url = reverse("finance:report-detail", kwargs={"job_id": job.pk})
    month = f"{job.month:%m-%Y}"
    if job.requested_by_id is None:  # the monthly schedule: every controller, once a month
        recipients: list[User] = list(User.objects.filter(controller_roles__isnull=False))
        return notification_create(
            recipients=recipients,
            kind=NotificationKind.REPORT,
            title=_("De conceptverantwoordingen van %(m)s staan klaar") % {"m": month},
            body=_("De verantwoordingen van alle teams zijn berekend en als PDF gemaakt."),
            url=url,
            dedupe_key=f"finance:maandrapport:{job.month:%Y-%m}",
        )
    return notification_create(
        recipients=[job.requested_by],  # type: ignore[list-item]
        kind=NotificationKind.REPORT,
        title=_("Uw rapport van %(m)s staat klaar") % {"m": month},
        url=url,
        dedupe_key=f"finance:rapport:{job.pk}",
    )


def report_job_list(*, user: User, limit: int = 20) -> list[ReportJob]:
    """Recent jobs, for controllers and functional administrators."""
    if not can_use_reports(user):
        raise PermissionDenied
    return list(ReportJob.objects.select_related("team", "requested_by")[:limit])


def report_job_get(*, user: User, job_id: int) -> ReportJob:
    if not can_use_reports(user):
        raise PermissionDenied
    return ReportJob.objects.select_related("team").get(pk=job_id)


def report_file_get(*, user: User, file_id: int) -> ReportFile:
    if not can_use_reports(user):
        raise PermissionDenied
    return ReportFile.objects.select_related("job").get(pk=file_id)
