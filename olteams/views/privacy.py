"""Break-the-glass (Noodtoegang) and the privacy officer's pages: the Toegangslog (the NEN
7513 log viewer, itself logged) and the review of emergency accesses."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from olteams.access import may_request_emergency_access
from olteams.audit import audit_record
from olteams.client_frame import client_home_url
from olteams.constants import AuditEventType, Ground, Role
from olteams.forms import (
    AccessLogFilterForm,
    EmergencyRequestForm,
    EmergencyReviewForm,
    add_service_errors,
)
from olteams.models import AuditEvent, EmergencyAccess
from olteams.pagination import paginate, query_without
from olteams.replica import read_alias
from olteams.selectors import access_log, emergency_access_list, emergency_candidate
from olteams.services import (
    emergency_access_end,
    emergency_access_request,
    emergency_access_review,
)
from olteams.types import AuthenticatedHttpRequest

GROUND_LABELS = {g.value: str(g.label) for g in Ground}
ROLE_LABELS = {r.value: str(r.label) for r in Role}


# --- break-the-glass -----------------------------------------------------------------------


def emergency_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Noodtoegang aanvragen: a team member or lead who does not see a client gets view
    access to its file for a limited time, with a mandatory reason. The page names no client:
    it only says whether a client outside the user's teams has this BSN or number."""
    user = request.user
    if not may_request_emergency_access(user):
        raise PermissionDenied
    query = request.GET.get("zoek", "")
    form = EmergencyRequestForm(request.POST or None, initial={"query": query})
    if request.method == "POST" and form.is_valid():
        try:
            access = emergency_access_request(
                actor=user,
                query=form.cleaned_data["query"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.warning(
                request,
                _("Noodtoegang gestart tot %(until)s. Elke inzage wordt vastgelegd en beoordeeld.")
                % {
                    "until": date_format(
                        timezone.localtime(access.expires_at), "SHORT_DATETIME_FORMAT"
                    )
                },
            )
            return redirect(client_home_url(access.client_id))
    found = bool(query) and emergency_candidate(user=user, query=query) is not None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "olteams/emergency_request.html",
        {
            "form": form,
            "found": found,
            "query": query,
            "hours": settings.EMERGENCY_ACCESS_HOURS,
        },
        status=status,
    )


@require_POST
def emergency_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The worker ends their own emergency access early."""
    access = get_object_or_404(EmergencyAccess, pk=pk, user=request.user)
    emergency_access_end(actor=request.user, access=access, request=request)
    messages.success(request, _("De noodtoegang is beëindigd."))
    return redirect("olteams:home")


# --- the privacy officer -------------------------------------------------------------------


def _require_privacy_officer(request: AuthenticatedHttpRequest) -> None:
    """Privacy officers only, and only with the second factor passed (NEN 7513: reading
    the log needs two-factor authentication)."""
    if not (request.user.is_privacy_officer and request.user.is_verified()):
        raise PermissionDenied


def _log_read(
    request: AuthenticatedHttpRequest, *, detail: str, client_id: int | None = None
) -> None:
    audit_record(
        user=request.user,
        event_type=AuditEventType.LOG_READ,
        request=request,
        client_id=client_id,
        object_type="olteams.auditevent",
        role=Role.PRIVACY_OFFICER,
        detail=detail,
    )


def _filter_detail(filters: dict[str, Any]) -> str:
    """The filters of a log read, for its own event (ids and dates, no personal data)."""
    return ", ".join(f"{k}={v}" for k, v in sorted(filters.items()))


def grounds_label(grounds: str) -> str:
    return ", ".join(GROUND_LABELS.get(g, g) for g in grounds.split(",") if g)


def _rows(events: Any) -> list[dict[str, Any]]:
    return [
        {
            "event": e,
            "role": ROLE_LABELS.get(e.role, e.role),
            "grounds": grounds_label(e.grounds),
            "shown": len(e.client_ids or []),
        }
        for e in events
    ]


def access_log_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Toegangslog: who did what with which client, when, from where and on what grounds;
    with the lists that showed a client. Reading it is recorded (LOG_READ)."""
    _require_privacy_officer(request)
    form = AccessLogFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = form.filters()
    events = access_log(**filters) if not form.is_bound or form.is_valid() else None
    page = paginate(request, events) if events is not None else None
    # The page is read before its own LOG_READ event is written, so it never shows itself
    # (and never drops the last row for it).
    rows = _rows(page) if page is not None else []
    _log_read(
        request,
        detail=f"toegangslog ingezien {_filter_detail(filters)}".strip(),
        client_id=filters.get("client_id"),
    )
    return render(
        request,
        "olteams/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query_without(request.GET),
            "client_filter": filters.get("client_id"),
        },
        status=200 if page is not None else 400,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = [
    "tijdstip",
    "actie",
    "soort",
    "uitkomst",
    "gebruiker",
    "verantwoordelijke",
    "rol",
    "organisatie",
    "team",
    "ip",
    "client_id",
    "getoonde_clienten",
    "object",
    "object_id",
    "grondslag",
    "noodtoegang",
    "request_id",
]


def _export_row(e: AuditEvent) -> list[Any]:
    return [
        timezone.localtime(e.occurred_at).isoformat(),
        e.action,
        e.event_type,
        e.outcome,
        e.username,
        e.responsible_user_id or "",
        e.role,
        e.organisation.short_name if e.organisation else "",
        e.team.name if e.team else "",
        e.ip_address or "",
        e.client_id or "",
        " ".join(str(pk) for pk in e.client_ids or []),
        e.object_type,
        e.object_id,
        e.grounds,
        e.emergency_access_id or "",
        e.request_id,
    ]


def access_log_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The Toegangslog's filtered events as CSV (the export is recorded as a log read)."""
    _require_privacy_officer(request)
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "olteams/access_log.html",
            {"form": form, "page": None, "rows": [], "query": ""},
            status=400,
        )
    filters = form.filters() if form.is_bound else {}
    events = access_log(**filters).using(read_alias(user=request.user))
    _log_read(
        request,
        detail=f"toegangslog geëxporteerd (CSV) {_filter_detail(filters)}".strip(),
        client_id=filters.get("client_id"),
    )
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(EXPORT_HEADER)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(_export_row(event))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="toegangslog.csv"'
    return response


def emergency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every emergency access with its reason, for review ("beoordeeld" with a note)."""
    _require_privacy_officer(request)
    to_review = request.GET.get("te_beoordelen") == "1"
    page = paginate(request, emergency_access_list(to_review=to_review), per_page=25)
    now = timezone.now()
    rows = [{"access": a, "active": a.is_active(now)} for a in page]
    _log_read(request, detail="noodtoegangen ingezien")
    return render(
        request,
        "olteams/emergency_list.html",
        {
            "page": page,
            "rows": rows,
            "to_review": to_review,
            "query": query_without(request.GET),
            "review_form": EmergencyReviewForm(),
        },
    )


@require_POST
def emergency_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_privacy_officer(request)
    access = get_object_or_404(EmergencyAccess, pk=pk)
    form = EmergencyReviewForm(request.POST)
    if form.is_valid():
        try:
            emergency_access_review(
                actor=request.user, access=access, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("De noodtoegang is beoordeeld."))
    else:
        messages.error(request, _("Schrijf een notitie bij de beoordeling."))
    return redirect("olteams:emergency-list")
