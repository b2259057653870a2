"""The staff side of the portal door: a one-time activation code for a client without BSN."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from clients.constants import PortalAccountKind
from clients.models import PortalAccount
from clients.services.portal import may_invite_to_portal, portal_activation_create
from olteams.access import ClientAction
from olteams.audit import ClientScopedMixin, audit_record
from olteams.constants import AuditEventType
from olteams.types import AuthenticatedHttpRequest

_SHOWN_CODE = "portal_activation_code"  # the new code, in the staff session until shown once


class PortalActivationView(ClientScopedMixin, View):
    """The casemanager (or a team lead) makes an activation code; the code is shown once
    after the POST, then only its expiry date is known (the code itself is stored hashed)."""

    client_action = ClientAction.CHANGE

    def _require_inviter(self) -> None:
        if not may_invite_to_portal(self.request.user, self.client, today=timezone.localdate()):
            raise PermissionDenied

    def get(self, request: HttpRequest, client_id: int) -> HttpResponse:
        self._require_inviter()
        shown = request.session.pop(_SHOWN_CODE, None)
        code = shown["code"] if shown and shown.get("client") == self.client.pk else ""
        account = PortalAccount.objects.filter(
            client=self.client, kind=PortalAccountKind.CLIENT
        ).first()
        response = render(
            request,
            "clients/portal_activation.html",
            {"client": self.client, "account": account, "code": code, "now": timezone.now()},
        )
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        self._require_inviter()
        try:
            account, code = portal_activation_create(
                actor=request.user, client=self.client, now=timezone.now()
            )
        except ValidationError as exc:
            return render(
                request,
                "clients/portal_activation.html",
                {"client": self.client, "error": " ".join(exc.messages)},
                status=400,
            )
        audit_record(
            user=request.user,
            event_type=AuditEventType.CREATE,
            request=request,
            client_id=self.client.pk,
            obj=account,
            grant=self.client.access_grant,
            detail="activeringscode portaal gemaakt",
        )
        request.session[_SHOWN_CODE] = {"client": self.client.pk, "code": code}
        return redirect("clients:portal-activation", client_id=self.client.pk)


portal_activation_view = PortalActivationView.as_view()


def may_invite(request: Any, client: Any) -> bool:
    """For the client file's button: only a client without BSN, only for who may invite."""
    return not client.bsn and may_invite_to_portal(request.user, client, today=timezone.localdate())
