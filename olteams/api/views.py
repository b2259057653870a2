from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from olteams.access import active_memberships, roles_of
from olteams.api.serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenInputSerializer,
    ApiTokenSerializer,
    MarkReadSerializer,
    MembershipSerializer,
    MeSerializer,
    NotificationSerializer,
)
from olteams.models import ApiToken, Notification
from olteams.selectors import notification_list
from olteams.services import api_token_create, api_token_revoke, notification_mark_read


class MeApi(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,  # type: ignore[union-attr]
            "last_name": user.last_name,  # type: ignore[union-attr]
            "email": user.email,  # type: ignore[union-attr]
            "roles": roles_of(user),  # type: ignore[arg-type]
            "memberships": MembershipSerializer(active_memberships(user), many=True).data,  # type: ignore[arg-type]
        }
        return Response(data)


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return notification_list(user=self.request.user)


class NotificationMarkReadApi(APIView):
    @extend_schema(request=MarkReadSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = notification_mark_read(
            user=request.user,  # type: ignore[arg-type]
            notification_ids=serializer.validated_data.get("ids"),
        )
        return Response({"marked": count})


def _is_token_request(request: Request) -> bool:
    from olteams.models import ApiToken

    return isinstance(request.auth, ApiToken)


class ApiTokenListApi(APIView):
    """The signed-in user's own tokens; a new one only in a verified browser session."""

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(request=ApiTokenInputSerializer, responses={201: ApiTokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        from django.core.exceptions import PermissionDenied, ValidationError
        from rest_framework import status
        from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
        from rest_framework.exceptions import ValidationError as ApiValidationError

        serializer = ApiTokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token, key = api_token_create(
                actor=request.user,  # type: ignore[arg-type]
                verified=not _is_token_request(request) and request.user.is_verified(),  # type: ignore[union-attr]
                **serializer.validated_data,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from None
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from None
        data = ApiTokenSerializer(token).data
        return Response({**data, "key": key}, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def delete(self, request: Request, token_id: int) -> Response:
        from django.http import Http404

        try:
            token = api_token_revoke(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
        except ApiToken.DoesNotExist:
            raise Http404 from None
        return Response(ApiTokenSerializer(token).data)


@csrf_exempt  # a POST to a wrong address is a 404, not a CSRF failure
@login_not_required
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/v1/ (e.g. a malformed id) answers JSON, as the API
    does, instead of the HTML error page; it names nothing, so needs no sign-in."""
    return JsonResponse({"detail": _("Niet gevonden.")}, status=404)


def api_bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's own 400 (e.g. more than DATA_UPLOAD_MAX_NUMBER_FIELDS form fields) answers
    JSON under /api/, as every other API error does; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Ongeldig verzoek.")}, status=400)
    return defaults.bad_request(request, exception)
