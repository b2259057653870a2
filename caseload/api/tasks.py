"""REST endpoints of tasks: the same selectors and services as "Mijn taken". Bad input is a
400 with Dutch field errors (the services' ValidationError); a task out of reach is a 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload.api.serializers import _ClientField
from caseload.constants import TaskState
from caseload.models import Task
from caseload.selectors.tasks import task_get, task_list
from caseload.services.tasks import task_complete, task_create, task_delete, task_update
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.models import Team, User
from olteams.types import request_user

_REQUIRED: dict[str, Any] = {"required": "Dit veld is verplicht.", "null": "Dit veld is verplicht."}


@extend_schema_serializer(component_name="CaseloadTask")
class TaskSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "team",
            "assignee",
            "client",
            "due_on",
            "source",
            "url",
            "created_by",
            "created_at",
            "done_at",
            "done_by",
        ]
        read_only_fields = fields

    def get_client(self, obj: Task) -> int | None:
        # The client only when the reader may see them today.
        return obj.client_id if getattr(obj, "client_visible", False) else None


class TaskCreateSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        error_messages=_REQUIRED | {"does_not_exist": "Dit team bestaat niet."},
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        error_messages=_REQUIRED | {"does_not_exist": "Kies een medewerker van het team."},
    )
    title = serializers.CharField(
        max_length=200,
        error_messages={
            "required": "Geef de taak een titel.",
            "blank": "Geef de taak een titel.",
            "max_length": "Een titel is hoogstens 200 tekens.",
        },
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    client = _ClientField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": "Vul een datum in als JJJJ-MM-DD."},
    )


class TaskUpdateSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        error_messages={"does_not_exist": "Kies een medewerker van het team."},
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        error_messages={
            "blank": "Geef de taak een titel.",
            "max_length": "Een titel is hoogstens 200 tekens.",
        },
    )
    description = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Vul een datum in als JJJJ-MM-DD."},
    )


def _audit(request: Request, task: Task, event_type: str, detail: str) -> None:
    audit_record(
        user=request_user(request),
        event_type=event_type,
        request=request,  # type: ignore[arg-type]
        client_id=task.client_id,
        obj=task,
        detail=detail,
    )


def _one(request: Request, task_id: Any) -> Task:
    return task_get(user=request_user(request), task_id=task_id)


class TaskListApi(APIView):
    """The user's tasks (``?status=open|te_laat|afgerond``, ``?team=`` for a lead); POST
    makes one."""

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=TaskState.values),
            OpenApiParameter("team", int),
        ],
        responses=TaskSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("status") or TaskState.OPEN
        if state not in TaskState.values:
            return Response({"status": ["Kies open, te_laat of afgerond."]}, status=400)
        team = request.query_params.get("team")
        if team is not None and not str(team).isdigit():
            return Response({"team": ["Geef het nummer van een team."]}, status=400)
        tasks = task_list(
            user=request_user(request), state=state, team_id=int(team) if team else None
        )
        rows = list(tasks[:500])
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,  # type: ignore[arg-type]
            object_type="caseload.task",
            detail="API: taken",
            client_ids=[t.client_id for t in rows if t.client_id is not None],
        )
        return Response(TaskSerializer(rows, many=True).data)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def post(self, request: Request) -> Response:
        serializer = TaskCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        task = task_create(actor=request_user(request), **serializer.validated_data)
        _audit(request, task, AuditEventType.CREATE, "API: taak gemaakt")
        task = _one(request, task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    """One task (GET); PATCH changes it, DELETE removes a task made by mistake."""

    @extend_schema(responses=TaskSerializer)
    def get(self, request: Request, task_id: int) -> Response:
        task = _one(request, task_id)
        _audit(request, task, AuditEventType.READ, "API: taak")
        return Response(TaskSerializer(task).data)

    @extend_schema(request=TaskUpdateSerializer, responses=TaskSerializer)
    def patch(self, request: Request, task_id: int) -> Response:
        task = _one(request, task_id)
        serializer = TaskUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kwargs: dict[str, Any] = {
            k: data[k] for k in ("title", "description", "assignee") if k in data
        }
        if "due_on" in data:
            kwargs["due_on"] = data["due_on"]
        task_update(actor=request_user(request), task=task, **kwargs)
        _audit(request, task, AuditEventType.UPDATE, "API: taak gewijzigd")
        return Response(TaskSerializer(_one(request, task_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, task_id: int) -> Response:
        task = _one(request, task_id)
        client_id, pk = task.client_id, task.pk
        task_delete(actor=request_user(request), task=task)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.DELETE,
            request=request,  # type: ignore[arg-type]
            client_id=client_id,
            object_type="caseload.task",
            object_id=str(pk),
            detail="API: taak verwijderd",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskCompleteApi(APIView):
    """Complete the task (the assignee, its maker or the team's lead)."""

    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request: Request, task_id: int) -> Response:
        task = _one(request, task_id)
        task_complete(actor=request_user(request), task=task)
        _audit(request, task, AuditEventType.UPDATE, "API: taak afgerond")
        return Response(TaskSerializer(_one(request, task_id)).data)
