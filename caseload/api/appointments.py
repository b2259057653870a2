"""REST endpoints of a client's appointments: list and plan, read and change (one, this and
following, the whole series), cancel. The same services and selectors as the pages; the
client in the URL goes through ``ClientScopedApiMixin`` (404 and audited when out of reach)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload.constants import (
    APPOINTMENT_KINDS,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    AppointmentPlace,
    AppointmentScope,
)
from caseload.models import Appointment
from caseload.selectors import appointments as selectors
from caseload.services import appointments as services
from olteams.access import ClientAction
from olteams.audit import ClientScopedApiMixin
from olteams.types import request_user

_KINDS = [(kind.value, kind.label) for kind in APPOINTMENT_KINDS]
_CHOICE: dict[str, Any] = {"invalid_choice": "Kies een van de mogelijkheden."}


@extend_schema_serializer(component_name="CaseloadAppointment")
class AppointmentSerializer(serializers.ModelSerializer):
    ends_at = serializers.DateTimeField(read_only=True)
    repeats = serializers.BooleanField(source="series.repeats", read_only=True)
    interval_weeks = serializers.IntegerField(source="series.interval_weeks", read_only=True)
    workers = serializers.SerializerMethodField()
    naasten = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "client",
            "series",
            "sequence",
            "repeats",
            "interval_weeks",
            "detached",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "kind",
            "place_kind",
            "place",
            "client_present",
            "workers",
            "naasten",
            "note",
            "state",
            "contact",
            "cancel_reason",
        ]
        read_only_fields = fields

    def get_workers(self, obj: Appointment) -> list[int]:
        return [w.pk for w in obj.workers.all()]

    def get_naasten(self, obj: Appointment) -> list[int]:
        return [n.pk for n in obj.naasten.all()]


class _RuleFields(serializers.Serializer):
    interval_weeks = serializers.IntegerField(
        min_value=1, max_value=MAX_INTERVAL_WEEKS, required=False, default=1
    )
    until = serializers.DateField(required=False, allow_null=True, default=None)
    count = serializers.IntegerField(
        min_value=1,
        max_value=MAX_OCCURRENCES,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"max_value": f"Een reeks heeft hoogstens {MAX_OCCURRENCES} afspraken."},
    )


class AppointmentWriteSerializer(_RuleFields):
    """Plan an appointment. Without ``until`` and ``count`` it happens once; otherwise every
    ``interval_weeks`` weeks until ``until`` or ``count`` times (not both)."""

    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=_KINDS, error_messages=_CHOICE)
    place_kind = serializers.ChoiceField(
        choices=AppointmentPlace.choices,
        required=False,
        default=AppointmentPlace.HOME,
        error_messages=_CHOICE,
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    workers = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    naasten = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    client_present = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppointmentUpdateSerializer(AppointmentWriteSerializer):
    """Change an appointment; ``scope`` says which: ``alleen_deze`` (default),
    ``deze_en_volgende`` or ``hele_reeks``. Fields left out keep their value."""

    scope = serializers.ChoiceField(
        choices=AppointmentScope.choices, required=False, default=AppointmentScope.ONE
    )


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)
    scope = serializers.ChoiceField(
        choices=AppointmentScope.choices, required=False, default=AppointmentScope.ONE
    )


def _service_values(data: dict[str, Any]) -> dict[str, Any]:
    """The serializer's fields as the services' arguments (the rule as a ``Recurrence``)."""
    data = dict(data)
    interval, until, count = data.pop("interval_weeks"), data.pop("until"), data.pop("count")
    if until is None and count is None:
        count = 1
    data["recurrence"] = services.Recurrence(interval, until, count)
    return data


class _AppointmentApi(ClientScopedApiMixin, APIView):
    @property
    def client_action(self) -> str:  # type: ignore[override]
        return ClientAction.VIEW if self.request.method in SAFE_METHODS else ClientAction.CHANGE

    def _parse(self, serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _many(self, rows: list[Appointment]) -> Any:
        ids = [row.pk for row in rows]
        fresh = selectors.appointment_list(client=self.client).filter(pk__in=ids)
        return AppointmentSerializer(fresh, many=True).data


class AppointmentListApi(_AppointmentApi):
    """The client's appointments, oldest first (GET); POST plans one or a series and
    answers with every occurrence made."""

    @extend_schema(responses=AppointmentSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = selectors.appointment_list(client=self.client)
        return Response(AppointmentSerializer(rows, many=True).data)

    @extend_schema(
        request=AppointmentWriteSerializer, responses={201: AppointmentSerializer(many=True)}
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = _service_values(self._parse(AppointmentWriteSerializer, request))
        planned = services.appointment_plan(actor=request_user(request), client=self.client, **data)
        return Response(self._many(planned), status=status.HTTP_201_CREATED)


def _current(appointment: Appointment) -> dict[str, Any]:
    series = appointment.series
    return {
        "starts_at": appointment.starts_at,
        "duration_minutes": appointment.duration_minutes,
        "kind": appointment.kind,
        "place_kind": appointment.place_kind,
        "place": appointment.place,
        "workers": [w.pk for w in appointment.workers.all()],
        "naasten": [n.pk for n in appointment.naasten.all()],
        "client_present": appointment.client_present,
        "note": appointment.note,
        "interval_weeks": series.interval_weeks,
        "until": series.until,
        "count": series.count,
    }


class AppointmentDetailApi(_AppointmentApi):
    """One appointment (GET); PATCH changes it, this and the following or the series."""

    @extend_schema(responses=AppointmentSerializer)
    def get(self, request: Request, client_id: int, appointment_id: int) -> Response:
        appointment = selectors.appointment_get(client=self.client, appointment_id=appointment_id)
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=AppointmentUpdateSerializer, responses=AppointmentSerializer)
    def patch(self, request: Request, client_id: int, appointment_id: int) -> Response:
        appointment = selectors.appointment_get(client=self.client, appointment_id=appointment_id)
        serializer = AppointmentUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        given = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        scope = serializer.validated_data.get("scope", AppointmentScope.ONE)
        given.pop("scope", None)
        values = _service_values(_current(appointment) | given)
        changed = services.appointment_update(
            actor=request_user(request), appointment=appointment, scope=scope, **values
        )
        fresh = selectors.appointment_get(client=self.client, appointment_id=changed.pk)
        return Response(AppointmentSerializer(fresh).data)


class AppointmentCancelApi(_AppointmentApi):
    """Cancel one appointment or (``scope``) the rest of its series, with the reason."""

    @extend_schema(request=AppointmentCancelSerializer, responses=AppointmentSerializer)
    def post(self, request: Request, client_id: int, appointment_id: int) -> Response:
        appointment = selectors.appointment_get(client=self.client, appointment_id=appointment_id)
        data = self._parse(AppointmentCancelSerializer, request)
        services.appointment_cancel(actor=request_user(request), appointment=appointment, **data)
        fresh = selectors.appointment_get(client=self.client, appointment_id=appointment.pk)
        return Response(AppointmentSerializer(fresh).data)
