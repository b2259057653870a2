"""REST endpoints of the client file's documents: list, upload (multipart) and the audited
download. The same selectors and services as the Documenten tab."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload.constants import DocumentCategory
from caseload.models import Document
from caseload.selectors.documents import document_get, document_list
from caseload.services._filecheck import KIND_BY_EXTENSION
from caseload.services.documents import document_upload
from caseload.views.documents import document_response
from olteams.access import ClientAction, client_actions
from olteams.audit import AUDIT_SCOPE_CLIENT, access_client_audited, audit_client
from olteams.constants import AuditEventType
from olteams.types import request_user

_ACTIONS = (
    ClientAction.VIEW,
    ClientAction.CHANGE,
    ClientAction.VIEW_CLINICAL,
    ClientAction.CHANGE_CLINICAL,
)


class DocumentSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "category",
            "category_label",
            "title",
            "document_date",
            "author",
            "original_filename",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    """Only parses; the service checks the file's content, size and scan."""

    file = serializers.FileField(required=False, allow_null=True)
    category = serializers.ChoiceField(choices=DocumentCategory.choices)
    title = serializers.CharField(allow_blank=True, max_length=200)
    document_date = serializers.DateField()
    author = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)


class _DocumentApi(APIView):
    """Access to the client, the reader's actions, one audit event (on the document when the
    URL names one). Reading needs VIEW, uploading CHANGE; clinical documents more."""

    audit_scope = AUDIT_SCOPE_CLIENT

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        reading = request.method in ("GET", "HEAD")
        event_type = AuditEventType.READ if reading else AuditEventType.CREATE
        self.client = access_client_audited(
            request,  # type: ignore[arg-type]
            kwargs.get("client_id"),
            action=ClientAction.VIEW if reading else ClientAction.CHANGE,
            event_type=event_type,
        )
        self.actions = client_actions(request_user(request), self.client, actions=_ACTIONS)
        self.document: Document | None = None
        if "document_id" in kwargs:
            self.document = document_get(
                client=self.client, document_id=kwargs["document_id"], actions=self.actions
            )
        audit_client(request, self.client, event_type=event_type, obj=self.document)  # type: ignore[arg-type]


class DocumentListApi(_DocumentApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=DocumentSerializer(many=True), operation_id="caseload_document_list")
    def get(self, request: Request, client_id: int) -> Response:
        rows = document_list(client=self.client, actions=self.actions)
        return Response(DocumentSerializer(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        operation_id="caseload_document_upload",
    )
    def post(self, request: Request, client_id: int) -> Response:
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = document_upload(
            actor=request_user(request),
            client=self.client,
            file=data.get("file"),
            category=data["category"],
            title=data["title"],
            document_date=data["document_date"],
            author=data.get("author", ""),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


_CONTENT_TYPES = sorted({kind.content_type for kind in KIND_BY_EXTENSION.values()})


class DocumentContentApi(_DocumentApi):
    """The stored file (an audited read)."""

    @extend_schema(
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in _CONTENT_TYPES
        },
        operation_id="caseload_document_content",
    )
    def get(self, request: Request, client_id: int, document_id: int) -> FileResponse:
        assert self.document is not None  # initial() answered 404 otherwise
        return document_response(self.document)
