"""A tiny URLconf for the audit tests: each kind of audited client view, and two bad ones
the URL checker must catch (one without any audit marking, one that claims to audit but
records nothing)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View
from rest_framework.response import Response
from rest_framework.views import APIView

from olteams.audit import AUDIT_SCOPE_CLIENT, ClientScopedApiMixin, ClientScopedMixin, client_view
from olteams.constants import AuditEventType
from olteams.urls import olteams_patterns


class ClientFileView(ClientScopedMixin, View):
    def get(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return HttpResponse(f"dossier {self.client.pk}")

    def post(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return HttpResponse(f"gewijzigd {self.client.pk}")


class ClientPrintView(ClientScopedMixin, View):
    audit_event_type = AuditEventType.PRINT
    client_action = "export"

    def get(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return HttpResponse("afdruk")


@client_view(action="view_clinical")
def client_notes(request, client):  # type: ignore[no-untyped-def]
    return HttpResponse(f"notities {client.pk}")


class ClientApi(ClientScopedApiMixin, APIView):
    def get(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return Response({"id": self.client.pk})

    def post(self, request, **kwargs):  # type: ignore[no-untyped-def]
        return Response({"id": self.client.pk}, status=201)


def unaudited_client_page(request, client_id):  # type: ignore[no-untyped-def]
    return HttpResponse("geen audit")


def claims_audit_but_records_nothing(request, client_id):  # type: ignore[no-untyped-def]
    return HttpResponse("belooft audit")


claims_audit_but_records_nothing.audit_scope = AUDIT_SCOPE_CLIENT  # type: ignore[attr-defined]


def team_page(request):  # type: ignore[no-untyped-def]
    return HttpResponse("team")


audited_patterns = [
    path("dossier/<int:client_id>/", ClientFileView.as_view(), name="client-file"),
    path("dossier/<int:client_id>/afdruk/", ClientPrintView.as_view(), name="client-print"),
    path("dossier/<int:client_id>/notities/", client_notes, name="client-notes"),
    path("api/clienten/<int:client_id>/", ClientApi.as_view(), name="client-api"),
    path("team/", team_page, name="team"),
]

bad_patterns = [
    path("kaal/<int:client_id>/", unaudited_client_page, name="unaudited"),
    path("belofte/<int:client_id>/", claims_audit_but_records_nothing, name="claims-audit"),
]

urlpatterns = [
    path("", include((audited_patterns, "fake"))),
    path("fout/", include((bad_patterns, "bad"))),
    # Only the backbone's own pages (sign-in, start page) that the middleware and base.html
    # link to; the apps' routes stay out of this URLconf.
    path("", include(olteams_patterns)),
]
