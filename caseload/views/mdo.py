"""MDO meetings of a team: the list, planning one from the MDO list, and the meeting itself
(per client the discussion, decisions and follow-up tasks; closing it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.selectors import overviews as ov
from caseload.selectors.tasks import mdo_meeting_get, mdo_meeting_list
from caseload.services.mdo import (
    MDO_ROLES,
    mdo_item_add,
    mdo_item_record,
    mdo_meeting_close,
    mdo_meeting_create,
)
from clients.selectors import team_workers
from olteams.access import ClientAction, clients_visible_to, team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType
from olteams.forms import DateInput, TimeInput, add_service_errors
from olteams.models import Team
from olteams.selectors import staff_annotate, staff_label
from olteams.types import AuthenticatedHttpRequest


def _mdo_team(request: AuthenticatedHttpRequest, today: dt.date) -> tuple[Team, list[Team]]:
    teams = list(Team.objects.filter(pk__in=team_ids_for(request.user, roles=MDO_ROLES)))
    if not teams:
        raise PermissionDenied
    team = ov.overview_team_get(
        user=request.user, team_id=request.GET.get("team"), roles=MDO_ROLES, today=today
    )
    return team, teams


def mdo_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The team's MDO meetings (lead and members), newest first, with "Nieuw MDO"."""
    today = timezone.localdate()
    team, teams = _mdo_team(request, today)
    return render(
        request,
        "caseload/mdo_list.html",
        {"team": team, "teams": teams, "meetings": mdo_meeting_list(team_id=team.pk)},
    )


class MdoMeetingForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Datum"),
        widget=DateInput(),
        error_messages={"required": gettext_lazy("Vul de datum in.")},
    )
    time = forms.TimeField(
        label=gettext_lazy("Tijd"),
        widget=TimeInput(),
        error_messages={"required": gettext_lazy("Vul de tijd in.")},
    )
    chair: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Voorzitter"),
        queryset=None,
        empty_label=gettext_lazy("Kies de voorzitter"),
        error_messages={"required": gettext_lazy("Kies een voorzitter uit het team.")},
    )
    attendees = forms.MultipleChoiceField(
        label=gettext_lazy("Aanwezigen"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies de aanwezigen uit het team.")},
    )
    clients = forms.MultipleChoiceField(
        label=gettext_lazy("Te bespreken cliënten"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "De cliënten van de MDO-lijst van vandaag staan aangevinkt; pas dit aan zoals nodig."
        ),
        error_messages={"required": gettext_lazy("Kies ten minste één cliënt om te bespreken.")},
    )
    service_field_aliases = {"starts_at": "date"}

    def __init__(
        self, *args: Any, workers: Any, team_id: int, clients: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        chair = self.fields["chair"]
        assert isinstance(chair, forms.ModelChoiceField)
        chair.queryset = staff_annotate(workers, team_id=team_id)
        chair.label_from_instance = staff_label  # type: ignore[assignment,method-assign]
        attendees = self.fields["attendees"]
        assert isinstance(attendees, forms.MultipleChoiceField)
        attendees.choices = [(str(w.pk), w.get_full_name() or w.username) for w in list(workers)]
        choices = self.fields["clients"]
        assert isinstance(choices, forms.MultipleChoiceField)
        choices.choices = clients

    def starts_at(self) -> dt.datetime:
        day, time = self.cleaned_data["date"], self.cleaned_data["time"]
        return timezone.make_aware(dt.datetime.combine(day, time))


def _client_choices(request: AuthenticatedHttpRequest, team: Team, today: dt.date) -> Any:
    """The MDO list first (with its reasons), then the team's other clients in care."""
    rows = ov.mdo_list(user=request.user, team=team, today=today)
    listed = {row.client.pk: row for row in rows}
    others = (
        clients_visible_to(request.user, action=ClientAction.VIEW_CLINICAL, today=today)
        .filter(team=team, episodes__ended_on__isnull=True)
        .exclude(pk__in=list(listed))
        .order_by("last_name", "first_name", "id")
        .distinct()
    )
    choices = [
        (str(pk), f"{row.client.full_name} ({', '.join(row.reasons)})")
        for pk, row in listed.items()
    ] + [(str(c.pk), c.full_name) for c in others]
    reasons = {pk: ", ".join(row.reasons) for pk, row in listed.items()}
    return choices, reasons


def mdo_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan an MDO: date and time, chair, attendees and the clients (MDO list pre-selected).
    One SEARCH event: the form names the team's clients."""
    today = timezone.localdate()
    team, _teams = _mdo_team(request, today)
    workers = team_workers(team_id=team.pk, today=today)
    choices, reasons = _client_choices(request, team, today)
    initial = {
        "date": today,
        "time": dt.time(13, 0),
        "chair": request.user.pk,
        "attendees": [str(w.pk) for w in workers],
        "clients": [str(pk) for pk in reasons],
    }
    data = request.POST if request.method == "POST" else None
    form = MdoMeetingForm(data, workers=workers, team_id=team.pk, clients=choices, initial=initial)
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="clients.client",
        detail=f"MDO plannen team {team.pk}",
    )
    if data is not None and form.is_valid():
        try:
            meeting = mdo_meeting_create(
                actor=request.user,
                team=team,
                starts_at=form.starts_at(),
                chair=form.cleaned_data["chair"],
                attendee_ids=[int(i) for i in form.cleaned_data["attendees"]],
                client_ids=[int(i) for i in form.cleaned_data["clients"]],
                reasons=reasons,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het MDO is gepland."))
            return redirect("caseload:mdo-detail", meeting_id=meeting.pk)
    return render(
        request,
        "caseload/mdo_form.html",
        {"form": form, "team": team},
        status=400 if data is not None else 200,
    )


class MdoItemForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Bespreking"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=gettext_lazy("Besluiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Bij het afsluiten komen de besluiten in het dossier van de cliënt."
        ),
    )
    follow_up_title = forms.CharField(
        label=gettext_lazy("Vervolgactie"), required=False, max_length=200
    )
    follow_up_assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Vervolgactie voor"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Kies een medewerker"),
    )
    follow_up_due_on = forms.DateField(
        label=gettext_lazy("Vervolgactie uiterlijk"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Vul een datum in.")},
    )
    service_field_aliases = {
        "follow_up_0_title": "follow_up_title",
        "follow_up_0_assignee": "follow_up_assignee",
        "follow_up_0_due_on": "follow_up_due_on",
    }

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["follow_up_assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers
        field.label_from_instance = staff_label  # type: ignore[assignment,method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up_title") and not data.get("follow_up_assignee"):
            self.add_error("follow_up_assignee", _("Kies voor wie de vervolgactie is."))
        if data.get("follow_up_assignee") and not data.get("follow_up_title"):
            self.add_error("follow_up_title", _("Beschrijf de vervolgactie."))
        return data

    def follow_ups(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        if not d.get("follow_up_title"):
            return []
        return [
            {
                "title": d["follow_up_title"],
                "assignee": d["follow_up_assignee"],
                "due_on": d.get("follow_up_due_on"),
            }
        ]


def _item_forms(meeting: Any, workers: Any, bound: tuple[int, Any] | None) -> list[Any]:
    rows = []
    for item in meeting.items.all():
        if bound and bound[0] == item.pk:  # the form just sent, with its errors
            rows.append((item, bound[1]))
            continue
        form = MdoItemForm(
            workers=workers,
            prefix=f"item{item.pk}",
            initial={"summary": item.summary, "decisions": item.decisions},
        )
        rows.append((item, form))
    return rows


def _post(request: AuthenticatedHttpRequest, meeting: Any, workers: Any) -> Any:
    """One of the meeting's actions: record a client's discussion, add a client, close.
    Returns a redirect, or the item forms with the errors (bound) and a form-level error."""
    action = request.POST.get("action")
    try:
        if action == "close":
            mdo_meeting_close(actor=request.user, meeting=meeting)
            for item in meeting.items.exclude(decisions=""):
                _audit(request, item.client_id, meeting, AuditEventType.UPDATE, "MDO-besluit")
            messages.success(
                request, _("Het MDO is afgesloten; de besluiten staan in de dossiers.")
            )
        elif action == "add":
            item = mdo_item_add(
                actor=request.user, meeting=meeting, client_id=request.POST.get("client")
            )
            _audit(
                request, item.client_id, meeting, AuditEventType.UPDATE, "MDO: cliënt toegevoegd"
            )
            messages.success(request, _("De cliënt staat op de agenda."))
        else:
            item_id = str(request.POST.get("item") or "")
            item = meeting.items.filter(pk=item_id).first() if item_id.isdigit() else None
            if item is None:
                return None, _("Kies een cliënt op de agenda."), None
            form = MdoItemForm(request.POST, workers=workers, prefix=f"item{item.pk}")
            if not form.is_valid():
                return None, None, (item.pk, form)
            try:
                mdo_item_record(
                    actor=request.user,
                    item=item,
                    summary=form.cleaned_data["summary"],
                    decisions=form.cleaned_data["decisions"],
                    follow_ups=form.follow_ups(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return None, None, (item.pk, form)
            _audit(request, item.client_id, meeting, AuditEventType.UPDATE, "MDO-bespreking")
            messages.success(request, _("De bespreking is opgeslagen."))
    except ValidationError as exc:
        return None, " ".join(exc.messages), None
    url = reverse("caseload:mdo-detail", kwargs={"meeting_id": meeting.pk})
    return redirect(url), None, None


def _audit(
    request: AuthenticatedHttpRequest, client_id: int, meeting: Any, event_type: str, detail: str
) -> None:
    audit_record(
        user=request.user,
        event_type=event_type,
        request=request,
        client_id=client_id,
        obj=meeting,
        detail=detail,
    )


def mdo_detail_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting: per client the reasons, the discussion, decisions and follow-up tasks.
    Reading it is reading each discussed client's data: one READ event per client."""
    today = timezone.localdate()
    meeting = mdo_meeting_get(
        user=request.user, meeting_id=meeting_id, roles=MDO_ROLES, today=today
    )
    workers = staff_annotate(
        team_workers(team_id=meeting.team_id, today=today), team_id=meeting.team_id
    )
    error, bound = None, None
    if request.method == "POST":
        response, error, bound = _post(request, meeting, workers)
        if response is not None:
            return response
        meeting = mdo_meeting_get(user=request.user, meeting_id=meeting_id, roles=MDO_ROLES)
    else:
        for item in meeting.items.all():
            _audit(request, item.client_id, meeting, AuditEventType.READ, "MDO ingezien")
    listed = {item.client_id for item in meeting.items.all()}
    addable = (
        clients_visible_to(request.user, action=ClientAction.VIEW_CLINICAL, today=today)
        .filter(team_id=meeting.team_id, episodes__ended_on__isnull=True)
        .exclude(pk__in=listed)
        .order_by("last_name", "first_name", "id")
        .distinct()
        if not meeting.is_closed
        else []
    )
    return render(
        request,
        "caseload/mdo_detail.html",
        {
            "meeting": meeting,
            "items": _item_forms(meeting, workers, bound),
            "addable": addable,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
