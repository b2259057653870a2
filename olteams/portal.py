"""The portal's own session and the guard of every portal view (``/mijn/…``).

Portal sessions are separate from staff sessions: their own cookie
(``PORTAL_SESSION_COOKIE_NAME``, sent only to ``/mijn/``), their own idle expiry
(``PORTAL_IDLE_SECONDS``, 15 minutes) and no staff user in them. A staff member signed in
in the same browser stays a staff member on the staff pages and is nobody in the portal.

Sign-in flows (DigiD, activation code) end by calling ``portal_login``; views are wrapped
in ``portal_view``, which finds the principal, checks what it may read through the access
policy (``olteams.access.portal_shares``) and writes the audit event of the read.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams.access import (
    PORTAL_CLIENT,
    PORTAL_NAASTE,
    PortalPrincipal,
    portal_client,
    portal_shares,
)
from olteams.constants import AuditEventType, AuditOutcome

PORTAL_PREFIX = "/mijn/"
AUDIT_SCOPE_PORTAL = "portal"

_ACCOUNT = "portal_account_id"
_METHOD = "portal_method"
_SEEN = "portal_seen"


def _store(session_key: str | None) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)


class PortalSessionMiddleware:
    """Loads the portal session from its own cookie and keeps its sliding idle expiry.

    The session is refreshed (saved, cookie renewed) at most once a minute, like the staff
    session (olteams.middleware.IdleSessionMiddleware); a session idle for longer than
    ``PORTAL_IDLE_SECONDS`` is flushed and the visitor is nobody again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PORTAL_PREFIX):
            return self.get_response(request)
        session = _store(request.COOKIES.get(settings.PORTAL_SESSION_COOKIE_NAME))
        request.portal_session = session  # type: ignore[attr-defined]
        now = int(time.time())
        seen = session.get(_SEEN)
        if isinstance(seen, int) and now - seen > settings.PORTAL_IDLE_SECONDS:
            session.flush()
        elif session.get(_ACCOUNT) and (
            not isinstance(seen, int) or now - seen >= settings.SESSION_TOUCH_SECONDS
        ):
            session[_SEEN] = now
        response = self.get_response(request)
        if session.get(_ACCOUNT):
            # A signed-in portal page holds the client's own data: never kept by a browser
            # or proxy cache (a shared computer at the library, the back button after sign-out).
            response.headers["Cache-Control"] = "private, no-store"
        self._save(request, session, response)
        return response

    @staticmethod
    def _save(request: HttpRequest, session: Any, response: HttpResponse) -> None:
        cookie = settings.PORTAL_SESSION_COOKIE_NAME
        if session.is_empty() or not session.get(_ACCOUNT):
            if cookie in request.COOKIES:
                response.delete_cookie(cookie, path=PORTAL_PREFIX, samesite="Lax")
            return
        if not session.modified:
            return
        session.set_expiry(settings.PORTAL_IDLE_SECONDS)
        session.save()
        response.set_cookie(
            cookie,
            session.session_key,
            max_age=settings.PORTAL_IDLE_SECONDS,
            path=PORTAL_PREFIX,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def portal_login(request: HttpRequest, account: Any, *, method: str) -> None:
    """Start a portal session for ``account`` (a ``clients.PortalAccount``) after a
    sign-in flow identified the person. A new session key every time (no fixation)."""
    session = request.portal_session  # type: ignore[attr-defined]
    session.flush()
    session.cycle_key()
    session[_ACCOUNT] = account.pk
    session[_METHOD] = method
    session[_SEEN] = int(time.time())
    account.last_login_at = timezone.now()
    account.save(update_fields=["last_login_at"])
    request._portal_principal = None  # type: ignore[attr-defined]
    principal = portal_principal(request)
    if principal is not None:
        audit_portal(request, principal, event_type=AuditEventType.LOGIN, detail=method)


def portal_logout(request: HttpRequest) -> None:
    request.portal_session.flush()  # type: ignore[attr-defined]
    request._portal_principal = None  # type: ignore[attr-defined]


def portal_principal(request: HttpRequest) -> PortalPrincipal | None:
    """Who is signed in to the portal on this request (None: nobody), read once."""
    cached = getattr(request, "_portal_principal", None)
    if cached is not None:
        return cached
    session: Any = getattr(request, "portal_session", None)
    account_id = session.get(_ACCOUNT) if session is not None else None
    if not account_id:
        return None
    account_model: Any = apps.get_model("clients", "PortalAccount")
    account = (
        account_model.objects.select_related("client", "naaste")
        .filter(pk=account_id, is_active=True)
        .first()
    )
    if account is None:
        session.flush()
        return None
    principal = PortalPrincipal(
        account_id=account.pk,
        kind=account.kind,
        client_id=account.client_id,
        naaste_id=account.naaste_id,
        name=account.naaste.name if account.kind == PORTAL_NAASTE else account.client.full_name,
        method=session.get(_METHOD, ""),
    )
    request._portal_principal = principal  # type: ignore[attr-defined]
    return principal


def audit_portal(
    request: HttpRequest,
    principal: PortalPrincipal,
    *,
    event_type: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    detail: str = "",
) -> Any:
    """One audit event for something a client or naaste did or read in the portal."""
    from olteams.audit import audit_record

    return audit_record(
        user=None,
        username=principal.audit_label,
        role=principal.kind,
        event_type=event_type,
        request=request,
        client_id=principal.client_id,
        obj=obj,
        object_type=object_type or ("clients.client" if obj is None else ""),
        object_id=object_id or ("" if obj is not None else str(principal.client_id)),
        outcome=outcome,
        grounds="portaal",
        detail=detail,
    )


def portal_view(
    *,
    share: str | None = None,
    client_only: bool = False,
    event_type: str | None = AuditEventType.READ,
    detail: str = "",
) -> Callable:
    """Guard a portal view: ``view(request, principal, client, **kwargs)``.

    - nobody signed in: to the portal's sign-in page (back here afterwards);
    - ``client_only``: a naaste is refused (403) — only the client manages their own door;
    - ``share`` (a ``PortalShare``): a naaste without that grant is refused (403), and the
      refusal is logged, so the client sees it;
    - otherwise the read (or, for a POST, the change) is logged with ``event_type``.
    """

    def decorator(view: Callable) -> Callable:
        @login_not_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            principal = portal_principal(request)
            if principal is None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('portal:login')}?{query}")
            try:
                client = portal_client(principal, select_related=("team",))
            except Http404:
                portal_logout(request)
                raise
            refused = (client_only and principal.kind != PORTAL_CLIENT) or (
                share is not None and share not in portal_shares(principal)
            )
            kind = event_type or AuditEventType.READ
            if request.method not in ("GET", "HEAD") and kind == AuditEventType.READ:
                kind = AuditEventType.UPDATE
            if refused:
                audit_portal(
                    request,
                    principal,
                    event_type=kind,
                    outcome=AuditOutcome.DENIED,
                    detail=f"geen toegang ({share or 'alleen cliënt'})",
                )
                raise PermissionDenied(_("De cliënt heeft u hier geen toegang toe gegeven."))
            if event_type is not None:
                audit_portal(request, principal, event_type=kind, detail=detail)
            request.portal = principal  # type: ignore[attr-defined]
            return view(request, principal, client, *args, **kwargs)

        wrapper.audit_scope = AUDIT_SCOPE_PORTAL  # type: ignore[attr-defined]
        return wrapper

    return decorator


def portal_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the signed-in portal principal on portal pages."""
    if not request.path.startswith(PORTAL_PREFIX):
        return {}
    return {"portal_principal": portal_principal(request)}
