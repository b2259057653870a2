"""'Wie heeft mijn dossier bekeken': the client's own access history (NEN 7513 log) in plain
words, by period, page by page, and as a PDF. Only the client opens it (a naaste never)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from caseload.portal.forms_rights import AccessPeriodForm
from caseload.portal.sections import SECTIONS, Section
from caseload.portal.views import portal_render
from caseload.selectors.access_history import (
    access_entries,
    client_access_entries,
    client_history_events,
)
from caseload.services.inzage import access_history_pdf
from olteams.access import PortalPrincipal
from olteams.constants import AuditEventType
from olteams.pagination import paginate, query_without
from olteams.portal import audit_portal, portal_view

SECTIONS.append(
    Section(
        "portal:access-log",
        _("Wie heeft mijn dossier bekeken"),
        _("Zien wie uw gegevens heeft bekeken, en wanneer."),
        order=60,
        client_only=True,
    )
)

PER_PAGE = 25


def _invalid(request: Any, principal: PortalPrincipal, form: AccessPeriodForm) -> HttpResponse:
    return portal_render(
        request, principal, "portal/access_log.html", {"form": form, "page": None}, status=400
    )


@portal_view(client_only=True)
def access_log(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    form = AccessPeriodForm(request.GET)
    if not form.is_valid():
        return _invalid(request, principal, form)
    start, end = form.period()
    page = paginate(
        request, client_history_events(client=client, start=start, end=end), per_page=PER_PAGE
    )
    return portal_render(
        request,
        principal,
        "portal/access_log.html",
        {
            "form": form,
            "page": page,
            "entries": access_entries(page.object_list, client=client),
            "query": query_without(request.GET),
            "period_query": query_without(request.GET, "pagina"),
        },
    )


@portal_view(client_only=True, event_type=None)
def access_log_pdf(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The same filtered list as a PDF; the download is itself logged (EXPORT)."""
    form = AccessPeriodForm(request.GET)
    if not form.is_valid():
        audit_portal(request, principal, event_type=AuditEventType.READ)
        return _invalid(request, principal, form)
    start, end = form.period()
    pdf = access_history_pdf(
        client, client_access_entries(client=client, start=start, end=end), start=start, end=end
    )
    audit_portal(
        request, principal, event_type=AuditEventType.EXPORT, detail="toegangsoverzicht (pdf)"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="wie-heeft-mijn-dossier-bekeken.pdf"'
    return response
