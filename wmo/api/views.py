"""REST endpoints of the Wmo workflow: the same selectors, services and access policy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FileUploadParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from olteams.access import ClientAction, access_client, municipality_ids_for
from olteams.audit import ClientScopedApiMixin, ShownClientsApiMixin, audit_client, audit_record
from olteams.constants import AuditEventType
from olteams.models import User
from wmo import iwmo, selectors, services
from wmo.api.serializers import (
    DecisionSerializer,
    DecisionWriteSerializer,
    InboxRowSerializer,
    IndicationSerializer,
    RequestSerializer,
    RequestWriteSerializer,
)
from wmo.filters import InboxFilter, RequestFilter
from wmo.models import Indication, IndicationRequest


def _user(request: Any) -> User:
    """DRF's IsAuthenticated guarantees a signed-in user on every endpoint."""
    return request.user  # type: ignore[no-any-return]


def _context(view: Any) -> dict[str, Any]:
    return {"today": timezone.localdate(), "request": view.request}


class RequestListApi(ShownClientsApiMixin, generics.ListAPIView):
    """The team's requests (every client the user cares for)."""

    serializer_class = RequestSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = selectors.request_list(user=_user(self.request)).prefetch_related(
            "goals",
            "zrm_scores",
            "decisions__indication__product",
            "decisions__indication__municipality",
        )
        return RequestFilter(self.request.GET, queryset=qs).qs

    def get_serializer_context(self) -> dict[str, Any]:
        return _context(self)

    shown_client_attr = "client_id"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,
            object_type="wmo.indicationrequest",
            detail="API: Wmo-aanvragen",
            client_ids=self.shown_client_ids or [],
        )
        return response


class InboxApi(ShownClientsApiMixin, generics.ListAPIView):
    """The consultant's inbox: overdue first, then by deadline; filters team/status/product."""

    shown_client_attr = "client_id"

    serializer_class = InboxRowSerializer
    queryset = IndicationRequest.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        ids = municipality_ids_for(_user(self.request))
        if not ids:
            raise PermissionDenied("Alleen voor Wmo-consulenten.")
        qs = selectors.inbox_list(user=_user(self.request), municipality_ids=ids)
        return InboxFilter(self.request.GET, queryset=qs, municipality_ids=ids).qs

    def get_serializer_context(self) -> dict[str, Any]:
        return _context(self)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,
            object_type="wmo.indicationrequest",
            detail="API: Wmo-inbox",
            client_ids=self.shown_client_ids or [],
        )
        return response


class RequestCreateApi(ClientScopedApiMixin, APIView):
    client_action = ClientAction.CHANGE

    @extend_schema(request=RequestWriteSerializer, responses={201: RequestSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        data = RequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.request_create(
            actor=_user(request), client=self.client, data=data.validated_data
        )
        obj = selectors.request_get(user=_user(request), client=self.client, pk=obj.pk)
        return Response(
            RequestSerializer(obj, context=_context(self)).data, status=status.HTTP_201_CREATED
        )


class RequestDetailApi(ClientScopedApiMixin, APIView):
    """GET for whoever may see the request; PUT changes a concept (team only)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.client_action = (
            ClientAction.VIEW_WMO if request.method == "GET" else ClientAction.CHANGE
        )
        super().initial(request, *args, **kwargs)

    @extend_schema(responses=RequestSerializer)
    def get(self, request: Request, client_id: int, pk: int) -> Response:
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        return Response(RequestSerializer(obj, context=_context(self)).data)

    @extend_schema(request=RequestWriteSerializer, responses=RequestSerializer)
    def put(self, request: Request, client_id: int, pk: int) -> Response:
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        data = RequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_update(actor=_user(request), request=obj, data=data.validated_data)
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        return Response(RequestSerializer(obj, context=_context(self)).data)


class _RequestActionApi(ClientScopedApiMixin, APIView):
    service: Any = None

    @extend_schema(request=None, responses=RequestSerializer)
    def post(self, request: Request, client_id: int, pk: int) -> Response:
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        type(self).service(actor=_user(request), request=obj)
        obj = selectors.request_get(user=_user(request), client=self.client, pk=pk)
        return Response(RequestSerializer(obj, context=_context(self)).data)


class RequestSubmitApi(_RequestActionApi):
    client_action = ClientAction.CHANGE
    service = services.request_submit


class RequestWithdrawApi(_RequestActionApi):
    client_action = ClientAction.CHANGE
    service = services.request_withdraw


class RequestReviewApi(_RequestActionApi):
    client_action = ClientAction.DECIDE_WMO
    service = services.request_start_review


class DecisionCreateApi(APIView):
    """POST a decision on a request (``request`` is its id). A request the consultant may not
    decide is a field error, the same for 'missing' and 'not yours'."""

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request) -> Response:
        data = DecisionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        obj = IndicationRequest.objects.filter(pk=values.pop("request")).first()
        try:
            if obj is None:
                raise Http404
            client = access_client(_user(request), obj.client_id, action=ClientAction.DECIDE_WMO)
        except Http404:
            raise ValidationError(
                {"request": "Deze aanvraag is niet aan uw gemeente gericht."}
            ) from None
        audit_client(request, client, event_type=AuditEventType.CREATE, obj=obj)  # type: ignore[arg-type]
        decision = services.request_decide(actor=_user(request), request=obj, **values)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class IndicationListApi(ClientScopedApiMixin, generics.ListAPIView):
    client_action = ClientAction.VIEW_WMO
    serializer_class = IndicationSerializer
    pagination_class = None
    queryset = Indication.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        rows = selectors.indication_register(
            client=self.client, today=timezone.localdate(), user=_user(self.request)
        )
        return [row.indication for row in rows]


class Wmo301ImportApi(APIView):
    """POST a WMO301 message (XML body, or a multipart ``message`` file)."""

    parser_classes = [MultiPartParser, FileUploadParser]

    @extend_schema(
        request={"application/xml": bytes}, responses={201: DecisionSerializer(many=True)}
    )
    def post(self, request: Request) -> Response:
        """Only a Wmo consultant of the municipality the message names may post it (403
        otherwise, nothing stored); the message is schema-checked (400 with the errors)."""
        data = request.data if isinstance(request.data, dict) else {}
        upload = data.get("message") or data.get("file")
        if upload is None:
            raise ValidationError({"message": "Stuur een WMO301-bericht (XML)."})
        decisions = iwmo.import_wmo301(actor=_user(request), xml=upload.read())
        for decision in decisions:
            client = access_client(
                _user(request), decision.request.client_id, action=ClientAction.VIEW_WMO
            )
            audit_client(request, client, event_type=AuditEventType.CREATE, obj=decision)  # type: ignore[arg-type]
        return Response(
            DecisionSerializer(decisions, many=True).data, status=status.HTTP_201_CREATED
        )


class Wmo319ImportApi(APIView):
    """POST a WMO319 answer (in onderzoek, or rejected with a reason code); like the WMO301:
    only the municipality's consultant or system client, schema-checked, nothing stored on
    refusal."""

    parser_classes = [MultiPartParser, FileUploadParser]

    @extend_schema(request={"application/xml": bytes}, responses={201: DecisionSerializer})
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        upload = data.get("message") or data.get("file")
        if upload is None:
            raise ValidationError({"message": "Stuur een WMO319-bericht (XML)."})
        decision = iwmo.import_wmo319(actor=_user(request), xml=upload.read())
        client = access_client(
            _user(request), decision.request.client_id, action=ClientAction.VIEW_WMO
        )
        audit_client(request, client, event_type=AuditEventType.CREATE, obj=decision)  # type: ignore[arg-type]
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
