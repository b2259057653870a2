"""Shared plumbing of the clients views: team choices and the service form view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from clients.selectors import client_staff_scope
from olteams.access import ClientAction, team_ids_for
from olteams.audit import ClientScopedMixin
from olteams.constants import TeamRole
from olteams.forms import add_service_errors
from olteams.models import Team
from olteams.types import AuthenticatedHttpRequest


def member_teams(user: Any, *, roles: tuple[str, ...] | None = None) -> Any:
    return Team.objects.filter(pk__in=team_ids_for(user, roles=roles)).order_by("name")


def is_lead(user: Any) -> bool:
    return bool(team_ids_for(user, roles=(TeamRole.LEAD,)))


class ClientFormView(ClientScopedMixin, FormView):
    """A form on one client that calls one service; service errors land beside the fields
    and every typed value is kept. Subclasses implement ``perform(form)``."""

    client_action = ClientAction.CHANGE
    template_name = "clients/form.html"
    title = ""
    intro = ""
    submit_label = ""
    success_message = ""
    # The tab a finished form returns to: the network forms go back to "Netwerk".
    success_url_name = "clients:client-detail"
    request: AuthenticatedHttpRequest

    def workers(self) -> Any:
        return client_staff_scope(client=self.client)

    def perform(self, form: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_success_url(self) -> str:
        return reverse(self.success_url_name, kwargs={"client_id": self.client.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            client=self.client,
            title=self.title,
            intro=self.intro,
            cancel_url=self.get_success_url(),
            submit_label=self.submit_label,
            **kwargs,
        )
