"""Factories for the caseload app (synthetic data only). Rows are built directly, without
the services' rules, for tests that need data in place; use the services to test rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from caseload.constants import (
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    IntensityLevel,
    NonClientCode,
    NonClientTarget,
)
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from olteams.constants import DataCategory, Discipline
from tests.factories.clients import ClientFactory
from tests.factories.olteams import OrganisationFactory, TeamFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    team = factory.LazyAttribute(lambda c: c.client.team)
    starts_at = dt.datetime(2026, 2, 2, 10, 0, tzinfo=AMSTERDAM)
    date = factory.LazyAttribute(lambda c: c.starts_at.astimezone(AMSTERDAM).date())
    duration_minutes = 45
    kind = ContactKind.HOME
    note = "Samen de post doorgenomen."
    note_category = DataCategory.GGZ_TREATMENT
    funding_stream = ContactFunding.ZVW
    funding_proposed = ContactFunding.ZVW
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def presence(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """The author is present (from ``organisation`` if given, else a new one)."""
        if create:
            ContactWorker.objects.create(
                contact=self,
                worker=self.author,
                organisation=kwargs.get("organisation") or OrganisationFactory(),
                discipline=kwargs.get("discipline", Discipline.CASEMANAGER),
            )


class NonClientTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonClientTime

    worker = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    discipline = Discipline.CASEMANAGER
    date = dt.date(2026, 2, 2)
    minutes = 60
    code = NonClientCode.COLLABORATION
    target = NonClientTarget.HUISARTS
    created_by = factory.LazyAttribute(lambda o: o.worker)


class IntensityChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntensityChange

    client = factory.SubFactory(ClientFactory)
    team = factory.LazyAttribute(lambda o: o.client.team)
    date = dt.date(2026, 1, 5)
    level = IntensityLevel.REGULAR
    reason = "Wekelijks contact nodig na verhuizing."
    by = factory.SubFactory(UserFactory)


class CrisisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crisis

    client = factory.SubFactory(ClientFactory)
    team = factory.LazyAttribute(lambda o: o.client.team)
    started_on = dt.date(2026, 2, 1)
    setting = CrisisSetting.NONE
    reason = "Ernstige onrust thuis."
    by = factory.SubFactory(UserFactory)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    team = factory.SubFactory(TeamFactory)
    worker = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    discipline = Discipline.CASEMANAGER
    date = dt.date(2026, 2, 2)
    requester_kind = ConsultationRequester.GP
    about = "man, 40 jaar"
    minutes = 30
