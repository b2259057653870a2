"""'Mijn gegevens', the requests: the client asks for a correction, an addition or a removal,
or objects to a use of their data (AVG art. 16, 17, 21), follows the answer and may withdraw
an open request. The requests land in the team's register (clients.services.privacy_requests)
with the statutory term running from today."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caseload.portal.views import portal_render
from clients.constants import (
    DisputedPart,
    FiledVia,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from clients.models import PrivacyRequest
from clients.services import privacy_requests
from olteams.access import PortalPrincipal
from olteams.constants import AuditEventType, AuditOutcome
from olteams.forms import add_service_errors
from olteams.portal import audit_portal, portal_view

# What the client can ask for here, in plain words (inzage is the download on the page).
PORTAL_KINDS = (
    (PrivacyRequestKind.CORRECTION, _("Iets verbeteren dat niet klopt")),
    (PrivacyRequestKind.ADDITION, _("Iets aanvullen, of mijn eigen mening toevoegen")),
    (PrivacyRequestKind.REMOVAL, _("Gegevens laten verwijderen")),
    (PrivacyRequestKind.OBJECTION, _("Bezwaar maken tegen het gebruik van mijn gegevens")),
)


class PortalRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat wilt u vragen?"), choices=PORTAL_KINDS, widget=forms.RadioSelect
    )
    disputed = forms.ChoiceField(
        label=_("Over welk deel van uw dossier gaat het?"), choices=DisputedPart.choices
    )
    disputed_other = forms.CharField(
        label=_("Welk deel? (als u 'Anders' koos)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Uw vraag"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Schrijf op wat er niet klopt of wat u wilt. Gebruik uw eigen woorden."),
    )


def requests_context(client: Any, form: PortalRequestForm | None = None) -> dict[str, Any]:
    """The request form and the client's own requests, newest first, for 'Mijn gegevens'."""
    own = PrivacyRequest.objects.filter(client=client).order_by("-received_on", "-pk")
    return {
        "request_form": form or PortalRequestForm(),
        "own_requests": list(own),
        "open_status": PrivacyRequestStatus.OPEN,
    }


def _page(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The 'Mijn gegevens' page at a request URL opened by GET: a read like any other (the
    guard leaves the writes' events to the service)."""
    audit_portal(request, principal, event_type=AuditEventType.READ, detail="mijn gegevens")
    return portal_render(
        request, principal, "portal/gegevens.html", {"client": client, **requests_context(client)}
    )


def _filer(principal: PortalPrincipal) -> str:
    how = "DigiD" if principal.method == "digid" else gettext("activeringscode")
    return gettext("cliënt, via Mijn Optimaal Leven (%(how)s)") % {"how": how}


@portal_view(client_only=True, event_type=None)
def request_create(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    if request.method != "POST":
        return _page(request, principal, client)
    form = PortalRequestForm(request.POST)
    if form.is_valid():
        try:
            privacy_requests.file_request(
                client,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                disputed=form.cleaned_data["disputed"],
                disputed_other=form.cleaned_data["disputed_other"],
                received_on=timezone.localdate(),
                filed_via=FiledVia.PORTAL,
                filed_by_label=_filer(principal),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Uw verzoek is verstuurd. U krijgt binnen een maand antwoord."),
            )
            return redirect("portal:gegevens")
    context = {"client": client, **requests_context(client, form)}
    return portal_render(request, principal, "portal/gegevens.html", context, status=400)


@portal_view(client_only=True, event_type=None)
def request_withdraw(
    request: Any, principal: PortalPrincipal, client: Any, pk: int
) -> HttpResponse:
    own = PrivacyRequest.objects.filter(pk=pk, client=client).first()
    if own is None:
        # Not this client's request (or none at all): the same 404, and the attempt logged.
        audit_portal(
            request,
            principal,
            event_type=AuditEventType.UPDATE,
            object_type="clients.privacyrequest",
            object_id=str(pk),
            outcome=AuditOutcome.DENIED,
            detail="verzoek niet gevonden",
        )
        raise Http404
    if request.method != "POST":
        return _page(request, principal, client)
    try:
        privacy_requests.withdraw(own, actor_label=_filer(principal), request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("Uw verzoek is ingetrokken."))
    return redirect("portal:gegevens")
