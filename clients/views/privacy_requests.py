"""The privacy request register (AVG art. 15, 16, 17, 21): the register of every request the
user may handle, the client's own list (the frame's "Privacyverzoeken" tab), filing a
written request, and the request with its decide, extend and withdraw forms.

Who (DESIGN.md, the privacy officer's journey; docs/architecture.md): the client's team sees
and files requests (``ClientAction.VIEW_PRIVACY``); the lead of the client's team and the
privacy officers decide and extend (``ClientAction.DECIDE_PRIVACY``). Privacy officers reach
a client only through its requests, never the rest of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clients.forms import (
    PrivacyDecideForm,
    PrivacyExtendForm,
    PrivacyRegisterFilterForm,
    PrivacyRequestForm,
    PrivacyWithdrawForm,
)
from clients.models import PrivacyRequest
from clients.selectors.privacy_requests import (
    client_privacy_requests,
    privacy_clock,
    privacy_request_get,
    privacy_request_list,
)
from clients.services import privacy_requests as service
from clients.views._base import ClientFormView
from olteams.access import ClientAction, can_export, clients_visible_to, team_ids_for
from olteams.audit import ClientScopedMixin, audit_record
from olteams.constants import AuditEventType, Role, TeamRole
from olteams.exports import export_response
from olteams.pagination import paginate, query_without
from olteams.types import AuthenticatedHttpRequest

# --- the register -------------------------------------------------------------------------


def _register_rows(request: AuthenticatedHttpRequest, form: PrivacyRegisterFilterForm) -> Any:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return privacy_request_list(
        user=request.user,
        today=today,
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        overdue=bool(data.get("te_laat")),
    )


def _may_export(request: AuthenticatedHttpRequest) -> bool:
    return request.user.is_privacy_officer or can_export(request.user)


def _list_role(request: AuthenticatedHttpRequest) -> str:
    return Role.PRIVACY_OFFICER if request.user.is_privacy_officer else ""


def privacy_register_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every request the user may handle, open ones first by deadline, each with its clock.
    The page records one SEARCH event naming the clients it showed."""
    form = PrivacyRegisterFilterForm(request.GET or None)
    today = timezone.localdate()
    page = paginate(request, _register_rows(request, form))
    rows = [{"pr": pr, "clock": privacy_clock(pr, today)} for pr in page]
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="clients.privacyrequest",
        detail="privacyverzoeken",
        client_ids=[pr.client_id for pr in page],
        role=_list_role(request),
    )
    return render(
        request,
        "clients/privacy_register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query_without(request.GET),
            "export_query": query_without(request.GET, "page"),
            "can_export": _may_export(request),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _export_rows(requests: Any, today: Any) -> Iterator[list]:
    yield [
        _("Cliëntnummer"),
        _("Naam"),
        _("Team"),
        _("Soort"),
        _("Betreft"),
        _("Ontvangen op"),
        _("Binnengekomen"),
        _("Termijn"),
        _("Verlengd tot"),
        _("Status"),
        _("Te laat"),
        _("Beslissing"),
        _("Beslist op"),
    ]
    for pr in requests:
        clock = privacy_clock(pr, today)
        yield [
            pr.client_id,
            pr.client.full_name,
            pr.client.team.name,
            pr.get_kind_display(),
            pr.part_label,
            pr.received_on,
            pr.get_filed_via_display(),
            pr.due_on,
            pr.extended_until or "",
            pr.get_status_display(),
            _("ja") if clock.is_late else "",
            pr.get_decision_display() if pr.decision else "",
            timezone.localdate(pr.decided_at) if pr.decided_at else "",
        ]


def privacy_register_export(
    request: AuthenticatedHttpRequest,
) -> HttpResponse | StreamingHttpResponse:
    """The register's filtered rows as CSV, for the privacy officers and the team's lead and
    secretariaat (their own teams only); the EXPORT event names every client exported."""
    if not _may_export(request):
        raise PermissionDenied
    form = PrivacyRegisterFilterForm(request.GET or None)
    rows = _register_rows(request, form)
    if not request.user.is_privacy_officer:
        exportable = clients_visible_to(request.user, action=ClientAction.EXPORT)
        rows = rows.filter(client__in=exportable.values("pk"))
    rows = list(rows)
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,
        object_type="clients.privacyrequest",
        detail="privacyverzoeken (csv)",
        client_ids=[pr.client_id for pr in rows],
        role=_list_role(request),
    )
    return export_response(
        _export_rows(rows, timezone.localdate()), fmt="csv", filename="privacyverzoeken"
    )


# --- one client ---------------------------------------------------------------------------


class PrivacyRequestListView(ClientScopedMixin, TemplateView):
    """The frame's tab: the client's requests with their clocks."""

    client_action = ClientAction.VIEW_PRIVACY
    template_name = "clients/privacy_request_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        requests = client_privacy_requests(client=self.client)
        return super().get_context_data(
            client=self.client,
            rows=[{"pr": pr, "clock": privacy_clock(pr, today)} for pr in requests],
            may_file=service.may_file(self.request.user, self.client),
            **kwargs,
        )


class PrivacyRequestCreateView(ClientFormView):
    """Register a written, e-mailed or spoken request (the portal files its own)."""

    client_action = ClientAction.VIEW_PRIVACY
    form_class = PrivacyRequestForm
    title = _("Privacyverzoek registreren")
    intro = _(
        "Leg een verzoek om inzage, correctie, aanvulling, verwijdering of bezwaar vast. "
        "De wettelijke termijn is een maand na ontvangst."
    )
    submit_label = _("Registreren")
    success_message = _("Het privacyverzoek is geregistreerd.")
    created: PrivacyRequest | None = None

    def get_initial(self) -> dict[str, Any]:
        return {"received_on": timezone.localdate()}

    def get_success_url(self) -> str:
        if self.created is not None:
            return _detail_url(self.created)
        return reverse("clients:privacy-request-list", kwargs={"client_id": self.client.pk})

    def perform(self, form: PrivacyRequestForm) -> None:
        self.created = service.file_request(
            self.client,
            filed_by=self.request.user,
            request=self.request,
            **form.cleaned_data,
        )


def _detail_url(pr: PrivacyRequest) -> str:
    return reverse(
        "clients:privacy-request-detail", kwargs={"client_id": pr.client_id, "pk": pr.pk}
    )


def _get(client: Any, pk: Any) -> PrivacyRequest:
    try:
        return privacy_request_get(client=client, pk=pk)
    except PrivacyRequest.DoesNotExist:
        raise Http404 from None


class PrivacyRequestDetailView(ClientScopedMixin, TemplateView):
    """One request: what the client asks, the clock, the extension and the decision, and
    the actions the user may take."""

    client_action = ClientAction.VIEW_PRIVACY
    template_name = "clients/privacy_request_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        pr = _get(self.client, self.kwargs["pk"])
        user = self.request.user
        is_open = pr.status == "open"
        return super().get_context_data(
            client=self.client,
            pr=pr,
            clock=privacy_clock(pr, timezone.localdate()),
            may_decide=is_open and service.may_decide(user, self.client),
            may_withdraw=is_open and service.may_file(user, self.client),
            # The whole-file export for an inzage request: the lead of the client's team
            # (caseload:inzage-export checks the same).
            may_export=self.client.team_id in team_ids_for(user, roles=(TeamRole.LEAD,)),  # type: ignore[arg-type]
            **kwargs,
        )


class _RequestActionView(ClientFormView):
    """A form on one open request; the service decides who may."""

    client_action = ClientAction.VIEW_PRIVACY
    template_name = "clients/privacy_request_form.html"
    needs_decide = True
    privacy_request: PrivacyRequest

    def setup_request(self) -> None:
        self.privacy_request = _get(self.client, self.kwargs["pk"])
        allowed = (
            service.may_decide(self.request.user, self.client)
            if self.needs_decide
            else service.may_file(self.request.user, self.client)
        )
        if not allowed:
            raise PermissionDenied
        if self.privacy_request.status != "open":
            messages.info(self.request, _("Dit verzoek is al afgehandeld."))
            raise _Handled(_detail_url(self.privacy_request))

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            self.setup_request()
        except _Handled as done:
            return redirect(done.url)
        return super().get(request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            self.setup_request()
        except _Handled as done:
            return redirect(done.url)
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return _detail_url(self.privacy_request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            pr=self.privacy_request,
            clock=privacy_clock(self.privacy_request, timezone.localdate()),
            **kwargs,
        )


class _Handled(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


class PrivacyRequestDecideView(_RequestActionView):
    form_class = PrivacyDecideForm
    title = _("Beslissen op het privacyverzoek")
    submit_label = _("Beslissing vastleggen")
    success_message = _("De beslissing is vastgelegd.")

    def perform(self, form: PrivacyDecideForm) -> None:
        service.decide(
            self.privacy_request, actor=self.request.user, request=self.request, **form.cleaned_data
        )


class PrivacyRequestExtendView(_RequestActionView):
    form_class = PrivacyExtendForm
    title = _("Termijn verlengen")
    intro = _(
        "De termijn mag met hooguit twee maanden worden verlengd. Vertel de cliënt binnen de "
        "eerste maand dat en waarom het langer duurt."
    )
    submit_label = _("Verlengen")
    success_message = _("De termijn is verlengd.")

    def get_initial(self) -> dict[str, Any]:
        return {"client_told_on": timezone.localdate()}

    def perform(self, form: PrivacyExtendForm) -> None:
        service.extend(
            self.privacy_request, actor=self.request.user, request=self.request, **form.cleaned_data
        )


class PrivacyRequestWithdrawView(_RequestActionView):
    form_class = PrivacyWithdrawForm
    needs_decide = False
    title = _("Verzoek ingetrokken door de cliënt")
    submit_label = _("Intrekking vastleggen")
    success_message = _("De intrekking is vastgelegd.")

    def perform(self, form: PrivacyWithdrawForm) -> None:
        service.withdraw(
            self.privacy_request,
            actor=self.request.user,
            note=form.cleaned_data["note"],
            request=self.request,
        )
