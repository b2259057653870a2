"""FilterSets of the Wmo lists (GET parameters, so a filtered URL can be shared)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from olteams.models import Team
from wmo.constants import PENDING_STATUSES, RequestStatus
from wmo.models import IndicationRequest, MunicipalProduct

OPEN_CHOICE = "open"


class InboxFilter(django_filters.FilterSet):
    """Inbox filters: team, status (default: awaiting a decision) and product."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        empty_label=_("Alle statussen"),
        choices=[
            (OPEN_CHOICE, _("Wacht op besluit")),
            *[c for c in RequestStatus.choices if c[0] != RequestStatus.CONCEPT],
        ],
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("Alle teams")
    )
    product = django_filters.ModelChoiceFilter(
        label=_("Product"),
        queryset=MunicipalProduct.objects.none(),
        empty_label=_("Alle producten"),
    )

    class Meta:
        model = IndicationRequest
        fields = ["status", "team", "product"]

    def __init__(self, data=None, *args, municipality_ids=(), **kwargs):  # type: ignore[no-untyped-def]
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = OPEN_CHOICE
        super().__init__(data, *args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(
            municipalities__in=list(municipality_ids)
        ).distinct()
        self.filters["product"].queryset = MunicipalProduct.objects.filter(
            municipality_id__in=list(municipality_ids)
        ).order_by("code")

    def filter_status(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value == OPEN_CHOICE:
            return queryset.filter(status__in=PENDING_STATUSES)
        return queryset.filter(status=value)


class RequestFilter(django_filters.FilterSet):
    """The team's request list: by status."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RequestStatus.choices, empty_label=_("Alle statussen")
    )

    class Meta:
        model = IndicationRequest
        fields = ["status"]


__all__ = ["InboxFilter", "RequestFilter"]
