"""The worker's pages: my caseload and the client file (one timeline of everything)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from caseload.selectors.facts import client_file_presence
from caseload.selectors.pages import client_file, my_caseload_rows
from caseload.selectors.timeline import TIMELINE_KINDS, TimelineFilter, client_timeline
from clients.selectors import client_staff_choices
from olteams import request_cache
from olteams.access import ClientAction, can, can_export, team_ids_for, withheld_message
from olteams.audit import ClientScopedMixin, audit_record
from olteams.constants import AuditEventType, RecordKind, TeamRole
from olteams.forms import DateInput
from olteams.pagination import PAGE_PARAM, query_without
from olteams.selectors import notification_list
from olteams.types import AuthenticatedHttpRequest

NOTIFICATIONS_SHOWN = 5


def my_caseload_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's clients with what is due; one SEARCH event, as the client list records."""
    if not team_ids_for(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = my_caseload_rows(user=request.user, today=today)
    notifications = notification_list(user=request.user, unread_only=True)
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="clients.client",
        detail="mijn caseload",
        client_ids=[row.client.pk for row in rows],
    )
    return render(
        request,
        "caseload/my_caseload.html",
        {
            "rows": rows,
            "today": today,
            "notifications": list(notifications[:NOTIFICATIONS_SHOWN]),
            "notification_count": notifications.count(),
            "back": reverse("caseload:my-caseload"),
            "can_export": can_export(request.user),
        },
    )


class TimelineFilterForm(forms.Form):
    soort = forms.MultipleChoiceField(
        label=_("Soort"),
        choices=TIMELINE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    van = forms.DateField(
        label=_("Van"),
        required=False,
        widget=DateInput(),
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(),
    )
    medewerker = forms.TypedChoiceField(
        label=_("Medewerker"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, workers: list[tuple[int, str]], **kwargs: Any) -> None:
        """``workers``: (id, label) pairs, the care team first (``client_staff_choices``)."""
        super().__init__(*args, **kwargs)
        # The fields' HTML of an unbound form depends on these alone (and the language): the
        # client file caches it under them.
        self.workers = tuple(workers)
        field = self.fields["medewerker"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Iedereen")), *workers]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def timeline_filter(self) -> TimelineFilter:
        if not self.is_valid():
            return TimelineFilter()
        data = self.cleaned_data
        return TimelineFilter(
            kinds=frozenset(data.get("soort") or ()),
            start=data.get("van"),
            end=data.get("tot"),
            worker_id=data.get("medewerker"),
        )


class ClientFileView(ClientScopedMixin, TemplateView):
    """One page with everything of the client the user may see; one READ event.

    Plan, instruments and reports only with clinical access (not the secretariaat); a Wmo
    consultant has no access to this page at all (404, as for a stranger)."""

    client_action = ClientAction.VIEW
    client_select_related = ("team", "municipality", "registering_organisation")
    template_name = "caseload/client_file.html"

    client_annotations = staticmethod(client_file_presence)

    request: AuthenticatedHttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        today = request_cache.today()
        data = client_file(user=user, client=self.client, today=today)
        form = TimelineFilterForm(
            self.request.GET or None, workers=client_staff_choices(client=self.client)
        )
        page, entries = client_timeline(
            client=self.client,
            f=form.timeline_filter(),
            page=self.request.GET.get(PAGE_PARAM),
            categories=data.categories,
            user_id=user.pk,
            clinical=data.clinical,
        )
        here = self.request.get_full_path()
        return super().get_context_data(
            file=data,
            # Edit links: the author edits their own contact, a team lead any of the team.
            lead_here=self.client.team_id in team_ids_for(user, roles=(TeamRole.LEAD,)),
            can_change=can(user, self.client, ClientAction.CHANGE),
            crisis_withheld=withheld_message(RecordKind.CRISIS_NOTE),
            client=data.client,
            form=form,
            page=page,
            entries=entries,
            query=query_without(self.request.GET),
            today=today,
            here=here,
            **kwargs,
        )
