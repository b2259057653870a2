"""Mijn plan and Mijn I.ROC: the client's Herstelplan (in force, earlier versions, the PDF,
a draft to comment on and agree to) and the client's own I.ROC at home.

A naaste with the plan grant reads the plan (never a draft) and cannot write; Mijn I.ROC is
the client's own. Every plan version is found through the client the guard gives, never
through an id alone: another client's version answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.portal.forms_plan import IrocSelfForm, PlanAgreeForm, PlanCommentForm
from caseload.portal.views import portal_render
from clients.constants import PortalShare
from herstelplan import selectors, services
from herstelplan.charts import iroc_self_and_team_chart
from herstelplan.constants import IrocArea, PlanStatus
from herstelplan.models import Plan
from herstelplan.pdf import render_plan_pdf
from olteams.access import PortalPrincipal
from olteams.constants import AuditEventType, AuditOutcome
from olteams.forms import add_service_errors
from olteams.portal import audit_portal, portal_view

# B1 explanations of the four I.ROC areas, shown above their questions.
AREA_HELP = {
    IrocArea.THUIS: gettext_lazy("Over hoe het thuis gaat: uw gezondheid, het dagelijks leven."),
    IrocArea.KANSEN: gettext_lazy("Over uw lichaam, bewegen en wat u wilt bereiken."),
    IrocArea.MENSEN: gettext_lazy("Over de mensen om u heen en hoe u over uzelf denkt."),
    IrocArea.EMPOWERMENT: gettext_lazy("Over zelf beslissen, zelf regelen en hoop hebben."),
}


def _version(request: HttpRequest, principal: PortalPrincipal, client: Any, plan_id: int) -> Plan:
    """A version of the principal's own client's plan; a draft only for the client. Anything
    else is logged as refused and answers 404 (missing and not-yours look the same)."""
    plan = selectors.plan_list(client=client).filter(pk=plan_id).first()
    if plan is None or (plan.status == PlanStatus.DRAFT and not principal.is_client):
        audit_portal(
            request,
            principal,
            event_type=AuditEventType.READ if request.method == "GET" else AuditEventType.UPDATE,
            object_type="herstelplan.plan",
            object_id=str(plan_id),
            outcome=AuditOutcome.DENIED,
            detail="herstelplan niet gevonden",
        )
        raise Http404
    return plan


def _plan_context(plan: Plan) -> dict[str, Any]:
    detail = selectors.plan_detail(plan=plan)
    return {"plan": plan, "detail": detail, "evaluations": detail.evaluations[:3]}


@portal_view(share=PortalShare.PLAN, detail="herstelplan")
def plan(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The plan in force; for the client also the draft waiting for their opinion."""
    current = selectors.plan_active(client=client)
    draft = selectors.plan_draft(client=client) if principal.is_client else None
    context: dict[str, Any] = {"client": client, "draft": draft}
    if current is not None:
        context |= _plan_context(current)
    return portal_render(request, principal, "portal/plan.html", context)


@portal_view(share=PortalShare.PLAN, detail="herstelplan: versies")
def plan_versions(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    draft = selectors.plan_draft(client=client) if principal.is_client else None
    return portal_render(
        request,
        principal,
        "portal/plan_versions.html",
        {
            "client": client,
            "versions": list(selectors.plan_versions(client=client)),
            "draft": draft,
        },
    )


@portal_view(share=PortalShare.PLAN, event_type=None)
def plan_version(
    request: HttpRequest, principal: PortalPrincipal, client: Any, plan_id: int
) -> HttpResponse:
    version = _version(request, principal, client, plan_id)
    audit_portal(request, principal, event_type=AuditEventType.READ, obj=version)
    context = _plan_context(version)
    if version.status == PlanStatus.DRAFT:
        context["comments"] = list(selectors.plan_comment_list(plan=version))
    return portal_render(
        request, principal, "portal/plan_version.html", {"client": client, **context}
    )


@portal_view(share=PortalShare.PLAN, event_type=None)
def plan_pdf(
    request: HttpRequest, principal: PortalPrincipal, client: Any, plan_id: int
) -> HttpResponse:
    """The same PDF the team prints for the client (herstelplan.pdf)."""
    version = _version(request, principal, client, plan_id)
    audit_portal(request, principal, event_type=AuditEventType.PRINT, obj=version)
    response = HttpResponse(render_plan_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="herstelplan-versie-{version.version}.pdf"'
    )
    return response


@portal_view(client_only=True, event_type=None)
def plan_comment(
    request: HttpRequest, principal: PortalPrincipal, client: Any, plan_id: int
) -> HttpResponse:
    """The client writes a remark on the draft; the team reads it on the plan page."""
    version = _version(request, principal, client, plan_id)
    form = PlanCommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comment = services.plan_comment_create(
                    principal=principal, plan=version, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                audit_portal(request, principal, event_type=AuditEventType.CREATE, obj=comment)
                messages.success(request, _("Dank u. Uw team leest uw opmerking."))
                return redirect("portal:plan-version", plan_id=version.pk)
        status = 400
    else:
        audit_portal(request, principal, event_type=AuditEventType.READ, obj=version)
    return portal_render(
        request,
        principal,
        "portal/plan_comment.html",
        {"client": client, "plan": version, "form": form},
        status=status,
    )


@portal_view(client_only=True, event_type=None)
def plan_agree(
    request: HttpRequest, principal: PortalPrincipal, client: Any, plan_id: int
) -> HttpResponse:
    """The client gives their agreement to the draft themselves (after a confirm page)."""
    version = _version(request, principal, client, plan_id)
    errors: list[str] = []
    if request.method == "POST":
        form = PlanAgreeForm(request.POST)
        if not form.is_valid():
            errors.append(_("Er ging iets mis. Lees het plan opnieuw en probeer het nog eens."))
        else:
            try:
                services.plan_agree_by_client(
                    principal=principal,
                    plan=version,
                    lock_version=form.cleaned_data["lock_version"],
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                audit_portal(
                    request,
                    principal,
                    event_type=AuditEventType.UPDATE,
                    obj=version,
                    detail="akkoord herstelplan",
                )
                messages.success(
                    request,
                    _("Uw akkoord is opgeslagen. Uw team zet het plan daarna in werking."),
                )
                return redirect("portal:plan-version", plan_id=version.pk)
    else:
        audit_portal(request, principal, event_type=AuditEventType.READ, obj=version)
    # A fresh form on the version as it is now: a refused agreement is never resubmitted
    # with the version the client read before.
    form = PlanAgreeForm(initial={"lock_version": version.lock_version})
    context = {"plan": version, "form": form, "errors": errors}
    return portal_render(
        request,
        principal,
        "portal/plan_agree.html",
        {"client": client, "detail": selectors.plan_detail(plan=version), **context},
        status=400 if errors else 200,
    )


# --- Mijn I.ROC ---------------------------------------------------------------------------


@portal_view(client_only=True, detail="I.ROC")
def iroc(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The client's own I.ROCs beside the latest one filled in with the team, as a radar."""
    indicators = selectors.iroc_indicators()
    own = selectors.iroc_self_history(client=client, indicators=indicators)
    team = selectors.iroc_history(client=client, indicators=indicators)
    chart = iroc_self_and_team_chart(
        indicators=indicators,
        own=own[0] if own else None,
        team=team[0] if team else None,
        uid="mijn-iroc",
    )
    return portal_render(
        request,
        principal,
        "portal/iroc.html",
        {
            "client": client,
            "own": own,
            "team_latest": team[0] if team else None,
            "chart": chart,
            "indicators": indicators,
        },
    )


@portal_view(client_only=True, event_type=None)
def iroc_new(request: HttpRequest, principal: PortalPrincipal, client: Any) -> HttpResponse:
    """The client fills in the I.ROC at home: the same 12 questions and answers 1-6."""
    form = IrocSelfForm(
        request.POST or None,
        indicators=selectors.iroc_indicators(),
        labels=selectors.iroc_answer_labels(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                own = services.iroc_self_assessment_create(
                    principal=principal, client=client, answers=form.answers()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                audit_portal(request, principal, event_type=AuditEventType.CREATE, obj=own)
                messages.success(request, _("Dank u. Uw antwoorden zijn opgeslagen."))
                return redirect("portal:iroc")
        status = 400
    else:
        audit_portal(request, principal, event_type=AuditEventType.READ, detail="I.ROC invullen")
    return portal_render(
        request,
        principal,
        "portal/iroc_form.html",
        {"client": client, "form": form, "area_help": AREA_HELP},
        status=status,
    )
