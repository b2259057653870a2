"""Pages of the Herstelplan: versions, the plan, the draft editor, goals, actions,
agreement, activation, evaluations, history and the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import PortalAccountKind
from clients.models import Assignment, PortalAccount
from clients.selectors import care_team_worker_ids
from herstelplan import selectors, services
from herstelplan.constants import PlanStatus
from herstelplan.forms import (
    AgreementForm,
    EvaluationForm,
    GoalActionForm,
    GoalForm,
    LockForm,
    PlanForm,
)
from herstelplan.models import Goal, GoalAction, Plan
from herstelplan.pdf import render_plan_pdf
from herstelplan.services import PlanConflictError
from herstelplan.views._base import ClinicalView
from olteams.access import ClientAction, active_on, can
from olteams.constants import AuditEventType, RecordKind, TeamRole
from olteams.forms import add_service_errors
from olteams.models import Membership, User
from olteams.selectors import StaffScope
from olteams.types import AuthenticatedHttpRequest


def _plan_url(plan: Plan) -> Any:
    return redirect("herstelplan:plan-detail", client_id=plan.client_id, plan_id=plan.pk)


def _conflict_message(request: AuthenticatedHttpRequest, exc: PlanConflictError) -> None:
    messages.error(request, " ".join([exc.message, *[f"{line}." for line in exc.summary]]))


class PlanScopedView(ClinicalView):
    """A page about one plan version of the client (``plan_id`` in the URL)."""

    record_kind = RecordKind.RECOVERY_PLAN

    plan: Plan

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.plan_id: int = kwargs["plan_id"]

    def get_plan(self) -> Plan:
        return selectors.plan_get(client=self.client, plan_id=self.plan_id)

    def render(
        self, request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return super().render(request, {"plan": self.plan, **context}, status=status)


class PlanListView(ClinicalView):
    record_kind = RecordKind.RECOVERY_PLAN
    template_name = "herstelplan/plan_list.html"
    section = "plan"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        plans = list(selectors.plan_list(client=self.client))
        return self.render(
            request,
            {
                "plans": plans,
                "has_draft": any(p.status == PlanStatus.DRAFT for p in plans),
            },
        )


class PlanCreateView(ClinicalView):
    record_kind = RecordKind.RECOVERY_PLAN
    client_action = ClientAction.CHANGE_CLINICAL
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        try:
            plan = services.plan_create(actor=request.user, client=self.client)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("herstelplan:plan-list", client_id=self.client.pk)
        messages.success(
            request,
            _("Versie %(v)s van het herstelplan is aangemaakt als concept.") % {"v": plan.version},
        )
        return redirect("herstelplan:plan-edit", client_id=self.client.pk, plan_id=plan.pk)


class PlanDetailView(PlanScopedView):
    template_name = "herstelplan/plan_detail.html"
    section = "plan"

    def get(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        detail = selectors.plan_detail(plan=self.plan)
        overdue = selectors.plan_overdue_items(detail=detail)
        return self.render(
            request,
            {
                "detail": detail,
                "overdue_plan": "plan" in overdue,
                "overdue_goals": {int(i.split(":")[1]) for i in overdue if i.startswith("goal:")},
                "has_draft": selectors.plan_draft(client=self.client) is not None,
                "comments": list(selectors.plan_comment_list(plan=self.plan)),
                "client_in_portal": PortalAccount.objects.filter(
                    client=self.client, kind=PortalAccountKind.CLIENT, is_active=True
                ).exists(),
                # The per-goal "Wmo-aanvraag maken" (wmo:request-create needs CHANGE).
                "can_request_wmo": can(request.user, self.client, ClientAction.CHANGE),
                "agreement_form": AgreementForm(
                    initial={
                        "lock_version": self.plan.lock_version,
                        "agreed_on": timezone.localdate(),
                    }
                ),
            },
        )


class DraftView(PlanScopedView):
    """A change to a draft: needs CHANGE_CLINICAL and a draft (else back to the plan)."""

    client_action = ClientAction.CHANGE_CLINICAL
    post_event_type = AuditEventType.UPDATE
    section = "plan"

    def draft_or_redirect(self) -> HttpResponse | None:
        self.plan = self.get_plan()
        if self.plan.status != PlanStatus.DRAFT:
            messages.error(
                request=self.request,
                message=_("Deze versie is geen concept meer en kan niet worden gewijzigd."),
            )
            return _plan_url(self.plan)
        return None


class PlanEditView(DraftView):
    template_name = "herstelplan/plan_form.html"

    def get(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        initial = {f: getattr(self.plan, f) for f in PlanForm.PLAN_FIELDS}
        return self.render(
            request, {"form": PlanForm(initial={**initial, "lock_version": self.plan.lock_version})}
        )

    def post(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(
                    actor=request.user,
                    plan=self.plan,
                    lock_version=form.cleaned_data["lock_version"],
                    **form.values(),
                )
            except PlanConflictError as exc:
                return self._conflict(request, form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het herstelplan is opgeslagen."))
                return _plan_url(self.plan)
        return self.render(request, {"form": form}, status=400)

    def _conflict(
        self, request: AuthenticatedHttpRequest, form: PlanForm, exc: PlanConflictError
    ) -> HttpResponse:
        """Keep every typed value; show what the other person saved; base the next save on
        the current version so the user decides, knowingly, what stays."""
        data = request.POST.copy()
        data["lock_version"] = str(exc.plan.lock_version)
        current = {f: getattr(exc.plan, f) for f in PlanForm.PLAN_FIELDS}
        changed = [
            (form.fields[f].label, current[f])
            for f in PlanForm.PLAN_FIELDS
            if current[f] != form.cleaned_data.get(f)
        ]
        return self.render(
            request,
            {"form": PlanForm(data), "conflict": exc, "conflict_current": changed},
            status=409,
        )


def _care_workers(client: Any) -> StaffScope:
    """Workers to choose for an action: the client's team (not the zorgsecretariaat) and
    anyone assigned to the client; the current care team first."""
    today = timezone.localdate()
    team_users = (
        Membership.objects.filter(active_on(today), team_id=client.team_id)
        .exclude(role=TeamRole.SECRETARIAAT)
        .values("user_id")
    )
    assigned = Assignment.objects.filter(client=client).values("worker_id")
    return StaffScope(
        queryset=User.objects.filter(Q(pk__in=team_users) | Q(pk__in=assigned)),
        team_id=client.team_id,
        first_ids=frozenset(care_team_worker_ids(client=client, today=today)),
        exclude_roles=(TeamRole.SECRETARIAAT,),
    )


class GoalFormMixin(DraftView):
    template_name = "herstelplan/goal_form.html"
    goal: Goal | None = None

    def get_goal(self) -> Goal | None:
        return None

    def _context(self, form: GoalForm, **extra: Any) -> dict[str, Any]:
        return {"form": form, "goal": self.goal, **extra}

    def save(self, form: GoalForm) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int, **kwargs: Any
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        self.goal = self.get_goal()
        initial: dict[str, Any] = {
            "lock_version": self.plan.lock_version,
            "priority": self.plan.goals.count() + 1,
        }
        if self.goal is not None:
            initial.update(
                text=self.goal.text,
                priority=self.goal.priority,
                evaluation_date=self.goal.evaluation_date,
                indicators=list(self.goal.indicators.all()),
            )
        return self.render(request, self._context(GoalForm(initial=initial)))

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int, **kwargs: Any
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        self.goal = self.get_goal()
        form = GoalForm(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except PlanConflictError as exc:
                data = request.POST.copy()
                data["lock_version"] = str(exc.plan.lock_version)
                return self.render(request, self._context(GoalForm(data), conflict=exc), status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het doel is opgeslagen."))
                return _plan_url(self.plan)
        return self.render(request, self._context(form), status=400)


class GoalCreateView(GoalFormMixin):
    post_event_type = AuditEventType.CREATE

    def save(self, form: GoalForm) -> None:
        services.goal_create(
            actor=self.request.user,
            plan=self.plan,
            lock_version=form.cleaned_data["lock_version"],
            **form.values(),
        )


class GoalEditView(GoalFormMixin):
    def get_goal(self) -> Goal:
        goal = self.plan.goals.filter(pk=self.kwargs["goal_id"]).first()
        if goal is None:
            raise Http404
        return goal

    def save(self, form: GoalForm) -> None:
        assert self.goal is not None  # set from get_goal(), which raises 404 when missing
        services.goal_update(
            actor=self.request.user,
            goal=self.goal,
            lock_version=form.cleaned_data["lock_version"],
            **form.values(),
        )


class _LockedPostView(DraftView):
    """A button on the plan page (delete, agree, activate): a POST with the lock version."""

    http_method_names = ["post"]
    form_class: type = LockForm
    success_message = ""

    def act(self, data: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int, **kwargs: Any
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ")
                    for f, e in form.errors.items()
                ),
            )
            return _plan_url(self.plan)
        try:
            self.act(form.cleaned_data)
        except PlanConflictError as exc:
            _conflict_message(request, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.success_message)
        return _plan_url(self.plan)


class GoalDeleteView(_LockedPostView):
    post_event_type = AuditEventType.DELETE

    @property
    def success_message(self) -> str:  # type: ignore[override]
        return _("Het doel is verwijderd.")

    def act(self, data: dict[str, Any]) -> None:
        goal = self.plan.goals.filter(pk=self.kwargs["goal_id"]).first()
        if goal is None:
            raise Http404
        services.goal_delete(actor=self.request.user, goal=goal, lock_version=data["lock_version"])


class ActionCreateView(DraftView):
    template_name = "herstelplan/action_form.html"
    post_event_type = AuditEventType.CREATE

    def _goal(self) -> Goal:
        goal = self.plan.goals.filter(pk=self.kwargs["goal_id"]).first()
        if goal is None:
            raise Http404
        return goal

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int, goal_id: int
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        form = GoalActionForm(
            initial={"lock_version": self.plan.lock_version}, workers=_care_workers(self.client)
        )
        return self.render(request, {"form": form, "goal": self._goal()})

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int, goal_id: int
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        goal = self._goal()
        form = GoalActionForm(request.POST, workers=_care_workers(self.client))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.goal_action_create(
                    actor=request.user,
                    goal=goal,
                    lock_version=data["lock_version"],
                    description=data["description"],
                    performer=data["performer"],
                    worker=data["worker"],
                    organisation=data["organisation"],
                    performer_name=data["performer_name"],
                    frequency=data["frequency"],
                )
            except PlanConflictError as exc:
                data_copy = request.POST.copy()
                data_copy["lock_version"] = str(exc.plan.lock_version)
                form = GoalActionForm(data_copy, workers=_care_workers(self.client))
                return self.render(
                    request, {"form": form, "goal": goal, "conflict": exc}, status=409
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De actie is toegevoegd."))
                return _plan_url(self.plan)
        return self.render(request, {"form": form, "goal": goal}, status=400)


class ActionDeleteView(_LockedPostView):
    post_event_type = AuditEventType.DELETE

    @property
    def success_message(self) -> str:  # type: ignore[override]
        return _("De actie is verwijderd.")

    def act(self, data: dict[str, Any]) -> None:
        action = (
            GoalAction.objects.select_related("goal")
            .filter(pk=self.kwargs["action_id"], goal__plan=self.plan)
            .first()
        )
        if action is None:
            raise Http404
        services.goal_action_delete(
            actor=self.request.user, action=action, lock_version=data["lock_version"]
        )


class PlanAgreeView(_LockedPostView):
    form_class = AgreementForm

    @property
    def success_message(self) -> str:  # type: ignore[override]
        return _("Het akkoord van de cliënt is vastgelegd.")

    def act(self, data: dict[str, Any]) -> None:
        services.plan_agreement_record(
            actor=self.request.user,
            plan=self.plan,
            lock_version=data["lock_version"],
            agreed_on=data["agreed_on"],
            agreed_how=data["agreed_how"],
        )


class PlanActivateView(_LockedPostView):
    archived_previous = False

    @property
    def success_message(self) -> str:  # type: ignore[override]
        if self.archived_previous:
            return _("Het herstelplan is nu actief. Een eerder plan is gearchiveerd.")
        return _("Het herstelplan is nu actief.")

    def act(self, data: dict[str, Any]) -> None:
        # only a plan in force until now is archived: a first plan archives nothing
        self.archived_previous = selectors.plan_active(client=self.plan.client) is not None
        services.plan_activate(
            actor=self.request.user, plan=self.plan, lock_version=data["lock_version"]
        )


class PlanNewVersionView(PlanScopedView):
    client_action = ClientAction.CHANGE_CLINICAL
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        try:
            draft = services.plan_new_version(actor=request.user, plan=self.plan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _plan_url(self.plan)
        messages.success(
            request, _("Versie %(v)s is aangemaakt als concept.") % {"v": draft.version}
        )
        return redirect("herstelplan:plan-edit", client_id=self.client.pk, plan_id=draft.pk)


class EvaluationCreateView(PlanScopedView):
    client_action = ClientAction.CHANGE_CLINICAL
    template_name = "herstelplan/evaluation_form.html"
    section = "plan"

    def _goal(self) -> Goal | None:
        goal_id = self.request.GET.get("doel") or self.request.POST.get("doel")
        if not goal_id:
            return None
        goal = self.plan.goals.filter(pk=goal_id).first() if str(goal_id).isdigit() else None
        if goal is None:
            raise Http404
        return goal

    def get(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        goal = self._goal()
        form = EvaluationForm(for_goal=goal is not None, initial={"date": timezone.localdate()})
        return self.render(request, {"form": form, "goal": goal})

    def post(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        goal = self._goal()
        form = EvaluationForm(request.POST, for_goal=goal is not None)
        if form.is_valid():
            try:
                services.evaluation_create(
                    actor=request.user, plan=self.plan, goal=goal, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De evaluatie is vastgelegd."))
                return _plan_url(self.plan)
        return self.render(request, {"form": form, "goal": goal}, status=400)


class PlanHistoryView(PlanScopedView):
    template_name = "herstelplan/plan_history.html"
    section = "plan"

    def get(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        return self.render(request, {"changes": selectors.plan_change_list(plan=self.plan)})


class PlanPdfView(PlanScopedView):
    audit_event_type = AuditEventType.PRINT  # type: ignore[assignment]

    def get(self, request: AuthenticatedHttpRequest, client_id: int, plan_id: int) -> HttpResponse:
        self.plan = self.get_plan()
        response = HttpResponse(render_plan_pdf(self.plan), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="herstelplan-versie-{self.plan.version}.pdf"'
        )
        return response
