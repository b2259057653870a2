"""Factories for the Wmo app (synthetic data only)."""

from __future__ import annotations

import datetime as dt

import factory

from herstelplan.constants import PlanStatus
from herstelplan.models import Goal, Plan
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


def active_plan(
    client,
    user,
    goals=("Ik wil mijn post zelf bijhouden.", "Ik wil weer een dag per week naar buiten."),
):
    """An agreed, active Herstelplan with running goals in the client's words."""
    plan = Plan.objects.create(
        client=client,
        version=1,
        status=PlanStatus.ACTIVE,
        valid_from=dt.date(2026, 1, 1),
        agreed_on=dt.date(2026, 1, 1),
        agreed_how="paper",
        created_by=user,
        updated_by=user,
    )
    return [
        Goal.objects.create(plan=plan, text=text, priority=i)
        for i, text in enumerate(goals, start=1)
    ]
