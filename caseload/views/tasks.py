"""Tasks: "Mijn taken" (and the team's tasks for its lead), making a task, completing one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from caseload.constants import TaskState
from caseload.selectors.tasks import task_client_choices, task_get, task_list
from caseload.services.mdo import MDO_ROLES
from caseload.services.tasks import can_manage_task, task_complete, task_create
from olteams.access import team_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, TeamRole
from olteams.forms import DateInput, add_service_errors
from olteams.models import Membership, Team, User
from olteams.pagination import paginate, query_without
from olteams.selectors import staff_annotate, staff_label
from olteams.types import AuthenticatedHttpRequest


def _require_team(request: AuthenticatedHttpRequest) -> list[int]:
    teams = team_ids_for(request.user)
    if not teams:
        raise PermissionDenied
    return teams


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def task_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's tasks (open, overdue or done); a lead also the team's tasks (``?team=``).
    One SEARCH event: the list names clients."""
    _require_team(request)
    today = timezone.localdate()
    state = request.GET.get("status") or TaskState.OPEN
    if state not in TaskState.values:
        state = TaskState.OPEN
    lead_teams = list(
        Team.objects.filter(pk__in=team_ids_for(request.user, roles=(TeamRole.LEAD,)))
    )
    team_id = _int(request.GET.get("team"))
    tasks = task_list(user=request.user, state=state, team_id=team_id, today=today)
    page = paginate(request, tasks)
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="caseload.task",
        detail=f"taken team {team_id}" if team_id else "mijn taken",
    )
    for task in page:
        task.can_manage = can_manage_task(request.user, task, today=today)  # type: ignore[attr-defined]
    return render(
        request,
        "caseload/task_list.html",
        {
            "page": page,
            "state": state,
            "states": TaskState.choices,
            "team_id": team_id,
            "team": next((t for t in lead_teams if t.pk == team_id), None),
            "lead_teams": lead_teams,
            # The MDO's are for the team's clinical roles (not the secretariaat).
            "can_mdo": bool(team_ids_for(request.user, roles=MDO_ROLES)),
            "today": today,
            "query": query_without(request.GET),
            "here": request.get_full_path(),
        },
    )


class TaskForm(forms.Form):
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=None, empty_label=None
    )
    title = forms.CharField(
        label=gettext_lazy("Titel"),
        max_length=200,
        error_messages={"required": gettext_lazy("Geef de taak een titel.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Voor"),
        queryset=None,
        empty_label=gettext_lazy("Kies een medewerker"),
        error_messages={"required": gettext_lazy("Kies een medewerker van het team.")},
    )
    client: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Over cliënt"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Geen cliënt"),
        error_messages={"invalid_choice": gettext_lazy("Kies een cliënt van dit team.")},
        help_text=gettext_lazy(
            "Niet verplicht. Een taak over een cliënt staat ook in het dossier."
        ),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Uiterlijk"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Vul een datum in.")},
    )

    def __init__(self, *args: Any, user: User, team_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        team = self.fields["team"]
        assignee = self.fields["assignee"]
        client = self.fields["client"]
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(assignee, forms.ModelChoiceField)
        assert isinstance(client, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(pk__in=team_ids).order_by("name")
        members = Membership.objects.filter(team_id__in=team_ids, valid_from__lte=today).exclude(
            valid_to__lt=today
        )
        assignee.queryset = staff_annotate(
            User.objects.filter(pk__in=members.values("user_id"), is_active=True),
            team_id=team_ids[0],
        )
        assignee.label_from_instance = staff_label  # type: ignore[assignment,method-assign]
        client.queryset = task_client_choices(user=user, team_ids=team_ids, today=today)
        client.label_from_instance = _client_label  # type: ignore[assignment,method-assign]


def _client_label(client: Any) -> str:
    return str(client.full_name)


def task_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A task for a team member, optionally about a client (``?client=`` from the file)."""
    team_ids = _require_team(request)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"assignee": request.user.pk}
    form = TaskForm(data, user=request.user, team_ids=team_ids, initial=initial)
    client_field = form.fields["client"]
    assert isinstance(client_field, forms.ModelChoiceField)
    choices: Any = client_field.queryset
    preset = choices.filter(pk=_int(request.GET.get("client"))).first()
    if preset is not None:
        form.initial.update({"client": preset.pk, "team": preset.team_id})
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        client_id=preset.pk if preset else None,
        object_type="clients.client",
        detail="taak maken: keuze van cliënten",
    )
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            task = task_create(
                actor=request.user,
                team=d["team"],
                assignee=d["assignee"],
                title=d["title"],
                description=d["description"],
                client=d["client"],
                due_on=d["due_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De taak is gemaakt."))
            if task.client_id:
                return redirect("caseload:client-file", client_id=task.client_id)
            return redirect("caseload:task-list")
    return render(
        request,
        "caseload/task_form.html",
        {"form": form, "preset": preset},
        status=400 if data is not None else 200,
    )


@require_POST
def task_complete_view(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """Complete a task (the assignee, its maker, the team's lead); back to where it was."""
    task = task_get(user=request.user, task_id=task_id)
    task_complete(actor=request.user, task=task)
    audit_record(
        user=request.user,
        event_type=AuditEventType.UPDATE,
        request=request,
        client_id=task.client_id,
        obj=task,
        detail="taak afgerond",
    )
    messages.success(request, _("De taak is afgerond."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("caseload:task-list")
    return redirect(target or reverse("caseload:task-list"))
