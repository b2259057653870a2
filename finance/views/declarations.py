"""The controller's WMO323 declaration: choose organisation, municipality and month, download
the schema-valid message. Every download is an export in the audit log, per client named."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from finance.services.declarations import wmo323_export, wmo323_organisations
from finance.services.reports import previous_month
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.forms import MonthField, add_service_errors
from olteams.models import Municipality, Organisation
from olteams.types import AuthenticatedHttpRequest


class Wmo323Form(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Municipality.objects.order_by("name")
    )
    month = MonthField(
        label=_("Maand"),
        help_text=_("De declaratieperiode is een kalendermaand, bijvoorbeeld 2026-03."),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["organisation"]
        field.queryset = wmo323_organisations(user=user)  # type: ignore[attr-defined,arg-type]


@require_GET
def wmo323_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The form; with its fields filled in, the download (or the reason there is none)."""
    if not wmo323_organisations(user=request.user).exists():
        raise PermissionDenied
    if "month" not in request.GET:
        initial = {"month": previous_month(timezone.localdate()).strftime("%Y-%m")}
        form = Wmo323Form(user=request.user, initial=initial)
        return render(request, "finance/wmo323.html", {"form": form})
    form = Wmo323Form(request.GET, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            xml, client_ids = wmo323_export(
                actor=request.user,
                organisation=data["organisation"],
                municipality=data["municipality"],
                month=data["month"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            month = data["month"]
            for client_id in client_ids:
                audit_record(
                    user=request.user,
                    event_type=AuditEventType.EXPORT,
                    request=request,
                    client_id=client_id,
                    object_type="finance.wmo323",
                    object_id=f"{data['municipality'].pk}-{month:%Y-%m}",
                    detail="WMO323-declaratie gedownload",
                )
            name = f"wmo323-{data['municipality'].cbs_code}-{month:%Y-%m}.xml"
            response = HttpResponse(xml, content_type="application/xml")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "finance/wmo323.html", {"form": form}, status=400)
