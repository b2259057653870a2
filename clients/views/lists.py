"""List pages: clients, waiting list, clients without funding; each records a SEARCH event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.exports import EXPORT_FORMATS, client_rows, export_response, waiting_rows
from clients.filters import ClientFilter, WaitingListFilter
from clients.selectors import client_list, clients_without_funding, waiting_list
from olteams.access import ClientAction, can_export
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.pagination import paginate, query_without, sort_links
from olteams.services import emergency_lookup
from olteams.types import AuthenticatedHttpRequest

CLIENT_COLUMNS = [
    ("naam", _("Naam")),
    ("geboortedatum", _("Geboortedatum")),
    ("fase", _("Fase")),
    ("team", _("Team")),
]


def _search_event(
    request: AuthenticatedHttpRequest, detail: str, client_ids: Iterable[int] = ()
) -> None:
    """One SEARCH event naming the clients the page showed (NEN 7513: who saw whom)."""
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,  # type: ignore[arg-type]
        object_type="clients.client",
        detail=detail,
        client_ids=client_ids,
    )


def client_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = client_list(user=request.user)  # type: ignore[arg-type]
    filterset = ClientFilter(request.GET or None, queryset=qs, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    if not request.GET.get("sorteer"):
        rows = rows.order_by("last_name", "first_name", "id")
    page = paginate(request, rows)
    _search_event(request, "cliëntenlijst", [c.pk for c in page])
    # Nothing in the user's scope for an exact BSN or client number: a care worker learns
    # that a client outside their teams has it (no name) and may ask for emergency access.
    query = request.GET.get("q", "").strip()
    emergency_url = ""
    if query and not page.paginator.count:
        emergency_url = emergency_lookup(user=request.user, query=query, request=request)
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "query": query_without(request.GET),
        "export_query": query_without(request.GET),
        "columns": sort_links(request.GET, CLIENT_COLUMNS),
        "can_export": can_export(request.user),
        "export_formats": EXPORT_FORMATS,
        "emergency_url": emergency_url,
    }
    template = "clients/client_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#client-table"
    return render(request, template, context)


def client_export_view(
    request: AuthenticatedHttpRequest, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if not can_export(request.user):
        raise PermissionDenied
    qs = client_list(user=request.user, action=ClientAction.EXPORT)  # type: ignore[arg-type]
    filterset = ClientFilter(request.GET or None, queryset=qs, request=request)
    rows = (
        filterset.qs
        if filterset.is_bound and filterset.is_valid()
        else qs.order_by("last_name", "first_name", "id")
    )
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,  # type: ignore[arg-type]
        object_type="clients.client",
        detail=f"cliëntenlijst ({fmt})",
        client_ids=rows.values_list("pk", flat=True),
    )
    return export_response(client_rows(rows), fmt=fmt, filename="clienten")


def _waiting_context(
    request: AuthenticatedHttpRequest, *, action: str = ClientAction.VIEW
) -> dict[str, Any]:
    today = timezone.localdate()
    qs = waiting_list(user=request.user, today=today, action=action)  # type: ignore[arg-type]
    filterset = WaitingListFilter(request.GET or None, queryset=qs, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    return {"filter": filterset, "form": filterset.form, "rows": rows, "today": today}


def waiting_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _waiting_context(request)
    page = paginate(request, context.pop("rows"))
    for episode in page:
        episode.days_waited = (context["today"] - episode.waiting_since).days
    _search_event(request, "wachtlijst", [episode.client_id for episode in page])
    context.update(
        page=page,
        query=query_without(request.GET),
        can_export=can_export(request.user),
        export_formats=EXPORT_FORMATS,
    )
    template = "clients/waiting_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#waiting-table"
    return render(request, template, context)


def waiting_export_view(
    request: AuthenticatedHttpRequest, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if not can_export(request.user):
        raise PermissionDenied
    context = _waiting_context(request, action=ClientAction.EXPORT)
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,  # type: ignore[arg-type]
        object_type="clients.careepisode",
        detail=f"wachtlijst ({fmt})",
        client_ids=context["rows"].values_list("client_id", flat=True),
    )
    return export_response(
        waiting_rows(context["rows"], context["today"]), fmt=fmt, filename="wachtlijst"
    )


def unfunded_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Clients in care without a funding stream, for the team lead and secretariaat."""
    if not can_export(request.user):
        raise PermissionDenied
    page = paginate(request, clients_without_funding(user=request.user))  # type: ignore[arg-type]
    _search_event(request, "cliënten zonder financiering", [c.pk for c in page])
    return render(
        request,
        "clients/unfunded_list.html",
        {"page": page, "query": query_without(request.GET)},
    )
