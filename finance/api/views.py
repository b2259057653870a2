"""REST endpoints of the accounts (read-only, plus close/recompute/adjust actions) and of the
dated financial data (read/write). Controllers and functional administrators only: others
get 403 on lists and 404 on one account. Service errors become 400 with Dutch field errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.api.serializers import (
    AccountCloseSerializer,
    AccountLineSerializer,
    AdjustmentSerializer,
    CostRateSerializer,
    MonthlyAccountDetailSerializer,
    MonthlyAccountSerializer,
    SubsidySerializer,
    TariffSerializer,
    TeamCostSerializer,
)
from finance.models import AccountLine, CostRate, MonthlyAccount, Subsidy, Tariff, TeamCost
from finance.selectors import (
    account_get,
    account_list,
    account_totals_many,
    can_work_with_accounts,
)
from finance.services import account_close, account_compute, adjustment_add
from finance.services import data as data_services
from finance.services.accounts import closed_message
from olteams.types import request_user


def _require(request: Request) -> None:
    if not can_work_with_accounts(request_user(request)):
        raise PermissionDenied


def _errors(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return dict(exc.message_dict)
    return {"non_field_errors": exc.messages}


def _bad_request(exc: ValidationError) -> Response:
    return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)


def _month(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return None


class AccountListApi(generics.ListAPIView):
    """Accounts with their totals; ``?month=2026-03`` and ``?team=<id>`` filter."""

    serializer_class = MonthlyAccountSerializer

    def get_queryset(self) -> QuerySet[MonthlyAccount]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return MonthlyAccount.objects.none()
        _require(self.request)
        qs = account_list(
            user=request_user(self.request), month=_month(self.request.query_params.get("month"))
        )
        team = self.request.query_params.get("team")
        if team and team.isdigit():
            qs = qs.filter(team_id=int(team))
        return qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page) if page is not None else list(self.get_queryset())
        serializer = self.get_serializer(
            rows,
            many=True,
            context={**self.get_serializer_context(), "totals": account_totals_many(rows)},
        )
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


def _account(request: Request, account_id: int) -> MonthlyAccount:
    return account_get(user=request_user(request), account_id=account_id)


def _detail_response(account: MonthlyAccount, status_code: int = status.HTTP_200_OK) -> Response:
    account = (
        MonthlyAccount.objects.select_related("team").prefetch_related("lines").get(pk=account.pk)
    )
    data = MonthlyAccountDetailSerializer(
        account, context={"totals": account_totals_many([account])}
    ).data
    return Response(data, status=status_code)


class AccountDetailApi(APIView):
    serializer_class = MonthlyAccountDetailSerializer

    def get(self, request: Request, account_id: int) -> Response:
        return _detail_response(_account(request, account_id))


class AccountLineListApi(generics.ListAPIView):
    serializer_class = AccountLineSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AccountLine.objects.none()
        account = _account(self.request, self.kwargs["account_id"])
        return account.lines.order_by("position", "id")


class AccountCloseApi(APIView):
    """Close the month; closing twice is a 400 with "Deze maand is al gesloten."."""

    serializer_class = MonthlyAccountDetailSerializer

    @extend_schema(request=AccountCloseSerializer, responses=MonthlyAccountDetailSerializer)
    def post(self, request: Request, account_id: int) -> Response:
        account = _account(request, account_id)
        serializer = AccountCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            closed = account_close(
                actor=request_user(request),
                account=account,
                reason=serializer.validated_data["reason"],
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return _detail_response(closed)


class AccountRecomputeApi(APIView):
    """Recompute a draft; a closed month is a 400 (nothing changes)."""

    serializer_class = MonthlyAccountDetailSerializer

    def post(self, request: Request, account_id: int) -> Response:
        account = _account(request, account_id)
        if account.is_closed:
            return _bad_request(ValidationError(closed_message()))
        try:
            account = account_compute(team=account.team, month=account.month)
        except ValidationError as exc:
            return _bad_request(exc)
        return _detail_response(account)


class AdjustmentCreateApi(APIView):
    """Book an adjustment line into an open account (400 on a closed one)."""

    serializer_class = AdjustmentSerializer

    def post(self, request: Request, account_id: int) -> Response:
        account = _account(request, account_id)
        serializer = AdjustmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            line = adjustment_add(
                actor=request_user(request), account=account, **serializer.validated_data
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(AccountLineSerializer(line).data, status=status.HTTP_201_CREATED)


# --- dated financial data ----------------------------------------------------------------


class _DataListCreateApi(generics.ListCreateAPIView):
    model: type[Model]
    create_service: Any

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model._default_manager.none()
        _require(self.request)
        return self.model._default_manager.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            obj = type(self).create_service(
                actor=request_user(request), **serializer.validated_data
            )
        except ValidationError as exc:
            return _bad_request(exc)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class _DataDetailApi(generics.RetrieveUpdateAPIView):
    model: type[Model]
    update_service: Any
    update_kwarg: str

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model._default_manager.none()
        _require(self.request)
        return self.model._default_manager.all()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        try:
            obj = type(self).update_service(
                actor=request_user(request),
                **{self.update_kwarg: instance},
                **serializer.validated_data,
            )
        except ValidationError as exc:
            return _bad_request(exc)
        return Response(self.get_serializer(obj).data)


class TariffListApi(_DataListCreateApi):
    serializer_class = TariffSerializer
    model = Tariff
    create_service = data_services.tariff_create


class TariffDetailApi(_DataDetailApi):
    serializer_class = TariffSerializer
    model = Tariff
    update_service = data_services.tariff_update
    update_kwarg = "tariff"


class CostRateListApi(_DataListCreateApi):
    serializer_class = CostRateSerializer
    model = CostRate
    create_service = data_services.cost_rate_create


class CostRateDetailApi(_DataDetailApi):
    serializer_class = CostRateSerializer
    model = CostRate
    update_service = data_services.cost_rate_update
    update_kwarg = "cost_rate"


class TeamCostListApi(_DataListCreateApi):
    serializer_class = TeamCostSerializer
    model = TeamCost
    create_service = data_services.team_cost_create


class TeamCostDetailApi(_DataDetailApi):
    serializer_class = TeamCostSerializer
    model = TeamCost
    update_service = data_services.team_cost_update
    update_kwarg = "team_cost"


class SubsidyListApi(_DataListCreateApi):
    serializer_class = SubsidySerializer
    model = Subsidy
    create_service = data_services.subsidy_create


class SubsidyDetailApi(_DataDetailApi):
    serializer_class = SubsidySerializer
    model = Subsidy
    update_service = data_services.subsidy_update
    update_kwarg = "subsidy"
