"""Request context (request id) and the two-factor gate for every signed-in page."""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device

from olteams import request_cache
from olteams.compiled import read_object
from olteams.json_rows import JsonRows
from olteams.request_cache import request_cache as open_request_cache

# Paths that a signed-in but not yet verified user may reach.
# The portal (/mijn/) has its own sign-in and no staff user: the staff gate does not apply.
_OTP_EXEMPT_PREFIXES = (
    "/aanmelden/",
    "/afmelden/",
    "/static/",
    "/healthz",
    "/i18n/",
    "/mijn/",
)


class RequestContextMiddleware:
    """Gives every request an id that audit events and log lines share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.request_id)  # type: ignore[attr-defined]
        return response


_SEEN = "_seen"  # the session key holding the last time the session was refreshed


def mark_session_fresh(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """On sign-in (``user_logged_in``): the new session counts as just refreshed, so the
    first page views after it write no session either."""
    session = getattr(request, "session", None)
    if session is not None:
        session[_SEEN] = int(time.time())


class IdleSessionMiddleware:
    """The sliding idle expiry (SESSION_COOKIE_AGE) without a session write on every request.

    Instead of ``SESSION_SAVE_EVERY_REQUEST``, the session is marked changed when it was last
    refreshed ``SESSION_TOUCH_SECONDS`` ago or longer; saving it then renews its expiry (in
    the cache and the database). A page view within that time writes no session, so the
    audit event is the one write of a read-only page; the idle expiry is exact to within
    ``SESSION_TOUCH_SECONDS``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            seen = session.get(_SEEN)
            if not isinstance(seen, int) or now - seen >= settings.SESSION_TOUCH_SECONDS:
                session[_SEEN] = now
        return self.get_response(request)


_DEVICE_STAND_IN = {"pk": -987654321}
_DEVICES = "olteams.otp_devices"


@functools.cache
def _device_rows() -> dict[str, tuple[type[Device], JsonRows]]:
    """Per installed device model: its annotation name on a user and its JSON reader."""
    return {
        f"otp_devices_{model._meta.app_label}_{model._meta.model_name}": (
            model,
            JsonRows(model, client_field="user"),
        )
        for model in apps.get_models()
        if issubclass(model, Device)
    }


def device_annotations() -> dict[str, Any]:
    """For a user's own query: every device of each installed model as JSON
    (``olteams.json_rows``), which ``remember_devices`` keeps for the request."""
    return {name: rows.annotation(["id"]) for name, (_model, rows) in _device_rows().items()}


def remember_devices(user: Any) -> None:
    """Keep the devices a user read with ``device_annotations`` came with as the request's
    devices of its signed-in user (``OTPMiddleware`` then reads none), and take the
    annotations off the user."""
    db = user._state.db
    found: dict[tuple[type[Device], int], Device] = {}
    for name, (model, rows) in _device_rows().items():
        for device in rows.instances(db, user.__dict__.pop(name, None)):
            found[(model, device.pk)] = device  # type: ignore[assignment]
    request_cache.remember(_DEVICES, lambda: found)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``) whose device
    read, run on every signed-in request, is the ORM's query compiled once per process and
    device model (``olteams.compiled``). The same persistent ids are accepted and refused
    as by ``Device.from_persistent_id``; the binding to the user stays django-otp's.

    ``request.user`` is the user itself, verified here, not a lazy proxy around
    ``AuthenticationMiddleware``'s lazy proxy: every page behind the sign-in reads it (the
    next middleware asks ``is_authenticated``), and each attribute read through the two
    proxies cost the client file ~0.5 ms. A request without a session cookie stays
    without a query (the anonymous user)."""

    def _install_lazy_accessors(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        super()._install_lazy_accessors(request)  # request.auser as django-otp's
        if user is not None:
            # AuthenticationMiddleware's proxy reads the user once (request._cached_user).
            real = get_user(request) if isinstance(user, SimpleLazyObject) else user
            request.user = self._verify_user_sync(request, real)

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            model_label, device_id = persistent_id.rsplit("/", 1)
            app_label, model_name = model_label.split(".")
            model = apps.get_model(app_label, model_name)
            pk = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        known = request_cache.recall(_DEVICES)
        if known is not None:
            # The signed-in user's own devices, read with the user: one not among them is
            # another user's or none, which django-otp refuses in the end as well.
            return known.get((model, pk))
        return read_object(
            "olteams.otp_device",
            model,
            lambda pk: model.objects.filter(id=pk)[:1],
            _DEVICE_STAND_IN,
            {"pk": pk},
            exactly_once=_DEVICE_STAND_IN,
        )


class RequireOTPMiddleware:
    """After the password, every role must pass TOTP before any page (admin included).

    Unverified users are sent to verification (or enrolment when they have no device yet);
    API calls get a 403 JSON answer instead of a redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
            and not getattr(request, "_otp_api_token", False)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Tweestapsverificatie is vereist."}, status=403)
            return redirect(f"{reverse('olteams:otp-verify')}?next={request.get_full_path()}")
        return self.get_response(request)


class RequestCacheMiddleware:
    """Opens ``olteams.request_cache`` around a GET or HEAD request: the user's access facts
    and the client facts the frame header shares with the page are read once. A write
    request reads afresh each time: its own service may have just changed them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with open_request_cache():
            return self.get_response(request)
