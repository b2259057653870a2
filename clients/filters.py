"""FilterSets of the clients app: the browser's filter forms and the API's query parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clients.constants import WAITING_PHASES, Phase, ReferralSource, ReferralStatus, Urgency
from olteams.access import teams_visible_to
from olteams.models import Municipality, Team


def _teams(request) -> QuerySet[Team]:  # type: ignore[no-untyped-def]
    if request is None:
        return Team.objects.none()
    return teams_visible_to(request.user)


def _municipalities(request) -> QuerySet[Municipality]:  # type: ignore[no-untyped-def]
    if request is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(teams__in=teams_visible_to(request.user)).distinct()


class ClientFilter(django_filters.FilterSet):
    """Filters of the client list. ``phase`` works on the annotation of ``client_list``."""

    q = django_filters.CharFilter(
        label=_("Zoeken"),
        method="filter_q",
        help_text=_("Naam, cliëntnummer of volledig BSN."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams, empty_label=_("Alle"))
    phase = django_filters.ChoiceFilter(
        label=_("Fase"), choices=Phase.choices, empty_label=_("Alle")
    )
    waiting = django_filters.BooleanFilter(
        label=_("Wacht op intake"), method="filter_waiting", widget=forms.NullBooleanSelect
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Gemeente"), queryset=_municipalities, empty_label=_("Alle")
    )
    sorteer = django_filters.OrderingFilter(
        label=_("Sorteren"),
        fields=(
            ("last_name", "naam"),
            ("date_of_birth", "geboortedatum"),
            ("phase", "fase"),
            ("team__name", "team"),
            ("created_at", "geregistreerd"),
        ),
        field_labels={
            "last_name": _("Naam"),
            "date_of_birth": _("Geboortedatum"),
            "phase": _("Fase"),
            "team__name": _("Team"),
            "created_at": _("Geregistreerd"),
        },
    )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        compact = "".join(ch for ch in value if ch not in " .-")
        if compact.isdigit() and len(compact) == 9:
            return queryset.filter(bsn=compact)
        if value.isdigit():
            return queryset.filter(pk=int(value))
        condition = Q()
        for part in value.split():
            condition &= Q(last_name__icontains=part) | Q(first_name__icontains=part)
        return queryset.filter(condition)

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        waiting = Q(phase__in=WAITING_PHASES)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


class WaitingListFilter(django_filters.FilterSet):
    urgency = django_filters.ChoiceFilter(
        field_name="referral__urgency",
        label=_("Urgentie"),
        choices=Urgency.choices,
        empty_label=_("Alle"),
    )
    source = django_filters.ChoiceFilter(
        field_name="referral__source",
        label=_("Verwijzer"),
        choices=ReferralSource.choices,
        empty_label=_("Alle"),
    )
    team = django_filters.ModelChoiceFilter(
        field_name="client__team", label=_("Team"), queryset=_teams, empty_label=_("Alle")
    )


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReferralStatus.choices, empty_label=_("Alle")
    )
    source = django_filters.ChoiceFilter(
        label=_("Verwijzer"), choices=ReferralSource.choices, empty_label=_("Alle")
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgentie"), choices=Urgency.choices, empty_label=_("Alle")
    )
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams, empty_label=_("Alle"))
