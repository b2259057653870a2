"""Signing in to the portal: DigiD (the identity provider's flow ends at ``digid_acs``), the
choice of file for a person with several, and the activation code of a client without BSN.

Every successful sign-in ends in ``olteams.portal.portal_login`` (never Django's
``auth.login``: portal sessions carry no staff user). The BSN that DigiD returns is only
used to find the accounts; it is never put in a URL we make, a page, a cookie or a log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from stdnum.nl import bsn as stdnum_bsn

from caseload.portal.forms_sign_in import ActivationForm, ActivationSetupForm, CodeSignInForm
from caseload.portal.views import safe_next
from clients.constants import PortalAccountKind
from clients.models import PortalAccount
from clients.services.portal import (
    PortalSignInLocked,
    activation_code_hash,
    bsn_fingerprint,
    portal_activation_begin,
    portal_activation_check,
    portal_activation_complete,
    portal_digid_accounts,
    portal_password_sign_in,
    totp_config_url,
    totp_secret,
)
from olteams.audit import audit_record, client_ip
from olteams.charts import qr_svg
from olteams.constants import AuditEventType, AuditOutcome
from olteams.forms import add_service_errors
from olteams.portal import PORTAL_PREFIX, portal_login

logger = logging.getLogger(__name__)

# Short-lived signed cookies (only sent to /mijn/) that carry a sign-in between two steps:
# the accounts a DigiD sign-in may choose from, and an activation in progress.
CHOICE_COOKIE, CHOICE_SALT = "olteams_portal_keuze", "portal.digid.choice"
ACTIVATION_COOKIE, ACTIVATION_SALT = "olteams_portal_activering", "portal.activation"
STEP_SECONDS = 15 * 60
REFUSED_REASONS = ("onbekend", "uitgezet", "mislukt")


def _local_next(request: HttpRequest, target: str) -> str:
    """A ``next`` from the identity provider (absolute or relative) as a portal path."""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return PORTAL_PREFIX
    parts = urlsplit(target)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith(PORTAL_PREFIX) and "//" not in path else PORTAL_PREFIX


def _set_step_cookie(response: HttpResponse, name: str, value: str, salt: str) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=STEP_SECONDS,
        path=PORTAL_PREFIX,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _step_cookie(request: HttpRequest, name: str, salt: str) -> str:
    try:
        return request.get_signed_cookie(name, salt=salt, max_age=STEP_SECONDS) or ""
    except (KeyError, signing.BadSignature):
        return ""


def _signed_in(request: HttpRequest, account: Any, *, method: str, target: str) -> HttpResponse:
    portal_login(request, account, method=method)
    response = redirect(target)
    response.delete_cookie(CHOICE_COOKIE, path=PORTAL_PREFIX, samesite="Lax")
    response.delete_cookie(ACTIVATION_COOKIE, path=PORTAL_PREFIX, samesite="Lax")
    return response


def _refused(request: HttpRequest, reason: str, *, bsn: str = "") -> HttpResponse:
    """Log a refused DigiD sign-in (a fingerprint, never the BSN) and say it kindly."""
    fingerprint = bsn_fingerprint(bsn) if bsn else "-"
    logger.info("portal digid sign-in refused reason=%s fingerprint=%s", reason, fingerprint)
    audit_record(
        user=None,
        username="portaal:digid",
        event_type=AuditEventType.LOGIN,
        request=request,
        object_type="clients.portalaccount",
        outcome=AuditOutcome.DENIED,
        grounds="portaal",
        detail=f"DigiD: {reason} (vingerafdruk {fingerprint})",
    )
    return redirect(f"{reverse('portal:digid-refused')}?reden={reason}")


def _saml_bsn(request: HttpRequest) -> str:
    """DigiD step 6/7: resolve the SAML artifact at DigiD and read the BSN from the
    assertion (django-digid-eherkenning's client, configured by ``configure_digid``)."""
    from digid_eherkenning.choices import SectorType
    from digid_eherkenning.saml2.digid import DigiDClient
    from onelogin.saml2.utils import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError

    try:
        response = DigiDClient().artifact_resolve(request, request.GET.get("SAMLart", ""))
        sector, _sep, number = response.get_nameid().partition(":")
    except (OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError):
        logger.info("portal digid artifact not resolved")
        return ""
    return number if sector == SectorType.bsn else ""


@login_not_required
@never_cache
def digid_acs(request: HttpRequest) -> HttpResponse:
    """Where DigiD (or, in development and tests, the mock identity provider) sends the
    person back after signing in: find their accounts and sign them in, or let them choose."""
    if settings.DIGID_MODE == "mock":
        bsn, target = request.GET.get("bsn", ""), request.GET.get("next", "")
    else:
        bsn, target = _saml_bsn(request), request.GET.get("RelayState", "")
    if not stdnum_bsn.is_valid(bsn):
        return _refused(request, "mislukt")
    match = portal_digid_accounts(bsn=bsn)
    target = _local_next(request, target)
    if not match.accounts:
        return _refused(request, "uitgezet" if match.inactive else "onbekend", bsn=bsn)
    if len(match.accounts) == 1:
        return _signed_in(request, match.accounts[0], method="digid", target=target)
    response = redirect(reverse("portal:digid-choose"))
    ids = ",".join(str(account.pk) for account in match.accounts)
    _set_step_cookie(response, CHOICE_COOKIE, f"{ids}|{target}", CHOICE_SALT)
    return response


def _choice_accounts(request: HttpRequest) -> tuple[list[Any], str]:
    value = _step_cookie(request, CHOICE_COOKIE, CHOICE_SALT)
    ids_part, _sep, target = value.partition("|")
    ids = [int(pk) for pk in ids_part.split(",") if pk.isdigit()]
    accounts = list(
        PortalAccount.objects.filter(pk__in=ids, is_active=True, client__merged_into__isnull=True)
        .exclude(kind=PortalAccountKind.NAASTE, naaste__ended_on__isnull=False)
        .select_related("client", "naaste")
        .order_by("kind", "client__last_name", "pk")
    )
    return accounts, target or PORTAL_PREFIX


@login_not_required
@never_cache
def digid_choose(request: HttpRequest) -> HttpResponse:
    """ "Wiens dossier wilt u bekijken?": a person who is a client and/or the naaste of
    several clients picks one file; the portal session is for that one."""
    accounts, target = _choice_accounts(request)
    if not accounts:
        return redirect("portal:login")
    if request.method == "POST":
        chosen = next((a for a in accounts if str(a.pk) == request.POST.get("account")), None)
        if chosen is not None:
            return _signed_in(request, chosen, method="digid", target=_local_next(request, target))
    return render(request, "portal/digid_choose.html", {"accounts": accounts})


@login_not_required
def digid_refused(request: HttpRequest) -> HttpResponse:
    """A kind page for whom DigiD identified but the portal does not know (or no more)."""
    reason = request.GET.get("reden", "")
    if reason not in REFUSED_REASONS:
        reason = "onbekend"
    return render(request, "portal/digid_refused.html", {"reason": reason})


# --- a client without BSN: activation code, then login name + password + app code -------


def _locked_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/sign_in_locked.html", status=429)


def _sign_in_step(
    request: HttpRequest,
    form: forms.Form,
    attempt: Callable[[dict[str, Any], str | None, dt.datetime], PortalAccount],
    *,
    field_errors: bool = False,
) -> PortalAccount | HttpResponse | None:
    """One step of a sign-in without DigiD, on a valid POST: ``attempt(data, ip, now)``
    gives the account; throttled, the locked page (429); refused, the service's message on
    the form (on its fields with ``field_errors``) and None, as for a GET."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return attempt(form.cleaned_data, client_ip(request), timezone.now())
    except PortalSignInLocked:
        return _locked_page(request)
    except ValidationError as exc:
        if field_errors:
            add_service_errors(form, exc)
        else:
            form.add_error(None, exc)
        return None


@login_not_required
@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    """Step 1: the activation code from the casemanager and the date of birth."""
    form = ActivationForm(request.POST or None)
    account = _sign_in_step(
        request,
        form,
        lambda data, ip, now: portal_activation_check(
            code=data["code"], date_of_birth=data["date_of_birth"], ip=ip, now=now
        ),
    )
    if isinstance(account, HttpResponse):
        return account
    if account is not None:
        portal_activation_begin(account=account)
        response = redirect("portal:activate-setup")
        code_hash = activation_code_hash(form.cleaned_data["code"])
        _set_step_cookie(response, ACTIVATION_COOKIE, f"{account.pk}|{code_hash}", ACTIVATION_SALT)
        return response
    status = 400 if form.errors else 200
    return render(request, "portal/activate.html", {"form": form}, status=status)


@login_not_required
@never_cache
def activate_setup(request: HttpRequest) -> HttpResponse:
    """Step 2: note the login name, choose a password, link the authenticator app (QR
    code) and type its first code; then the client is signed in."""
    account_id, _sep, code_hash = _step_cookie(
        request, ACTIVATION_COOKIE, ACTIVATION_SALT
    ).partition("|")
    account = (
        PortalAccount.objects.filter(pk=account_id, kind=PortalAccountKind.CLIENT)
        .exclude(activation_code_hash="")
        .first()
        if account_id.isdigit()
        else None
    )
    if account is None or not account.totp_key:
        return redirect("portal:activate")
    form = ActivationSetupForm(request.POST or None)
    activated = _sign_in_step(
        request,
        form,
        lambda data, ip, now: portal_activation_complete(
            account=account,
            code_hash=code_hash,
            password=data["password"],
            token=data["token"],
            ip=ip,
            now=now,
        ),
        field_errors=True,
    )
    if isinstance(activated, HttpResponse):
        return activated
    if activated is not None:
        return _signed_in(request, activated, method="activation", target=PORTAL_PREFIX)
    context = {
        "form": form,
        "login_name": account.login_name,
        "qr_svg": qr_svg(totp_config_url(account)),
        "secret": totp_secret(account),
    }
    return render(
        request, "portal/activate_setup.html", context, status=400 if form.errors else 200
    )


@login_not_required
@never_cache
def code_sign_in(request: HttpRequest) -> HttpResponse:
    """Later sign-ins of a client without BSN: login name, password and the app's code."""
    form = CodeSignInForm(request.POST or None)
    account = _sign_in_step(
        request,
        form,
        lambda data, ip, now: portal_password_sign_in(
            login_name=data["login_name"],
            password=data["password"],
            token=data["token"],
            ip=ip,
            now=now,
        ),
    )
    if isinstance(account, HttpResponse):
        return account
    if account is not None:
        return _signed_in(request, account, method="activation", target=safe_next(request))
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "portal/code_sign_in.html", context, status=400 if form.errors else 200)
