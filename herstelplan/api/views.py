"""REST endpoints of the herstelplan app: thin, through the same selectors and services.

Every endpoint is client-scoped (``ClientScopedApiMixin``): access through the policy, one
audit event per request. A stale ``lock_version`` answers 409 with a Dutch message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from herstelplan import selectors, services
from herstelplan.api import serializers as s
from herstelplan.models import (
    Goal,
    GoalAction,
    HonosAssessment,
    IrocAssessment,
    Plan,
    SignalPlan,
)
from herstelplan.services import PlanConflictError
from olteams.access import ClientAction
from olteams.audit import ClientScopedApiMixin
from olteams.consent import RecordConsentApiMixin
from olteams.constants import RecordKind
from olteams.models import Organisation, User
from olteams.types import request_user


class HerstelplanApi(RecordConsentApiMixin, ClientScopedApiMixin, APIView):
    """Reads need VIEW_CLINICAL, writes CHANGE_CLINICAL (decided before the audit event);
    each endpoint's ``record_kind`` needs the client's consent for a worker's organisation
    that needs it (403 with the explanation, ``olteams.consent``)."""

    record_kind: str | None = RecordKind.RECOVERY_PLAN

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.client_action = (
            ClientAction.VIEW_CLINICAL
            if request.method in ("GET", "HEAD")
            else ClientAction.CHANGE_CLINICAL
        )
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, PlanConflictError):
            return Response(
                {
                    "detail": exc.message,
                    "changes": exc.summary,
                    "lock_version": exc.plan.lock_version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return super().handle_exception(exc)

    def parse(self, serializer_class: type, data: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def plan(self) -> Plan:
        return selectors.plan_get(client=self.client, plan_id=self.kwargs["plan_id"])

    def goal(self, plan: Plan, goal_id: Any) -> Goal:
        goal = plan.goals.filter(pk=goal_id).first() if str(goal_id).isdigit() else None
        if goal is None:
            raise Http404
        return goal

    def plan_response(self, plan: Plan, code: int = status.HTTP_200_OK) -> Response:
        plan = Plan.objects.prefetch_related("goals__indicators", "goals__actions").get(pk=plan.pk)
        return Response(s.PlanSerializer(plan).data, status=code)


class IrocApi(HerstelplanApi):
    record_kind = RecordKind.IROC

    @extend_schema(responses=s.IrocOutSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = (
            IrocAssessment.objects.filter(client=self.client)
            .select_related("by")
            .prefetch_related("answers")
            .order_by("-date", "-id")
        )
        return Response(s.IrocOutSerializer(rows, many=True).data)

    @extend_schema(request=s.IrocInSerializer, responses={201: s.IrocOutSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        data = self.parse(s.IrocInSerializer, request.data)
        assessment = services.iroc_assessment_create(
            actor=request_user(request), client=self.client, **data
        )
        return Response(s.IrocOutSerializer(assessment).data, status=status.HTTP_201_CREATED)


class HonosApi(HerstelplanApi):
    record_kind = RecordKind.HONOS

    @extend_schema(responses=s.HonosOutSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = (
            HonosAssessment.objects.filter(client=self.client)
            .select_related("rater")
            .order_by("-date", "-id")
        )
        return Response(s.HonosOutSerializer(rows, many=True).data)

    @extend_schema(request=s.HonosInSerializer, responses={201: s.HonosOutSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        data = self.parse(s.HonosInSerializer, request.data)
        scores = {n: data.pop(f"item_{n}", None) for n in range(1, 13)}
        assessment = services.honos_assessment_create(
            actor=request_user(request), client=self.client, scores=scores, **data
        )
        return Response(s.HonosOutSerializer(assessment).data, status=status.HTTP_201_CREATED)


class PhaseApi(HerstelplanApi):
    record_kind = None

    @extend_schema(responses=s.PhaseSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = selectors.recovery_phase_list(client=self.client)
        return Response(s.PhaseSerializer(rows, many=True).data)

    @extend_schema(request=s.PhaseSerializer, responses={201: s.PhaseSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        data = self.parse(s.PhaseSerializer, request.data)
        phase = services.recovery_phase_create(
            actor=request_user(request), client=self.client, **data
        )
        return Response(s.PhaseSerializer(phase).data, status=status.HTTP_201_CREATED)


class PlanListApi(HerstelplanApi):
    @extend_schema(responses=s.PlanSerializer(many=True), operation_id="herstelplan_plan_list")
    def get(self, request: Request, client_id: int) -> Response:
        plans = selectors.plan_list(client=self.client).prefetch_related(
            "goals__indicators", "goals__actions"
        )
        return Response(s.PlanSerializer(plans, many=True).data)

    @extend_schema(
        request=None, responses={201: s.PlanSerializer}, operation_id="herstelplan_plan_create"
    )
    def post(self, request: Request, client_id: int) -> Response:
        plan = services.plan_create(actor=request_user(request), client=self.client)
        return self.plan_response(plan, status.HTTP_201_CREATED)


class PlanDetailApi(HerstelplanApi):
    @extend_schema(responses=s.PlanSerializer, operation_id="herstelplan_plan_retrieve")
    def get(self, request: Request, client_id: int, plan_id: int) -> Response:
        return self.plan_response(self.plan())

    @extend_schema(request=s.PlanUpdateInSerializer, responses={200: s.PlanSerializer, 409: dict})
    def patch(self, request: Request, client_id: int, plan_id: int) -> Response:
        data = self.parse(s.PlanUpdateInSerializer, request.data)
        plan = services.plan_update(
            actor=request_user(request),
            plan=self.plan(),
            lock_version=data.pop("lock_version"),
            **data,
        )
        return self.plan_response(plan)


class PlanAgreeApi(HerstelplanApi):
    @extend_schema(request=s.AgreementInSerializer, responses={200: s.PlanSerializer, 409: dict})
    def post(self, request: Request, client_id: int, plan_id: int) -> Response:
        data = self.parse(s.AgreementInSerializer, request.data)
        plan = services.plan_agreement_record(actor=request_user(request), plan=self.plan(), **data)
        return self.plan_response(plan)


class PlanActivateApi(HerstelplanApi):
    @extend_schema(request=s.LockInSerializer, responses={200: s.PlanSerializer, 409: dict})
    def post(self, request: Request, client_id: int, plan_id: int) -> Response:
        data = self.parse(s.LockInSerializer, request.data)
        plan = services.plan_activate(actor=request_user(request), plan=self.plan(), **data)
        return self.plan_response(plan)


class PlanNewVersionApi(HerstelplanApi):
    @extend_schema(request=None, responses={201: s.PlanSerializer})
    def post(self, request: Request, client_id: int, plan_id: int) -> Response:
        draft = services.plan_new_version(actor=request_user(request), plan=self.plan())
        return self.plan_response(draft, status.HTTP_201_CREATED)


class GoalCreateApi(HerstelplanApi):
    @extend_schema(request=s.GoalInSerializer, responses={201: s.GoalSerializer, 409: dict})
    def post(self, request: Request, client_id: int, plan_id: int) -> Response:
        data = self.parse(s.GoalInSerializer, request.data)
        data.setdefault("text", "")
        goal = services.goal_create(actor=request_user(request), plan=self.plan(), **data)
        return Response(s.GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailApi(HerstelplanApi):
    @extend_schema(request=s.GoalInSerializer, responses={200: s.GoalSerializer, 409: dict})
    def patch(self, request: Request, client_id: int, plan_id: int, goal_id: int) -> Response:
        data = self.parse(s.GoalInSerializer, request.data)
        goal = services.goal_update(
            actor=request_user(request), goal=self.goal(self.plan(), goal_id), **data
        )
        return Response(s.GoalSerializer(goal).data)

    @extend_schema(request=s.LockInSerializer, responses={204: None, 409: dict})
    def delete(self, request: Request, client_id: int, plan_id: int, goal_id: int) -> Response:
        data = self.parse(s.LockInSerializer, request.data or request.query_params)
        services.goal_delete(
            actor=request_user(request), goal=self.goal(self.plan(), goal_id), **data
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _pick(model: type[Model], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Onbekende keuze.")})
    return found


class ActionCreateApi(HerstelplanApi):
    @extend_schema(request=s.ActionInSerializer, responses={201: s.ActionSerializer, 409: dict})
    def post(self, request: Request, client_id: int, plan_id: int, goal_id: int) -> Response:
        data = self.parse(s.ActionInSerializer, request.data)
        data["worker"] = _pick(User, data.get("worker"), "worker")
        data["organisation"] = _pick(Organisation, data.get("organisation"), "organisation")
        action = services.goal_action_create(
            actor=request_user(request), goal=self.goal(self.plan(), goal_id), **data
        )
        return Response(s.ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetailApi(HerstelplanApi):
    @extend_schema(request=s.LockInSerializer, responses={204: None, 409: dict})
    def delete(self, request: Request, client_id: int, plan_id: int, action_id: int) -> Response:
        data = self.parse(s.LockInSerializer, request.data or request.query_params)
        action = GoalAction.objects.filter(pk=action_id, goal__plan=self.plan()).first()
        if action is None:
            raise Http404
        services.goal_action_delete(actor=request_user(request), action=action, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvaluationApi(HerstelplanApi):
    @extend_schema(responses=s.EvaluationSerializer(many=True))
    def get(self, request: Request, client_id: int, plan_id: int) -> Response:
        rows = self.plan().evaluations.order_by("-date", "-id")
        return Response(s.EvaluationSerializer(rows, many=True).data)

    @extend_schema(request=s.EvaluationInSerializer, responses={201: s.EvaluationSerializer})
    def post(self, request: Request, client_id: int, plan_id: int) -> Response:
        data = self.parse(s.EvaluationInSerializer, request.data)
        plan = self.plan()
        goal_id = data.pop("goal", None)
        goal = self.goal(plan, goal_id) if goal_id is not None else None
        evaluation = services.evaluation_create(
            actor=request_user(request), plan=plan, goal=goal, **data
        )
        return Response(s.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


# --- the signaleringsplan ---------------------------------------------------------------


class SignalPlanApi(HerstelplanApi):
    record_kind = RecordKind.SIGNAL_PLAN

    def signal_plan(self) -> SignalPlan:
        return selectors.signal_plan_get(
            client=self.client, signal_plan_id=self.kwargs["signal_plan_id"]
        )

    def signal_response(self, plan: SignalPlan, code: int = status.HTTP_200_OK) -> Response:
        plan = SignalPlan.objects.prefetch_related("contacts").get(pk=plan.pk)
        return Response(s.SignalPlanSerializer(plan).data, status=code)


class SignalPlanListApi(SignalPlanApi):
    @extend_schema(
        responses=s.SignalPlanSerializer(many=True), operation_id="herstelplan_signal_plan_list"
    )
    def get(self, request: Request, client_id: int) -> Response:
        plans = selectors.signal_plan_list(client=self.client)
        return Response(s.SignalPlanSerializer(plans, many=True).data)

    @extend_schema(
        request=None,
        responses={201: s.SignalPlanSerializer},
        operation_id="herstelplan_signal_plan_create",
    )
    def post(self, request: Request, client_id: int) -> Response:
        plan = services.signal_plan_create(actor=request_user(request), client=self.client)
        return self.signal_response(plan, status.HTTP_201_CREATED)


class SignalPlanDetailApi(SignalPlanApi):
    @extend_schema(
        responses=s.SignalPlanSerializer, operation_id="herstelplan_signal_plan_retrieve"
    )
    def get(self, request: Request, client_id: int, signal_plan_id: int) -> Response:
        return self.signal_response(self.signal_plan())

    @extend_schema(
        request=s.SignalPlanUpdateInSerializer,
        responses={200: s.SignalPlanSerializer},
        operation_id="herstelplan_signal_plan_update",
    )
    def patch(self, request: Request, client_id: int, signal_plan_id: int) -> Response:
        data = self.parse(s.SignalPlanUpdateInSerializer, request.data)
        plan = services.signal_plan_update(
            actor=request_user(request),
            plan=self.signal_plan(),
            lock_version=data.pop("lock_version"),
            **data,
        )
        return self.signal_response(plan)


class SignalPlanAgreeApi(SignalPlanApi):
    @extend_schema(
        request=s.AgreementInSerializer,
        responses={200: s.SignalPlanSerializer},
        operation_id="herstelplan_signal_plan_agree",
    )
    def post(self, request: Request, client_id: int, signal_plan_id: int) -> Response:
        data = self.parse(s.AgreementInSerializer, request.data)
        plan = services.signal_plan_agree(
            actor=request_user(request), plan=self.signal_plan(), **data
        )
        return self.signal_response(plan)
