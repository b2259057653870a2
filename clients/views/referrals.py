"""Referrals: list, new, detail with the team lead's decision. Audited per referral."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import services
from clients.filters import ReferralFilter
from clients.forms import DecisionForm, ReferralForm
from clients.selectors import referral_get, referral_list
from clients.views._base import member_teams
from olteams.access import team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, TeamRole
from olteams.forms import add_service_errors
from olteams.pagination import paginate, query_without
from olteams.types import AuthenticatedHttpRequest


def referral_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = referral_list(user=request.user)  # type: ignore[arg-type]
    filterset = ReferralFilter(request.GET or None, queryset=qs, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = paginate(request, rows)
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,  # type: ignore[arg-type]
        object_type="clients.referral",
        detail="aanmeldingen",
        # The clients the page names (an aanmelding not yet registered names no client row).
        client_ids=[row.client_id for row in page if row.client_id is not None],
    )
    template = "clients/referral_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#referral-table"
    return render(
        request,
        template,
        {"form": filterset.form, "page": page, "query": query_without(request.GET)},
    )


def referral_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = member_teams(request.user)
    if not teams:
        raise PermissionDenied
    form = ReferralForm(
        request.POST or None, teams=teams, initial={"referred_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user,
                team=data["team"],
                referred_on=data["referred_on"],
                source=data["source"],
                person_name=data["person_name"] or "",
                question=data["question"] or "",
                urgency=data["urgency"],
                referrer_name=data["referrer_name"] or "",
                referrer_organisation=data["referrer_organisation"] or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit_record(
                user=request.user,
                event_type=AuditEventType.CREATE,
                request=request,  # type: ignore[arg-type]
                obj=referral,
                detail="aanmelding vastgelegd",
            )
            messages.success(request, _("De aanmelding is vastgelegd."))
            return redirect("clients:referral-detail", referral_id=referral.pk)
    return render(
        request, "clients/referral_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def referral_detail_view(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """The referral and its decisions; the team lead decides here (every decision is kept)."""
    referral = referral_get(user=request.user, referral_id=referral_id)  # type: ignore[arg-type]
    lead = referral.team_id in team_ids_for(request.user, roles=(TeamRole.LEAD,))  # type: ignore[arg-type]
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not lead:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.referral_decide(actor=request.user, referral=referral, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                audit_record(
                    user=request.user,
                    event_type=AuditEventType.UPDATE,
                    request=request,  # type: ignore[arg-type]
                    client_id=referral.client_id,
                    obj=referral,
                    detail="besluit aanmelding",
                )
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("clients:referral-detail", referral_id=referral.pk)
        status = 400
    audit_record(
        user=request.user,
        event_type=AuditEventType.READ,
        request=request,  # type: ignore[arg-type]
        client_id=referral.client_id,
        obj=referral,
    )
    return render(
        request,
        "clients/referral_detail.html",
        {
            "referral": referral,
            "form": form,
            "is_lead": lead,
            "decisions": list(referral.decisions.all()),
        },
        status=status,
    )
