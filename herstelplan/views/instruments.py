"""Pages of the measurement instruments: overview, I.ROC, HoNOS and recovery phase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from herstelplan import selectors, services
from herstelplan.charts import honos_trend_chart, iroc_radar_chart, iroc_self_and_team_chart
from herstelplan.constants import HONOS_SUBSCALE_LABELS, RecoveryPhaseNumber
from herstelplan.forms import (
    HonosForm,
    IrocAssessmentForm,
    RecoveryPhaseForm,
    TeamSettingsForm,
)
from herstelplan.views._base import ClinicalView
from olteams.access import ClientAction, record_visible, team_ids_for, withheld_message
from olteams.audit import audit_record
from olteams.constants import AuditEventType, RecordKind, TeamRole
from olteams.forms import add_service_errors
from olteams.models import Team
from olteams.types import AuthenticatedHttpRequest


def iroc_chart_for(history: list[selectors.IrocView], indicators: list, uid: str = "iroc"):  # type: ignore[no-untyped-def]
    """The radar of the latest I.ROC with the one before it overlaid (None without any)."""
    if not history:
        return None
    latest = history[0]
    previous = history[1] if len(history) > 1 else None
    return iroc_radar_chart(
        labels={i.number: i.label for i in indicators},
        areas={i.number: i.area for i in indicators},
        current=latest.scores,
        current_name=_("Nu (%(d)s)") % {"d": formats.date_format(latest.date, "SHORT_DATE_FORMAT")},
        previous=previous.scores if previous else None,
        previous_name=(
            _("Vorige (%(d)s)") % {"d": formats.date_format(previous.date, "SHORT_DATE_FORMAT")}
            if previous
            else ""
        ),
        uid=uid,
    )


class ClientOverviewView(ClinicalView):
    template_name = "herstelplan/client_overview.html"
    section = "overview"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        today = timezone.localdate()
        shows = {
            kind: record_visible(request.user, self.client, kind)
            for kind in (
                RecordKind.IROC,
                RecordKind.HONOS,
                RecordKind.RECOVERY_PLAN,
                RecordKind.SIGNAL_PLAN,
            )
        }
        settings = selectors.team_instrument_settings_get(team=self.client.team_id)
        indicators = selectors.iroc_indicators()
        history = (
            selectors.iroc_history(client=self.client, indicators=indicators)
            if shows[RecordKind.IROC]
            else []
        )
        honos = (
            selectors.honos_assessment_list(client=self.client, settings=settings)
            if shows[RecordKind.HONOS]
            else []
        )
        plans = shows[RecordKind.RECOVERY_PLAN]
        return self.render(
            request,
            {
                "phase": selectors.recovery_phase_current(client=self.client),
                "iroc_latest": history[0] if history else None,
                "iroc_chart": iroc_chart_for(history, indicators),
                "iroc_due": selectors.iroc_due_date(
                    client=self.client,
                    today=today,
                    settings=settings,
                    last_date=history[0].date if history else None,
                ),
                "honos_latest": honos[0] if honos else None,
                "active_plan": selectors.plan_active(client=self.client) if plans else None,
                "draft_plan": selectors.plan_draft(client=self.client) if plans else None,
                "signal_plan": (
                    selectors.signal_plan_in_force(client=self.client)
                    if shows[RecordKind.SIGNAL_PLAN]
                    else None
                ),
                # The short explanation of each kind the worker may not see, by kind.
                "withheld": {
                    kind: withheld_message(kind) for kind, shown in shows.items() if not shown
                },
                "today": today,
            },
        )


class IrocListView(ClinicalView):
    record_kind = RecordKind.IROC
    template_name = "herstelplan/iroc_list.html"
    section = "iroc"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        indicators = selectors.iroc_indicators()
        history = selectors.iroc_history(client=self.client, indicators=indicators)
        own = selectors.iroc_self_history(client=self.client, indicators=indicators)
        settings = selectors.team_instrument_settings_get(team=self.client.team_id)
        return self.render(
            request,
            {
                "indicators": indicators,
                "history": history,
                "chart": iroc_chart_for(history, indicators),
                "self_history": own,
                "both_chart": (
                    iroc_self_and_team_chart(
                        indicators=indicators,
                        own=own[0],
                        team=history[0] if history else None,
                        uid="iroc-both",
                    )
                    if own
                    else None
                ),
                "due": selectors.iroc_due_date(
                    client=self.client,
                    settings=settings,
                    last_date=history[0].date if history else None,
                ),
                "today": timezone.localdate(),
                "interval": settings.iroc_interval_months,
            },
        )


class IrocCreateView(ClinicalView):
    record_kind = RecordKind.IROC
    client_action = ClientAction.CHANGE_CLINICAL
    template_name = "herstelplan/iroc_form.html"
    section = "iroc"

    def _form(self, data: Any = None) -> IrocAssessmentForm:
        return IrocAssessmentForm(
            data,
            indicators=selectors.iroc_indicators(),
            labels=selectors.iroc_answer_labels(),
            initial={"date": timezone.localdate()},
        )

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        return self.render(request, {"form": self._form()})

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.iroc_assessment_create(
                    actor=request.user,
                    client=self.client,
                    date=form.cleaned_data["date"],
                    filled_in_with=form.cleaned_data["filled_in_with"],
                    answers=form.answers(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De I.ROC is opgeslagen."))
                return redirect("herstelplan:iroc-list", client_id=self.client.pk)
        return self.render(request, {"form": form}, status=400)


class HonosListView(ClinicalView):
    record_kind = RecordKind.HONOS
    template_name = "herstelplan/honos_list.html"
    section = "honos"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        settings = selectors.team_instrument_settings_get(team=self.client.team_id)
        rows = selectors.honos_assessment_list(client=self.client, settings=settings)
        return self.render(
            request,
            {
                "rows": rows,
                "chart": honos_trend_chart([r.assessment for r in rows]) if rows else None,
                "settings": settings,
                "subscale_labels": HONOS_SUBSCALE_LABELS,
            },
        )


class HonosCreateView(ClinicalView):
    record_kind = RecordKind.HONOS
    client_action = ClientAction.CHANGE_CLINICAL
    template_name = "herstelplan/honos_form.html"
    section = "honos"

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        return self.render(request, {"form": HonosForm(initial={"date": timezone.localdate()})})

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = HonosForm(request.POST)
        if form.is_valid():
            try:
                services.honos_assessment_create(
                    actor=request.user,
                    client=self.client,
                    date=form.cleaned_data["date"],
                    scores=form.scores(),
                    item_8_problem_type=form.cleaned_data["item_8_problem_type"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De HoNOS is opgeslagen."))
                return redirect("herstelplan:honos-list", client_id=self.client.pk)
        return self.render(request, {"form": form}, status=400)


class PhaseListView(ClinicalView):
    """The phase timeline, with the form to add an entry (team members with change rights)."""

    client_action = ClientAction.VIEW_CLINICAL
    template_name = "herstelplan/phase_list.html"
    section = "phase"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            self.client_action = ClientAction.CHANGE_CLINICAL
        return super().dispatch(request, *args, **kwargs)

    def _context(self, form: RecoveryPhaseForm) -> dict[str, Any]:
        return {
            "form": form,
            "phases": selectors.recovery_phase_list(client=self.client),
            "phase_names": RecoveryPhaseNumber.choices,
        }

    def get(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = RecoveryPhaseForm(initial={"date": timezone.localdate()})
        return self.render(request, self._context(form))

    def post(self, request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
        form = RecoveryPhaseForm(request.POST)
        if form.is_valid():
            try:
                services.recovery_phase_create(
                    actor=request.user, client=self.client, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De herstelfase is vastgelegd."))
                return redirect("herstelplan:phase-list", client_id=self.client.pk)
        return self.render(request, self._context(form), status=400)


class TeamSettingsView(View):
    """A team lead sets the I.ROC interval and HoNOS thresholds of their team."""

    template_name = "herstelplan/team_settings.html"
    request: AuthenticatedHttpRequest

    def _team(self, request: AuthenticatedHttpRequest, team_id: int) -> Team:
        if team_id not in team_ids_for(request.user, roles=[TeamRole.LEAD]):
            raise Http404
        return get_object_or_404(Team, pk=team_id)

    def get(self, request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
        team = self._team(request, team_id)
        row = selectors.team_instrument_settings_get(team=team)
        form = TeamSettingsForm(initial={f: getattr(row, f) for f in TeamSettingsForm.base_fields})
        return render(request, self.template_name, {"team": team, "form": form})

    def post(self, request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
        team = self._team(request, team_id)
        form = TeamSettingsForm(request.POST)
        if form.is_valid():
            try:
                row = services.team_instrument_settings_update(
                    actor=request.user, team=team, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                audit_record(
                    user=request.user, event_type=AuditEventType.UPDATE, request=request, obj=row
                )
                messages.success(request, _("De instellingen zijn opgeslagen."))
                return redirect("herstelplan:team-settings", team_id=team.pk)
        return render(request, self.template_name, {"team": team, "form": form}, status=400)
