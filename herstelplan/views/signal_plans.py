"""Pages of the signaleringsplan (crisis plan): the plan in force with its versions, one
version, the draft editor, the client's agreement and the two PDFs (page and wallet card)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from herstelplan import selectors, services
from herstelplan.constants import PlanStatus
from herstelplan.forms import AgreementForm, SignalContactFormSet, SignalPlanForm
from herstelplan.models import SignalPlan
from herstelplan.pdf import render_signal_card_pdf, render_signal_plan_pdf
from herstelplan.views._base import ClinicalView
from olteams.access import ClientAction
from olteams.constants import AuditEventType, RecordKind
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest


def _detail_url(plan: SignalPlan) -> Any:
    return redirect(
        "herstelplan:signal-plan-detail", client_id=plan.client_id, signal_plan_id=plan.pk
    )


class SignalPlanListView(ClinicalView):
    """The signaleringsplan in force (or the draft) and every version."""

    record_kind = RecordKind.SIGNAL_PLAN

    template_name = "herstelplan/signal_plan_list.html"
    section = "signal"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        plans = list(selectors.signal_plan_list(client=self.client))
        current = next((p for p in plans if p.status == PlanStatus.ACTIVE), None)
        draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
        return self.render(
            request, {"plans": plans, "current": current, "draft": draft, "shown": current}
        )


class SignalPlanCreateView(ClinicalView):
    record_kind = RecordKind.SIGNAL_PLAN
    client_action = ClientAction.CHANGE_CLINICAL
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        try:
            plan = services.signal_plan_create(actor=request.user, client=self.client)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("herstelplan:signal-plan-list", client_id=self.client.pk)
        messages.success(
            request,
            _("Versie %(v)s van het signaleringsplan is aangemaakt als concept.")
            % {"v": plan.version},
        )
        return redirect(
            "herstelplan:signal-plan-edit", client_id=self.client.pk, signal_plan_id=plan.pk
        )


class SignalPlanScopedView(ClinicalView):
    """A page about one version (``signal_plan_id`` in the URL)."""

    record_kind = RecordKind.SIGNAL_PLAN

    section = "signal"
    plan: SignalPlan

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.signal_plan_id: int = kwargs["signal_plan_id"]

    def get_plan(self) -> SignalPlan:
        self.plan = selectors.signal_plan_get(
            client=self.client, signal_plan_id=self.signal_plan_id
        )
        return self.plan

    def render(
        self, request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return super().render(request, {"plan": self.plan, **context}, status=status)


class SignalPlanDetailView(SignalPlanScopedView):
    template_name = "herstelplan/signal_plan_detail.html"

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, signal_plan_id: int
    ) -> HttpResponse:
        plan = self.get_plan()
        form = AgreementForm(
            initial={"lock_version": plan.lock_version, "agreed_on": timezone.localdate()}
        )
        return self.render(request, {"shown": plan, "agreement_form": form})


class _DraftView(SignalPlanScopedView):
    client_action = ClientAction.CHANGE_CLINICAL
    post_event_type = AuditEventType.UPDATE

    def draft_or_redirect(self) -> HttpResponse | None:
        if self.get_plan().status != PlanStatus.DRAFT:
            messages.error(
                self.request, _("Deze versie is geen concept meer en kan niet worden gewijzigd.")
            )
            return _detail_url(self.plan)
        return None


class SignalPlanEditView(_DraftView):
    template_name = "herstelplan/signal_plan_form.html"

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, signal_plan_id: int
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        initial = {f: getattr(self.plan, f) for f in services.SIGNAL_TEXT_FIELDS}
        form = SignalPlanForm(initial={**initial, "lock_version": self.plan.lock_version})
        contacts = SignalContactFormSet(
            prefix="contact",
            initial=[
                {"name": c.name, "role": c.role, "phone": c.phone} for c in self.plan.contacts.all()
            ],
        )
        return self.render(request, {"form": form, "contacts": contacts})

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, signal_plan_id: int
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        form = SignalPlanForm(request.POST)
        contacts = SignalContactFormSet(request.POST, prefix="contact")
        if form.is_valid() and contacts.is_valid():
            try:
                services.signal_plan_update(
                    actor=request.user,
                    plan=self.plan,
                    lock_version=form.cleaned_data["lock_version"],
                    contacts=[c for c in contacts.cleaned_data if c],
                    **form.texts(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het signaleringsplan is opgeslagen."))
                return _detail_url(self.plan)
        elif contacts.non_form_errors():
            form.add_error(None, contacts.non_form_errors())
        return self.render(request, {"form": form, "contacts": contacts}, status=400)


class SignalPlanAgreeView(_DraftView):
    """The client agrees: the draft is in force and the previous version is archived."""

    http_method_names = ["post"]

    def post(
        self, request: AuthenticatedHttpRequest, client_id: int, signal_plan_id: int
    ) -> HttpResponse:
        if (response := self.draft_or_redirect()) is not None:
            return response
        form = AgreementForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    f"{form.fields[f].label}: {' '.join(str(m) for m in e)}"
                    for f, e in form.errors.items()
                ),
            )
            return _detail_url(self.plan)
        try:
            services.signal_plan_agree(actor=request.user, plan=self.plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Het akkoord van de cliënt is vastgelegd. Versie %(v)s geldt nu.")
                % {"v": self.plan.version},
            )
        return _detail_url(self.plan)


class SignalPlanPdfView(SignalPlanScopedView):
    """The plan on one page, for the client and the naaste (a printed, audited read)."""

    audit_event_type = AuditEventType.PRINT  # type: ignore[assignment]
    filename = "signaleringsplan"

    def pdf(self, plan: SignalPlan) -> bytes:
        return render_signal_plan_pdf(plan)

    def get(
        self, request: AuthenticatedHttpRequest, client_id: int, signal_plan_id: int
    ) -> HttpResponse:
        plan = self.get_plan()
        response = HttpResponse(self.pdf(plan), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.filename}-versie-{plan.version}.pdf"'
        )
        return response


class SignalPlanCardView(SignalPlanPdfView):
    """The wallet card: crisis contacts and the red stage on credit-card sized pages."""

    filename = "crisiskaart"

    def pdf(self, plan: SignalPlan) -> bytes:
        return render_signal_card_pdf(plan)
