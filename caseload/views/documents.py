"""The client frame's Documenten tab: the list, upload, the audited download and the logical
delete with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from caseload.forms import DocumentDeleteForm, DocumentUploadForm
from caseload.models import Document
from caseload.selectors.documents import document_categories_visible, document_get, document_list
from caseload.services.documents import document_action, document_delete, document_upload
from olteams.access import ClientAction, client_actions
from olteams.audit import AUDIT_SCOPE_CLIENT, access_client_audited, audit_client
from olteams.constants import AuditEventType
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest

_ACTIONS = (
    ClientAction.VIEW,
    ClientAction.CHANGE,
    ClientAction.VIEW_CLINICAL,
    ClientAction.CHANGE_CLINICAL,
)


class _DocumentView(View):
    """Access to the client (``client_action``), the reader's actions on it, and one audit
    event per request: on the document itself when the URL names one."""

    audit_scope = AUDIT_SCOPE_CLIENT
    client_action: str = ClientAction.VIEW
    request: AuthenticatedHttpRequest

    def event_type(self, request: HttpRequest) -> str:
        return AuditEventType.READ if request.method in ("GET", "HEAD") else AuditEventType.CREATE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        event_type = self.event_type(request)
        self.client = access_client_audited(
            request,
            kwargs.get("client_id"),
            action=self.client_action,
            event_type=event_type,
            select_related=("team",),
        )
        self.actions = client_actions(request.user, self.client, actions=_ACTIONS)  # type: ignore[arg-type]
        self.document: Document | None = None
        if "document_id" in kwargs:
            # A document this reader may not see is as absent as a missing one.
            self.document = document_get(
                client=self.client, document_id=kwargs["document_id"], actions=self.actions
            )
        audit_client(request, self.client, event_type=event_type, obj=self.document)
        return super().dispatch(request, *args, **kwargs)

    def render(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(
            self.request,
            template,
            {"client": self.client, "document": self.document, **context},
            status=status,
        )


class DocumentListView(_DocumentView):
    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        documents = list(document_list(client=self.client, actions=self.actions))
        return self.render(
            "caseload/document_list.html",
            {"documents": documents, "can_upload": ClientAction.CHANGE in self.actions},
        )


class DocumentUploadView(_DocumentView):
    client_action = ClientAction.CHANGE

    def _categories(self) -> list[str]:
        # One may add what one may read: clinical categories need clinical access.
        return document_categories_visible(self.actions)

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = DocumentUploadForm(
            categories=self._categories(), initial={"document_date": timezone.localdate()}
        )
        return self.render("caseload/document_form.html", {"form": form})

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = DocumentUploadForm(request.POST, request.FILES, categories=self._categories())
        if form.is_valid():
            data = form.cleaned_data
            try:
                document_upload(
                    actor=request.user,
                    client=self.client,
                    file=data["file"],
                    category=data["category"],
                    title=data["title"],
                    document_date=data["document_date"],
                    author=data["author"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het document is toegevoegd aan het dossier."))
                return redirect("caseload:document-list", client_id=self.client.pk)
        return self.render("caseload/document_form.html", {"form": form}, status=400)


def document_response(document: Document) -> FileResponse:
    """The stored file, never from a public URL: PDF and images shown in the browser, the
    rest downloaded; the browser may not guess another type."""
    inline = document.content_type in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=document.original_filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentDownloadView(_DocumentView):
    """Every download is an audited read of the document."""

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, document_id: int
    ) -> FileResponse:
        assert self.document is not None  # dispatch answered 404 otherwise
        return document_response(self.document)


class DocumentDeleteView(_DocumentView):
    client_action = ClientAction.CHANGE

    def event_type(self, request: HttpRequest) -> str:
        return AuditEventType.READ if request.method in ("GET", "HEAD") else AuditEventType.DELETE

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, document_id: int
    ) -> HttpResponse:
        return self.render("caseload/document_delete.html", {"form": DocumentDeleteForm()})

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, document_id: int
    ) -> HttpResponse:
        assert self.document is not None
        form = DocumentDeleteForm(request.POST)
        if form.is_valid():
            try:
                document_delete(
                    actor=request.user, document=self.document, reason=form.cleaned_data["reason"]
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het document is verwijderd uit de lijst."))
                return redirect("caseload:document-list", client_id=self.client.pk)
        return self.render("caseload/document_delete.html", {"form": form}, status=400)


__all__ = [
    "DocumentDeleteView",
    "DocumentDownloadView",
    "DocumentListView",
    "DocumentUploadView",
    "document_action",
    "document_response",
]
