"""Pages of the municipal route: the consultant's meldingen, onderzoek, goals and decision;
the team's new toewijzingen, intake and casusregisseur; plan-goal links; goal attainment; the
report to the municipality (page, PDF, XLSX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from herstelplan.constants import PlanStatus
from herstelplan.models import Goal
from olteams.access import ClientAction, can, municipality_ids_for, record_visible, roles_of
from olteams.audit import ClientScopedMixin, audit_record, client_view
from olteams.consent import render_withheld
from olteams.constants import AuditEventType, RecordKind, Role
from olteams.exports import export_response
from olteams.forms import add_service_errors
from olteams.models import Municipality, Team, User
from olteams.pagination import paginate
from wmo import selectors, services
from wmo.forms import (
    ConversationForm,
    GoalReportForm,
    GoalReviewForm,
    MeldingAcceptForm,
    MeldingDecisionForm,
    MeldingForm,
    SupportGoalsForm,
)
from wmo.models import Arrangement, Melding

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _consultant_municipalities(request: HttpRequest) -> list[int]:
    ids = municipality_ids_for(_user(request))
    if not ids:
        raise PermissionDenied
    return ids


# --- the consultant ---------------------------------------------------------------------


def melding_list(request: HttpRequest) -> HttpResponse:
    """The consultant's meldingen at the Wmo desk, with their clocks."""
    ids = _consultant_municipalities(request)
    today = timezone.localdate()
    page = paginate(
        request,
        selectors.melding_list(user=_user(request), municipality_ids=ids),
        per_page=PAGE_SIZE,
    )
    for melding in page:
        melding.clock = selectors.melding_clock(melding, today)
    audit_record(
        user=_user(request),
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="wmo.melding",
        detail="Wmo-meldingen",
    )
    return render(request, "wmo/melding_list.html", {"page": page})


def melding_create(request: HttpRequest) -> HttpResponse:
    """A new melding: the resident (new, or known by BSN), the team, the question."""
    ids = _consultant_municipalities(request)
    municipalities = list(Municipality.objects.filter(pk__in=ids).order_by("name"))
    teams = list(Team.objects.filter(municipalities__in=ids).distinct().order_by("name"))
    initial = {"reported_on": timezone.localdate(), "municipality": municipalities[0].pk}
    form = MeldingForm(
        request.POST or None, initial=initial, municipalities=municipalities, teams=teams
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            melding = services.melding_register(
                actor=_user(request),
                municipality=next(m for m in municipalities if m.pk == data["municipality"]),
                team=next((t for t in teams if t.pk == data["team"]), None),  # type: ignore[arg-type]
                reported_on=data["reported_on"],
                question=data["question"],
                reporter=data["reporter"],
                person=form.person(),
                allow_possible_duplicate=data["allow_possible_duplicate"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StopIteration:
            form.add_error("municipality", _("Kies een gemeente."))
        else:
            audit_record(
                user=_user(request),
                event_type=AuditEventType.CREATE,
                request=request,
                client_id=melding.client_id,
                obj=melding,
                detail="Wmo-melding geregistreerd",
            )
            messages.success(request, _("De melding is geregistreerd."))
            return redirect(services.melding_url(melding))
    status = 400 if request.method == "POST" else 200
    return render(request, "wmo/melding_form.html", {"form": form}, status=status)


@client_view(action=ClientAction.VIEW_WMO)
def melding_detail(request: HttpRequest, client: Any, pk: int) -> HttpResponse:
    """One melding: clock, onderzoek, ZRM, goals, decision, the team's intake and
    casusregisseur, goal progress and satisfaction. Never the plan or contact notes."""
    user = _user(request)
    melding = selectors.melding_get(user=user, client=client, pk=pk)
    today = timezone.localdate()
    progress, reviews = selectors.goal_progress(melding=melding)
    decision = None
    if melding.request is not None:
        decision = next(iter(melding.request.decisions.all()), None)
    is_consultant = selectors.is_consultant_of(user=user, melding=melding)
    regisseur = selectors.casusregisseur(client=client, day=today)
    return render(
        request,
        "wmo/melding_detail.html",
        {
            "client": client,
            "melding": melding,
            "clock": selectors.melding_clock(melding, today),
            "decision": decision,
            "indication": getattr(decision, "indication", None) if decision else None,
            "progress": progress,
            "reviews": reviews,
            "can_decide": is_consultant and melding.status in ("gemeld", "onderzoek"),
            "is_team": can(user, client, ClientAction.CHANGE),
            "can_link": can(user, client, ClientAction.CHANGE_CLINICAL),
            "casusregisseur": regisseur,
        },
    )


class _MeldingView(ClientScopedMixin, View):
    template_name = ""
    client_action = ClientAction.DECIDE_WMO

    def melding(self, pk: int) -> Melding:
        return selectors.melding_get(user=_user(self.request), client=self.client, pk=pk)

    def render(self, form: Any, melding: Melding, status: int = 200, **extra: Any) -> HttpResponse:
        context = {"form": form, "client": self.client, "melding": melding, **extra}
        if "linked" in extra:
            context["rows"] = [
                (goal, [(s, s.pk in extra["linked"].get(goal.pk, set())) for s in extra["support"]])
                for goal in extra["plan_goals"]
            ]
        return render(self.request, self.template_name, context, status=status)

    def done(self, melding: Melding, text: str) -> HttpResponse:
        messages.success(self.request, text)
        return redirect(services.melding_url(melding))


class ConversationView(_MeldingView):
    """The onderzoek: date, who was present (the partner as naaste), report and ZRM."""

    template_name = "wmo/melding_conversation.html"

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        initial: dict[str, Any] = {
            "conversation_on": melding.conversation_on or timezone.localdate(),
            "present": melding.conversation_present,
            "summary": melding.conversation_summary,
        }
        if melding.naaste:
            initial |= {
                "naaste_name": melding.naaste.name,
                "naaste_relation": melding.naaste.relation,
            }
        initial |= {f"zrm_{s.domain}": s.score for s in melding.zrm_scores.all()}
        return self.render(ConversationForm(initial=initial), melding)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        form = ConversationForm(request.POST)
        if form.is_valid():
            try:
                services.melding_conversation(
                    actor=_user(request), melding=melding, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(melding, _("Het gesprek en de ZRM zijn vastgelegd."))
        return self.render(form, melding, status=400)


class SupportGoalsView(_MeldingView):
    """The support goals with the resident, in their words."""

    template_name = "wmo/melding_goals.html"

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        initial = {f"goal_{i}": g.text for i, g in enumerate(melding.goals.all(), start=1)}
        return self.render(SupportGoalsForm(initial=initial), melding)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        form = SupportGoalsForm(request.POST)
        if form.is_valid():
            try:
                services.melding_goals_set(
                    actor=_user(request), melding=melding, texts=form.texts()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(melding, _("De ondersteuningsdoelen zijn opgeslagen."))
        return self.render(form, melding, status=400)


class MeldingDecideView(_MeldingView):
    """The beschikking with an arrangement, sent to the team."""

    template_name = "wmo/melding_decide.html"

    def _form(self, melding: Melding, data: Any = None) -> MeldingDecisionForm:
        today = timezone.localdate()
        arrangements = [
            a
            for a in Arrangement.objects.filter(
                municipality_id=melding.municipality_id
            ).select_related("product")
            if a.is_valid_on(today)
        ]
        initial = {
            "start": today,
            "review_on": today + dt.timedelta(days=61),
            "frequency": "2",
        }
        return MeldingDecisionForm(data, initial=initial, arrangements=arrangements)

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        return self.render(
            self._form(melding),
            melding,
            clock=selectors.melding_clock(melding, timezone.localdate()),
        )

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        form = self._form(melding, request.POST)
        if form.is_valid():
            try:
                services.melding_decide(
                    actor=_user(request), melding=melding, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(
                    melding, _("De beschikking is vastgelegd en naar het team gestuurd.")
                )
        return self.render(form, melding, status=400)


# --- the team ---------------------------------------------------------------------------


def toewijzing_inbox(request: HttpRequest) -> HttpResponse:
    """'Nieuwe toewijzingen van de gemeente' for the team: plan the intake, name the
    casusregisseur."""
    user = _user(request)
    if not ({Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.SECRETARIAAT} & set(roles_of(user))):
        raise PermissionDenied
    today = timezone.localdate()
    rows = list(selectors.toewijzing_inbox(user=user, today=today))
    for melding in rows:
        melding.clock = selectors.melding_clock(melding, today)  # type: ignore[attr-defined]
    audit_record(
        user=user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="wmo.melding",
        detail="Nieuwe toewijzingen van de gemeente",
    )
    return render(request, "wmo/toewijzing_inbox.html", {"rows": rows})


class MeldingAcceptView(_MeldingView):
    """The team takes the toewijzing: the intake (organisation, date, workers) and the
    casusregisseur."""

    template_name = "wmo/melding_accept.html"
    client_action = ClientAction.CHANGE

    def _form(self, melding: Melding, data: Any = None) -> MeldingAcceptForm:
        today = timezone.localdate()
        organisations = selectors.team_organisations(team_id=melding.team_id, day=today)
        providers = {p.pk for p in melding.providers.all()}
        if providers:
            organisations = [o for o in organisations if o.pk in providers]
        staff = selectors.team_staff(team_id=melding.team_id, day=today)
        initial = {"planned_on": melding.intake_due_on, "planned_time": dt.time(10, 0)}
        return MeldingAcceptForm(data, initial=initial, organisations=organisations, workers=staff)

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        return self.render(
            self._form(melding),
            melding,
            clock=selectors.melding_clock(melding, timezone.localdate()),
        )

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        form = self._form(melding, request.POST)
        if form.is_valid():
            try:
                services.melding_accept(
                    actor=_user(request), melding=melding, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return self.done(
                    melding, _("De intake is gepland en de casusregisseur is benoemd.")
                )
        return self.render(
            form, melding, status=400, clock=selectors.melding_clock(melding, timezone.localdate())
        )


class GoalLinksView(_MeldingView):
    """Link the Herstelplan's goals (the "how") to the municipality's goals (the "what").
    The plan's goals are shown and linked only under the consent rule (``olteams.consent``)."""

    template_name = "wmo/goal_links.html"
    client_action = ClientAction.CHANGE_CLINICAL

    def _rows(self, melding: Melding) -> tuple[list[Goal], list[Any], dict[int, set[int]]]:
        plan_goals = list(
            Goal.objects.filter(
                plan__client=self.client, plan__status__in=(PlanStatus.DRAFT, PlanStatus.ACTIVE)
            )
            .select_related("plan")
            .order_by("-plan__version", "priority", "id")
        )
        support = list(melding.goals.all())
        linked: dict[int, set[int]] = {g.pk: set() for g in plan_goals}
        for link in melding_links(melding):
            linked.setdefault(link[0], set()).add(link[1])
        return plan_goals, support, linked

    def _withheld(self, request: HttpRequest) -> HttpResponse | None:
        if record_visible(_user(request), self.client, RecordKind.RECOVERY_PLAN):
            return None
        return render_withheld(request, self.client, RecordKind.RECOVERY_PLAN)

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        if (refused := self._withheld(request)) is not None:
            return refused
        plan_goals, support, linked = self._rows(melding)
        return self.render(None, melding, plan_goals=plan_goals, support=support, linked=linked)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        if (refused := self._withheld(request)) is not None:
            return refused
        plan_goals, support, linked = self._rows(melding)
        links: dict[int, list[int]] = {}
        errors: list[str] = []
        for goal in plan_goals:
            chosen = request.POST.getlist(f"plan_{goal.pk}")
            if not all(c.isdigit() for c in chosen):
                errors.append(_("Kies alleen doelen van deze melding."))
                continue
            links[goal.pk] = [int(c) for c in chosen]
        if not errors:
            try:
                services.plan_goal_links_set(actor=_user(request), melding=melding, links=links)
            except ValidationError as exc:
                errors = exc.messages
            else:
                return self.done(melding, _("De doelen van het herstelplan zijn gekoppeld."))
        for error in errors:
            messages.error(request, error)
        return self.render(
            None, melding, status=400, plan_goals=plan_goals, support=support, linked=linked
        )


def melding_links(melding: Melding) -> list[tuple[int, int]]:
    from wmo.models import PlanGoalLink

    return list(
        PlanGoalLink.objects.filter(support_goal__melding=melding).values_list(
            "plan_goal_id", "support_goal_id"
        )
    )


class GoalReviewView(_MeldingView):
    """The evaluation with the client: goal attainment and satisfaction."""

    template_name = "wmo/goal_review.html"
    client_action = ClientAction.CHANGE

    def _form(self, melding: Melding, data: Any = None) -> GoalReviewForm:
        return GoalReviewForm(
            data, initial={"reviewed_on": timezone.localdate()}, goals=melding.goals.all()
        )

    def get(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        return self.render(self._form(melding), melding)

    def post(self, request: HttpRequest, client_id: int, pk: int) -> HttpResponse:
        melding = self.melding(pk)
        form = self._form(melding, request.POST)
        if form.is_valid():
            try:
                services.goal_review_record(
                    actor=_user(request), melding=melding, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.done(melding, _("De evaluatie van de doelen is vastgelegd."))
        return self.render(form, melding, status=400)


# --- the report to the municipality --------------------------------------------------------


def _report(request: HttpRequest) -> tuple[GoalReportForm, list[Any], dt.date, dt.date]:
    ids = _consultant_municipalities(request)
    today = timezone.localdate()
    form = GoalReportForm(request.GET or None)
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            form.add_error("end", _("De einddatum ligt vóór de begindatum."))
            end = start
    rows = selectors.goal_report(municipality_ids=ids, start=start, end=end)
    return form, rows, start, end


def _report_audit(request: HttpRequest, event_type: str) -> None:
    audit_record(
        user=_user(request),
        event_type=event_type,
        request=request,
        object_type="wmo.goalreview",
        detail="Doelrealisatie per gemeente en arrangement (geaggregeerd, kleine aantallen weggelaten)",
    )


def goal_report(request: HttpRequest) -> HttpResponse:
    form, rows, start, end = _report(request)
    _report_audit(request, AuditEventType.SEARCH)
    status = 400 if form.errors else 200
    return render(
        request,
        "wmo/goal_report.html",
        {"form": form, "rows": rows, "start": start, "end": end, "query": request.GET.urlencode()},
        status=status,
    )


def goal_report_pdf(request: HttpRequest) -> HttpResponse:
    from wmo.pdf import render_goal_report

    _form, rows, start, end = _report(request)
    _report_audit(request, AuditEventType.PRINT)
    body = render_goal_report(rows=rows, start=start, end=end)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="doelrealisatie-{start}-{end}.pdf"'
    return response


REPORT_HEADER = [
    "Gemeente",
    "Arrangement",
    "Cliënten",
    "Doelen",
    "Behaald",
    "Deels behaald",
    "Niet behaald",
    "Behaald (%)",
    "Tevreden (%)",
]


def goal_report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, rows, start, end = _report(request)
    _report_audit(request, AuditEventType.EXPORT)

    def _rows() -> Any:
        yield [
            str(
                _("Doelrealisatie %(start)s t/m %(end)s")
                % {
                    "start": date_format(start, "SHORT_DATE_FORMAT"),
                    "end": date_format(end, "SHORT_DATE_FORMAT"),
                }
            )
        ]
        yield REPORT_HEADER
        for r in rows:
            yield [
                r.municipality,
                r.arrangement,
                r.clients,
                r.goals,
                r.behaald,
                r.deels,
                r.niet,
                r.behaald_share,
                r.satisfied_share,
            ]

    return export_response(_rows(), fmt="xlsx", filename="doelrealisatie")  # type: ignore[return-value]
