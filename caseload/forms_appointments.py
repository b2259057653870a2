"""Browser input of the appointment pages: a date with a begin and an end time, who will be
there, where, and how it repeats. ``caseload.services.appointments`` holds the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.constants import (
    APPOINTMENT_KINDS,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    AppointmentPlace,
    AppointmentScope,
    ContactKind,
)
from caseload.services.appointments import Recurrence
from olteams.forms import DateInput, TimeInput
from olteams.staff import StaffMultipleChoiceField, staff_field
from olteams.types import model_choice_field

ONCE, UNTIL, TIMES = "eenmalig", "tot", "aantal"
REPEAT_CHOICES = [
    (ONCE, _("Niet herhalen")),
    (UNTIL, _("Herhalen tot en met een datum")),
    (TIMES, _("Herhalen een aantal keer")),
]
SCOPE_HELP = _(
    "Bij 'deze en volgende' en 'hele reeks' gelden ook de herhaling en de andere velden voor "
    "de reeks; gelogde, geannuleerde en los gewijzigde afspraken blijven zoals ze zijn."
)


class AppointmentForm(forms.Form):
    # The service's arguments typed here under other names.
    service_field_aliases = {"starts_at": "date", "duration_minutes": "end_time"}

    scope = forms.ChoiceField(
        label=_("Wat wilt u wijzigen?"),
        choices=AppointmentScope.choices,
        initial=AppointmentScope.ONE,
        widget=forms.RadioSelect,
        help_text=SCOPE_HELP,
    )
    date = forms.DateField(
        label=_("Datum"), widget=DateInput(attrs={"autofocus": True, "required": True})
    )
    start_time = forms.TimeField(label=_("Begintijd"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Eindtijd"), widget=TimeInput())
    kind = forms.ChoiceField(
        label=_("Soort contact"),
        choices=[(k.value, k.label) for k in ContactKind if k in APPOINTMENT_KINDS],
    )
    place_kind = forms.ChoiceField(label=_("Plaats"), choices=AppointmentPlace.choices)
    place = forms.CharField(
        label=_("Adres of toelichting plaats"),
        max_length=200,
        required=False,
        help_text=_("Verplicht bij 'Elders'. Staat nooit in de agendakoppeling."),
    )
    workers = StaffMultipleChoiceField(
        label=_("Medewerkers"),
        required=False,
        help_text=_("Van het team van de cliënt of aan de cliënt toegewezen."),
    )
    client_present = forms.BooleanField(label=_("Cliënt is erbij"), required=False, initial=True)
    naasten: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Naasten die erbij zijn"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Alleen te zien voor wie de cliënt mag zien."),
    )
    repeat = forms.ChoiceField(
        label=_("Herhaling"), choices=REPEAT_CHOICES, initial=ONCE, widget=forms.RadioSelect
    )
    interval_weeks = forms.IntegerField(
        label=_("Elke zoveel weken"),
        initial=1,
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_WEEKS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("1 is elke week, 2 is om de week."),
    )
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    count = forms.IntegerField(
        label=_("Aantal keer"),
        required=False,
        min_value=1,
        max_value=MAX_OCCURRENCES,
        error_messages={
            "max_value": _("Een reeks heeft hoogstens %(max)s afspraken.")
            % {"max": MAX_OCCURRENCES}
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Het totaal van de reeks, de eerste afspraak meegeteld."),
    )

    def __init__(
        self, *args: Any, workers: Any, naasten: Any, with_scope: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        staff_field(self, "workers").configure(workers)
        model_choice_field(self, "naasten").queryset = naasten
        if not with_scope:
            del self.fields["scope"]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        repeat = data.get("repeat")
        if repeat == UNTIL and not data.get("until") and "until" not in self.errors:
            self.add_error("until", _("Vul de datum in tot wanneer de afspraak herhaalt."))
        if repeat == TIMES and not data.get("count") and "count" not in self.errors:
            self.add_error("count", _("Vul in hoe vaak de afspraak plaatsvindt."))
        weeks_missing = not data.get("interval_weeks") and "interval_weeks" not in self.errors
        if repeat in (UNTIL, TIMES) and weeks_missing:
            self.add_error("interval_weeks", _("Vul in om de hoeveel weken."))
        return data

    def recurrence(self) -> Recurrence:
        data = self.cleaned_data
        if data["repeat"] == UNTIL:
            return Recurrence(data["interval_weeks"], data["until"], None)
        if data["repeat"] == TIMES:
            return Recurrence(data["interval_weeks"], None, data["count"])
        return Recurrence(1, None, 1)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["date"], data["start_time"]))
        ends_at = timezone.make_aware(dt.datetime.combine(data["date"], data["end_time"]))
        return {
            "starts_at": starts_at,
            "duration_minutes": int((ends_at - starts_at).total_seconds() // 60),
            "kind": data["kind"],
            "place_kind": data["place_kind"],
            "place": data["place"],
            "workers": list(data["workers"]),
            "naasten": list(data["naasten"]),
            "client_present": data["client_present"],
            "note": data["note"],
            "recurrence": self.recurrence(),
        }


def appointment_initial(appointment: Any) -> dict[str, Any]:
    """The edit form's values: the occurrence, and the rule of its series."""
    local = timezone.localtime(appointment.starts_at)
    series = appointment.series
    repeat = ONCE if not series.repeats else (UNTIL if series.until else TIMES)
    return {
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "end_time": timezone.localtime(appointment.ends_at).time().replace(second=0),
        "kind": appointment.kind,
        "place_kind": appointment.place_kind,
        "place": appointment.place,
        "workers": [w.pk for w in appointment.workers.all()],
        "naasten": [n.pk for n in appointment.naasten.all()],
        "client_present": appointment.client_present,
        "note": appointment.note,
        "repeat": repeat,
        "interval_weeks": series.interval_weeks,
        "until": series.until,
        "count": series.count if series.repeats else None,
    }


class AppointmentCancelForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Wat wilt u annuleren?"),
        choices=[
            (AppointmentScope.ONE.value, AppointmentScope.ONE.label),
            (AppointmentScope.FOLLOWING.value, AppointmentScope.FOLLOWING.label),
        ],
        initial=AppointmentScope.ONE,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_("Bijvoorbeeld: cliënt afgemeld wegens ziekte. De reden blijft bewaard."),
    )

    def __init__(self, *args: Any, with_scope: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_scope:
            del self.fields["scope"]
