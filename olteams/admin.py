"""Django admin for the functional administrator: the organisational backbone only.

Client data is deliberately not registered here: the admin is not a clinical screen.
Access requires staff status and a verified second factor.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from olteams.models import (
    ControllerRole,
    Membership,
    Municipality,
    MunicipalityRole,
    Organisation,
    Team,
    User,
)


def _has_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_verified())


admin.site.has_permission = _has_permission  # type: ignore[method-assign]
admin.site.site_header = _("Optimaal Leven — functioneel beheer")
admin.site.site_title = _("Optimaal Leven beheer")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team", "organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Rollen"), {"fields": ("is_stuurgroep", "is_functional_admin")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_stuurgroep",
        "is_functional_admin",
    )
    list_filter = ("is_active", "is_stuurgroep", "is_functional_admin", "memberships__team")
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "agb_code")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code")
    search_fields = ("name", "cbs_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "phone", "cost_centre", "started_on")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("municipalities",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "team",
        "organisation",
        "discipline",
        "role",
        "fte",
        "valid_from",
        "valid_to",
    )
    list_filter = ("team", "organisation", "discipline", "role")
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ["user", "team", "organisation"]


@admin.register(MunicipalityRole)
class MunicipalityRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "is_lead", "valid_from", "valid_to")
    list_filter = ("municipality", "is_lead")
    autocomplete_fields = ["user", "municipality"]


@admin.register(ControllerRole)
class ControllerRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    autocomplete_fields = ["user", "organisation"]
