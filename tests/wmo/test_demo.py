from __future__ import annotations

import datetime as dt
import random

import pytest

from olteams import demo as olteams_demo
from olteams.models import Notification
from wmo import demo
from wmo.models import Indication, IndicationRequest, MunicipalProduct

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def test_demo_has_every_state_overdue_and_ending_indications_and_is_idempotent():
    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    demo.seed(today=TODAY, rng=random.Random(2))
    statuses = set(IndicationRequest.objects.values_list("status", flat=True))
    assert statuses == {
        "concept",
        "ingediend",
        "in_behandeling",
        "toegekend",
        "gewijzigd",
        "afgewezen",
        "ingetrokken",
    }
    assert IndicationRequest.objects.filter(is_overdue=True).count() == 4  # one per team
    ending = Indication.objects.filter(end__gte=TODAY, end__lte=TODAY + dt.timedelta(days=42))
    assert ending.filter(is_temporary=False).count() == 4
    assert ending.filter(is_temporary=True).count() == 4
    assert MunicipalProduct.objects.count() == 5 * 4
    before = (
        IndicationRequest.objects.count(),
        Indication.objects.count(),
        Notification.objects.count(),
    )
    demo.seed(today=TODAY, rng=random.Random(2))
    assert (
        IndicationRequest.objects.count(),
        Indication.objects.count(),
        Notification.objects.count(),
    ) == before
