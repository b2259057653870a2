"""Contacts, time and events are written by the services only: read-only in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    Document,
    IntensityChange,
    NonClientTime,
    Reassignment,
)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ContactWorkerInline(admin.TabularInline):
    model = ContactWorker
    extra = 0
    readonly_fields = ["worker", "organisation", "discipline"]
    can_delete = False


@admin.register(Contact)
class ContactAdmin(_ReadOnlyAdmin):
    # No note, no client name: the admin is for functional administrators, not care.
    list_display = ["id", "team", "date", "kind", "duration_minutes", "funding_stream"]
    list_filter = ["team", "kind", "funding_stream"]
    exclude = ["client", "note", "goals"]
    inlines = [ContactWorkerInline]


@admin.register(NonClientTime)
class NonClientTimeAdmin(_ReadOnlyAdmin):
    list_display = ["worker", "team", "date", "code", "target", "minutes"]
    list_filter = ["team", "code"]


@admin.register(IntensityChange)
class IntensityChangeAdmin(_ReadOnlyAdmin):
    list_display = ["id", "team", "date", "previous_level", "level"]
    list_filter = ["team", "level"]
    exclude = ["client", "reason"]


@admin.register(Crisis)
class CrisisAdmin(_ReadOnlyAdmin):
    list_display = ["id", "team", "started_on", "ended_on", "setting", "admission_prevented"]
    list_filter = ["team", "setting"]
    exclude = ["client", "reason"]


@admin.register(Consultation)
class ConsultationAdmin(_ReadOnlyAdmin):
    list_display = ["team", "worker", "date", "requester_kind", "minutes"]
    list_filter = ["team", "requester_kind"]
    exclude = ["client", "note", "about"]


@admin.register(Reassignment)
class ReassignmentAdmin(_ReadOnlyAdmin):
    list_display = ["team", "from_worker", "to_worker", "on", "created_at"]
    exclude = ["clients"]


_DOCUMENT_FIELDS: tuple[str, ...] = (
    "client_id",
    "category",
    "document_date",
    "content_type",
    "size",
    "sha256",
    "uploaded_by",
    "uploaded_at",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
)


class DeletedFilter(admin.SimpleListFilter):
    title = _("verwijderd")
    parameter_name = "verwijderd"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("ja", _("Verwijderd")), ("nee", _("In het dossier"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() == "ja":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "nee":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(Document)
class DocumentAdmin(_ReadOnlyAdmin):
    """The functional administrator sees which documents were deleted, when, by whom and why
    (a logical delete keeps them). No file and no client name: not a clinical screen; the
    file itself is read in the client file only, audited. Read-only."""

    list_display = [
        "id",
        "client_id",
        "category",
        "document_date",
        "content_type",
        "size",
        "uploaded_at",
        "deleted_at",
        "deleted_by",
    ]
    list_filter = [DeletedFilter, "category"]
    readonly_fields = _DOCUMENT_FIELDS
    fields = _DOCUMENT_FIELDS
