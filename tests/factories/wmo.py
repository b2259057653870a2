"""Factories for the Wmo app (synthetic data only)."""

from __future__ import annotations

import datetime as dt

import factory

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


__all__ = ["CATEGORY_NAMES", "MunicipalProductFactory", "active_plan", "category"]
