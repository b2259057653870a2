"""Selectors and the consent rule of the access policy, both directions."""

from __future__ import annotations

import datetime as dt

import pytest

from clients import services
from clients.selectors import client_list, clients_without_funding, waiting_list
from olteams.access import categories_visible_to
from olteams.constants import ConsentPurpose, DataCategory
from tests.factories.clients import (
    CareEpisodeFactory,
    ClientFactory,
    InvolvedOrganisationFactory,
    ReferralFactory,
)
from tests.factories.olteams import MunicipalityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 3, 2)


def test_waiting_list_longest_waiting_first_and_only_waiting(team, member):
    late = ClientFactory(team=team, last_name="Laat")
    early = ClientFactory(team=team, last_name="Vroeg")
    in_care = ClientFactory(team=team, last_name="Zorg")
    CareEpisodeFactory(
        client=late,
        referral=ReferralFactory(team=team, client=late, referred_on=dt.date(2020, 2, 1)),
    )
    CareEpisodeFactory(
        client=early,
        referral=ReferralFactory(team=team, client=early, referred_on=dt.date(2020, 1, 2)),
    )
    CareEpisodeFactory(client=in_care, phase="in_zorg")
    rows = list(waiting_list(user=member, today=TODAY))
    assert [e.client.last_name for e in rows] == ["Vroeg", "Laat"]
    assert rows[0].waiting_since == dt.date(2020, 1, 2)


def test_waiting_list_not_for_other_team(team, outsider):
    CareEpisodeFactory(client=ClientFactory(team=team))
    assert list(waiting_list(user=outsider, today=TODAY)) == []


def test_clients_without_funding(team, lead, org_ggz):
    unfunded = ClientFactory(team=team, last_name="Zonder")
    funded = ClientFactory(team=team, last_name="Met")
    only_none = ClientFactory(team=team, last_name="Geen")
    waiting = ClientFactory(team=team, last_name="Wacht")
    for c in (unfunded, funded, only_none):
        CareEpisodeFactory(client=c, phase="in_zorg")
    CareEpisodeFactory(client=waiting)
    InvolvedOrganisationFactory(client=funded, organisation=org_ggz, funding_stream="wmo")
    InvolvedOrganisationFactory(client=only_none, organisation=org_ggz, funding_stream="geen")
    InvolvedOrganisationFactory(
        client=unfunded, organisation=org_ggz, funding_stream="zvw", end_date=dt.date(2020, 2, 1)
    )
    names = sorted(c.last_name for c in clients_without_funding(user=lead, today=TODAY))
    assert names == ["Geen", "Zonder"]


def test_client_list_annotates_phase_and_casemanager(in_care, member):
    row = client_list(user=member).get(pk=in_care.client_id)
    assert row.phase == "in_zorg"
    assert row.casemanager_name == member.get_full_name()


def test_merged_records_are_not_listed(registered, lead, member, team):
    other = ClientFactory(team=team, bsn=None)
    services.client_merge(actor=lead, survivor=registered, merged=other)
    assert list(client_list(user=member).values_list("pk", flat=True)) == [registered.pk]


def test_welfare_staff_see_treatment_only_with_consent(
    registered, welfare_member, member, org_welzijn
):
    assert categories_visible_to(welfare_member, registered, today=TODAY) == frozenset(
        {DataCategory.WMO_SUPPORT, DataCategory.WELFARE}
    )
    consent = services.consent_give(
        actor=member,
        client=registered,
        category=DataCategory.GGZ_TREATMENT,
        purpose="Afstemming",
        given_on=dt.date(2020, 2, 1),
        recipient_organisation=org_welzijn,
        today=TODAY,
    )
    assert DataCategory.GGZ_TREATMENT in categories_visible_to(
        welfare_member, registered, today=TODAY
    )
    assert DataCategory.ADDICTION_TREATMENT not in categories_visible_to(
        welfare_member, registered, today=TODAY
    )
    services.consent_withdraw(
        actor=member, consent=consent, withdrawn_on=dt.date(2020, 2, 20), today=TODAY
    )
    assert DataCategory.GGZ_TREATMENT not in categories_visible_to(
        welfare_member, registered, today=TODAY
    )
    # Consent recorded for the Wmo request is no consent for care in the team.
    services.consent_give(
        actor=member,
        client=registered,
        category=DataCategory.ADDICTION_TREATMENT,
        purpose_kind=ConsentPurpose.WMO_REQUEST,
        purpose="Wmo-aanvraag",
        given_on=dt.date(2020, 2, 1),
        recipient_organisation=org_welzijn,
        recipient_municipality=registered.municipality or MunicipalityFactory(),
        today=TODAY,
    )
    assert DataCategory.ADDICTION_TREATMENT not in categories_visible_to(
        welfare_member, registered, today=TODAY
    )
    # Treatment staff see everything without consent.
    assert categories_visible_to(member, registered, today=TODAY) == frozenset(DataCategory.values)
