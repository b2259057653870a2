"""Read-only overview endpoints: my caseload and the team lead's figures.

The same selectors as the pages; a team is one of the user's lead/secretariaat teams
(404 otherwise, as for a missing team). Lists that name clients record a SEARCH event.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload.selectors import overviews as ov
from caseload.selectors.pages import my_caseload_rows
from olteams.access import team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.types import request_user


class DueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["plan", "iroc", "wmo", "naaste"])
    name = serializers.CharField(source="label")
    on = serializers.DateField()
    overdue = serializers.BooleanField()


class CaseloadRowSerializer(serializers.Serializer):
    client_id = serializers.IntegerField(source="client.pk")
    name = serializers.CharField(source="client.full_name")
    roles = serializers.ListField(child=serializers.CharField())
    phase = serializers.CharField(source="client.phase", allow_null=True)
    last_contact_on = serializers.DateField(
        source="client.last_contact_on",
        allow_null=True,
        help_text="Last contact by anyone of the team",
    )
    last_contact_days = serializers.IntegerField(allow_null=True)
    due = DueItemSerializer(many=True)


class WorkerLoadSerializer(serializers.Serializer):
    worker_id = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.get_full_name")
    organisation = serializers.CharField()
    discipline = serializers.CharField()
    fte = serializers.DecimalField(max_digits=4, decimal_places=2)
    clients = serializers.IntegerField()
    casemanager_clients = serializers.IntegerField()
    per_fte = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    norm_applies = serializers.BooleanField()
    over_norm = serializers.BooleanField()


class SharedCaseloadSerializer(serializers.Serializer):
    organisations = serializers.CharField(help_text='e.g. "GGZ + Welzijn"')
    clients = serializers.IntegerField()


class HoursSerializer(serializers.Serializer):
    worker_id = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.get_full_name")
    month = serializers.DateField()
    direct_minutes = serializers.IntegerField()
    indirect_minutes = serializers.IntegerField()
    unpaid_minutes = serializers.IntegerField()


class FlowSerializer(serializers.Serializer):
    month = serializers.DateField()
    inflow = serializers.IntegerField()
    outflow = serializers.IntegerField()


class MdoRowSerializer(serializers.Serializer):
    client_id = serializers.IntegerField(source="client.pk")
    name = serializers.CharField(source="client.full_name")
    reasons = serializers.ListField(child=serializers.CharField())
    last_contact_days = serializers.IntegerField(allow_null=True)


def _search(request: Request, detail: str, client_ids: list[int]) -> None:
    audit_record(
        user=request_user(request),
        event_type=AuditEventType.SEARCH,
        request=request,  # type: ignore[arg-type]
        object_type="clients.client",
        detail=detail,
        client_ids=client_ids,
    )


class MyCaseloadApi(APIView):
    """The user's own clients with role, last contact and what is due."""

    @extend_schema(responses=CaseloadRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = request_user(request)
        if not team_ids_for(user):
            raise PermissionDenied
        rows = my_caseload_rows(user=user, today=timezone.localdate())
        _search(request, "mijn caseload (API)", [row.client.pk for row in rows])
        return Response(CaseloadRowSerializer(rows, many=True).data)


class _TeamApi(APIView):
    serializer: Any = None

    def rows(self, request: Request, team: Any, today: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def get(self, request: Request, team_id: int) -> Response:
        today = timezone.localdate()
        team = ov.overview_team_get(user=request_user(request), team_id=team_id, today=today)
        return Response(self.serializer(self.rows(request, team, today), many=True).data)


class TeamCaseloadApi(_TeamApi):
    """Clients per worker and per FTE, against the casemanagers' norm."""

    serializer = WorkerLoadSerializer

    @extend_schema(responses=WorkerLoadSerializer(many=True))
    def get(self, request: Request, team_id: int) -> Response:
        return super().get(request, team_id)

    def rows(self, request: Request, team: Any, today: Any) -> Any:
        return ov.caseload_per_worker(team=team, today=today)


class SharedCaseloadApi(_TeamApi):
    """Clients per combination of organisations involved today."""

    serializer = SharedCaseloadSerializer

    @extend_schema(responses=SharedCaseloadSerializer(many=True))
    def get(self, request: Request, team_id: int) -> Response:
        return super().get(request, team_id)

    def rows(self, request: Request, team: Any, today: Any) -> Any:
        return [
            {"organisations": label, "clients": n}
            for label, n in ov.shared_caseload(team=team, today=today)
        ]


class TeamHoursApi(_TeamApi):
    """Direct, indirect and unpaid minutes per worker and month (last 12 months)."""

    serializer = HoursSerializer

    @extend_schema(responses=HoursSerializer(many=True))
    def get(self, request: Request, team_id: int) -> Response:
        return super().get(request, team_id)

    def rows(self, request: Request, team: Any, today: Any) -> Any:
        return ov.hours_per_worker_month(team=team, today=today)


class TeamFlowApi(_TeamApi):
    """Inflow into care and outflow per month (last 12 months)."""

    serializer = FlowSerializer

    @extend_schema(responses=FlowSerializer(many=True))
    def get(self, request: Request, team_id: int) -> Response:
        return super().get(request, team_id)

    def rows(self, request: Request, team: Any, today: Any) -> Any:
        return ov.inflow_outflow(team=team, today=today)


class MdoListApi(_TeamApi):
    """The team's clients to discuss in the MDO, with the reasons."""

    serializer = MdoRowSerializer

    @extend_schema(responses=MdoRowSerializer(many=True))
    def get(self, request: Request, team_id: int) -> Response:
        return super().get(request, team_id)

    def rows(self, request: Request, team: Any, today: Any) -> Any:
        rows = ov.mdo_list(user=request_user(request), team=team, today=today)
        _search(request, f"MDO-lijst team {team.pk} (API)", [row.client.pk for row in rows])
        return rows
