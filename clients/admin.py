"""Admin: read-mostly views for the functional administrator (writes go through services)."""

from django.contrib import admin

from clients.models import ClientMerge, ImportJob, PortalSignInFailure, Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["id", "team", "referred_on", "source", "urgency", "status"]
    list_filter = ["team", "status", "source", "urgency"]
    readonly_fields = [f.name for f in Referral._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ClientMerge)
class ClientMergeAdmin(admin.ModelAdmin):
    list_display = ["id", "survivor_id", "merged_id", "merged_by", "merged_at"]
    readonly_fields = [f.name for f in ClientMerge._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "team", "filename", "dry_run", "status", "created_count", "created_at"]
    exclude = ["content"]
    readonly_fields = [
        "team",
        "created_by",
        "filename",
        "dry_run",
        "skip_invalid",
        "status",
        "total_rows",
        "processed_rows",
        "created_count",
        "results",
        "error",
        "finished_at",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(PortalSignInFailure)
class PortalSignInFailureAdmin(admin.ModelAdmin):
    """Wrong sign-in attempts in the portal: delete rows to lift a 15-minute lock early."""

    list_display = ["at", "ip_address", "account"]
    readonly_fields = ["at", "ip_address", "account"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
