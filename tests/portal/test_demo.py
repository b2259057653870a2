"""``seed_demo`` adds a demo client and a demo naaste who sign in through the mock DigiD
with the BSNs it prints; the naaste may read the plan only."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from caseload.demo_portal import DEMO_CLIENT_BSN, DEMO_NAASTE_BSN
from clients.constants import PortalShare
from clients.models import PortalAccount
from olteams.access import portal_shares
from olteams.portal import portal_principal
from tests.olteams.test_seed_demo import row_counts, seed_demo
from tests.portal.digid import digid_sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_client_and_naaste_sign_in_with_the_printed_bsns() -> None:
    out = seed_demo()
    assert "/mijn/aanmelden/" in out
    assert f"BSN {DEMO_CLIENT_BSN}" in out and f"BSN {DEMO_NAASTE_BSN}" in out
    client_home = digid_sign_in(HttpClient(), DEMO_CLIENT_BSN)
    client = portal_principal(client_home.wsgi_request)
    assert client is not None and client.is_client
    account = PortalAccount.objects.get(pk=client.account_id)
    assert account.client.plans.filter(status="active").exists()
    naaste_home = digid_sign_in(HttpClient(), DEMO_NAASTE_BSN)
    naaste = portal_principal(naaste_home.wsgi_request)
    assert naaste is not None and not naaste.is_client
    assert naaste.client_id == client.client_id
    assert portal_shares(naaste) == {PortalShare.PLAN}
    counts = row_counts()
    seed_demo()
    assert row_counts() == counts
