"""The staff side of the inzage right: one click on the client file exports the client's
whole file (the same export the client downloads in the portal), to answer a written
request. Only the lead of the client's team may: the privacy officer has no client scope in
the access policy (olteams/access.py), and the secretariaat's export right covers lists,
not a whole file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from caseload.portal.views_gegevens import export_json_response, export_pdf_response
from olteams.access import ClientAction, team_ids_for
from olteams.audit import (
    AUDIT_SCOPE_CLIENT,
    access_client_audited,
    audit_client,
    audit_record,
)
from olteams.constants import AuditEventType, AuditOutcome, TeamRole
from olteams.types import AuthenticatedHttpRequest

FORMATS = ("pdf", "json")


def may_export_inzage(user: object, client: object) -> bool:
    """The lead of the client's own team (not a lead elsewhere, not by assignment)."""
    return client.team_id in team_ids_for(user, roles=(TeamRole.LEAD,))  # type: ignore[attr-defined,arg-type]


def inzage_export(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    """The client's whole file as a PDF (``?formaat=pdf``, the default) or JSON; audited as
    an EXPORT of the client."""
    client = access_client_audited(
        request,
        client_id,
        action=ClientAction.EXPORT,
        event_type=AuditEventType.EXPORT,
        select_related=("team",),
    )
    if not may_export_inzage(request.user, client):
        audit_record(
            user=request.user,
            event_type=AuditEventType.EXPORT,
            request=request,
            client_id=client.pk,
            outcome=AuditOutcome.DENIED,
            object_type="clients.client",
            object_id=str(client.pk),
            detail="inzage-export: alleen de teamleider",
        )
        raise PermissionDenied(_("Alleen de teamleider van het team van de cliënt kan dit."))
    fmt = request.GET.get("formaat", "pdf")
    if fmt not in FORMATS:
        return HttpResponse(
            _("Kies als formaat pdf of json."), status=400, content_type="text/plain; charset=utf-8"
        )
    response = export_pdf_response(client) if fmt == "pdf" else export_json_response(client)
    audit_client(request, client, event_type=AuditEventType.EXPORT, detail=f"inzage-export ({fmt})")
    return response


inzage_export.audit_scope = AUDIT_SCOPE_CLIENT  # type: ignore[attr-defined]
