"""Factories for the clients app (synthetic data only; BSNs pass the 11-proef)."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from clients.constants import (
    AssignmentRole,
    FundingStream,
    NaasteRole,
    Phase,
    PortalAccountKind,
    PortalShare,
    ReferralSource,
    ShareScope,
    Urgency,
)
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Consent,
    InvolvedOrganisation,
    Naaste,
    NaasteGrant,
    PortalAccount,
    Referral,
)
from olteams.constants import DataCategory
from tests.factories.names import person_name, surname
from tests.factories.olteams import OrganisationFactory, TeamFactory, UserFactory

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def make_bsn(rng_or_seed: random.Random | int | None = None) -> str:
    """A random nine-digit number that passes the 11-proef (never a real person's BSN
    by construction: the demo and tests only use it as an opaque, valid-looking value)."""
    rng = rng_or_seed if isinstance(rng_or_seed, random.Random) else random.Random(rng_or_seed)
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(7))]
        check = sum(w * d for w, d in zip(_BSN_WEIGHTS, digits, strict=True)) % 11
        if check == 10:  # no single check digit makes this prefix valid
            continue
        number = "".join(map(str, digits)) + str(check)
        if stdnum_bsn.is_valid(number):
            return number


_bsn_rng = random.Random(20191101)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    team = factory.SubFactory(TeamFactory)
    bsn = factory.LazyFunction(lambda: make_bsn(_bsn_rng))
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = surname()
    initials = factory.LazyAttribute(lambda c: f"{c.first_name[:1]}.")
    date_of_birth = dt.date(1980, 5, 17)
    city = "Assen"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    client = factory.SubFactory(ClientFactory)
    worker = factory.SubFactory(UserFactory)
    role = AssignmentRole.BEGELEIDER
    start_date = dt.date(2020, 1, 1)
    end_date = None


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    recipient_organisation = factory.SubFactory(OrganisationFactory)
    recipient_role = ""
    category = DataCategory.GGZ_TREATMENT
    purpose = "Afstemming van zorg en ondersteuning binnen het team"
    given_on = dt.date(2020, 1, 1)
    withdrawn_on = None
    recorded_by = factory.SubFactory(UserFactory)


# --- referrals, episodes, intake, naasten (h4) ------------------------------------------


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    team = factory.SubFactory(TeamFactory)
    client = None
    person_name = factory.LazyFunction(person_name)
    referred_on = dt.date(2020, 1, 6)
    source = ReferralSource.HUISARTS
    referrer_name = "Dr. J. de Vries"
    referrer_organisation = "Huisartsenpraktijk Centrum"
    question = "Ik wil weer grip op mijn leven en rust in mijn hoofd."
    urgency = Urgency.NORMAL
    created_by = factory.SubFactory(UserFactory)


class CareEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareEpisode

    client = factory.SubFactory(ClientFactory)
    referral = None
    phase = Phase.WAITING
    started_on = dt.date(2020, 1, 6)


class NaasteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Naaste

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = "moeder"
    role = NaasteRole.FAMILY
    phone = "06 12345678"
    share_scope = ShareScope.PRACTICAL


class InvolvedOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvolvedOrganisation

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    start_date = dt.date(2020, 1, 1)
    funding_stream = FundingStream.ZVW


class ClientPortalAccountFactory(factory.django.DjangoModelFactory):
    """The client's own portal account (signs in by DigiD with ``Client.bsn``)."""

    class Meta:
        model = PortalAccount

    kind = PortalAccountKind.CLIENT
    client = factory.SubFactory(ClientFactory, bsn=factory.LazyFunction(make_bsn))


class NaastePortalAccountFactory(factory.django.DjangoModelFactory):
    """A naaste's portal account (their own BSN) into the naaste's client's file."""

    class Meta:
        model = PortalAccount

    kind = PortalAccountKind.NAASTE
    naaste = factory.SubFactory(NaasteFactory)
    client = factory.SelfAttribute("naaste.client")
    bsn = factory.LazyFunction(make_bsn)


class NaasteGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NaasteGrant

    naaste = factory.SubFactory(NaasteFactory)
    client = factory.SelfAttribute("naaste.client")
    category = PortalShare.PLAN
    granted_at = factory.LazyFunction(timezone.now)
