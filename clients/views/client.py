"""One client's file: register, detail, identity changes, merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clients import services
from clients.constants import ALLOWED_TRANSITIONS, Phase
from clients.forms import ClientForm, MergeForm, TransitionForm
from clients.selectors import client_detail, referral_get
from clients.views._base import ClientFormView, is_lead, member_teams
from clients.views.portal_access import may_invite
from olteams.access import ClientAction, can, clients_visible_to, membership_facts
from olteams.audit import ClientScopedMixin, audit_record
from olteams.constants import AuditEventType, TeamRole
from olteams.forms import add_service_errors
from olteams.types import AuthenticatedHttpRequest


def client_register_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a client (optionally from a referral); a duplicate is shown, not created."""
    teams = member_teams(request.user)
    if not teams:
        raise PermissionDenied
    referral = None
    if request.GET.get("aanmelding") or request.POST.get("aanmelding"):
        referral = referral_get(
            user=request.user,  # type: ignore[arg-type]
            referral_id=request.GET.get("aanmelding") or request.POST.get("aanmelding"),
        )
    initial = {"team": referral.team_id} if referral else {}
    form = ClientForm(request.POST or None, teams=teams, initial=initial)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(
                actor=request.user,
                team=form.cleaned_data["team"],
                referral=referral,
                allow_possible_duplicate=form.cleaned_data["allow_possible_duplicate"],
                **form.identity(),
            )
        except services.DuplicateClientError as exc:
            duplicate = _visible_duplicate(request, exc)
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit_record(
                user=request.user,
                event_type=AuditEventType.CREATE,
                request=request,  # type: ignore[arg-type]
                client_id=client.pk,
                obj=client,
                detail="cliënt geregistreerd",
            )
            messages.success(request, _("De cliënt is geregistreerd."))
            return redirect("clients:client-detail", client_id=client.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "clients/client_register.html",
        {"form": form, "duplicate": duplicate, "referral": referral},
        status=status,
    )


def _visible_duplicate(
    request: AuthenticatedHttpRequest, exc: services.DuplicateClientError
) -> dict:
    """What the user may see of the existing record: a link only if it is theirs."""
    existing = exc.existing.merged_into or exc.existing
    visible = clients_visible_to(request.user).filter(pk=existing.pk).first()  # type: ignore[arg-type]
    return {"client": visible, "certain": exc.certain}


class ClientDetailView(ClientScopedMixin, TemplateView):
    template_name = "clients/client_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        client = client_detail(user=self.request.user, client_id=self.client.pk)  # type: ignore[arg-type]
        episodes = list(client.episodes.all())
        current = episodes[0] if episodes else None
        open_episode = current if current and current.ended_on is None else None
        user = self.request.user
        return super().get_context_data(
            client=client,
            episodes=episodes,
            current=current,
            open_episode=open_episode,
            intake=getattr(open_episode, "intake", None) if open_episode else None,
            referrals=list(client.referrals.all()),
            next_phases=_next_phases(open_episode),
            can_merge=can(user, client, ClientAction.MERGE),  # type: ignore[arg-type]
            can_invite_portal=may_invite(self.request, client),
            today=timezone.localdate(),
            **kwargs,
        )


class ClientNetworkView(ClientScopedMixin, TemplateView):
    """The "Netwerk" tab: care team, involved organisations, naasten and the consent register."""

    template_name = "clients/client_network.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        client = client_detail(user=self.request.user, client_id=self.client.pk)  # type: ignore[arg-type]
        return super().get_context_data(
            client=client,
            assignments=list(client.assignments.all()),
            involved=list(client.involved_organisations.all()),
            parties=list(client.external_parties.all()),
            # Who may add to the care team (services.can_grant_care_team), from the
            # request's cached access facts: the zorgsecretariaat gets no link to a 403.
            can_grant=bool(
                {
                    m.role
                    for m in membership_facts(self.request.user)  # type: ignore[arg-type]
                    if m.team_id == client.team_id
                }
                - {TeamRole.SECRETARIAAT}
            ),
            naasten=list(client.naasten.all()),
            consents=list(client.consents.all()),
            today=timezone.localdate(),
            **kwargs,
        )


def _next_phases(episode: Any) -> list[Any]:
    if episode is None:
        return []
    allowed = ALLOWED_TRANSITIONS[Phase(episode.phase)] - {Phase.OUTFLOW}
    if episode.phase == Phase.INTAKE:
        allowed -= {Phase.IN_CARE}
    return [Phase(p) for p in Phase.values if p in allowed]


class ClientUpdateView(ClientFormView):
    title = _("Gegevens wijzigen")
    submit_label = _("Opslaan")
    success_message = _("De gegevens zijn opgeslagen.")

    def get_form(self, form_class: Any = None) -> ClientForm:
        initial = {
            name: getattr(self.client, name)
            for name in (
                "bsn",
                "initials",
                "first_name",
                "name_prefix",
                "last_name",
                "date_of_birth",
                "gender",
                "address",
                "postcode",
                "city",
                "neighbourhood",
                "municipality",
                "phone",
                "email",
                "gp_practice",
                "gp_name",
                "registering_organisation",
            )
        }
        return ClientForm(**self.get_form_kwargs() | {"initial": initial}, editing=True)

    def perform(self, form: ClientForm) -> None:
        services.client_update(
            actor=self.request.user,
            client=self.client,
            allow_possible_duplicate=form.cleaned_data["allow_possible_duplicate"],
            **form.identity(),
        )


class EpisodeTransitionView(ClientFormView):
    title = _("Fase wijzigen")
    submit_label = _("Fase wijzigen")
    success_message = _("De fase is gewijzigd.")

    def get_form(self, form_class: Any = None) -> TransitionForm:
        self.episode = self.client.episodes.filter(ended_on__isnull=True).first()
        if self.episode is None:
            raise PermissionDenied
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {})["on"] = timezone.localdate()
        return TransitionForm(**kwargs, current=self.episode.phase)

    def perform(self, form: TransitionForm) -> None:
        services.episode_transition(
            actor=self.request.user,
            episode=self.episode,
            to_phase=form.cleaned_data["to_phase"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )


class ClientMergeView(ClientFormView):
    """Team lead: merge a duplicate record into this one (the one being viewed survives)."""

    client_action = ClientAction.MERGE
    title = _("Dubbel dossier samenvoegen")
    intro = _(
        "Kies het dubbele dossier. Aanmeldingen, zorgperiodes, zorgteam, naasten, "
        "toestemmingen en betrokken organisaties gaan naar dit dossier. De samenvoeging "
        "wordt vastgelegd in het auditlog."
    )
    submit_label = _("Samenvoegen")
    success_message = _("De dossiers zijn samengevoegd.")

    def get_form(self, form_class: Any = None) -> MergeForm:
        candidates = (
            clients_visible_to(self.request.user, action=ClientAction.MERGE)
            .filter(  # type: ignore[arg-type]
                team_id=self.client.team_id
            )
            .exclude(pk=self.client.pk)
            .order_by("last_name", "first_name")
        )
        return MergeForm(**self.get_form_kwargs(), candidates=candidates)

    def perform(self, form: MergeForm) -> None:
        if not is_lead(self.request.user):
            raise PermissionDenied
        services.client_merge(
            actor=self.request.user,
            survivor=self.client,
            merged=form.cleaned_data["merged"],
            note=form.cleaned_data["note"],
        )
