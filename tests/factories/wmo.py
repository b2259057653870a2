"""Factories for the Wmo app (synthetic data only)."""

from __future__ import annotations

import datetime as dt

import factory

from clients.models import Consent
from olteams.constants import RECORD_KIND_CATEGORY, WMO_REQUEST_RECORD_KINDS, ConsentPurpose
from tests.factories.clients import ConsentFactory
from tests.factories.herstelplan import active_plan
from tests.factories.olteams import MunicipalityFactory
from wmo.models import MunicipalProduct, ProductCategory

CATEGORY_NAMES = {"02": "Begeleiding", "07": "Dagbesteding", "15": "Beschermd wonen"}


def category(code: str) -> ProductCategory:
    """The migration loads these; a transactional test's flush may have removed them."""
    return ProductCategory.objects.get_or_create(
        code=code, defaults={"name": CATEGORY_NAMES[code]}
    )[0]


class MunicipalProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalProduct
        django_get_or_create = ("municipality", "code")

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"02B{n % 100:02d}")
    name = "Begeleiding individueel"
    category = factory.LazyFunction(lambda: category("02"))
    unit = "04"
    start = dt.date(2020, 1, 1)


def wmo_consent(
    client, municipality=None, *, given_on: dt.date = dt.date(2020, 1, 1), recorded_by=None
) -> list[Consent]:
    """The client's consent to send a Wmo request's goals and ZRM to the municipality (the
    client's own by default), for the purpose of the Wmo request: what a submit needs."""
    extra = {} if recorded_by is None else {"recorded_by": recorded_by}
    return [
        ConsentFactory(
            client=client,
            recipient_organisation=None,
            recipient_municipality=municipality or client.municipality,
            category=category_,
            purpose_kind=ConsentPurpose.WMO_REQUEST,
            purpose="Wmo-aanvraag begeleiding",
            given_on=given_on,
            **extra,
        )
        for category_ in sorted({RECORD_KIND_CATEGORY[k] for k in WMO_REQUEST_RECORD_KINDS})
    ]


__all__ = [
    "CATEGORY_NAMES",
    "MunicipalProductFactory",
    "active_plan",
    "category",
    "indication_request",
    "wmo_consent",
]


def indication_request(
    client,
    municipality,
    *,
    requested_by,
    status: str = "ingediend",
    reference: str | None = None,
):
    """A Wmo request of the client at the municipality in ``status``; one that left the
    team (any status but a concept) carries its submission and the two-week deadline."""
    from wmo.models import IndicationRequest

    submitted = (
        {}
        if status == "concept"
        else {
            "submitted_at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
            "submitted_on": dt.date(2026, 3, 2),
            "deadline": dt.date(2026, 3, 16),
        }
    )
    return IndicationRequest.objects.create(
        client=client,
        team=client.team,
        municipality=municipality,
        requested_by=requested_by,
        status=status,
        product=MunicipalProductFactory(municipality=municipality),
        volume=2,
        unit="04",
        frequency="2",
        start=dt.date(2026, 3, 1),
        motivation="Ondersteuning bij de administratie.",
        reference=reference or f"W{client.pk}-{municipality.pk}-{status[:3]}",
        **submitted,
    )
