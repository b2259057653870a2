"""The team lead's pages: team overview, bulk reassignment, and the list exports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.constants import CASELOAD_NORM_PER_FTE
from caseload.exports import (
    EXPORT_FORMATS,
    EXPORT_KINDS,
    caseload_rows,
    export_response,
    hours_rows,
    mdo_rows,
    worker_load_rows,
)
from caseload.selectors import overviews as ov
from caseload.selectors.pages import my_caseload_rows
from caseload.services.reassign import assignments_reassign
from clients.selectors import team_workers
from olteams.access import ClientAction, can_export, clients_visible_to, team_ids_for
from olteams.audit import audit_record
from olteams.charts import Series, bar_chart, line_chart
from olteams.constants import AuditEventType, TeamRole
from olteams.forms import DateInput, add_service_errors
from olteams.selectors import staff_annotate, staff_label
from olteams.types import AuthenticatedHttpRequest


def _search_event(
    request: AuthenticatedHttpRequest, detail: str, client_ids: list[int] | None = None
) -> None:
    """One SEARCH event; ``client_ids`` names the clients the page listed (NEN 7513)."""
    audit_record(
        user=request.user,
        event_type=AuditEventType.SEARCH,
        request=request,
        object_type="clients.client",
        detail=detail,
        client_ids=client_ids,
    )


def _month_label(day: dt.date) -> str:
    # Chart axes and the month picker: "nov 2026" (lower case, as Dutch writes months).
    return date_format(day, "b Y")


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _charts(
    loads: list[ov.WorkerLoad],
    shared: list[tuple[str, int]],
    flows: list[ov.MonthFlow],
    sources: list[tuple[str, int]],
    totals: list[tuple[Any, ...]],
) -> dict[str, Any]:
    norm_loads = [w for w in loads if w.norm_applies]
    return {
        "load_chart": bar_chart(
            title=_("Cliënten per FTE"),
            description=_("Cliënten per FTE per casemanager, naast de norm van %(n)s per FTE.")
            % {"n": CASELOAD_NORM_PER_FTE},
            labels=[_name(w.worker) for w in norm_loads],
            series=[
                Series(_("Cliënten per FTE"), [w.per_fte for w in norm_loads]),
                Series(_("Norm"), [CASELOAD_NORM_PER_FTE for _w in norm_loads]),
            ],
            uid="caseload",
        ),
        "shared_chart": bar_chart(
            title=_("Gedeelde caseload"),
            description=_("Aantal cliënten per combinatie van betrokken organisaties."),
            labels=[label for label, _n in shared],
            series=[Series(_("Cliënten"), [n for _l, n in shared])],
            uid="gedeeld",
        ),
        "flow_chart": bar_chart(
            title=_("Instroom en uitstroom"),
            description=_("Cliënten die in zorg kwamen en die uitstroomden, per maand."),
            labels=[_month_label(f.month) for f in flows],
            series=[
                Series(_("Instroom"), [f.inflow for f in flows]),
                Series(_("Uitstroom"), [f.outflow for f in flows]),
            ],
            uid="stroom",
        ),
        "source_chart": bar_chart(
            title=_("Aanmeldingen per verwijzer"),
            description=_("Aanmeldingen van de afgelopen 12 maanden per soort verwijzer."),
            labels=[label for label, _n in sources],
            series=[Series(_("Aanmeldingen"), [n for _l, n in sources])],
            uid="verwijzers",
        ),
        "hours_chart": line_chart(
            title=_("Uren van het team"),
            description=_("Directe, indirecte en onbetaalde uren van het team per maand."),
            labels=[_month_label(m) for m, *_rest in totals],
            series=[
                Series(_("Direct"), [d for _m, d, _i, _u in totals]),
                Series(_("Indirect"), [i for _m, _d, i, _u in totals]),
                Series(_("Onbetaald"), [u for _m, _d, _i, u in totals]),
            ],
            uid="uren",
        ),
    }


def _hours_tables(
    hours: list[ov.WorkerMonthHours], months: list[dt.date], chosen: dt.date
) -> tuple[list[ov.WorkerMonthHours], list[tuple[Any, ...]]]:
    per_month: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for h in hours:
        cell = per_month[h.month]
        cell[0] += h.direct_minutes
        cell[1] += h.indirect_minutes
        cell[2] += h.unpaid_minutes
    totals = [(m, *(ov.minutes_to_hours(minutes) for minutes in per_month[m])) for m in months]
    return [h for h in hours if h.month == chosen], totals


def team_overview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Waiting list, caseload per worker, shared caseload, flows, referrals, hours and the
    MDO list of one team (lead and secretariaat). One SEARCH event: the MDO list names
    clients."""
    today = timezone.localdate()
    teams = list(ov.overview_teams(user=request.user, today=today))
    if not teams:
        raise PermissionDenied
    team = ov.overview_team_get(user=request.user, team_id=request.GET.get("team"), today=today)
    months = ov.month_starts(today)
    chosen = _chosen_month(request.GET.get("maand"), months)
    loads = ov.caseload_per_worker(team=team, today=today)
    shared = ov.shared_caseload(team=team, today=today)
    flows = ov.inflow_outflow(team=team, today=today)
    sources = ov.referrals_per_source(team=team, today=today)
    hours = ov.hours_per_worker_month(team=team, today=today)
    month_hours, totals = _hours_tables(hours, months, chosen)
    mdo = ov.mdo_list(user=request.user, team=team, today=today)
    _search_event(request, f"teamoverzicht {team.pk}", [row.client.pk for row in mdo])
    context = {
        "team": team,
        "teams": teams,
        "today": today,
        "waiting": ov.waiting_summary(user=request.user, team=team, today=today),
        "loads": loads,
        "norm": CASELOAD_NORM_PER_FTE,
        "shared": shared,
        "flows": flows,
        "sources": sources,
        "months": [(m.strftime("%Y-%m"), _month_label(m)) for m in months],
        "chosen_month": chosen.strftime("%Y-%m"),
        "chosen_label": _month_label(chosen),
        "month_hours": month_hours,
        "mdo": mdo,
        "is_lead": team.pk in team_ids_for(request.user, roles=(TeamRole.LEAD,)),
        "can_export": can_export(request.user),
        "export_formats": EXPORT_FORMATS,
        **_charts(loads, shared, flows, sources, totals),
    }
    return render(request, "caseload/team_overview.html", context)


def _chosen_month(value: str | None, months: list[dt.date]) -> dt.date:
    by_key = {m.strftime("%Y-%m"): m for m in months}
    return by_key.get(value or "", months[-1])


# --- bulk reassignment --------------------------------------------------------------------


class ReassignForm(forms.Form):
    from_worker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Van medewerker"),
        queryset=None,
        empty_label=gettext_lazy("Kies een medewerker"),
    )
    to_worker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Naar medewerker"),
        queryset=None,
        empty_label=gettext_lazy("Kies een medewerker"),
    )
    clients = forms.MultipleChoiceField(
        label=gettext_lazy("Cliënten"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies ten minste één cliënt.")},
    )
    on = forms.DateField(
        label=gettext_lazy("Per"),
        widget=DateInput(),
        help_text=gettext_lazy("De huidige medewerker stopt de dag ervoor."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Vul de reden van de overdracht in.")},
    )

    def __init__(
        self,
        *args: Any,
        workers: Any,
        team_id: int | None = None,
        assignments: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_worker", "to_worker"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = staff_annotate(workers, team_id=team_id)
            field.label_from_instance = staff_label  # type: ignore[assignment,method-assign]
        clients = self.fields["clients"]
        assert isinstance(clients, forms.MultipleChoiceField)
        seen: dict[int, str] = {}
        for a in assignments or []:
            label = f"{a.client.full_name} ({a.get_role_display().lower()})"
            seen[a.client_id] = (
                f"{seen[a.client_id]}, {a.get_role_display().lower()}"
                if (a.client_id in seen)
                else label
            )
        clients.choices = [(str(pk), label) for pk, label in seen.items()]


def reassign_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lead only: move clients of one worker to another, with a date and a reason."""
    today = timezone.localdate()
    team = ov.overview_team_get(
        user=request.user, team_id=request.GET.get("team"), roles=(TeamRole.LEAD,), today=today
    )
    workers = team_workers(team_id=team.pk, today=today)
    data = request.POST if request.method == "POST" else None
    from_id = str((data or request.GET).get("from_worker") or "")
    from_worker = workers.filter(pk=from_id).first() if from_id.isdigit() else None
    assignments = (
        list(ov.team_worker_assignments(team=team, worker=from_worker, today=today))
        if from_worker
        else []
    )
    initial = {"on": today, "from_worker": from_worker}
    form = ReassignForm(
        data, workers=workers, team_id=team.pk, assignments=assignments, initial=initial
    )
    if data is not None and form.is_valid():
        try:
            record = assignments_reassign(
                actor=request.user,
                team=team,
                from_worker=form.cleaned_data["from_worker"],
                to_worker=form.cleaned_data["to_worker"],
                client_ids=form.cleaned_data["clients"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(n)s cliënten zijn overgedragen aan %(name)s.")
                % {"n": record.clients.count(), "name": _name(record.to_worker)},
            )
            return redirect(f"{reverse('caseload:team-overview')}?team={team.pk}")
    if from_worker is not None:
        _search_event(
            request,
            f"overdracht: cliënten van medewerker {from_worker.pk}",
            [a.client_id for a in assignments],
        )
    return render(
        request,
        "caseload/reassign_form.html",
        {"form": form, "team": team, "from_worker": from_worker, "assignments": assignments},
        status=400 if data is not None else 200,
    )


# --- exports ------------------------------------------------------------------------------


def export_view(
    request: AuthenticatedHttpRequest, kind: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """CSV/XLSX of a caseload list, for users with the export permission; one EXPORT event."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404
    if not can_export(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    if kind == "mijn-caseload":
        # Only the clients the user may export (lead/secretariaat of the client's team).
        mine = my_caseload_rows(user=request.user, today=today)
        exportable = set(
            clients_visible_to(request.user, action=ClientAction.EXPORT, today=today)
            .filter(pk__in=[row.client.pk for row in mine])
            .values_list("pk", flat=True)
        )
        rows: Any = caseload_rows([row for row in mine if row.client.pk in exportable])
        detail = "mijn caseload"
        shown: list[int] | None = [row.client.pk for row in mine if row.client.pk in exportable]
    else:
        team = ov.overview_team_get(user=request.user, team_id=request.GET.get("team"), today=today)
        detail = f"{kind} team {team.pk}"
        shown = None  # the worker and hour lists name no client
        if kind == "caseload-per-medewerker":
            rows = worker_load_rows(ov.caseload_per_worker(team=team, today=today))
        elif kind == "mdo":
            mdo = ov.mdo_list(user=request.user, team=team, today=today)
            shown = [row.client.pk for row in mdo]
            rows = mdo_rows(mdo, today)
        else:
            rows = hours_rows(ov.hours_per_worker_month(team=team, today=today))
    audit_record(
        user=request.user,
        event_type=AuditEventType.EXPORT,
        request=request,
        object_type="clients.client",
        detail=f"{detail} ({fmt})",
        client_ids=shown,
    )
    return export_response(rows, fmt=fmt, filename=kind)
