"""REST endpoints for report jobs and historical imports (controllers, functional admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.constants import ReportFormat
from finance.models import HistoricalAccount, HistoricalImport, ReportFile, ReportJob
from finance.services.history import history_import, history_import_get, history_import_list
from finance.services.reports import (
    CONTENT_TYPES,
    can_use_reports,
    report_file_get,
    report_job_get,
    report_request,
)
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.models import Team
from olteams.types import request_user


def _require(request: Request) -> None:
    if not can_use_reports(request.user):
        raise PermissionDenied


class ReportFileSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="account.team_id", allow_null=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportFile
        fields = ["id", "account", "team", "filename", "content_type", "was_draft",
                  "render_seconds", "created_at", "download_url"]  # fmt: skip

    def get_download_url(self, obj: ReportFile) -> str:
        return reverse("api:finance-report-file", kwargs={"file_id": obj.pk})


class ReportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    files = ReportFileSerializer(many=True, read_only=True)

    class Meta:
        model = ReportJob
        fields = ["id", "month", "format", "team", "consolidated_only", "status", "total",
                  "done", "percent", "error", "created_at", "finished_at", "files"]  # fmt: skip


class ReportRequestSerializer(serializers.Serializer):
    month = serializers.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"],
        error_messages={"invalid": "Vul een maand in als JJJJ-MM."},
    )
    format = serializers.ChoiceField(
        choices=ReportFormat.choices,
        error_messages={"invalid_choice": "Kies pdf of xlsx."},
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "Onbekend team."},
    )
    consolidated_only = serializers.BooleanField(required=False, default=False)


class ReportJobCreateApi(APIView):
    """Ask for a report of a month; the worker renders it (poll the job for progress)."""

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportJobSerializer})
    def post(self, request: Request) -> Response:
        _require(request)
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = report_request(actor=request_user(request), **serializer.validated_data)
        return Response(ReportJobSerializer(job).data, status=status.HTTP_201_CREATED)


class ReportJobDetailApi(APIView):
    """A job's status and progress, with its files once rendered."""

    @extend_schema(responses={200: ReportJobSerializer})
    def get(self, request: Request, job_id: int) -> Response:
        _require(request)
        try:
            job = report_job_get(user=request_user(request), job_id=job_id)
        except ReportJob.DoesNotExist:
            raise Http404 from None
        job = ReportJob.objects.prefetch_related("files").get(pk=job.pk)
        return Response(ReportJobSerializer(job).data)


class ReportFileDownloadApi(APIView):
    """The rendered file (PDF or XLSX) as an attachment."""

    @extend_schema(
        responses={
            (200, CONTENT_TYPES[kind]): OpenApiResponse(OpenApiTypes.BINARY, description=kind.label)
            for kind in ReportFormat
        }
    )
    def get(self, request: Request, file_id: int) -> HttpResponse:
        _require(request)
        try:
            file = report_file_get(user=request_user(request), file_id=file_id)
        except ReportFile.DoesNotExist:
            raise Http404 from None
        audit_record(
            user=request_user(request),
            event_type=AuditEventType.EXPORT,
            request=request,  # type: ignore[arg-type]
            obj=file,
            detail="API: financieel rapport gedownload",
        )
        response = HttpResponse(bytes(file.content), content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response


class HistoricalAccountSerializer(serializers.ModelSerializer):
    flags = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))

    class Meta:
        model = HistoricalAccount
        fields = ["line_number", "month", "team_name", "team", "is_total", "clients", "fte",
                  "revenue", "expenses", "result_excl_subsidy", "result_incl_subsidy",
                  "flags"]  # fmt: skip


class HistoricalImportSerializer(serializers.ModelSerializer):
    rows = HistoricalAccountSerializer(many=True, read_only=True)
    flagged_rows = serializers.SerializerMethodField()

    class Meta:
        model = HistoricalImport
        fields = ["id", "filename", "uploaded_by", "created_at", "flagged_rows", "rows"]

    def get_flagged_rows(self, obj: HistoricalImport) -> int:
        return sum(1 for row in obj.rows.all() if row.flags)


class HistoryUploadSerializer(serializers.Serializer):
    file = serializers.FileField(error_messages={"required": "Stuur een CSV-bestand mee."})


class HistoricalImportListApi(APIView):
    """GET: imports with every row and its flags. POST: import a CSV (all or nothing)."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: HistoricalImportSerializer(many=True)})
    def get(self, request: Request) -> Response:
        _require(request)
        imports = history_import_list(user=request_user(request)).prefetch_related("rows")
        return Response(HistoricalImportSerializer(imports[:20], many=True).data)

    @extend_schema(request=HistoryUploadSerializer, responses={201: HistoricalImportSerializer})
    def post(self, request: Request) -> Response:
        _require(request)
        serializer = HistoryUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            source = history_import(
                actor=request_user(request), filename=upload.name, content=upload.read()
            )
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        source = history_import_get(user=request_user(request), import_id=source.pk)
        return Response(HistoricalImportSerializer(source).data, status=status.HTTP_201_CREATED)


class HistoricalImportDetailApi(APIView):
    @extend_schema(responses={200: HistoricalImportSerializer})
    def get(self, request: Request, import_id: int) -> Response:
        _require(request)
        try:
            source = history_import_get(user=request_user(request), import_id=import_id)
        except HistoricalImport.DoesNotExist:
            raise Http404 from None
        return Response(HistoricalImportSerializer(source).data)
