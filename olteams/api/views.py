from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from olteams.access import active_memberships, roles_of
from olteams.api.serializers import (
    MarkReadSerializer,
    MembershipSerializer,
    MeSerializer,
    NotificationSerializer,
)
from olteams.models import Notification
from olteams.selectors import notification_list
from olteams.services import notification_mark_read


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
