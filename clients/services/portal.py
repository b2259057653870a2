"""Signing in to the portal: who a DigiD BSN opens, and the activation code, login name,
password and authenticator code of a client without BSN.

The BSN is never stored by these functions and never logged: an unknown BSN is recorded
only as a keyed fingerprint (``bsn_fingerprint``). Wrong attempts without DigiD are counted
per address and per account (``PortalSignInFailure``); ``PORTAL_SIGN_IN_FAILURE_LIMIT``
of them within ``PORTAL_SIGN_IN_LOCK_SECONDS`` lock that address or account for that long.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from clients.constants import AssignmentRole, PortalAccountKind
from clients.models import Assignment, Client, PortalAccount, PortalSignInFailure
from olteams.access import team_ids_for
from olteams.constants import TeamRole

# No 0/O, 1/I/L: a code read aloud or typed from paper survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # "ABCD-EFGH-JKMN": 60 bits
LOGIN_NAME_LENGTH = 8
TOTP_STEP, TOTP_DIGITS = 30, 6


class PortalSignInLocked(Exception):
    """Too many wrong attempts from this address or for this account: wait a while."""


@dataclass
class DigidMatch:
    """What a DigiD BSN opens: the portal accounts to choose from, and whether an account
    for this person exists but has been switched off by the team."""

    accounts: list[Any] = field(default_factory=list)
    inactive: bool = False


def bsn_fingerprint(bsn: str) -> str:
    """A keyed, one-way fingerprint of a BSN for the log of a refused sign-in: the same
    person twice is recognisable, the BSN itself cannot be read back."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"bsn:{bsn}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def portal_digid_accounts(*, bsn: str) -> DigidMatch:
    """The portal accounts a DigiD sign-in with ``bsn`` opens.

    - the client with that BSN (not merged into another record): their own account, made
      on their first sign-in. Being in care now is not required: a client whose care ended
      keeps the right to read their file (AVG art. 15);
    - every naaste account with that BSN whose link to the client has not ended.
    An account the team switched off is not offered (``inactive`` says one exists)."""
    match = DigidMatch()
    client = Client.objects.filter(bsn=bsn, merged_into__isnull=True).first()
    if client is not None:
        account = _client_account(client)
        if account.is_active:
            match.accounts.append(account)
        else:
            match.inactive = True
    naasten = (
        PortalAccount.objects.filter(
            kind=PortalAccountKind.NAASTE,
            bsn=bsn,
            naaste__ended_on__isnull=True,
            client__merged_into__isnull=True,
        )
        .select_related("client", "naaste")
        .order_by("client__last_name", "client__first_name", "pk")
    )
    for account in naasten:
        if account.is_active:
            match.accounts.append(account)
        else:
            match.inactive = True
    return match


def _client_account(client: Any) -> Any:
    try:
        with transaction.atomic():
            account, _created = PortalAccount.objects.get_or_create(
                kind=PortalAccountKind.CLIENT, client=client
            )
    except IntegrityError:  # made by a simultaneous first sign-in
        account = PortalAccount.objects.get(kind=PortalAccountKind.CLIENT, client=client)
    return account


# --- the activation code of a client without BSN -------------------------------------------


def may_invite_to_portal(user: Any, client: Any, *, today: dt.date) -> bool:
    """The client's casemanager now, or a team lead of the client's team."""
    if client.team_id in team_ids_for(user, roles=(TeamRole.LEAD,), today=today):
        return True
    prefetched = getattr(client, "_prefetched_objects_cache", {}).get("assignments")
    if prefetched is not None:  # the client file read them already
        return any(
            a.worker_id == user.pk
            and a.role == AssignmentRole.CASEMANAGER
            and a.start_date <= today
            and (a.end_date is None or a.end_date >= today)
            for a in prefetched
        )
    return (
        Assignment.objects.filter(
            client=client, worker=user, role=AssignmentRole.CASEMANAGER, start_date__lte=today
        )
        .exclude(end_date__lt=today)
        .exists()
    )


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def activation_code_hash(code: str) -> str:
    """The stored form of an activation code: a keyed hash (the code has 60 random bits, so
    a fast keyed hash is as safe as a slow one and lets the code find its account)."""
    normal = _normalise_code(code)
    return hmac.new(settings.SECRET_KEY.encode(), f"code:{normal}".encode(), "sha256").hexdigest()


def portal_activation_create(*, actor: Any, client: Any, now: dt.datetime) -> tuple[Any, str]:
    """A new one-time activation code for ``client`` (no BSN on record): returns the
    account and the code in clear, which is shown once and never stored. A new code revokes
    the previous one; redeeming it sets a new password and authenticator."""
    if not may_invite_to_portal(actor, client, today=now.date()):
        raise PermissionDenied(_("Alleen de casemanager of de teamleider maakt een code."))
    if client.bsn:
        raise ValidationError(_("Deze cliënt heeft een BSN en logt in met DigiD."))
    if client.merged_into_id:
        raise ValidationError(_("Dit dossier is samengevoegd met een ander dossier."))
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    code = "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))
    with transaction.atomic():
        account = _client_account(client)
        account = PortalAccount.objects.select_for_update().get(pk=account.pk)
        account.activation_code_hash = activation_code_hash(code)
        account.activation_expires_at = now + dt.timedelta(days=settings.PORTAL_ACTIVATION_DAYS)
        account.created_by = account.created_by or actor
        account.save(update_fields=["activation_code_hash", "activation_expires_at", "created_by"])
    return account, code


def _failures_since(now: dt.datetime) -> Any:
    since = now - dt.timedelta(seconds=settings.PORTAL_SIGN_IN_LOCK_SECONDS)
    return PortalSignInFailure.objects.filter(at__gt=since)


def _check_not_locked(*, ip: str | None, account: Any, now: dt.datetime) -> None:
    limit = settings.PORTAL_SIGN_IN_FAILURE_LIMIT
    recent = _failures_since(now)
    if ip and recent.filter(ip_address=ip).count() >= limit:
        raise PortalSignInLocked
    if account is not None and recent.filter(account=account).count() >= limit:
        raise PortalSignInLocked


def _fail(*, ip: str | None, account: Any, now: dt.datetime, message: str) -> ValidationError:
    PortalSignInFailure.objects.create(at=now, ip_address=ip or None, account=account)
    _check_not_locked(ip=ip, account=account, now=now)  # this one may be the last straw
    return ValidationError(message)


def portal_activation_check(
    *, code: str, date_of_birth: dt.date, ip: str | None, now: dt.datetime
) -> Any:
    """The account a valid, unexpired activation code opens when the date of birth is the
    client's; else a ``ValidationError`` that does not tell which of the two was wrong."""
    _check_not_locked(ip=ip, account=None, now=now)
    account = (
        PortalAccount.objects.filter(
            kind=PortalAccountKind.CLIENT,
            activation_code_hash=activation_code_hash(code),
            is_active=True,
            client__merged_into__isnull=True,
        )
        .select_related("client")
        .first()
    )
    if account is not None:
        _check_not_locked(ip=ip, account=account, now=now)
    valid = (
        account is not None
        and account.activation_expires_at is not None
        and now < account.activation_expires_at
        and account.client.date_of_birth == date_of_birth
    )
    if not valid:
        raise _fail(
            ip=ip,
            account=account,
            now=now,
            message=_(
                "De code of de geboortedatum klopt niet, of de code is verlopen. "
                "Kijk goed en probeer het opnieuw."
            ),
        )
    return account


def portal_activation_begin(*, account: Any) -> Any:
    """Give the account a login name (once) and a new, unconfirmed authenticator key."""
    if not account.login_name:
        account.login_name = _new_login_name()
    account.totp_key = secrets.token_hex(20)
    account.totp_confirmed = False
    account.totp_last_step = None
    account.save(update_fields=["login_name", "totp_key", "totp_confirmed", "totp_last_step"])
    return account


def _new_login_name() -> str:
    alphabet = CODE_ALPHABET.lower()
    while True:
        name = "".join(secrets.choice(alphabet) for _i in range(LOGIN_NAME_LENGTH))
        if not PortalAccount.objects.filter(login_name=name).exists():
            return name


def totp_config_url(account: Any) -> str:
    """The otpauth:// address the authenticator app reads from the QR code."""
    from urllib.parse import quote, urlencode

    from django.utils.encoding import force_str

    secret = _b32(account.totp_key)
    issuer = force_str(getattr(settings, "OTP_TOTP_ISSUER", "Optimaal Leven"))
    label = quote(f"{issuer}:{account.login_name}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": TOTP_DIGITS})
    return f"otpauth://totp/{label}?{query}"


def _b32(hex_key: str) -> str:
    import base64

    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def totp_secret(account: Any) -> str:
    return _b32(account.totp_key)


def _totp_step(account: Any, token: str, now: dt.datetime) -> int | None:
    """The time step a correct authenticator code belongs to (one step of clock drift
    either way), or None; a step used before does not count twice."""
    if not account.totp_key or not token.isdigit():
        return None
    totp = TOTP(bytes.fromhex(account.totp_key), step=TOTP_STEP, digits=TOTP_DIGITS)
    totp.time = now.timestamp()
    for drift in (0, -1, 1):
        totp.drift = drift
        if hmac.compare_digest(f"{totp.token():0{TOTP_DIGITS}d}", token):
            step = totp.t()
            if account.totp_last_step is not None and step <= account.totp_last_step:
                return None
            return step
    return None


def portal_activation_complete(
    *, account: Any, code_hash: str, password: str, token: str, ip: str | None, now: dt.datetime
) -> Any:
    """Finish the activation: the chosen password and the first authenticator code. The
    activation code is used up (single use); from now on the client signs in with login
    name, password and authenticator code."""
    with transaction.atomic():
        account = (
            PortalAccount.objects.select_for_update().select_related("client").get(pk=account.pk)
        )
        if (
            not account.is_active
            or not code_hash
            or account.activation_code_hash != code_hash
            or account.activation_expires_at is None
            or now >= account.activation_expires_at
        ):
            raise ValidationError(
                _(
                    "Deze activeringscode is al gebruikt of verlopen. Vraag uw casemanager om een nieuwe."
                )
            )
    _check_not_locked(ip=ip, account=account, now=now)
    errors: dict[str, list[str]] = {}
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    step = _totp_step(account, token, now)
    if step is None:
        errors["token"] = [_("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")]
    if errors:
        if "token" in errors:
            PortalSignInFailure.objects.create(at=now, ip_address=ip or None, account=account)
        raise ValidationError(errors)
    account.password = make_password(password)
    account.totp_confirmed = True
    account.totp_last_step = step
    account.activated_at = now
    account.activation_code_hash = ""
    account.activation_expires_at = None
    account.save(
        update_fields=[
            "password",
            "totp_confirmed",
            "totp_last_step",
            "activated_at",
            "activation_code_hash",
            "activation_expires_at",
        ]
    )
    return account


def portal_password_sign_in(
    *, login_name: str, password: str, token: str, ip: str | None, now: dt.datetime
) -> Any:
    """A later sign-in of an activated client without BSN: login name, password and the
    authenticator code, all three right; a wrong one does not say which."""
    _check_not_locked(ip=ip, account=None, now=now)
    account = (
        PortalAccount.objects.filter(
            kind=PortalAccountKind.CLIENT,
            login_name=login_name.strip().lower(),
            is_active=True,
            totp_confirmed=True,
            activated_at__isnull=False,
            client__merged_into__isnull=True,
        )
        .exclude(login_name="")
        .first()
    )
    if account is not None:
        _check_not_locked(ip=ip, account=account, now=now)
    step = None
    if account is not None and check_password(password, account.password):
        step = _totp_step(account, token, now)
    if account is None or step is None:
        raise _fail(
            ip=ip,
            account=account,
            now=now,
            message=_("De inlognaam, het wachtwoord of de code klopt niet. Probeer het opnieuw."),
        )
    account.totp_last_step = step
    account.save(update_fields=["totp_last_step"])
    return account
