"""Django admin for the functional administrator: the organisational backbone only.

Client data is deliberately not registered here: the admin is not a clinical screen.
Access requires staff status and a verified second factor.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from olteams.constants import AuditEventType
from olteams.models import (
    ControllerRole,
    Membership,
    Municipality,
    MunicipalityRole,
    Organisation,
    Team,
    User,
)
from olteams.services import membership_changed


def _has_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_verified())


admin.site.has_permission = _has_permission  # type: ignore[method-assign]
admin.site.site_header = _("Optimaal Leven — functioneel beheer")
admin.site.site_title = _("Optimaal Leven beheer")


SELF_GRANT = _("U kunt uzelf geen teamlidmaatschap geven of het uwe wijzigen.")
# Flags only a superuser (the operator, on the command line) may change.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "is_functional_admin", "groups", "user_permissions")


class MembershipForm(forms.ModelForm):
    """Refuses a membership of the signed-in administrator: no self-granted access."""

    request_user_id: int | None = None

    class Meta:
        model = Membership
        fields = [
            "user",
            "team",
            "organisation",
            "discipline",
            "role",
            "fte",
            "valid_from",
            "valid_to",
        ]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        touches_self = self.request_user_id is not None and (
            getattr(user, "pk", None) == self.request_user_id
            or (self.instance.pk and self.instance.user_id == self.request_user_id)
        )
        if touches_self:
            raise ValidationError(SELF_GRANT)
        return cleaned


def _form_for(form_class: type[MembershipForm], request: HttpRequest) -> type[MembershipForm]:
    return type(form_class.__name__, (form_class,), {"request_user_id": request.user.pk})


class _AuditedMemberships:
    """Every membership saved or deleted in the admin is audited and notified."""

    def _changed(self, request: HttpRequest, membership: Membership, event_type: str) -> None:
        membership_changed(
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
            event_type=event_type,
            request=request,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["team", "organisation"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = _form_for(MembershipForm, request)
        return super().get_formset(request, obj, **kwargs)


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in PRIVILEGE_FIELDS if f not in fields]
            if obj is not None and obj.pk == request.user.pk:
                fields += ["is_active", "is_stuurgroep"]
        return fields

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # One's own memberships are not editable here (no self-granted access).
        if obj is not None and obj.pk == request.user.pk:
            return []
        return super().get_inlines(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        is_membership = formset.model is Membership
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if is_membership:
                _AuditedMemberships()._changed(request, obj, AuditEventType.DELETE)
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            obj.save()
            if is_membership:
                event = AuditEventType.CREATE if created else AuditEventType.UPDATE
                _AuditedMemberships()._changed(request, obj, event)
        formset.save_m2m()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "agb_code")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code", "wmo_retention_years")
    search_fields = ("name", "cbs_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "phone", "cost_centre", "started_on")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("municipalities",)


@admin.register(Membership)
class MembershipAdmin(_AuditedMemberships, admin.ModelAdmin):
    form = MembershipForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = _form_for(MembershipForm, request)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._changed(request, obj, AuditEventType.UPDATE if change else AuditEventType.CREATE)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._changed(request, obj, AuditEventType.DELETE)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

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
