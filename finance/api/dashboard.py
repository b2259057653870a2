"""Read-only dashboard figures for the steering group (aggregates only, suppressed).

A suppressed figure (a count under 5, or a percentage/average/per-client amount over fewer
than 5 clients) is answered as ``{"value": null, "suppressed": true, "text": "<5"}``: the
number itself never leaves the server. ``value: null`` with ``suppressed: false`` means there
is no figure for that month (no data, e.g. no account yet). A per-team count that would give
away a hidden one by subtraction from the all-teams total is withheld too, with the text "\u00d7"
(``finance.services.steering``; the rows are read as stored).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.selectors import dashboard as selectors
from finance.services.steering import steering_months_ensure
from olteams.types import request_user


class DashboardQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(
        min_value=1, max_value=selectors.MAX_MONTHS, required=False, help_text="1-24, default 12"
    )
    end = serializers.DateField(
        input_formats=["%Y-%m"],
        required=False,
        help_text="Last month shown (YYYY-MM); default the last complete month.",
    )

    def validate_end(self, value: dt.date) -> dt.date:
        if value > timezone.localdate().replace(day=1):
            raise serializers.ValidationError("Kies een maand tot en met de huidige maand.")
        return value


class CellSerializer(serializers.Serializer):
    month = serializers.DateField()
    value = serializers.FloatField(
        allow_null=True, help_text="null when suppressed or when there is no figure"
    )
    suppressed = serializers.BooleanField(
        help_text='true: withheld; fewer than 5 ("<5"), or against subtraction (a cross, U+00D7)'
    )
    text = serializers.CharField(help_text='The figure as the pages show it ("<5" or a cross)')


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(help_text="The label shown on the pages (Dutch)")
    unit = serializers.CharField()
    points = CellSerializer(many=True)


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScopeSerializer(serializers.Serializer):
    team = TeamRefSerializer(allow_null=True, help_text="null: all teams together")
    metrics = MetricSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    end_month = serializers.DateField()
    months = serializers.ListField(child=serializers.DateField())
    min_cell = serializers.IntegerField()
    suppressed_text = serializers.CharField()
    scope = ScopeSerializer()
    teams = ScopeSerializer(many=True)


def _scope_data(scope: selectors.Scope) -> dict[str, Any]:
    team = scope.team
    return {
        "team": {"id": team.pk, "name": team.name} if team is not None else None,
        "metrics": [
            {
                "key": m.key,
                "name": m.label,
                "unit": m.unit,
                "points": [
                    {
                        "month": month,
                        "value": None if c.value is None else float(c.value),
                        "suppressed": c.suppressed,
                        "text": c.text,
                    }
                    for month, c in zip(scope.months, m.cells, strict=True)
                ],
            }
            for m in scope.metrics
        ],
    }


def _data(dashboard: selectors.Dashboard) -> dict[str, Any]:
    return DashboardSerializer(
        {
            "end_month": dashboard.end_month,
            "months": dashboard.months,
            "min_cell": selectors.STEERING_MIN_CELL,
            "suppressed_text": selectors.SUPPRESSED,
            "scope": _scope_data(dashboard.scope),
            "teams": [_scope_data(s) for s in dashboard.teams],
        }
    ).data


_PARAMETERS = [
    OpenApiParameter("months", OpenApiTypes.INT, description="1-24 (default 12)"),
    OpenApiParameter("end", OpenApiTypes.STR, description="YYYY-MM (default last complete month)"),
]


class _DashboardApi(APIView):
    allowed = staticmethod(selectors.dashboard_allowed)

    def period(self, request: Request) -> dict[str, Any]:
        if not self.allowed(request_user(request)):
            raise PermissionDenied
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = {
            "months": query.validated_data.get("months") or selectors.DEFAULT_MONTHS,
            "end_month": query.validated_data.get("end"),
        }
        computed = steering_months_ensure(months=selectors.dashboard_period(**period))
        # The stored figures may come from the replica unless this request just stored them.
        period["from_replica"] = not computed
        return period


class DashboardApi(_DashboardApi):
    """All teams together and every team: monthly series with suppression."""

    @extend_schema(parameters=_PARAMETERS, responses=DashboardSerializer)
    def get(self, request: Request) -> Response:
        period = self.period(request)
        dashboard = selectors.dashboard_overview(user=request_user(request), **period)
        return Response(_data(dashboard))


class DashboardTeamApi(_DashboardApi):
    """One team's monthly series with suppression (``teams`` is empty); team leads get the
    teams they lead."""

    allowed = staticmethod(selectors.dashboard_team_allowed)

    @extend_schema(parameters=_PARAMETERS, responses=DashboardSerializer)
    def get(self, request: Request, team_id: int) -> Response:
        period = self.period(request)
        dashboard = selectors.dashboard_team(user=request_user(request), team_id=team_id, **period)
        return Response(_data(dashboard))
