"""Factories for the organisational backbone (synthetic data only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from olteams.constants import Discipline, OrganisationKind, TeamRole
from olteams.models import (
    ControllerRole,
    Membership,
    Municipality,
    MunicipalityRole,
    Organisation,
    Team,
    User,
)
from tests.factories.names import surname

TEST_PASSWORD = "geheim-wachtwoord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = surname()
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password(TEST_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Zorgorganisatie {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.GGZ


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    # 1000-8999: four digits however long the run, never the fixtures' 9001/9002.
    cbs_code = factory.Sequence(lambda n: f"{1000 + n % 8000:04d}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    address = "Stationsstraat 1"
    postcode = "9401 AB"
    city = "Assen"
    phone = "0592 123 456"

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.municipalities.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    discipline = Discipline.CASEMANAGER
    role = TeamRole.MEMBER
    fte = Decimal("0.80")
    valid_from = dt.date(2020, 1, 1)


class MunicipalityRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalityRole

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    is_lead = False
    valid_from = dt.date(2020, 1, 1)


class ControllerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControllerRole

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def give_backup_code(user: User, code: str = "12345678") -> str:
    """A static OTP token, as the demo users get, so tests can pass the second factor."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    StaticToken.objects.create(device=device, token=code)
    return code
