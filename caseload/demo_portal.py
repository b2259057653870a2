"""Demo logins for the portal (/mijn/): a demo client and a demo naaste who sign in through
the mock DigiD with the synthetic BSNs below (both pass the 11-proef; never a real person's).

The demo client is the demo casemanager's (``demo.teamlid``) first client in care with an
active Herstelplan; the demo naaste is one of that client's naasten, with a grant for the
plan only. Idempotent: a second run finds what the first made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from clients.constants import AssignmentRole, NaasteRole, PortalAccountKind, PortalShare, ShareScope
from clients.models import Client, Naaste, NaasteGrant, PortalAccount
from herstelplan.constants import PlanStatus

DEMO_CLIENT_BSN = "999993653"
DEMO_NAASTE_BSN = "999990019"
DEMO_CASEMANAGER = "demo.teamlid"


def _demo_client(today: dt.date) -> Any:
    already = Client.objects.filter(bsn=DEMO_CLIENT_BSN).first()
    if already is not None:
        return already
    in_care = (
        Client.objects.filter(merged_into__isnull=True, team__slug="assen")
        .filter(episodes__ended_on__isnull=True)
        .distinct()
        .order_by("pk")
    )
    with_plan = in_care.filter(plans__status=PlanStatus.ACTIVE)
    own = with_plan.filter(
        assignments__worker__username=DEMO_CASEMANAGER,
        assignments__role=AssignmentRole.CASEMANAGER,
    ).filter(Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=today))
    return own.first() or with_plan.first() or in_care.first()


def seed_portal(*, today: dt.date) -> Client | None:
    """The demo client's and the demo naaste's portal accounts (see the module doc)."""
    client = _demo_client(today)
    if client is None:
        return None
    if client.bsn != DEMO_CLIENT_BSN:
        client.bsn = DEMO_CLIENT_BSN
        client.save(update_fields=["bsn"])
    PortalAccount.objects.get_or_create(kind=PortalAccountKind.CLIENT, client=client)
    naaste = Naaste.objects.filter(client=client, ended_on__isnull=True).order_by(
        "pk"
    ).first() or Naaste.objects.create(
        client=client,
        name="Demo Naaste",
        relation="zus",
        role=NaasteRole.FAMILY,
        share_scope=ShareScope.PRACTICAL,
    )
    account = PortalAccount.objects.filter(
        kind=PortalAccountKind.NAASTE, bsn=DEMO_NAASTE_BSN
    ).first()
    account_naaste: Any
    if account is None:
        PortalAccount.objects.create(
            kind=PortalAccountKind.NAASTE, client=client, naaste=naaste, bsn=DEMO_NAASTE_BSN
        )
        account_naaste = naaste
    else:
        account_naaste = account.naaste
    if not NaasteGrant.objects.filter(
        naaste=account_naaste, category=PortalShare.PLAN, withdrawn_at__isnull=True
    ).exists():
        NaasteGrant.objects.create(
            client=client,
            naaste=account_naaste,
            category=PortalShare.PLAN,
            granted_at=timezone.now(),
        )
    return client
