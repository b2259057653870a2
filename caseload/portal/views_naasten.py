"""'Mijn naasten': the client decides per naaste and per category what the naaste may read
in the portal, and enters a naaste's BSN once so the naaste can sign in with DigiD. Every
change is logged and shown back to the client (here and in 'Wie heeft mijn dossier
bekeken'). Only the client opens it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.portal.forms_rights import GRANT, NaasteBsnForm, NaasteGrantForm
from caseload.portal.sections import SECTIONS, Section
from caseload.portal.views import portal_render
from caseload.selectors.access_history import access_entries, client_history_events
from caseload.services.inzage import mask_bsn
from clients.constants import PortalAccountKind, PortalShare
from clients.models import Naaste, NaasteGrant, PortalAccount
from clients.services.naaste_portal import (
    naaste_grant_give,
    naaste_grant_withdraw,
    naaste_portal_bsn_set,
)
from olteams.access import PortalPrincipal
from olteams.constants import AuditEventType
from olteams.portal import audit_portal, portal_view

SECTIONS.append(
    Section(
        "portal:naasten",
        gettext_lazy("Mijn naasten"),
        gettext_lazy("Bepalen wat uw naasten mogen zien."),
        order=70,
        client_only=True,
    )
)

HISTORY_OBJECTS = ("clients.naastegrant", "clients.portalaccount")
HISTORY_SIZE = 30


@dataclass(frozen=True)
class ShareState:
    category: str
    label: str
    granted_at: Any  # the open grant's start, or None: not granted


@dataclass(frozen=True)
class NaasteRow:
    naaste: Naaste
    shares: list[ShareState]
    masked_bsn: str
    bsn_form: NaasteBsnForm | None = None


def _naasten(client: Any) -> list[Naaste]:
    """The client's current naasten with their open grants and portal account (3 queries)."""
    return list(
        Naaste.objects.filter(client=client, ended_on__isnull=True)
        .prefetch_related(
            Prefetch(
                "grants",
                NaasteGrant.objects.filter(withdrawn_at__isnull=True),
                to_attr="open_grants",
            ),
            Prefetch(
                "portal_accounts",
                PortalAccount.objects.filter(kind=PortalAccountKind.NAASTE),
                to_attr="accounts",
            ),
        )
        .order_by("name", "id")
    )


def _rows(naasten: list[Naaste], bsn_forms: dict[int, NaasteBsnForm]) -> list[NaasteRow]:
    rows = []
    for naaste in naasten:
        granted = {g.category: g.granted_at for g in naaste.open_grants}  # type: ignore[attr-defined]
        accounts = naaste.accounts  # type: ignore[attr-defined]
        rows.append(
            NaasteRow(
                naaste=naaste,
                shares=[
                    ShareState(value, str(label), granted.get(value))
                    for value, label in PortalShare.choices
                ],
                masked_bsn=mask_bsn(accounts[0].bsn) if accounts else "",
                bsn_form=bsn_forms.get(naaste.pk),
            )
        )
    return rows


def _page(
    request: Any,
    principal: PortalPrincipal,
    client: Any,
    *,
    naasten: list[Naaste] | None = None,
    error_form: Any = None,
    bsn_forms: dict[int, NaasteBsnForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    naasten = _naasten(client) if naasten is None else naasten
    history = client_history_events(client=client).filter(object_type__in=HISTORY_OBJECTS)
    return portal_render(
        request,
        principal,
        "portal/naasten.html",
        {
            "rows": _rows(naasten, bsn_forms or {}),
            "error_form": error_form,
            "history": access_entries(history[:HISTORY_SIZE], client=client),
        },
        status=status,
    )


FORM_GRANT, FORM_BSN = "toegang", "bsn"


@portal_view(client_only=True, event_type=None)
def naasten(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The page (a read), or one change: a grant or withdrawal (``form=toegang``) or a
    naaste's BSN (``form=bsn``). Each is logged as what it is."""
    if request.method == "POST":
        handler = _bsn if request.POST.get("form") == FORM_BSN else _grant
        return handler(request, principal, client)
    audit_portal(request, principal, event_type=AuditEventType.READ)
    return _page(request, principal, client)


def _refused(
    request: Any, principal: PortalPrincipal, client: Any, naasten: list[Naaste], **forms: Any
) -> HttpResponse:
    """A form with errors: nothing changed; the page (a read) is shown again with them."""
    audit_portal(request, principal, event_type=AuditEventType.READ, detail="naasten: fout")
    return _page(request, principal, client, naasten=naasten, status=400, **forms)


def _grant(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """Give or withdraw one naaste's access to one category (a new row / ``withdrawn_at``)."""
    current = _naasten(client)
    form = NaasteGrantForm(request.POST, naasten=current)
    if form.is_valid():
        data = form.cleaned_data
        give = data["action"] == GRANT
        service = naaste_grant_give if give else naaste_grant_withdraw
        try:
            grant = service(client=client, naaste_id=data["naaste"], category=data["category"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            audit_portal(
                request,
                principal,
                event_type=AuditEventType.CREATE if give else AuditEventType.UPDATE,
                obj=grant,
                detail=f"naaste {grant.naaste_id}: {grant.category} {data['action']}",
            )
            text = (
                _("%(naaste)s mag nu '%(category)s' zien.")
                if give
                else _("%(naaste)s mag '%(category)s' niet meer zien.")
            )
            messages.success(
                request,
                text % {"naaste": grant.naaste.name, "category": PortalShare(grant.category).label},
            )
            return redirect("portal:naasten")
    return _refused(request, principal, client, current, error_form=form)


def _bsn(request: Any, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """Record a naaste's BSN (11-proef) on their portal account, made when missing."""
    current = _naasten(client)
    form = NaasteBsnForm(request.POST, naasten=current)
    if form.is_valid():
        try:
            account = naaste_portal_bsn_set(
                client=client, naaste_id=form.cleaned_data["naaste"], bsn=form.cleaned_data["bsn"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            audit_portal(
                request,
                principal,
                event_type=AuditEventType.UPDATE,
                obj=account,
                detail=f"naaste {account.naaste_id}: BSN vastgelegd",
            )
            messages.success(
                request,
                _("Het BSN van %(naaste)s is opgeslagen. %(naaste)s kan nu inloggen met DigiD.")
                % {"naaste": account.naaste.name if account.naaste else ""},
            )
            return redirect("portal:naasten")
    naaste_id = form.cleaned_data.get("naaste")
    forms = {naaste_id: form} if naaste_id else {}
    return _refused(request, principal, client, current, bsn_forms=forms, error_form=form)
