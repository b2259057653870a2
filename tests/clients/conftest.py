"""Fixtures of the clients tests: a psychiatrist in the team, a referral, a waiting client."""

from __future__ import annotations

import datetime as dt

import pytest

from clients import services
from clients.constants import ReferralSource, Urgency
from olteams.constants import Discipline
from tests.factories.olteams import MembershipFactory, UserFactory

TODAY = dt.date(2020, 3, 2)
VALID_BSN = "123456782"
OTHER_VALID_BSN = "111222333"


@pytest.fixture
def psychiatrist(team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="psychiater", first_name="Petra", last_name="Bakker"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.PSYCHIATER,
    ).user


@pytest.fixture
def referral(team, member):
    return services.referral_create(
        actor=member,
        team=team,
        referred_on=dt.date(2020, 1, 6),
        source=ReferralSource.HUISARTS,
        person_name="Anna de Boer",
        question="Ik wil weer rust in mijn hoofd.",
        urgency=Urgency.HIGH,
        referrer_name="Dr. Smit",
        referrer_organisation="Praktijk Centrum",
        today=TODAY,
    )


@pytest.fixture
def registered(referral, team, member):
    """Anna, registered from the referral: an episode in phase 'aangemeld'."""
    return services.client_register(
        actor=member,
        team=team,
        referral=referral,
        today=TODAY,
        first_name="Anna",
        name_prefix="de",
        last_name="Boer",
        date_of_birth=dt.date(1985, 4, 12),
        bsn=VALID_BSN,
    )


@pytest.fixture
def waiting(registered, referral, lead):
    services.referral_decide(
        actor=lead,
        referral=referral,
        kind="wachtlijst",
        now=dt.datetime(2020, 1, 8, 10, tzinfo=dt.UTC),
    )
    return registered.episodes.get()


@pytest.fixture
def in_care(waiting, member, psychiatrist):
    intake = services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(10, 30),
        location="Teamkantoor",
        workers=[member, psychiatrist],
        today=dt.date(2020, 1, 10),
    )
    services.intake_complete(
        actor=member,
        intake=intake,
        completed_on=dt.date(2020, 1, 20),
        outcome_notes="Hulpvraag besproken.",
        casemanager=member,
        regiebehandelaar=psychiatrist,
        now=dt.datetime(2020, 1, 20, 12, tzinfo=dt.UTC),
    )
    waiting.refresh_from_db()
    return waiting
