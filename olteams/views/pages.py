"""Sign-in with two factors, start pages per role, notifications, health and the audit log."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from olteams.access import active_memberships, request_roles, team_ids_for
from olteams.audit import audit_record
from olteams.charts import qr_svg
from olteams.constants import AuditEventType, Role
from olteams.forms import AuditFilterForm, SignInForm, TokenForm
from olteams.pagination import paginate, query_without
from olteams.replica import read_alias
from olteams.selectors import audit_event_list, notification_list, staff_label
from olteams.selectors import staff_search as staff_search_selector
from olteams.services import notification_mark_read
from olteams.tasks import BEAT_TICK_KEY
from olteams.types import AuthenticatedHttpRequest

BEAT_STALE_AFTER = dt.timedelta(minutes=5)


def _safe_next(request: HttpRequest, fallback: str = "olteams:home") -> str:
    """A local ``next`` target, or ``fallback``: another host, a scheme or a control
    character (CR/LF would split the Location header) sends the user home instead."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target
        and not any(ord(c) < 32 or ord(c) == 127 for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback


def _second_factor_passed(request: HttpRequest, device: Any) -> None:
    """Mark the session verified under a new session key: a key seen before the second
    factor (fixation) is worth nothing afterwards."""
    otp_login(request, device)
    request.session.cycle_key()


class SignInView(auth_views.LoginView):
    template_name = "olteams/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        super().form_valid(form)
        audit_record(
            user=form.get_user(),
            event_type=AuditEventType.LOGIN,
            request=self.request,
            detail="wachtwoord",
        )
        # Any confirmed device (authenticator app or printed backup codes) means "verify".
        target = "olteams:otp-verify" if user_has_device(form.get_user()) else "olteams:otp-enrol"
        nxt = _safe_next(self.request, "")
        response = redirect(target)
        if nxt:
            response["Location"] += "?" + urlencode({"next": nxt})
        return response


sign_in = login_not_required(SignInView.as_view())


@login_not_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("olteams:login")
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if (
        not request.user.staticdevice_set.exists()
        and not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    ):
        return redirect("olteams:otp-enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            _second_factor_passed(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer het opnieuw."))
    return render(
        request, "olteams/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@login_not_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: show a QR code for the authenticator app, confirm with one code."""
    if not request.user.is_authenticated:
        return redirect("olteams:login")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("olteams:otp-verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _second_factor_passed(request, device)
            messages.success(request, _("Tweestapsverificatie is ingesteld."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    context = {
        "form": form,
        "qr_svg": qr_svg(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _safe_next(request, ""),
    }
    return render(request, "olteams/otp_enrol.html", context)


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("U bent afgemeld."))
    return redirect("olteams:login")


START_TEMPLATES = {
    Role.TEAM_LEAD: "olteams/start/team.html",
    Role.TEAM_MEMBER: "olteams/start/team.html",
    Role.SECRETARIAAT: "olteams/start/team.html",
    Role.WMO_LEAD: "olteams/start/wmo.html",
    Role.WMO_CONSULTANT: "olteams/start/wmo.html",
    Role.CONTROLLER: "olteams/start/controller.html",
    Role.STUURGROEP: "olteams/start/stuurgroep.html",
    Role.FUNCTIONAL_ADMIN: "olteams/start/admin.html",
    Role.PRIVACY_OFFICER: "olteams/start/privacy.html",
}


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page of the user's first role; each role has its own."""
    roles = request_roles(request)
    if not roles:
        return render(request, "olteams/start/none.html")
    role = Role(roles[0])

    context = {
        "role": role,
        "memberships": active_memberships(request.user),
        "notifications": notification_list(user=request.user, unread_only=True)[:10],
    }
    return render(request, START_TEMPLATES[role], context)


def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = paginate(request, notification_list(user=request.user), per_page=25)
    return render(request, "olteams/notification_list.html", {"page": page})


@require_POST
def notifications_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    count = notification_mark_read(
        user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None
    )
    messages.success(request, _("%(count)s melding(en) gemarkeerd als gelezen.") % {"count": count})
    return redirect("olteams:notification-list")


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and the last beat tick; 503 when one is down."""
    state: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception:
        state["database"] = "down"
    last_tick = None
    try:
        cache.set("healthz:ping", "1", timeout=10)
        state["redis"] = "ok" if cache.get("healthz:ping") == "1" else "down"
        last_tick = cache.get(BEAT_TICK_KEY)
    except Exception:
        state["redis"] = "down"
    state["beat_last_tick"] = last_tick
    if last_tick is None:
        state["beat"] = "unknown"
    else:
        age = timezone.now() - dt.datetime.fromisoformat(last_tick)
        state["beat"] = "ok" if age <= BEAT_STALE_AFTER else "stale"
    down = state["database"] != "ok" or state["redis"] != "ok" or state["beat"] == "stale"
    state["status"] = "down" if down else "ok"
    return JsonResponse(state, status=503 if down else 200)


def _require_functional_admin(request: AuthenticatedHttpRequest) -> None:
    if not (request.user.is_functional_admin and request.user.is_verified()):
        raise PermissionDenied


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_functional_admin(request)
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list()
    if form.is_valid():
        events = audit_event_list(**{k: v for k, v in form.cleaned_data.items() if v})
    elif form.is_bound:
        events = events.none()
    page = paginate(request, events)
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        client_id=form.cleaned_data.get("client_id") if form.is_valid() else None,
        object_type="olteams.auditevent",
        detail="auditlog doorzocht",
    )
    return render(
        request,
        "olteams/audit_list.html",
        {"form": form, "page": page, "query": query_without(request.GET)},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    _require_functional_admin(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "olteams/audit_list.html",
            {"form": form, "page": None, "query": ""},
            status=400,
        )
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    # A large read that tolerates seconds of lag: on the replica when there is a healthy one
    # (olteams.replica); the export's own audit event is written on the primary.
    events = audit_event_list(**filters).using(read_alias(user=request.user))
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,
        client_id=filters.get("client_id"),
        object_type="olteams.auditevent",
        detail="auditlog geëxporteerd (CSV)",
    )
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        "tijdstip",
        "actie",
        "soort",
        "uitkomst",
        "gebruiker",
        "verantwoordelijke",
        "rol",
        "team",
        "ip",
        "client_id",
        "object",
        "object_id",
        "grondslag",
        "request_id",
    ]

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(e.occurred_at).isoformat(),
                    e.action,
                    e.event_type,
                    e.outcome,
                    e.username,
                    e.responsible_user_id or "",
                    e.role,
                    e.team_id or "",
                    e.ip_address or "",
                    e.client_id or "",
                    e.object_type,
                    e.object_id,
                    e.grounds,
                    e.request_id,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="auditlog.csv"'
    return response


# Where each app's client pages lived before the client frame, relative to /clienten/<id>/.
_OLD_CLIENT_PREFIXES = {"herstelplan": "herstelplan/", "wmo": "wmo/", "caseload": ""}


def old_client_url(request: HttpRequest, app: str, legacy_id: str, rest: str) -> HttpResponse:
    """A bookmark from before the client frame: a permanent redirect to the same page under
    /clienten/<id>/. It reads nothing: the target checks access and audits, and this answers
    the same for any id (hence ``legacy_id``, not a client-scoped ``client_id``)."""
    if app == "caseload" and rest.startswith("dossier/"):
        rest = rest.removeprefix("dossier/")
    target = f"/clienten/{int(legacy_id)}/{_OLD_CLIENT_PREFIXES[app]}{rest}"
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)


_FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_MIN_SEARCH = 2


def staff_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search results of the staff picker (an htmx fragment): staff of the user's own teams,
    matched by name. Refused to roles that work with no team (it names no client)."""
    user = request.user
    if not team_ids_for(user):
        raise PermissionDenied
    name = request.GET.get("name", "")
    input_type = request.GET.get("type", "checkbox")
    if not _FIELD_NAME.match(name) or input_type not in ("checkbox", "radio"):
        return HttpResponse(status=400)
    query = request.GET.get("q", "").strip()
    rows = []
    if len(query) >= _MIN_SEARCH:
        workers = staff_search_selector(
            user=user,
            query=query,
            team_id=_int_or_none(request.GET.get("team")),
            exclude_ids=_int_list(request.GET.get("exclude", "")),
            exclude_roles=[r for r in request.GET.get("zonder", "").split(",") if r],
        )
        rows = [{"value": str(w.pk), "label": staff_label(w)} for w in workers]
    context = {
        "rows": rows,
        "name": name,
        "input_type": input_type,
        "too_short": len(query) < _MIN_SEARCH,
    }
    return render(request, "olteams/_staff_results.html", context)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _int_list(value: str) -> list[int]:
    return [int(v) for v in value.split(",") if v.isdigit()]
