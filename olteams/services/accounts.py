"""Accounts: the functional administrator's reset of a lost second factor, and the throttle
of the self-service password reset."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def otp_devices_reset(*, actor: User, user: User, reason: str, request: object = None) -> int:
    """Remove every second-factor device of ``user`` (a lost phone), by a functional
    administrator with a reason; audited. At the next sign-in the user enrols again (the
    sign-in sends a user without a device to the enrolment page). Returns the number of
    devices removed."""
    if not actor.is_functional_admin:
        raise PermissionDenied(_("Alleen een functioneel beheerder mag dit."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden, bijvoorbeeld: telefoon kwijt.")})
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(
        user=actor,
        event_type=AuditEventType.DELETE,
        request=request,  # type: ignore[arg-type]
        obj=user,
        detail=f"tweede factor gereset ({removed} apparaten): {reason}"[:300],
    )
    logger.info("otp devices reset user_id=%s removed=%s", user.pk, removed)
    return removed


def _over_limit(key: str, limit: int) -> bool:
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def password_reset_allowed(*, ip: str | None, email: str) -> tuple[bool, bool]:
    """Count one reset request for the IP address and for the account (e-mail address).
    Returns (ip allowed, account allowed). Over the account's limit nothing is sent, and the
    page says the same as always (it never tells whether an account exists)."""
    ip_ok = not _over_limit(f"pwreset:ip:{ip or '-'}", settings.PASSWORD_RESET_LIMIT_PER_IP)
    account = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    account_ok = not _over_limit(
        f"pwreset:account:{account}", settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
    )
    return ip_ok, account_ok
