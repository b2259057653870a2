"""Historical accounts: upload a CSV, see every row as given with what does not add up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from finance.models import HistoricalImport
from finance.services.history import (
    can_import_history,
    history_import,
    history_import_get,
    history_import_list,
)
from olteams.types import AuthenticatedHttpRequest

MAX_UPLOAD_BYTES = 2_000_000


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Kolommen: month,team,clients,fte,revenue_eur,expenses_eur,"
            "result_excl_subsidy_eur,result_incl_subsidy_eur. Maand als JJJJ-MM, bedragen in euro "
            "met een punt als decimaalteken."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Kies een CSV-bestand."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Het bestand is groter dan 2 MB."))
        return upload


def history_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form and earlier imports. POST: import (all or nothing) → the import's page."""
    if not can_import_history(request.user):
        raise PermissionDenied
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            source = history_import(actor=request.user, filename=upload.name, content=upload.read())
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("finance:history-detail", import_id=source.pk)
    return render(
        request,
        "finance/history_import.html",
        {"form": form, "imports": history_import_list(user=request.user)[:20]},
        status=400 if form.is_bound else 200,
    )


def history_detail_view(request: AuthenticatedHttpRequest, import_id: int) -> HttpResponse:
    try:
        source = history_import_get(user=request.user, import_id=import_id)
    except HistoricalImport.DoesNotExist:
        raise Http404 from None
    rows = list(source.rows.select_related("team").order_by("line_number"))
    flagged = [r for r in rows if r.flags]
    return render(
        request,
        "finance/history_detail.html",
        {
            "source": source,
            "rows": rows,
            "flagged_count": len(flagged),
            "flag_count": sum(len(r.flags) for r in rows),
            "ok_count": len(rows) - len(flagged),
        },
    )
