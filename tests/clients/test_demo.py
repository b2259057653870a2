"""The demo seed: every phase, naasten, consents, valid BSNs; idempotent."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from stdnum.nl import bsn as stdnum_bsn

from clients import demo
from clients.constants import Phase
from clients.models import CareEpisode, Client, Consent, Naaste, Referral
from olteams import demo as olteams_demo

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 3, 2)


def test_seed_fills_every_team_in_every_phase_and_is_idempotent():
    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    demo.seed(today=TODAY, rng=random.Random(2), scale=0.1)
    per_team = {
        slug: Client.objects.filter(team__slug=slug).count()
        for slug in ("assen", "emmen", "de-wolden-hoogeveen", "midden-drenthe")
    }
    assert all(count > 0 for count in per_team.values()), per_team
    phases = set(CareEpisode.objects.values_list("phase", flat=True))
    assert phases == set(Phase.values)
    assert Naaste.objects.exists() and Consent.objects.exists()
    assert Referral.objects.filter(status="nieuw").exists()
    bsns = list(Client.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert bsns and all(stdnum_bsn.is_valid(b) for b in bsns)
    total = Client.objects.count()
    demo.seed(today=TODAY, rng=random.Random(2), scale=0.1)
    assert Client.objects.count() == total
