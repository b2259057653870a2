"""Appointment pages: a client's appointments (plan, change, cancel), the worker's and the
team's week, and the private calendar address (Agendakoppeling) with its feed.

Thin: access (``olteams.access`` / ``olteams.audit``) → form → service → redirect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from caseload.calendar_ics import render_calendar
from caseload.constants import AppointmentScope, AppointmentState
from caseload.forms_appointments import (
    AppointmentCancelForm,
    AppointmentForm,
    appointment_initial,
)
from caseload.models import Appointment, CalendarFeedToken
from caseload.selectors import appointments as selectors
from caseload.services import appointments as services
from caseload.services import calendar_feed
from caseload.views.logging import _CreateAuditMixin
from clients.models import Naaste
from clients.selectors import client_staff_scope
from olteams.access import ClientAction, can, team_ids_for
from olteams.audit import ClientScopedMixin, audit_record
from olteams.constants import AuditEventType
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest

FEED_SESSION_KEY = "caseload_calendar_feed_url"
MAX_WEEK_YEARS = 10  # how far the week view goes back or ahead


def appointment_list_url(client_id: int) -> str:
    return reverse("caseload:appointment-list", kwargs={"client_id": client_id})


# --- a client's appointments -------------------------------------------------------------


class AppointmentListView(ClientScopedMixin, View):
    """The client's appointments to come and those that were, with what can be done."""

    client_action = ClientAction.VIEW

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        now = timezone.now()
        rows = list(selectors.appointment_list(client=self.client))
        upcoming = [a for a in rows if a.starts_at >= now]
        past = [a for a in rows if a.starts_at < now]
        past.reverse()  # newest first
        return render(
            request,
            "caseload/appointment_list.html",
            {
                "client": self.client,
                "upcoming": upcoming,
                "past": past,
                "can_change": can(request.user, self.client, ClientAction.CHANGE),
                "planned": AppointmentState.PLANNED,
                "now": now,
            },
        )


class _AppointmentFormMixin(View):
    request: AuthenticatedHttpRequest
    client: Any

    def _form(self, data: Any = None, initial: Any = None, *, with_scope: bool = False) -> Any:
        return AppointmentForm(
            data,
            initial=initial,
            workers=client_staff_scope(client=self.client),
            naasten=Naaste.objects.filter(client=self.client).order_by("name"),
            with_scope=with_scope,
        )

    def _render(
        self, form: Any, appointment: Appointment | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "caseload/appointment_form.html",
            {"form": form, "client": self.client, "object": appointment},
            status=status,
        )


class AppointmentCreateView(_CreateAuditMixin, _AppointmentFormMixin):
    """Plan an appointment, one-off or every N weeks."""

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        start = (timezone.localtime() + dt.timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        initial = {
            "date": start.date(),
            "start_time": start.time(),
            "end_time": (start + dt.timedelta(minutes=45)).time(),
            "workers": [request.user.pk],
            "client_present": True,
        }
        return self._render(self._form(initial=initial), None)

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                planned = services.appointment_plan(
                    actor=request.user, client=self.client, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s afspraak gepland.") % {"n": 1}
                    if len(planned) == 1
                    else _("%(n)s afspraken gepland.") % {"n": len(planned)},
                )
                return redirect(appointment_list_url(self.client.pk))
        return self._render(form, None, status=400)


class _OneAppointmentView(ClientScopedMixin, View):
    client_action = ClientAction.CHANGE

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.appointment_id = kwargs.get("appointment_id")
        return super().dispatch(request, *args, **kwargs)

    def _appointment(self) -> Appointment:
        appointment = selectors.appointment_get(
            client=self.client, appointment_id=self.appointment_id
        )
        if appointment.state != AppointmentState.PLANNED:
            raise Http404  # logged or cancelled: nothing to change here
        return appointment


class AppointmentUpdateView(_AppointmentFormMixin, _OneAppointmentView):
    """Change one appointment, this and the following ones, or the whole series."""

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, appointment_id: int
    ) -> HttpResponse:
        appointment = self._appointment()
        form = self._form(
            initial=appointment_initial(appointment), with_scope=appointment.series.repeats
        )
        return self._render(form, appointment)

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, appointment_id: int
    ) -> HttpResponse:
        appointment = self._appointment()
        repeats = appointment.series.repeats
        form = self._form(request.POST, with_scope=repeats)
        if form.is_valid():
            scope = form.cleaned_data["scope"] if repeats else AppointmentScope.SERIES
            try:
                services.appointment_update(
                    actor=request.user,
                    appointment=appointment,
                    scope=scope,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De afspraak is gewijzigd."))
                return redirect(appointment_list_url(self.client.pk))
        return self._render(form, appointment, status=400)


class AppointmentCancelView(_OneAppointmentView):
    """Cancel one appointment or the rest of its series, with the reason (kept)."""

    def _show(self, form: AppointmentCancelForm, appointment: Any, status: int = 200) -> Any:
        return render(
            self.request,
            "caseload/appointment_cancel.html",
            {"form": form, "client": self.client, "object": appointment},
            status=status,
        )

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, appointment_id: int
    ) -> HttpResponse:
        appointment = self._appointment()
        return self._show(AppointmentCancelForm(with_scope=appointment.series.repeats), appointment)

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, appointment_id: int
    ) -> HttpResponse:
        appointment = self._appointment()
        form = AppointmentCancelForm(request.POST, with_scope=appointment.series.repeats)
        if form.is_valid():
            try:
                count = services.appointment_cancel(
                    actor=request.user,
                    appointment=appointment,
                    reason=form.cleaned_data["reason"],
                    scope=form.cleaned_data.get("scope") or AppointmentScope.ONE,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Geannuleerd: %(n)s afspraak of afspraken.") % {"n": count}
                )
                return redirect(appointment_list_url(self.client.pk))
        return self._show(form, appointment, status=400)


# --- the week ----------------------------------------------------------------------------


def _monday(request: HttpRequest) -> dt.date:
    """The Monday of the week asked for (any day of it); this week when none or nonsense
    (or a year no calendar needs, whose neighbouring weeks would not exist)."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    if abs(day.year - today.year) > MAX_WEEK_YEARS:
        day = today
    return selectors.week_monday(day)


def _week_context(monday: dt.date, days: list[Any]) -> dict[str, Any]:
    return {
        "days": days,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "this_week": selectors.week_monday(timezone.localdate()).isoformat(),
        "today": timezone.localdate(),
    }


def _render_week(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = "caseload/agenda.html"
    if getattr(request, "htmx", False):
        template += "#agenda-week"
    return render(request, template, context)


def _audit_week(request: AuthenticatedHttpRequest, detail: str) -> None:
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="caseload.appointment",
        detail=detail,
    )


@require_GET
def agenda_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My agenda: the week of the user's own appointments (everyone working in a team)."""
    if not team_ids_for(request.user):
        raise PermissionDenied
    monday = _monday(request)
    days = selectors.agenda_week(user=request.user, worker=request.user, monday=monday)
    _audit_week(request, f"mijn agenda, week van {monday.isoformat()}")
    context = _week_context(monday, days) | {"team": None, "base_url": reverse("caseload:agenda")}
    return _render_week(request, context)


@require_GET
def team_agenda_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The week of every worker of one of the user's teams (``?team=``; else the first)."""
    teams = list(selectors.agenda_teams(user=request.user))
    if not teams:
        raise PermissionDenied
    chosen = request.GET.get("team")
    team = next((t for t in teams if str(t.pk) == chosen), None) if chosen else teams[0]
    if team is None:
        raise Http404
    monday = _monday(request)
    days = selectors.team_agenda_week(user=request.user, team=team, monday=monday)
    _audit_week(request, f"teamagenda, week van {monday.isoformat()}")
    context = _week_context(monday, days) | {
        "team": team,
        "teams": teams,
        "base_url": f"{reverse('caseload:team-agenda')}?team={team.pk}",
    }
    return _render_week(request, context)


# --- the calendar address ----------------------------------------------------------------


def agenda_feed_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Agendakoppeling: make, remake or revoke the user's private calendar address. The
    address is shown once, right after it was made (only its hash is stored)."""
    if not team_ids_for(request.user):
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("action") == "intrekken":
            calendar_feed.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("De agendakoppeling is ingetrokken."))
        else:
            secret = calendar_feed.calendar_feed_create(actor=request.user)
            url = request.build_absolute_uri(
                reverse("caseload:agenda-feed", kwargs={"token": secret})
            )
            request.session[FEED_SESSION_KEY] = url
            messages.success(request, _("Er is een nieuwe agendakoppeling gemaakt."))
        return redirect("caseload:agenda-feed-settings")
    active = CalendarFeedToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    new_url = request.session.pop(FEED_SESSION_KEY, None) if active else None
    return render(request, "caseload/agenda_feed.html", {"active": active, "new_url": new_url})


@login_not_required
@require_GET
def agenda_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed (no sign-in: the secret in the address is the key). Unknown or
    revoked: 404. Records no audit event per fetch (a calendar polls every few minutes, and
    the feed holds no name, note or address); making and revoking the address is on the
    token row, with the last use."""
    now = timezone.now()
    worker = calendar_feed.calendar_feed_user(secret=token, now=now)
    if worker is None:
        raise Http404
    body = render_calendar(selectors.calendar_feed_appointments(worker=worker, now=now), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
