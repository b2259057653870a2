"""Functional administrators keep the code lists (categories, municipal products) as data.
Requests, decisions and indications are written by the services only: read-only here."""

from django.contrib import admin

from wmo.models import (
    Arrangement,
    Decision,
    Indication,
    IndicationRequest,
    Melding,
    MunicipalProduct,
    MunicipalRouteSettings,
    ProductCategory,
)


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(MunicipalProduct)
class MunicipalProductAdmin(admin.ModelAdmin):
    list_display = ["municipality", "code", "name", "category", "unit", "start", "end"]
    list_filter = ["municipality", "category"]
    search_fields = ["code", "name"]


@admin.register(Arrangement)
class ArrangementAdmin(admin.ModelAdmin):
    list_display = ["municipality", "code", "name", "product", "start", "end"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(IndicationRequest)
class IndicationRequestAdmin(_ReadOnlyAdmin):
    list_display = ["reference", "municipality", "team", "status", "deadline", "is_overdue"]
    list_filter = ["status", "municipality", "is_overdue"]


@admin.register(Decision)
class DecisionAdmin(_ReadOnlyAdmin):
    list_display = ["beschikking_number", "municipality", "kind", "decided_on", "source"]


@admin.register(Indication)
class IndicationAdmin(_ReadOnlyAdmin):
    list_display = ["toewijzing_number", "municipality", "product", "start", "end", "is_temporary"]


@admin.register(MunicipalRouteSettings)
class MunicipalRouteSettingsAdmin(admin.ModelAdmin):
    """The municipality's term for the team's intake after a toewijzing (working days)."""

    list_display = ["municipality", "intake_working_days"]


@admin.register(Melding)
class MeldingAdmin(_ReadOnlyAdmin):
    list_display = ["municipality", "team", "status", "reported_on", "intake_due_on"]
    list_filter = ["status", "municipality"]
