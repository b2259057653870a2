"""Wmo pages: the team's requests, the consultant's inbox and decision, letters, register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from olteams.access import ClientAction, can, municipality_ids_for, roles_of
from olteams.audit import ClientScopedMixin, audit_record, client_view
from olteams.constants import AuditEventType, Role
from olteams.forms import add_service_errors
from olteams.models import User
from olteams.pagination import paginate, query_without
from wmo import iwmo, selectors, services
from wmo.constants import RequestStatus, ResultArea
from wmo.filters import InboxFilter, RequestFilter
from wmo.forms import DecisionForm, IndicationChangeForm, RequestForm, Wmo301UploadForm
from wmo.models import Decision, Indication, IndicationRequest
from wmo.pdf import render_decision_letter

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    """LoginRequiredMiddleware guarantees a signed-in user on every Wmo page."""
    return request.user  # type: ignore[return-value]


def _with_clocks(rows: Any, today: dt.date) -> Any:
    for row in rows:
        row.clock = selectors.deadline_clock(row, today)
    return rows


def request_list(request: HttpRequest) -> HttpResponse:
    """The team's requests: every client the user cares for."""
    if not ({Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.SECRETARIAAT} & set(roles_of(_user(request)))):
        raise PermissionDenied
    today = timezone.localdate()
    filterset = RequestFilter(request.GET, queryset=selectors.request_list(user=_user(request)))
    page = paginate(request, filterset.qs, per_page=PAGE_SIZE)
    _with_clocks(page, today)
    audit_record(
        user=_user(request),
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="wmo.indicationrequest",
        detail="Wmo-aanvragen van het team",
        client_ids=[row.client_id for row in page],
    )
    return render(
        request,
        "wmo/request_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without(request.GET),
        },
    )


def indication_overview(request: HttpRequest) -> HttpResponse:
    """The indication register across clients, per team and per municipality."""
    user = _user(request)
    if not ({Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.SECRETARIAAT} & set(roles_of(user))) and (
        not municipality_ids_for(user)
    ):
        raise PermissionDenied
    today = timezone.localdate()

    def _id(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    rows = selectors.indication_overview(
        user=user, today=today, team_id=_id("team"), municipality_id=_id("gemeente")
    )
    teams = sorted({(r.indication.client.team_id, r.indication.client.team.name) for r in rows})
    places = sorted({(r.indication.municipality_id, r.indication.municipality.name) for r in rows})
    audit_record(
        user=user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="wmo.indication",
        detail="Indicatieregister",
        client_ids=[r.indication.client_id for r in rows],
    )
    return render(
        request,
        "wmo/indication_overview.html",
        {"rows": rows, "teams": teams, "places": places, "today": today},
    )


def inbox(request: HttpRequest) -> HttpResponse:
    """The consultant's inbox: requests to their municipalities, overdue first, by deadline."""
    municipality_ids = municipality_ids_for(_user(request))
    if not municipality_ids:
        raise PermissionDenied
    today = timezone.localdate()
    filterset = InboxFilter(
        request.GET,
        municipality_ids=municipality_ids,
        queryset=selectors.inbox_list(user=_user(request), municipality_ids=municipality_ids),
    )
    page = paginate(request, filterset.qs, per_page=PAGE_SIZE)
    _with_clocks(page, today)
    audit_record(
        user=_user(request),
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="wmo.indicationrequest",
        detail="Wmo-inbox",
        client_ids=[row.client_id for row in page],
    )
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without(request.GET),
        "counts": selectors.pending_counts(
            user=_user(request), today=today, municipality_ids=municipality_ids
        ),
    }
    template = "wmo/inbox.html#inbox-table" if getattr(request, "htmx", False) else "wmo/inbox.html"
    return render(request, template, context)


def lead_times(request: HttpRequest) -> HttpResponse:
    """Lead-time figures per municipality and month (the last twelve months)."""
    user = _user(request)
    if not (municipality_ids_for(user) or user.is_stuurgroep):
        raise PermissionDenied
    today = timezone.localdate()
    since = today.replace(day=1) - dt.timedelta(days=335)
    rows = selectors.lead_time_stats(user=user, since=since.replace(day=1), until=today)
    return render(request, "wmo/lead_times.html", {"rows": rows})


class RequestFormView(ClientScopedMixin, View):
    """Draft (pk absent) or change a concept request; goals come from the active plan."""

    client_action = ClientAction.CHANGE

    def _form(self, data: Any = None, initial: Any = None) -> RequestForm:
        today = timezone.localdate()
        return RequestForm(
            data,
            initial=initial,
            products=selectors.products_for(municipality_id=self.client.municipality_id, day=today),
            goals=services.active_plan_goals(client=self.client),
        )

    def _object(self, pk: Any) -> IndicationRequest | None:
        return (
            selectors.request_get(user=_user(self.request), client=self.client, pk=pk)
            if pk
            else None
        )

    def _initial(self, obj: IndicationRequest | None) -> dict[str, Any]:
        if obj is None:
            initial: dict[str, Any] = {
                "start": timezone.localdate(),
                "unit": "04",
                "frequency": "2",
            }
            # "Wmo-aanvraag maken" on a plan goal (?doel=<id>) ticks that goal.
            goal = self.request.GET.get("doel", "")
            if goal.isdigit() and services.active_plan_goals(client=self.client).filter(pk=goal):
                initial["goal_ids"] = [goal]
            return initial
        initial = {
            f: getattr(obj, f)
            for f in (
                "volume",
                "unit",
                "frequency",
                "start",
                "end",
                "is_temporary",
                "result_areas",
                "motivation",
            )
        }
        initial["product_code"] = obj.product.code
        initial["goal_ids"] = [str(g.plan_goal_id) for g in obj.goals.all()]
        initial |= {f"zrm_{s.domain}": s.score for s in obj.zrm_scores.all()}
        return initial

    def _render(
        self, form: RequestForm, obj: IndicationRequest | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "wmo/request_form.html",
            {"form": form, "client": self.client, "object": obj},
            status=status,
        )

    def get(self, request: HttpRequest, client_id: int, pk: int | None = None) -> HttpResponse:
        obj = self._object(pk)
        return self._render(self._form(initial=self._initial(obj)), obj)

    def post(self, request: HttpRequest, client_id: int, pk: int | None = None) -> HttpResponse:
        obj = self._object(pk)
        form = self._form(request.POST)
        if form.is_valid():
            try:
                if obj is None:
                    obj = services.request_create(
                        actor=_user(request), client=self.client, data=form.service_data()
                    )
                else:
                    services.request_update(
                        actor=_user(request), request=obj, data=form.service_data()
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De aanvraag is opgeslagen als concept."))
                return redirect("wmo:request-detail", client_id=self.client.pk, pk=obj.pk)
        return self._render(form, obj, status=400)


@client_view(action=ClientAction.VIEW_WMO)
def request_detail(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """One request with its clock, goals, ZRM and decisions; actions by role."""
    obj = selectors.request_get(user=_user(request), client=client, pk=pk)
    today = timezone.localdate()
    # The team's actions (edit, submit, withdraw) need the right to change: someone who
    # views the file under emergency access (break-the-glass) sees the request only.
    is_team = selectors.has_care_access(user=_user(request), client=client) and can(
        _user(request), client, ClientAction.CHANGE
    )
    return render(
        request,
        "wmo/request_detail.html",
        {
            "client": client,
            "object": obj,
            "clock": selectors.deadline_clock(obj, today),
            "is_team": is_team,
            "can_decide": not is_team
            and selectors.is_deciding_consultant(user=_user(request), request=obj),
            "decisions": list(obj.decisions.all()),
            "upload_form": Wmo301UploadForm(),
            "can_import": iwmo.may_import_for(_user(request), obj.municipality_id),
            "result_area_labels": [ResultArea(a).label for a in obj.result_areas],
            # A concept the client has not consented to send: say so before "Indienen".
            "consent_missing": (
                services.consent_missing_message(obj, missing)
                if is_team
                and obj.status == RequestStatus.CONCEPT
                and (missing := services.request_consent_missing(request=obj, day=today))
                else ""
            ),
        },
    )


def _action(request: HttpRequest, client: Any, pk: int, service: Any, done: str) -> HttpResponse:
    obj = selectors.request_get(user=_user(request), client=client, pk=pk)
    try:
        service(actor=_user(request), request=obj)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("wmo:request-detail", client_id=client.pk, pk=obj.pk)


@require_POST
@client_view(action=ClientAction.CHANGE, event_type=AuditEventType.UPDATE)
def request_submit(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    return _action(
        request, client, pk, services.request_submit, _("De aanvraag is ingediend bij de gemeente.")
    )


@require_POST
@client_view(action=ClientAction.CHANGE, event_type=AuditEventType.UPDATE)
def request_withdraw(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    return _action(request, client, pk, services.request_withdraw, _("De aanvraag is ingetrokken."))


@require_POST
@client_view(action=ClientAction.CHANGE, event_type=AuditEventType.DELETE)
def request_delete(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    obj = selectors.request_get(user=_user(request), client=client, pk=pk)
    try:
        services.request_delete(actor=_user(request), request=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("wmo:request-detail", client_id=client.pk, pk=obj.pk)
    messages.success(request, _("Het concept is verwijderd."))
    return redirect("wmo:request-list")


@require_POST
@client_view(action=ClientAction.DECIDE_WMO, event_type=AuditEventType.UPDATE)
def request_review(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    return _action(
        request,
        client,
        pk,
        services.request_start_review,
        _("U heeft de aanvraag in behandeling genomen."),
    )


class DecisionCreateView(ClientScopedMixin, View):
    """The consultant's decision form."""

    client_action = ClientAction.DECIDE_WMO

    def _render(
        self, form: DecisionForm, obj: IndicationRequest, status: int = 200
    ) -> HttpResponse:
        clock = selectors.deadline_clock(obj, timezone.localdate())
        return render(
            self.request,
            "wmo/decision_form.html",
            {"form": form, "client": self.client, "object": obj, "clock": clock},
            status=status,
        )

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        return self._render(DecisionForm(), obj)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = services.request_decide(
                    actor=_user(request), request=obj, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het besluit is vastgelegd: %(kind)s.")
                    % {"kind": decision.get_kind_display()},
                )
                return redirect("wmo:request-detail", client_id=self.client.pk, pk=obj.pk)
        return self._render(form, obj, status=400)


def _decision(request: HttpRequest, client: Any, pk: int) -> Decision:
    """A decision is visible to whoever may see its request."""
    decision = (
        Decision.objects.select_related(
            "request",
            "request__client",
            "request__team",
            "municipality",
            "decided_by",
            "indication__product__category",
        )
        .filter(pk=pk, request__client=client)
        .first()
    )
    if decision is None:
        raise Http404
    selectors.request_get(user=_user(request), client=client, pk=decision.request_id)
    return decision


@client_view(action=ClientAction.VIEW_WMO, event_type=AuditEventType.PRINT)
def decision_letter(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """The beschikking as PDF."""
    decision = _decision(request, client, pk)
    if not decision.is_beschikking:
        raise Http404
    response = HttpResponse(render_decision_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="beschikking-{decision.beschikking_number}.pdf"'
    )
    return response


@client_view(action=ClientAction.VIEW_WMO, event_type=AuditEventType.EXPORT)
def request_xml(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """The request as an iWmo 3.2 WMO315 message."""
    obj = selectors.request_get(user=_user(request), client=client, pk=pk)
    if obj.submitted_on is None:
        messages.error(request, _("Een concept kan nog niet als WMO315 worden uitgevoerd."))
        return redirect("wmo:request-detail", client_id=client.pk, pk=obj.pk)
    try:
        body = iwmo.export_wmo315(obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("wmo:request-detail", client_id=client.pk, pk=obj.pk)
    response = HttpResponse(body, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="wmo315-{obj.reference}.xml"'
    return response


@client_view(action=ClientAction.VIEW_WMO, event_type=AuditEventType.EXPORT)
def decision_xml(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """A granting decision as an iWmo 3.2 WMO301 message."""
    decision = _decision(request, client, pk)
    try:
        body = iwmo.export_wmo301(decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("wmo:request-detail", client_id=client.pk, pk=decision.request_id)
    response = HttpResponse(body, content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="wmo301-{decision.request.reference}.xml"'
    )
    return response


@require_POST
@client_view(action=ClientAction.VIEW_WMO, event_type=AuditEventType.UPDATE)
def decision_import(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """Read a WMO301 from the municipality's system into this request's decision."""
    obj = selectors.request_get(user=_user(request), client=client, pk=pk)
    form = Wmo301UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Kies een WMO301-bestand (XML)."))
    else:
        try:
            iwmo.import_wmo301(
                actor=_user(request), xml=form.cleaned_data["message"].read(), expected_request=obj
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het WMO301-bericht is ingelezen."))
    return redirect("wmo:request-detail", client_id=client.pk, pk=obj.pk)


@client_view(action=ClientAction.VIEW_WMO)
def client_overview(request: HttpRequest, client: Any) -> HttpResponse:
    """The client frame's Wmo tab: the client's requests with their clocks, the indication
    register, and "Wmo-aanvraag maken" for the team."""
    user = _user(request)
    today = timezone.localdate()
    requests = _with_clocks(list(selectors.client_requests(user=user, client=client)), today)
    return render(
        request,
        "wmo/client_overview.html",
        {
            "client": client,
            "requests": requests,
            "meldingen": selectors.client_meldingen(user=user, client=client),
            "can_link": can(user, client, ClientAction.CHANGE_CLINICAL),
            "rows": selectors.indication_register(client=client, today=today, user=user),
            "can_request": can(user, client, ClientAction.CHANGE),
            "today": today,
        },
    )


@client_view(action=ClientAction.VIEW_WMO)
def indication_list(request: HttpRequest, client: Any) -> HttpResponse:
    """The client's indication register: active, ending, ended; remaining validity."""
    today = timezone.localdate()
    user = _user(request)
    rows = selectors.indication_register(client=client, today=today, user=user)
    return render(
        request,
        "wmo/indication_list.html",
        {
            "client": client,
            "rows": rows,
            "today": today,
            "can_request": can(user, client, ClientAction.CHANGE),
        },
    )


class IndicationChangeView(ClientScopedMixin, View):
    """Op- of afschalen of a granted indication: the team's WMO317 'verzoek om wijziging'."""

    client_action = ClientAction.CHANGE

    def _indication(self, pk: int) -> Indication:
        indication = (
            Indication.objects.select_related("product", "municipality")
            .filter(pk=pk, client=self.client)
            .first()
        )
        if indication is None:
            raise Http404
        return indication

    def _render(
        self, form: IndicationChangeForm, indication: Indication, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "wmo/indication_change_form.html",
            {"form": form, "client": self.client, "indication": indication},
            status=status,
        )

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        indication = self._indication(pk)
        form = IndicationChangeForm(
            initial={"frequency": indication.frequency, "start": timezone.localdate()}
        )
        return self._render(form, indication)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        indication = self._indication(pk)
        form = IndicationChangeForm(request.POST)
        if form.is_valid():
            try:
                services.indication_change_request(
                    actor=_user(request), indication=indication, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Het verzoek om wijziging (WMO317) is vastgelegd; download het bericht bij de indicatie."
                    ),
                )
                return redirect("wmo:client-overview", client_id=self.client.pk)
        return self._render(form, indication, status=400)


@client_view(action=ClientAction.VIEW_WMO, event_type=AuditEventType.EXPORT)
def message_xml(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """A recorded iWmo message (WMO305, WMO307, WMO317, …) as the XML that was recorded."""
    message = selectors.iwmo_message_get(user=_user(request), client=client, pk=pk)
    response = HttpResponse(message.xml.encode("utf-8"), content_type="application/xml")
    name = f"{message.message.lower()}-{message.identification}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
