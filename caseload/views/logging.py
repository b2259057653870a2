"""Logging pages: contacts, non-client time, intensity changes, crises, consultations.

Thin: access (``olteams.access`` / ``olteams.audit``) → form → service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from caseload import services
from caseload.forms import (
    DEFAULT_DURATION,
    ConsultationForm,
    ContactForm,
    CrisisEndForm,
    CrisisForm,
    IntensityForm,
    NonClientTimeForm,
)
from caseload.models import Appointment, Contact
from caseload.selectors import appointments as appointment_selectors
from caseload.selectors import contacts as selectors
from clients.selectors import care_team_worker_ids
from olteams.access import ClientAction, active_memberships, clients_visible_to, team_ids_for
from olteams.audit import AUDIT_SCOPE_CLIENT, ClientScopedMixin, audit_client, audit_record
from olteams.constants import AuditEventType, AuditOutcome, TeamRole
from olteams.forms import add_service_errors
from olteams.models import Team, User
from olteams.pagination import paginate
from olteams.selectors import StaffScope
from olteams.types import AuthenticatedHttpRequest
from wmo.constants import IndicationState
from wmo.selectors import indication_register
from wmo.services import active_plan_goals


def client_file_url(client_id: int) -> str:
    """The client file (caseload); the clients detail page until that page is installed."""
    try:
        return reverse("caseload:client-file", kwargs={"client_id": client_id})
    except NoReverseMatch:
        return reverse("clients:client-detail", kwargs={"client_id": client_id})


def _next_or(request: AuthenticatedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class _CreateAuditMixin(ClientScopedMixin):
    """GET is a read of the client's data; POST records the creation."""

    client_action = ClientAction.CHANGE

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.audit_event_type = (
            AuditEventType.READ if request.method in ("GET", "HEAD") else AuditEventType.CREATE
        )
        return super().dispatch(request, *args, **kwargs)


# --- contacts ----------------------------------------------------------------------------


class _ContactFormView(View):
    request: AuthenticatedHttpRequest

    def _form(self, client: Any, data: Any = None, initial: Any = None) -> ContactForm:
        return ContactForm(
            data,
            initial=initial,
            workers=StaffScope(
                queryset=selectors.contact_worker_choices(client=client),
                team_id=client.team_id,
                first_ids=frozenset(care_team_worker_ids(client=client)),
            ),
            goals=active_plan_goals(client=client),
        )

    def _render(
        self, form: ContactForm, client: Any, contact: Contact | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "caseload/contact_form.html",
            {
                "form": form,
                "client": client,
                "object": contact,
                "next": _next_or(self.request, ""),
                "cancel_url": _next_or(self.request, client_file_url(client.pk)),
                "appointment": getattr(self, "appointment", None),
            },
            status=status,
        )


class ContactCreateView(_CreateAuditMixin, _ContactFormView):
    """Log a contact in seconds: now, the user, their last kind and a proposed funding.

    With ``?afspraak=<id>`` (a past, planned appointment of this client) the form is filled
    from the appointment and the contact, once saved, is linked to it (it is then "gelogd").
    """

    appointment: Appointment | None = None

    def _find_appointment(self, appointment_id: str | None) -> Appointment | None:
        if not appointment_id:
            return None
        return appointment_selectors.appointment_get(
            client=self.client, appointment_id=appointment_id
        )

    def _funding(self, day: Any) -> str:
        user = self.request.user
        membership = (
            active_memberships(user).filter(team_id=self.client.team_id).first()
            or active_memberships(user).first()
        )
        return services.funding_stream_propose(
            client=self.client,
            worker_discipline=membership.discipline if membership else "",
            day=day,
        )

    def _initial(self) -> dict[str, Any]:
        user = self.request.user
        now = timezone.localtime()
        return {
            "date": now.date(),
            "time": now.time().replace(second=0, microsecond=0),
            "duration_minutes": DEFAULT_DURATION,
            "travel_minutes": 0,
            "kind": selectors.contact_last_kind(user=user) or "",
            "workers": [user.pk],
            "funding_stream": self._funding(now.date()),
        }

    def _initial_from(self, appointment: Appointment) -> dict[str, Any]:
        """The appointment as it was planned: when, how long, the kind, who was there."""
        local = timezone.localtime(appointment.starts_at)
        workers = [w.pk for w in appointment.workers.all()]
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": appointment.duration_minutes,
            "travel_minutes": 0,
            "kind": appointment.kind,
            "workers": list(dict.fromkeys([self.request.user.pk, *workers])),
            "naaste_present": bool(appointment.naasten.all()),
            "funding_stream": self._funding(local.date()),
        }

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        self.appointment = self._find_appointment(request.GET.get("afspraak"))
        initial = self._initial_from(self.appointment) if self.appointment else self._initial()
        return self._render(self._form(self.client, initial=initial), self.client, None)

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        self.appointment = self._find_appointment(request.POST.get("afspraak"))
        form = self._form(self.client, request.POST)
        if form.is_valid():
            try:
                if self.appointment is not None:
                    services.appointment_contact_log(
                        actor=request.user,
                        appointment=self.appointment,
                        client=self.client,
                        **form.service_kwargs(),
                    )
                else:
                    services.contact_log(
                        actor=request.user, client=self.client, **form.service_kwargs()
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het contact is vastgelegd."))
                return redirect(_next_or(request, client_file_url(self.client.pk)))
        return self._render(form, self.client, None, status=400)


class ContactUpdateView(_ContactFormView):
    """Correct a contact (its author or a team lead). Every request is audited on the
    contact's client; a refusal is recorded as denied."""

    audit_scope = AUDIT_SCOPE_CLIENT  # it audits in dispatch (a contact of the client)

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        event = AuditEventType.READ if request.method in ("GET", "HEAD") else AuditEventType.UPDATE
        try:
            self.contact = selectors.contact_get(
                user=request.user, contact_id=kwargs.get("contact_id"), action=ClientAction.CHANGE
            )
            if str(self.contact.client_id) != str(kwargs.get("client_id")):
                raise Http404  # the contact of another client: the same answer as missing
        except Http404:
            audit_record(
                user=request.user,
                event_type=event,
                request=request,
                object_type="caseload.contact",
                object_id=str(kwargs.get("contact_id", ""))[:64],
                outcome=AuditOutcome.DENIED,
                detail="geen toegang (contact wijzigen)",
            )
            raise
        audit_client(request, self.contact.client, event_type=event, obj=self.contact)
        if not services.can_change_contact(request.user, self.contact):
            raise PermissionDenied(_("Alleen de schrijver of de teamleider kan dit wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def _initial(self) -> dict[str, Any]:
        contact = self.contact
        local = timezone.localtime(contact.starts_at)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": contact.duration_minutes,
            "travel_minutes": contact.travel_minutes,
            "kind": contact.kind,
            "workers": [p.worker_id for p in contact.presences.all()],
            "naaste_present": contact.naaste_present,
            "goals": [g.pk for g in contact.goals.all()],
            "note": contact.note,
            "funding_stream": contact.funding_stream,
        }

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, contact_id: int
    ) -> HttpResponse:
        form = self._form(self.contact.client, initial=self._initial())
        return self._render(form, self.contact.client, self.contact)

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, contact_id: int
    ) -> HttpResponse:
        client = self.contact.client
        form = self._form(client, request.POST)
        if form.is_valid():
            try:
                services.contact_update(
                    actor=request.user, contact=self.contact, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het contact is gewijzigd."))
                return redirect(_next_or(request, client_file_url(client.pk)))
        return self._render(form, client, self.contact, status=400)


# --- non-client time ---------------------------------------------------------------------


def _member_teams(user: User) -> Any:
    team_ids = team_ids_for(user)
    if not team_ids:
        raise PermissionDenied(_("Alleen voor medewerkers van een team."))
    return Team.objects.filter(pk__in=team_ids).order_by("name")


def _nonclient_form(request: AuthenticatedHttpRequest, data: Any = None) -> NonClientTimeForm:
    user = request.user
    teams = _member_teams(user)
    lead_teams = team_ids_for(user, roles=(TeamRole.LEAD,))
    workers = None
    if lead_teams:
        workers = (
            User.objects.filter(memberships__team_id__in=lead_teams, is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
    initial = {"date": timezone.localdate(), "team": teams.first()}
    return NonClientTimeForm(data, initial=initial, teams=teams, workers=workers)


def _nonclient_render(
    request: AuthenticatedHttpRequest, form: NonClientTimeForm, status: int = 200
) -> HttpResponse:
    rows = selectors.non_client_time_list(user=request.user)
    page = paginate(request, rows)
    return render(
        request, "caseload/nonclient_list.html", {"form": form, "page": page}, status=status
    )


def nonclient_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own non-client time (a lead sees the team's), with the form on the page."""
    return _nonclient_render(request, _nonclient_form(request))


def nonclient_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _nonclient_form(request, request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "caseload/nonclient_form.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.non_client_time_log(
                actor=request.user,
                team=data["team"],
                date=data["date"],
                minutes=data["minutes"],
                code=data["code"],
                target=data["target"],
                explanation=data["explanation"],
                worker=data.get("worker"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De tijd is vastgelegd."))
            return redirect("caseload:nonclient-list")
    return render(request, "caseload/nonclient_form.html", {"form": form}, status=400)


# --- intensity and crises ----------------------------------------------------------------


class IntensityCreateView(_CreateAuditMixin, View):
    """Opschalen or afschalen, with the date and the reason; the history below the form."""

    request: AuthenticatedHttpRequest

    def _render(self, form: IntensityForm, status: int = 200) -> HttpResponse:
        history = list(selectors.intensity_change_list(client=self.client)[:20])
        today = timezone.localdate()
        # Scaling Wmo support is a request to the municipality (WMO317), made per indication.
        indications = [
            row.indication
            for row in indication_register(client=self.client, today=today, user=self.request.user)
            if row.state != IndicationState.ENDED
        ]
        return render(
            self.request,
            "caseload/intensity_form.html",
            {
                "form": form,
                "client": self.client,
                "history": history,
                "indications": indications,
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        current = selectors.intensity_change_list(client=self.client).first()
        initial = {"date": timezone.localdate(), "level": current.level if current else ""}
        return self._render(IntensityForm(initial=initial))

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = IntensityForm(request.POST)
        if form.is_valid():
            try:
                services.intensity_change_record(
                    actor=request.user, client=self.client, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De intensiteit is vastgelegd."))
                return redirect(_next_or(request, client_file_url(self.client.pk)))
        return self._render(form, status=400)


class CrisisCreateView(_CreateAuditMixin, View):
    def _render(self, form: CrisisForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "caseload/crisis_form.html",
            {"form": form, "client": self.client, "crisis": None},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        return self._render(CrisisForm(initial={"started_on": timezone.localdate()}))

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = CrisisForm(request.POST)
        if form.is_valid():
            try:
                services.crisis_record(actor=request.user, client=self.client, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De crisis is vastgelegd."))
                return redirect(_next_or(request, client_file_url(self.client.pk)))
        return self._render(form, status=400)


class CrisisUpdateView(ClientScopedMixin, View):
    """End a crisis or admission."""

    client_action = ClientAction.CHANGE

    def _render(self, form: CrisisEndForm, crisis: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "caseload/crisis_form.html",
            {"form": form, "client": self.client, "crisis": crisis},
            status=status,
        )

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, crisis_id: int
    ) -> HttpResponse:
        crisis = selectors.crisis_get(user=request.user, crisis_id=crisis_id, client=self.client)
        initial = {
            "ended_on": crisis.ended_on or timezone.localdate(),
            "admission_prevented": crisis.admission_prevented,
        }
        return self._render(CrisisEndForm(initial=initial), crisis)

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, crisis_id: int
    ) -> HttpResponse:
        crisis = selectors.crisis_get(user=request.user, crisis_id=crisis_id, client=self.client)
        form = CrisisEndForm(request.POST)
        if form.is_valid():
            try:
                services.crisis_end(actor=request.user, crisis=crisis, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De crisis is beëindigd."))
                return redirect(_next_or(request, client_file_url(self.client.pk)))
        return self._render(form, crisis, status=400)


# --- consultations -----------------------------------------------------------------------


def _consultation_form(request: AuthenticatedHttpRequest, data: Any = None) -> ConsultationForm:
    teams = _member_teams(request.user)
    clients = clients_visible_to(request.user).order_by("last_name", "first_name", "id")
    initial = {"date": timezone.localdate(), "team": teams.first()}
    return ConsultationForm(data, initial=initial, teams=teams, clients=clients)


def _audit_search(request: AuthenticatedHttpRequest, detail: str) -> None:
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="caseload.consultation",
        detail=detail,
    )


def consultation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The consultations counted for the user's teams."""
    _member_teams(request.user)
    rows = selectors.consultation_list(user=request.user)
    page = paginate(request, rows)
    _audit_search(request, "consultaties van het team")
    return render(request, "caseload/consultation_list.html", {"page": page})


def consultation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _consultation_form(request, request.POST if request.method == "POST" else None)
    _audit_search(request, "cliëntkeuze bij consultatie")
    if request.method != "POST":
        return render(request, "caseload/consultation_form.html", {"form": form})
    if form.is_valid():
        try:
            services.consultation_log(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De consultatie is vastgelegd."))
            return redirect("caseload:consultation-list")
    return render(request, "caseload/consultation_form.html", {"form": form}, status=400)
