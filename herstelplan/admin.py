"""Admin: the I.ROC wording (licensed text can replace the shipped wording) and team settings.

Measurements and plans are changed only through the app's services, so they are read-only
here."""

from django.contrib import admin

from herstelplan.models import IrocAnswerLabel, IrocIndicator, TeamInstrumentSettings


@admin.register(IrocIndicator)
class IrocIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "area", "label"]
    list_filter = ["area"]
    ordering = ["number"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Code refers to the number and the area mapping; only the wording is editable.
        return ["number", "area"] if obj else []

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(IrocAnswerLabel)
class IrocAnswerLabelAdmin(admin.ModelAdmin):
    list_display = ["score", "label"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ["score"] if obj else []

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TeamInstrumentSettings)
class TeamInstrumentSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "team",
        "iroc_interval_months",
        "honos_threshold_outpatient",
        "honos_threshold_residential",
        "honos_threshold_admission",
        "honos_threshold_act",
    ]
