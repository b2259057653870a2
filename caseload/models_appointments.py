"""Appointments (afspraken): planned contacts with a client, one-off or repeating.

A repeating appointment is an ``AppointmentSeries`` (the rule: every N weeks, until a date or
N times) with one ``Appointment`` row per occurrence, materialised when the series is planned
or changed. Changing "only this one" detaches that occurrence from the rule; changing the
series regenerates its future occurrences that were not logged, cancelled or detached. A past
appointment becomes a contact in one click; the appointment then points at that contact.

Imported by ``caseload.models`` (the app's models module), so Django registers these models
in the caseload app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caseload.constants import (
    MAX_INTERVAL_WEEKS,
    MAX_MINUTES,
    MAX_OCCURRENCES,
    AppointmentPlace,
    AppointmentState,
    ContactKind,
)
from clients.models import Client, Naaste
from olteams.models import Team


class _Planned(models.Model):
    """What a series and each of its occurrences carry."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("begin"))
    duration_minutes = models.PositiveIntegerField(_("duur (minuten)"))
    kind = models.CharField(_("soort contact"), max_length=20, choices=ContactKind.choices)
    place_kind = models.CharField(
        _("plaats"), max_length=20, choices=AppointmentPlace.choices, default=AppointmentPlace.HOME
    )
    place = models.CharField(_("adres of toelichting plaats"), max_length=200, blank=True)
    client_present = models.BooleanField(_("cliënt aanwezig"), default=True)
    note = models.TextField(_("notitie"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppointmentSeries(_Planned):
    """The rule of a (repeating) appointment; a one-off appointment is a series of one."""

    interval_weeks = models.PositiveSmallIntegerField(_("elke zoveel weken"), default=1)
    until = models.DateField(_("herhalen tot en met"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("aantal keer"), null=True, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("medewerkers")
    )
    naasten = models.ManyToManyField(
        Naaste, blank=True, related_name="+", verbose_name=_("naasten")
    )

    class Meta:
        verbose_name = _("afsprakenreeks")
        verbose_name_plural = _("afsprakenreeksen")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1, interval_weeks__lte=MAX_INTERVAL_WEEKS),
                name="appointmentseries_interval_range",
            ),
            # Exactly one end of the rule: a date or a number of times.
            models.CheckConstraint(
                condition=(Q(until__isnull=True) & Q(count__gte=1, count__lte=MAX_OCCURRENCES))
                | (Q(until__isnull=False) & Q(count__isnull=True)),
                name="appointmentseries_one_end",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MINUTES),
                name="appointmentseries_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} elke {self.interval_weeks} weken"

    @property
    def repeats(self) -> bool:
        return self.count != 1


class Appointment(_Planned):
    """One occurrence: a planned contact at one moment, with who will be there."""

    series = models.ForeignKey(
        AppointmentSeries, on_delete=models.PROTECT, related_name="appointments"
    )
    sequence = models.PositiveSmallIntegerField(_("volgnummer in de reeks"))
    # Changed on its own ("alleen deze"): a change of the series leaves it alone.
    detached = models.BooleanField(_("losgekoppeld van de reeks"), default=False)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="appointments", verbose_name=_("medewerkers")
    )
    naasten = models.ManyToManyField(
        Naaste, blank=True, related_name="+", verbose_name=_("naasten")
    )
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentState.choices,
        default=AppointmentState.PLANNED,
    )
    contact = models.OneToOneField(
        "caseload.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name=_("gelogd contact"),
    )
    cancel_reason = models.CharField(_("reden van annuleren"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["client", "starts_at"], name="appointment_client_time"),
            models.Index(fields=["team", "starts_at"], name="appointment_team_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MINUTES),
                name="appointment_duration_range",
            ),
            # Logged exactly when it has its contact; cancelled exactly with a reason.
            models.CheckConstraint(
                condition=Q(state=AppointmentState.LOGGED, contact__isnull=False)
                | (~Q(state=AppointmentState.LOGGED) & Q(contact__isnull=True)),
                name="appointment_logged_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(state=AppointmentState.CANCELLED, cancelled_at__isnull=False)
                & ~Q(cancel_reason="")
                | (~Q(state=AppointmentState.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="appointment_cancel_reason_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d-%m-%Y %H:%M}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_planned(self) -> bool:
        return self.state == AppointmentState.PLANNED


class CalendarFeedToken(models.Model):
    """A worker's private calendar address (iCalendar). Only the SHA-256 of the secret is
    stored: the address is shown once, when it is made; revoking keeps the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agendakoppeling")
        verbose_name_plural = _("agendakoppelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"agendakoppeling {self.user_id}"
