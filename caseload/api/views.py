"""REST endpoints of the caseload app: the same selectors, services and access policy as the
logging pages. A client out of reach is a 400 field error on create (body) and a 404 in a URL."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import services
from caseload.api import serializers as s
from caseload.api.filters import ConsultationFilter, ContactFilter, NonClientTimeFilter
from caseload.models import Consultation, Contact, Crisis, IntensityChange, NonClientTime
from caseload.selectors import contacts as selectors
from olteams.access import ClientAction, access_client, record_visible, withheld_message
from olteams.audit import ClientScopedApiMixin, audit_client, audit_record
from olteams.constants import AuditEventType, AuditOutcome, RecordKind
from olteams.types import request_user


def _parse(serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _search(request: Request, object_type: str, detail: str, client_ids: Any) -> None:
    """The list's SEARCH event, naming the clients of the rows shown (``client_ids``)."""
    audit_record(
        user=request_user(request),
        event_type=AuditEventType.SEARCH,
        request=request,  # type: ignore[arg-type]
        object_type=object_type,
        detail=detail,
        client_ids=[pk for pk in client_ids if pk is not None],
    )


def _created(serializer: Any) -> Response:
    return Response(serializer.data, status=status.HTTP_201_CREATED)


# --- contacts ----------------------------------------------------------------------------


def _contact_context(request: Request, contacts: Any) -> dict[str, Any]:
    """What the serializer needs to shield notes, in a fixed number of queries."""
    user = request_user(request)
    categories = selectors.note_categories_by_client(
        user=user, client_ids={c.client_id for c in contacts}
    )
    return {"request": request, "categories": categories, "user_id": user.pk}


class ContactListApi(generics.ListCreateAPIView):
    """Contacts with clients the user may see (filter by client, team, period, kind,
    funding); POST logs one. The report is null where the consent rules shield it."""

    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter
    queryset = Contact.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.contact_list(user=request_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page or [])
        _search(request, "caseload.contact", "API: contacten", [c.client_id for c in rows])
        data = s.ContactSerializer(rows, many=True, context=_contact_context(request, rows)).data
        return self.get_paginated_response(data)

    @extend_schema(request=s.ContactCreateSerializer, responses={201: s.ContactSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _parse(s.ContactCreateSerializer, request)
        client = access_client(
            request_user(request), data.pop("client").pk, action=ClientAction.CHANGE
        )
        contact = services.contact_log(actor=request_user(request), client=client, **data)
        audit_client(request, client, event_type=AuditEventType.CREATE, obj=contact)  # type: ignore[arg-type]
        contact = selectors.contact_get(user=request_user(request), contact_id=contact.pk)
        return _created(s.ContactSerializer(contact, context=_contact_context(request, [contact])))


class ContactDetailApi(APIView):
    """One contact (GET); PUT/PATCH correct it (its author or a team lead)."""

    def _contact(self, request: Request, contact_id: Any) -> Contact:
        write = request.method not in SAFE_METHODS
        event = AuditEventType.UPDATE if write else AuditEventType.READ
        try:
            contact = selectors.contact_get(
                user=request_user(request),
                contact_id=contact_id,
                action=ClientAction.CHANGE if write else ClientAction.VIEW,
            )
        except Http404:
            audit_record(
                user=request_user(request),
                event_type=event,
                request=request,  # type: ignore[arg-type]
                object_type="caseload.contact",
                object_id=str(contact_id)[:64],
                outcome=AuditOutcome.DENIED,
                detail="API: geen toegang tot contact",
            )
            raise
        audit_client(request, contact.client, event_type=event, obj=contact)  # type: ignore[arg-type]
        return contact

    def _respond(self, request: Request, contact: Contact) -> Response:
        contact = selectors.contact_get(user=request_user(request), contact_id=contact.pk)
        return Response(
            s.ContactSerializer(contact, context=_contact_context(request, [contact])).data
        )

    @extend_schema(responses=s.ContactSerializer)
    def get(self, request: Request, contact_id: int) -> Response:
        return self._respond(request, self._contact(request, contact_id))

    def _update(self, request: Request, contact_id: int, *, partial: bool) -> Response:
        contact = self._contact(request, contact_id)
        current: dict[str, Any] = {
            "starts_at": contact.starts_at,
            "duration_minutes": contact.duration_minutes,
            "kind": contact.kind,
            "workers": [p.worker_id for p in contact.presences.all()],
            "naaste_present": contact.naaste_present,
            "goals": [g.pk for g in contact.goals.all()],
            "note": contact.note,
            "travel_minutes": contact.travel_minutes,
            "funding_stream": contact.funding_stream,
        }
        serializer = s.ContactUpdateSerializer(
            data=request.data, partial=partial, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        values = current | dict(serializer.validated_data)
        contact = services.contact_update(actor=request_user(request), contact=contact, **values)
        return self._respond(request, contact)

    @extend_schema(request=s.ContactUpdateSerializer, responses=s.ContactSerializer)
    def put(self, request: Request, contact_id: int) -> Response:
        return self._update(request, contact_id, partial=False)

    @extend_schema(request=s.ContactUpdateSerializer, responses=s.ContactSerializer)
    def patch(self, request: Request, contact_id: int) -> Response:
        return self._update(request, contact_id, partial=True)


# --- non-client time and consultations ---------------------------------------------------


class NonClientTimeListApi(generics.ListCreateAPIView):
    """The user's own non-client time (a lead or secretariaat: the team's); POST records."""

    serializer_class = s.NonClientTimeSerializer
    filterset_class = NonClientTimeFilter
    queryset = NonClientTime.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.non_client_time_list(user=request_user(self.request))

    @extend_schema(
        request=s.NonClientTimeCreateSerializer, responses={201: s.NonClientTimeSerializer}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _parse(s.NonClientTimeCreateSerializer, request)
        row = services.non_client_time_log(actor=request_user(request), **data)
        return _created(s.NonClientTimeSerializer(row))


class ConsultationListApi(generics.ListCreateAPIView):
    """Consultations counted for the user's teams; POST records one."""

    serializer_class = s.ConsultationSerializer
    filterset_class = ConsultationFilter
    queryset = Consultation.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.consultation_list(user=request_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page or [])
        _search(request, "caseload.consultation", "API: consultaties", [c.client_id for c in rows])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        request=s.ConsultationCreateSerializer, responses={201: s.ConsultationSerializer}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ConsultationCreateSerializer(
            data=request.data, context={"request": request, "client_action": ClientAction.VIEW}
        )
        serializer.is_valid(raise_exception=True)
        row = services.consultation_log(actor=request_user(request), **serializer.validated_data)
        if row.client_id is not None:
            client = access_client(request_user(request), row.client_id)
            audit_client(request, client, event_type=AuditEventType.CREATE, obj=row)  # type: ignore[arg-type]
        return _created(s.ConsultationSerializer(row))


# --- per client: intensity and crises ----------------------------------------------------


class _ClientScopedListApi(ClientScopedApiMixin, generics.ListAPIView):
    """Reads need VIEW, writes CHANGE on the client in the URL (404 otherwise, audited)."""

    pagination_class = None

    @property
    def client_action(self) -> str:  # type: ignore[override]
        return ClientAction.VIEW if self.request.method in SAFE_METHODS else ClientAction.CHANGE


class IntensityChangeListApi(_ClientScopedListApi):
    """The client's intensity changes, newest first; POST scales up or down."""

    serializer_class = s.IntensityChangeSerializer
    queryset = IntensityChange.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.intensity_change_list(client=self.client)

    @extend_schema(
        request=s.IntensityChangeCreateSerializer, responses={201: s.IntensityChangeSerializer}
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = _parse(s.IntensityChangeCreateSerializer, request)
        change = services.intensity_change_record(
            actor=request_user(request), client=self.client, **data
        )
        return _created(s.IntensityChangeSerializer(change))


def _crisis_context(request: Request, client: Any) -> dict[str, Any]:
    """A crisis's reason only under the consent rule (``olteams.access.record_visible``)."""
    if record_visible(request_user(request), client, RecordKind.CRISIS_NOTE):
        return {}
    return {"crisis_withheld": withheld_message(RecordKind.CRISIS_NOTE)}


class CrisisListApi(_ClientScopedListApi):
    """The client's crises and admissions, newest first; POST records one."""

    serializer_class = s.CrisisSerializer
    queryset = Crisis.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.crisis_list(client=self.client)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_crisis_context(self.request, self.client)}

    @extend_schema(request=s.CrisisCreateSerializer, responses={201: s.CrisisSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        data = _parse(s.CrisisCreateSerializer, request)
        crisis = services.crisis_record(actor=request_user(request), client=self.client, **data)
        return _created(s.CrisisSerializer(crisis))


class CrisisDetailApi(ClientScopedApiMixin, APIView):
    """One crisis (GET); PATCH ends it."""

    @property
    def client_action(self) -> str:  # type: ignore[override]
        return ClientAction.VIEW if self.request.method in SAFE_METHODS else ClientAction.CHANGE

    @extend_schema(responses=s.CrisisSerializer)
    def get(self, request: Request, client_id: int, crisis_id: int) -> Response:
        crisis = selectors.crisis_get(
            user=request_user(request), crisis_id=crisis_id, client=self.client
        )
        return Response(
            s.CrisisSerializer(crisis, context=_crisis_context(request, self.client)).data
        )

    @extend_schema(request=s.CrisisEndSerializer, responses=s.CrisisSerializer)
    def patch(self, request: Request, client_id: int, crisis_id: int) -> Response:
        crisis = selectors.crisis_get(
            user=request_user(request), crisis_id=crisis_id, client=self.client
        )
        data = _parse(s.CrisisEndSerializer, request)
        crisis = services.crisis_end(
            actor=request_user(request), crisis=crisis, today=timezone.localdate(), **data
        )
        return Response(s.CrisisSerializer(crisis).data)
