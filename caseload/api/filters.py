"""Query filters of the caseload list endpoints (GET parameters, shown in the schema)."""

from __future__ import annotations

import django_filters

from caseload.constants import ContactFunding, ContactKind
from caseload.models import Consultation, Contact, NonClientTime


class ContactFilter(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client_id", label="cliënt")
    team = django_filters.NumberFilter(field_name="team_id", label="team")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="vanaf")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="tot en met")
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label="soort")
    funding = django_filters.ChoiceFilter(
        field_name="funding_stream", choices=ContactFunding.choices, label="financiering"
    )

    class Meta:
        model = Contact
        fields = ["client", "team", "date_from", "date_to", "kind", "funding"]


class _TeamPeriodFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", label="team")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="vanaf")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="tot en met")


class NonClientTimeFilter(_TeamPeriodFilter):
    worker = django_filters.NumberFilter(field_name="worker_id", label="medewerker")

    class Meta:
        model = NonClientTime
        fields = ["team", "worker", "date_from", "date_to"]


class ConsultationFilter(_TeamPeriodFilter):
    class Meta:
        model = Consultation
        fields = ["team", "date_from", "date_to"]
