"""The portal's own pages: the start page ("Mijn overzicht"), sign-in choice and sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from caseload.portal.sections import section_links
from olteams.access import PortalPrincipal, portal_shares
from olteams.portal import portal_logout, portal_principal, portal_view

PORTAL_HOME = "portal:home"


def portal_render(
    request: HttpRequest,
    principal: PortalPrincipal,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a portal page with the principal and the sections they may open."""
    shares = portal_shares(principal)
    return render(
        request,
        template,
        {
            "principal": principal,
            "portal_shares": shares,
            "portal_sections": section_links(principal, shares, path=request.path),
            **(context or {}),
        },
        status=status,
    )


def safe_next(request: HttpRequest, fallback: str = "/mijn/") -> str:
    """Where to go after signing in: a ``next`` inside the portal, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/mijn/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return fallback


@portal_view()
def home(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    return portal_render(request, principal, "portal/home.html", {"client": client})


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    """The portal's sign-in page: DigiD, or an activation code for a client without BSN."""
    if portal_principal(request) is not None:
        return redirect(safe_next(request))
    return render(request, "portal/login.html", {"next": safe_next(request, "")})


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal_logout(request)
    return render(request, "portal/logged_out.html")
