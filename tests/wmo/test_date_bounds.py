"""Plausible dates (issue 14): a Wmo request starting in 1899 or 2100 is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from wmo.models import IndicationRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start", [dt.date(1899, 12, 31), dt.date(2100, 1, 1)])
def test_a_wmo_start_in_1899_or_2100_is_a_400_and_nothing_is_stored(
    member, wmo_client, request_data, product, login, start
):
    # A product valid since long ago (stored past the check), so only the date bound refuses.
    type(product).objects.filter(pk=product.pk).update(start=dt.date(1800, 1, 1))
    data = request_data | {"start": start.isoformat(), "end": None}
    response = login(member).post(
        f"/api/v1/wmo/clienten/{wmo_client.pk}/aanvragen/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["start"]
    assert IndicationRequest.objects.count() == 0
