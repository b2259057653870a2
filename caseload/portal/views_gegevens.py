"""'Mijn gegevens': the client downloads their whole file (the inzage export, as a PDF for
people and as JSON for machines) and reads their privacy rights in plain words. Only the
client opens it; every download is logged as an export."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from caseload.portal.sections import SECTIONS, Section
from caseload.portal.views import portal_render
from caseload.services.inzage import build_export, export_pdf
from olteams.access import PortalPrincipal
from olteams.constants import AuditEventType
from olteams.portal import portal_view

SECTIONS.append(
    Section(
        "portal:gegevens",
        _("Mijn gegevens"),
        _("Al uw gegevens downloaden, en uw rechten."),
        order=80,
        client_only=True,
    )
)


def export_json_response(client: Any) -> HttpResponse:
    """The inzage export as a JSON download (schema: docs/inzage-export.schema.json)."""
    body = json.dumps(build_export(client), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dossier-{client.pk}.json"'
    return response


def export_pdf_response(client: Any) -> HttpResponse:
    response = HttpResponse(export_pdf(client), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{client.pk}.pdf"'
    return response


@portal_view(client_only=True)
def gegevens(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    return portal_render(request, principal, "portal/gegevens.html", {"client": client})


@portal_view(client_only=True, event_type=AuditEventType.EXPORT, detail="inzage-export (json)")
def export_json(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    return export_json_response(client)


@portal_view(client_only=True, event_type=AuditEventType.EXPORT, detail="inzage-export (pdf)")
def export_pdf_view(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    return export_pdf_response(client)
