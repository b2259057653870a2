"""REST endpoints of the clients app: the same selectors and services as the browser."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clients import services
from clients.api import serializers as s
from clients.filters import ClientFilter, ReferralFilter, WaitingListFilter
from clients.models import CareEpisode, Consent, Intake, Naaste, PrivacyRequest
from clients.selectors import client_list, referral_get, referral_list, waiting_list
from clients.selectors.privacy_requests import (
    client_privacy_requests,
    privacy_request_get,
    privacy_request_list,
)
from clients.services import privacy_requests as privacy_service
from olteams.access import ClientAction, clients_visible_to, record_visible, withheld_message
from olteams.audit import ClientScopedApiMixin, ShownClientsApiMixin, audit_record
from olteams.constants import AuditEventType, RecordKind, Role
from olteams.models import Team
from olteams.request_cache import request_cache
from olteams.types import request_user


def _created(serializer_class: Any, obj: Any, context: dict[str, Any] | None = None) -> Response:
    return Response(serializer_class(obj, context=context).data, status=status.HTTP_201_CREATED)


def _intake_context(request: Request, client: Any) -> dict[str, Any]:
    """The intake's notes only under the consent rule (``olteams.access.record_visible``)."""
    if record_visible(request_user(request), client, RecordKind.INTAKE):
        return {}
    return {"intake_withheld": withheld_message(RecordKind.INTAKE)}


def _parse(serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ClientScopedApi(ClientScopedApiMixin, APIView):
    """Reads need VIEW, writes need CHANGE on the client in the URL."""

    @property
    def client_action(self) -> str:  # type: ignore[override]
        return ClientAction.VIEW if self.request.method in SAFE_METHODS else ClientAction.CHANGE


class ClientListApi(ShownClientsApiMixin, generics.ListAPIView):
    """Clients the user may see (BSN masked); POST registers one."""

    serializer_class = s.ClientListSerializer
    filterset_class = ClientFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return client_list(user=self.request.user).order_by("last_name", "first_name", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,  # type: ignore[arg-type]
            object_type="clients.client",
            detail="cliëntenlijst (API)",
            client_ids=self.shown_client_ids or [],
        )
        return response

    @extend_schema(request=s.ClientInputSerializer, responses={201: s.ClientSerializer})
    def post(self, request: Request) -> Response:
        # The actor's access facts (memberships, assignments, roles) are read once for the
        # team check, a duplicate's visibility and the audit event: registering a client
        # changes none of them.
        with request_cache():
            return self._register(request)

    def _register(self, request: Request) -> Response:
        data = _parse(s.ClientInputSerializer, request)
        team = data.pop("team", None)
        referral = data.pop("referral", None)
        if team is None:
            teams = list(
                Team.objects.filter(memberships__user=request_user(request)).distinct()[:2]
            )
            team = teams[0] if len(teams) == 1 else None
        if team is None:
            return Response({"team": ["Kies een team."]}, status=400)
        if referral is not None:
            referral = referral_get(user=request_user(request), referral_id=referral.pk)
        try:
            client = services.client_register(
                actor=request.user, team=team, referral=referral, **data
            )
        except services.DuplicateClientError as exc:
            visible = clients_visible_to(request_user(request)).filter(pk=exc.existing.pk).exists()
            body: dict[str, Any] = dict(exc.message_dict)
            body["existing_client"] = exc.existing.pk if visible else None
            return Response(body, status=400)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.CREATE,
            request=request,  # type: ignore[arg-type]
            client_id=client.pk,
            obj=client,
        )
        return _created(s.ClientSerializer, client)


class ClientDetailApi(ClientScopedApi):
    @extend_schema(responses=s.ClientSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        return Response(s.ClientSerializer(self.client).data)

    @extend_schema(request=s.ClientInputSerializer, responses=s.ClientSerializer)
    def patch(self, request: Request, client_id: int) -> Response:
        data = _parse(s.ClientInputSerializer, request, partial=True)
        for name in ("team", "referral"):
            data.pop(name, None)
        allow = data.pop("allow_possible_duplicate", True)
        client = services.client_update(
            actor=request.user, client=self.client, allow_possible_duplicate=allow, **data
        )
        return Response(s.ClientSerializer(client).data)


class ReferralListApi(ShownClientsApiMixin, generics.ListAPIView):
    serializer_class = s.ReferralSerializer
    shown_client_attr = "client_id"
    filterset_class = ReferralFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return referral_list(user=self.request.user).prefetch_related("decisions")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Names and help questions of people: a search of client data (NEN 7513).
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,  # type: ignore[arg-type]
            object_type="clients.referral",
            detail="aanmeldingen (API)",
            client_ids=self.shown_client_ids or [],
        )
        return response

    @extend_schema(request=s.ReferralInputSerializer, responses={201: s.ReferralSerializer})
    def post(self, request: Request) -> Response:
        data = _parse(s.ReferralInputSerializer, request)
        referral = services.referral_create(actor=request.user, **data)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.CREATE,
            request=request,  # type: ignore[arg-type]
            obj=referral,
        )
        return _created(s.ReferralSerializer, referral)


class ReferralDetailApi(APIView):
    @extend_schema(responses=s.ReferralSerializer)
    def get(self, request: Request, referral_id: int) -> Response:
        referral = referral_get(user=request_user(request), referral_id=referral_id)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.READ,
            request=request,  # type: ignore[arg-type]
            client_id=referral.client_id,
            obj=referral,
        )
        return Response(s.ReferralSerializer(referral).data)


class ReferralDecideApi(APIView):
    @extend_schema(request=s.DecisionInputSerializer, responses={201: s.DecisionSerializer})
    def post(self, request: Request, referral_id: int) -> Response:
        referral = referral_get(user=request_user(request), referral_id=referral_id)
        decision = services.referral_decide(
            actor=request.user, referral=referral, **_parse(s.DecisionInputSerializer, request)
        )
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.UPDATE,
            request=request,  # type: ignore[arg-type]
            client_id=referral.client_id,
            obj=referral,
            detail="besluit aanmelding",
        )
        return _created(s.DecisionSerializer, decision)


class WaitingListApi(generics.ListAPIView):
    serializer_class = s.WaitingSerializer
    filterset_class = WaitingListFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return waiting_list(user=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        today = timezone.localdate()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        for episode in page:  # type: ignore[union-attr]
            episode.days_waited = (today - episode.waiting_since).days
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.SEARCH,
            request=request,  # type: ignore[arg-type]
            object_type="clients.careepisode",
            detail="wachtlijst (API)",
            client_ids=[episode.client_id for episode in page or []],
        )
        return response


# --- client-scoped ----------------------------------------------------------------


class EpisodeListApi(ClientScopedApi):
    @extend_schema(responses=s.EpisodeSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        episodes = (
            CareEpisode.objects.filter(client=self.client)
            .select_related("intake")
            .prefetch_related("transitions", "intake__workers")
            .order_by("-started_on", "-id")
        )
        return Response(
            s.EpisodeSerializer(
                episodes, many=True, context=_intake_context(request, self.client)
            ).data
        )


def _open_episode(client: Any) -> CareEpisode:
    return get_object_or_404(CareEpisode, client=client, ended_on__isnull=True)


class EpisodeTransitionApi(ClientScopedApi):
    @extend_schema(request=s.TransitionInputSerializer, responses=s.EpisodeSerializer)
    def post(self, request: Request, client_id: int) -> Response:
        episode = services.episode_transition(
            actor=request.user,
            episode=_open_episode(self.client),
            **_parse(s.TransitionInputSerializer, request),
        )
        return Response(
            s.EpisodeSerializer(episode, context=_intake_context(request, self.client)).data
        )


class EpisodeOutflowApi(ClientScopedApi):
    @extend_schema(request=s.OutflowInputSerializer, responses=s.EpisodeSerializer)
    def post(self, request: Request, client_id: int) -> Response:
        episode = services.episode_outflow(
            actor=request.user,
            episode=_open_episode(self.client),
            **_parse(s.OutflowInputSerializer, request),
        )
        return Response(
            s.EpisodeSerializer(episode, context=_intake_context(request, self.client)).data
        )


class EpisodeReenterApi(ClientScopedApi):
    @extend_schema(request=s.ReentryInputSerializer, responses={201: s.EpisodeSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        episode = services.episode_reenter(
            actor=request.user, client=self.client, **_parse(s.ReentryInputSerializer, request)
        )
        return _created(s.EpisodeSerializer, episode, _intake_context(request, self.client))


class IntakeApi(ClientScopedApi):
    @extend_schema(responses=s.IntakeSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        intake = get_object_or_404(
            Intake, episode__client=self.client, episode__ended_on__isnull=True
        )
        return Response(
            s.IntakeSerializer(intake, context=_intake_context(request, self.client)).data
        )

    @extend_schema(request=s.IntakePlanInputSerializer, responses=s.IntakeSerializer)
    def post(self, request: Request, client_id: int) -> Response:
        intake = services.intake_plan(
            actor=request.user,
            episode=_open_episode(self.client),
            **_parse(s.IntakePlanInputSerializer, request),
        )
        return Response(
            s.IntakeSerializer(intake, context=_intake_context(request, self.client)).data
        )


class IntakeCompleteApi(ClientScopedApi):
    @extend_schema(request=s.IntakeCompleteInputSerializer, responses=s.IntakeSerializer)
    def post(self, request: Request, client_id: int) -> Response:
        intake = get_object_or_404(
            Intake, episode__client=self.client, episode__ended_on__isnull=True
        )
        data = _parse(s.IntakeCompleteInputSerializer, request)
        data["organisations"] = [
            (o["organisation"], o["funding_stream"]) for o in data["organisations"]
        ]
        intake = services.intake_complete(actor=request.user, intake=intake, **data)
        return Response(
            s.IntakeSerializer(intake, context=_intake_context(request, self.client)).data
        )


class CareTeamApi(ClientScopedApi):
    @extend_schema(responses=s.AssignmentSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        return Response(s.AssignmentSerializer(self.client.assignments.all(), many=True).data)

    @extend_schema(request=s.AssignmentInputSerializer, responses={201: s.AssignmentSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        assignment = services.assignment_set(
            actor=request.user, client=self.client, **_parse(s.AssignmentInputSerializer, request)
        )
        return _created(s.AssignmentSerializer, assignment)


class InvolvedOrganisationApi(ClientScopedApi):
    @extend_schema(responses=s.InvolvedOrganisationSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = self.client.involved_organisations.all()
        return Response(s.InvolvedOrganisationSerializer(rows, many=True).data)

    @extend_schema(
        request=s.InvolvedOrganisationInputSerializer,
        responses={201: s.InvolvedOrganisationSerializer},
    )
    def post(self, request: Request, client_id: int) -> Response:
        row = services.involved_organisation_add(
            actor=request.user,
            client=self.client,
            **_parse(s.InvolvedOrganisationInputSerializer, request),
        )
        return _created(s.InvolvedOrganisationSerializer, row)


class NaasteListApi(ClientScopedApi):
    @extend_schema(responses=s.NaasteSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        return Response(s.NaasteSerializer(self.client.naasten.all(), many=True).data)

    @extend_schema(request=s.NaasteInputSerializer, responses={201: s.NaasteSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        naaste = services.naaste_add(
            actor=request.user, client=self.client, **_parse(s.NaasteInputSerializer, request)
        )
        return _created(s.NaasteSerializer, naaste)


class NaasteDetailApi(ClientScopedApi):
    @extend_schema(request=s.NaasteInputSerializer, responses=s.NaasteSerializer)
    def patch(self, request: Request, client_id: int, pk: int) -> Response:
        naaste = get_object_or_404(Naaste, pk=pk, client=self.client)
        naaste = services.naaste_update(
            actor=request.user,
            naaste=naaste,
            **_parse(s.NaasteInputSerializer, request, partial=True),
        )
        return Response(s.NaasteSerializer(naaste).data)


class ConsentListApi(ClientScopedApi):
    @extend_schema(responses=s.ConsentSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        return Response(s.ConsentSerializer(self.client.consents.all(), many=True).data)

    @extend_schema(request=s.ConsentInputSerializer, responses={201: s.ConsentSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        consent = services.consent_give(
            actor=request.user, client=self.client, **_parse(s.ConsentInputSerializer, request)
        )
        return _created(s.ConsentSerializer, consent)


class ConsentWithdrawApi(ClientScopedApi):
    @extend_schema(request=s.WithdrawInputSerializer, responses=s.ConsentSerializer)
    def post(self, request: Request, client_id: int, pk: int) -> Response:
        consent = get_object_or_404(Consent, pk=pk, client=self.client)
        consent = services.consent_withdraw(
            actor=request.user, consent=consent, **_parse(s.WithdrawInputSerializer, request)
        )
        return Response(s.ConsentSerializer(consent).data)


# --- privacy requests (AVG) ---------------------------------------------------------------


class PrivacyRequestRegisterApi(ShownClientsApiMixin, generics.ListAPIView):
    """Every privacy request the user may handle (the register); the SEARCH event names the
    clients on the page."""

    serializer_class = s.PrivacyRequestSerializer
    shown_client_attr = "client_id"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return privacy_request_list(user=self.request.user, today=timezone.localdate())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        user = request_user(request)
        audit_record(
            user=user,
            event_type=AuditEventType.SEARCH,
            request=request,  # type: ignore[arg-type]
            object_type="clients.privacyrequest",
            detail="privacyverzoeken (API)",
            client_ids=self.shown_client_ids or [],
            role=Role.PRIVACY_OFFICER if user.is_privacy_officer else "",
        )
        return response


class PrivacyRequestScopedApi(ClientScopedApiMixin, APIView):
    client_action = ClientAction.VIEW_PRIVACY


def _privacy_request(client: Any, pk: int) -> PrivacyRequest:
    try:
        return privacy_request_get(client=client, pk=pk)
    except PrivacyRequest.DoesNotExist:
        from django.http import Http404

        raise Http404 from None


class PrivacyRequestListApi(PrivacyRequestScopedApi):
    @extend_schema(responses=s.PrivacyRequestSerializer(many=True))
    def get(self, request: Request, client_id: int) -> Response:
        rows = client_privacy_requests(client=self.client)
        return Response(s.PrivacyRequestSerializer(rows, many=True).data)

    @extend_schema(
        request=s.PrivacyRequestInputSerializer, responses={201: s.PrivacyRequestSerializer}
    )
    def post(self, request: Request, client_id: int) -> Response:
        pr = privacy_service.file_request(
            self.client,
            filed_by=request.user,
            request=request,
            **_parse(s.PrivacyRequestInputSerializer, request),
        )
        return _created(s.PrivacyRequestSerializer, pr)


class PrivacyRequestDetailApi(PrivacyRequestScopedApi):
    @extend_schema(responses=s.PrivacyRequestSerializer)
    def get(self, request: Request, client_id: int, pk: int) -> Response:
        return Response(s.PrivacyRequestSerializer(_privacy_request(self.client, pk)).data)


class PrivacyRequestDecideApi(PrivacyRequestScopedApi):
    @extend_schema(request=s.PrivacyDecideInputSerializer, responses=s.PrivacyRequestSerializer)
    def post(self, request: Request, client_id: int, pk: int) -> Response:
        data = _parse(s.PrivacyDecideInputSerializer, request)
        pr = privacy_service.decide(
            _privacy_request(self.client, pk), actor=request.user, request=request, **data
        )
        return Response(s.PrivacyRequestSerializer(pr).data)
