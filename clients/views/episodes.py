"""Episode actions on one client: voorzorg, intake (plan, letter, outcome), outflow, re-entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clients import services
from clients.constants import Phase
from clients.forms import (
    EpisodeStartForm,
    IntakeCompleteForm,
    IntakePlanForm,
    ReentryForm,
    VoorzorgForm,
)
from clients.models import CareEpisode, Intake
from clients.pdf import render_intake_letter
from clients.views._base import ClientFormView
from olteams.access import ClientAction
from olteams.audit import ClientScopedMixin
from olteams.constants import AuditEventType


class _OpenEpisodeMixin:
    """The client's open episode, or 404 when there is none."""

    client: Any

    def open_episode(self) -> CareEpisode:
        episode = (
            CareEpisode.objects.select_related("referral", "client")
            .filter(client=self.client, ended_on__isnull=True)
            .first()
        )
        if episode is None:
            raise Http404
        return episode


class VoorzorgContactView(_OpenEpisodeMixin, ClientFormView):
    title = _("Voorzorgcontact vastleggen")
    intro = _("Het eerste contact met de cliënt vóór de intake.")
    submit_label = _("Vastleggen")
    success_message = _("Het voorzorgcontact is vastgelegd.")
    form_class = VoorzorgForm

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def perform(self, form: VoorzorgForm) -> None:
        services.episode_voorzorg_contact(
            actor=self.request.user, episode=self.open_episode(), on=form.cleaned_data["on"]
        )


class IntakePlanView(_OpenEpisodeMixin, ClientFormView):
    title = _("Intake plannen")
    intro = _("Na het plannen kunt u de uitnodigingsbrief downloaden en afdrukken.")
    submit_label = _("Intake plannen")
    success_message = _("De intake is gepland. Download de uitnodigingsbrief hieronder.")

    def get_form(self, form_class: Any = None) -> IntakePlanForm:
        kwargs = self.get_form_kwargs()
        intake = Intake.objects.filter(
            episode__client=self.client, episode__ended_on__isnull=True
        ).first()
        if intake is not None and not self.request.POST:
            kwargs["initial"] = {
                "planned_on": intake.planned_on,
                "planned_time": intake.planned_time,
                "location": intake.location,
                "workers": list(intake.workers.all()),
                "invited_naasten": list(
                    self.client.naasten.filter(ended_on__isnull=True, invited_to_intake=True)
                ),
            }
        elif not self.request.POST:
            # nobody pre-ticked: the letter prints under "U spreekt met" exactly whom the
            # planner chose (a secretary planning it was pre-ticked and printed before)
            kwargs["initial"] = {"location": self.client.team.address}
        return IntakePlanForm(
            **kwargs,
            workers=self.workers(),
            naasten=self.client.naasten.filter(ended_on__isnull=True),
        )

    def perform(self, form: IntakePlanForm) -> None:
        services.intake_plan(
            actor=self.request.user,
            episode=self.open_episode(),
            planned_on=form.cleaned_data["planned_on"],
            planned_time=form.cleaned_data["planned_time"],
            location=form.cleaned_data["location"],
            workers=form.cleaned_data["workers"],
            invited_naasten=form.cleaned_data["invited_naasten"],
        )


class IntakeLetterView(ClientScopedMixin, View):
    """The invitation letter as PDF (download, or inline to print). Audited as PRINT."""

    audit_event_type = AuditEventType.PRINT

    def get(self, request: Any, client_id: int) -> HttpResponse:
        intake = (
            Intake.objects.select_related("episode__client__team")
            .prefetch_related("workers")
            .filter(episode__client=self.client, episode__ended_on__isnull=True)
            .first()
        )
        if intake is None:
            raise Http404
        pdf = render_intake_letter(intake)
        services.intake_letter_generated(actor=request.user, intake=intake)
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = "inline" if request.GET.get("afdrukken") else "attachment"
        response["Content-Disposition"] = (
            f'{disposition}; filename="uitnodiging-intake-{intake.planned_on:%Y-%m-%d}.pdf"'
        )
        return response


class IntakeCompleteView(_OpenEpisodeMixin, ClientFormView):
    title = _("Intake afronden")
    intro = _("Na het afronden is de cliënt in zorg.")
    submit_label = _("Intake afronden")
    success_message = _("De intake is afgerond; de cliënt is in zorg.")

    def get_form(self, form_class: Any = None) -> IntakeCompleteForm:
        kwargs = self.get_form_kwargs()
        intake = self._intake()
        kwargs.setdefault("initial", {})["completed_on"] = intake.planned_on
        return IntakeCompleteForm(
            **kwargs,
            workers=self.workers(),
            naasten=self.client.naasten.filter(ended_on__isnull=True),
        )

    def _intake(self) -> Intake:
        episode = self.open_episode()
        intake = Intake.objects.filter(episode=episode).first()
        if intake is None or episode.phase != Phase.INTAKE:
            raise Http404
        return intake

    def perform(self, form: IntakeCompleteForm) -> None:
        data = form.cleaned_data
        services.intake_complete(
            actor=self.request.user,
            intake=self._intake(),
            completed_on=data["completed_on"],
            outcome_notes=data["outcome_notes"],
            casemanager=data["casemanager"],
            regiebehandelaar=data["regiebehandelaar"],
            naaste_present=data["naaste_present"],
            present_naasten=data["present_naasten"],
            organisations=form.organisations(),
        )


class EpisodeOutflowView(ClientScopedMixin, View):
    """Outflow lives on the checklist page (``caseload:outflow``), which closes the Wmo
    request, indication, plan, intensity, organisations and reminders with the episode.
    This address stays: after the same access check it leads there (a POST keeps its
    method and data: 307)."""

    client_action = ClientAction.CHANGE

    def _target(self) -> str:
        return reverse("caseload:outflow", kwargs={"client_id": self.client.pk})

    def get(self, request: Any, client_id: int) -> HttpResponse:
        return redirect(self._target())

    def post(self, request: Any, client_id: int) -> HttpResponse:
        return HttpResponseRedirect(self._target(), status=307)


class EpisodeStartView(ClientFormView):
    title = _("Zorgperiode starten")
    intro = _(
        "Voor een cliënt die zonder aanmelding is geregistreerd. De cliënt komt op de "
        "wachtlijst (voorzorg); daarna plant u de intake."
    )
    submit_label = _("Zorgperiode starten")
    success_message = _("De zorgperiode is gestart; de cliënt staat op de wachtlijst.")
    form_class = EpisodeStartForm

    def get_form(self, form_class: Any = None) -> EpisodeStartForm:
        if self.client.episodes.exists():
            raise PermissionDenied
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {})["on"] = timezone.localdate()
        return EpisodeStartForm(**kwargs)

    def perform(self, form: EpisodeStartForm) -> None:
        services.episode_start(
            actor=self.request.user,
            client=self.client,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )


class EpisodeReenterView(ClientFormView):
    title = _("Heraanmelding")
    intro = _(
        "De cliënt komt terug in zorg. Het bestaande herstelplan en verhaal worden "
        "herzien; er is geen nieuwe intake nodig."
    )
    submit_label = _("Weer in zorg nemen")
    success_message = _("De cliënt is weer in zorg. Plan een herziening van het herstelplan.")

    def get_form(self, form_class: Any = None) -> ReentryForm:
        if self.client.episodes.filter(ended_on__isnull=True).exists():
            raise PermissionDenied
        kwargs = self.get_form_kwargs()
        previous_cm = (
            self.client.assignments.filter(role="casemanager")
            .order_by("-start_date")
            .values_list("worker", flat=True)
            .first()
        )
        kwargs.setdefault("initial", {}).update(on=timezone.localdate(), casemanager=previous_cm)
        return ReentryForm(**kwargs, workers=self.workers())

    def perform(self, form: ReentryForm) -> None:
        services.episode_reenter(
            actor=self.request.user,
            client=self.client,
            on=form.cleaned_data["on"],
            casemanager=form.cleaned_data["casemanager"],
            note=form.cleaned_data["note"],
        )
