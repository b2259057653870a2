"""Care team, involved organisations, naasten and consents of one client."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import selectors, services
from clients.forms import (
    AssignmentForm,
    ConsentForm,
    EndDateForm,
    ExternalPartyForm,
    InvolvedOrganisationForm,
    NaasteForm,
    WithdrawForm,
)
from clients.models import Assignment, Consent, ExternalParty, InvolvedOrganisation, Naaste
from clients.services.care_team import NAASTE_FIELDS
from clients.views._base import ClientFormView


class AssignmentCreateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Zorgteamlid toevoegen")
    intro = _("Een nieuwe casemanager of regiebehandelaar vervangt de huidige vanaf de begindatum.")
    submit_label = _("Toevoegen")
    success_message = _("Het zorgteam is bijgewerkt.")

    def get_form(self, form_class: Any = None) -> AssignmentForm:
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {})["start_date"] = timezone.localdate()
        others = None
        if services.can_grant_other_team(self.request.user, self.client):
            others = selectors.other_team_workers(client=self.client)
        return AssignmentForm(**kwargs, workers=self.workers(), other_workers=others)

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # A care-team role opens the file: no form for who may not grant it (the service
        # refuses the same way).
        if not services.can_grant_care_team(request.user, self.client):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not services.can_grant_care_team(request.user, self.client):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form: AssignmentForm) -> None:
        try:
            services.assignment_set(
                actor=self.request.user, client=self.client, **form.cleaned_data
            )
        except PermissionDenied as exc:  # a worker of another team, chosen by a member
            raise ValidationError({"worker": str(exc)}) from exc


class AssignmentEndView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Zorgteamlid beëindigen")
    submit_label = _("Beëindigen")
    success_message = _("Het zorgteam is bijgewerkt.")
    form_class = EndDateForm

    def get_initial(self) -> dict[str, Any]:
        return {"end_date": timezone.localdate()}

    def perform(self, form: EndDateForm) -> None:
        assignment = get_object_or_404(Assignment, pk=self.kwargs["pk"], client=self.client)
        services.assignment_end(
            actor=self.request.user, assignment=assignment, end_date=form.cleaned_data["end_date"]
        )


class InvolvedOrganisationCreateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Betrokken organisatie toevoegen")
    intro = _("Zorg mag starten voordat de financiering geregeld is: kies dan 'Nog geen'.")
    submit_label = _("Toevoegen")
    success_message = _("De betrokken organisatie is toegevoegd.")
    form_class = InvolvedOrganisationForm

    def get_initial(self) -> dict[str, Any]:
        return {"start_date": timezone.localdate()}

    def perform(self, form: InvolvedOrganisationForm) -> None:
        services.involved_organisation_add(
            actor=self.request.user, client=self.client, **form.cleaned_data
        )


class InvolvedOrganisationEndView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Betrokkenheid beëindigen")
    submit_label = _("Beëindigen")
    success_message = _("De betrokkenheid is beëindigd.")
    form_class = EndDateForm

    def get_initial(self) -> dict[str, Any]:
        return {"end_date": timezone.localdate()}

    def perform(self, form: EndDateForm) -> None:
        involved = get_object_or_404(InvolvedOrganisation, pk=self.kwargs["pk"], client=self.client)
        services.involved_organisation_end(
            actor=self.request.user, involved=involved, end_date=form.cleaned_data["end_date"]
        )


class ExternalPartyCreateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Betrokken partij toevoegen")
    intro = _(
        "Iedereen buiten de partnerorganisaties die meedoet: dagbesteding, lotgenotengroep, "
        "sportvereniging, vrijwilligers, de partner als mantelzorger."
    )
    submit_label = _("Toevoegen")
    success_message = _("De betrokken partij is toegevoegd.")
    form_class = ExternalPartyForm

    def get_initial(self) -> dict[str, Any]:
        return {"start_date": timezone.localdate()}

    def perform(self, form: ExternalPartyForm) -> None:
        services.external_party_add(
            actor=self.request.user, client=self.client, **form.cleaned_data
        )


class ExternalPartyUpdateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Betrokken partij wijzigen")
    submit_label = _("Opslaan")
    success_message = _("De betrokken partij is bijgewerkt.")
    form_class = ExternalPartyForm

    def party(self) -> ExternalParty:
        return get_object_or_404(ExternalParty, pk=self.kwargs["pk"], client=self.client)

    def get_initial(self) -> dict[str, Any]:
        party = self.party()
        return {name: getattr(party, name) for name in ExternalPartyForm.base_fields}

    def perform(self, form: ExternalPartyForm) -> None:
        services.external_party_update(
            actor=self.request.user, party=self.party(), **form.cleaned_data
        )


class ExternalPartyEndView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Betrokkenheid beëindigen")
    submit_label = _("Beëindigen")
    success_message = _("De betrokkenheid is beëindigd.")
    form_class = EndDateForm

    def get_initial(self) -> dict[str, Any]:
        return {"end_date": timezone.localdate()}

    def perform(self, form: EndDateForm) -> None:
        party = get_object_or_404(ExternalParty, pk=self.kwargs["pk"], client=self.client)
        services.external_party_end(
            actor=self.request.user, party=party, end_date=form.cleaned_data["end_date"]
        )


class NaasteCreateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Naaste toevoegen")
    submit_label = _("Toevoegen")
    success_message = _("De naaste is toegevoegd.")
    form_class = NaasteForm

    def perform(self, form: NaasteForm) -> None:
        data = {k: form.cleaned_data[k] for k in NAASTE_FIELDS}
        data = {
            k: ("" if v is None and k not in ("zag_due_on", "ended_on") else v)
            for k, v in data.items()
        }
        services.naaste_add(actor=self.request.user, client=self.client, **data)


class NaasteUpdateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Naaste wijzigen")
    submit_label = _("Opslaan")
    success_message = _("De naaste is bijgewerkt.")
    form_class = NaasteForm

    def get_naaste(self) -> Naaste:
        return get_object_or_404(Naaste, pk=self.kwargs["pk"], client=self.client)

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.get_naaste()}

    def perform(self, form: NaasteForm) -> None:
        data = {k: form.cleaned_data[k] for k in NAASTE_FIELDS}
        data = {
            k: ("" if v is None and k not in ("zag_due_on", "ended_on") else v)
            for k, v in data.items()
        }
        services.naaste_update(actor=self.request.user, naaste=self.get_naaste(), **data)


class ConsentCreateView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Toestemming vastleggen")
    intro = _(
        "Toestemming van de cliënt om één soort gegevens te delen met een organisatie "
        "of rol, voor een doel."
    )
    submit_label = _("Vastleggen")
    success_message = _("De toestemming is vastgelegd.")
    form_class = ConsentForm

    def get_initial(self) -> dict[str, Any]:
        return {"given_on": timezone.localdate()}

    def perform(self, form: ConsentForm) -> None:
        services.consent_give(actor=self.request.user, client=self.client, **form.cleaned_data)


class ConsentWithdrawView(ClientFormView):
    success_url_name = "clients:network"
    title = _("Toestemming intrekken")
    submit_label = _("Intrekken")
    success_message = _("De toestemming is ingetrokken.")
    form_class = WithdrawForm

    def get_initial(self) -> dict[str, Any]:
        return {"withdrawn_on": timezone.localdate()}

    def perform(self, form: WithdrawForm) -> None:
        consent = get_object_or_404(Consent, pk=self.kwargs["pk"], client=self.client)
        services.consent_withdraw(
            actor=self.request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
        )
