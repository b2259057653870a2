"""WMO323 from delivered care within the indication, per organisation, municipality, month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from finance.constants import TariffKind
from finance.services import wmo323_declaration, wmo323_lines
from tests.factories.clients import ClientFactory
from tests.factories.finance import TariffFactory, contact, indication
from tests.factories.olteams import MembershipFactory
from tests.finance.conftest import MARCH
from wmo import iwmo

pytestmark = pytest.mark.django_db


def test_wmo323_declares_the_counted_hours_and_is_schema_valid(
    team, org_ggz, org_welzijn, municipality
):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    other = MembershipFactory(team=team, organisation=org_welzijn)
    client = ClientFactory(team=team, municipality=municipality)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=Decimal("60.00"))
    granted = indication(
        client, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user, volume=2
    )
    for day, minutes, who in ((9, 120, worker), (10, 60, worker), (17, 60, other)):
        contact(
            client=client,
            team=team,
            date=dt.date(2026, 3, day),
            minutes=minutes,
            workers=[who],
            funding="wmo",
        )
    [line] = wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH)
    # 3 hours delivered in the week of 9 March, 2 granted: 2 hours declared.
    assert (line.volume, line.unit, line.tariff_cents, line.amount_cents) == (2, "04", 6000, 12000)
    assert line.toewijzing_number == granted.toewijzing_number
    xml = wmo323_declaration(
        organisation=org_ggz, municipality=municipality, month=MARCH, today=dt.date(2026, 4, 2)
    )
    root = etree.fromstring(xml)
    assert iwmo.schema_errors(root, "WMO323") == []
    assert root.findtext("{*}Header/{*}Afzender") == "12345678"
    assert (
        root.findtext(f"{{*}}Declaratie/{{*}}TotaalIngediendBedrag/{{{iwmo.NS_BASIS}}}TotaalBedrag")
        == "12000"
    )
    # The welfare organisation has no AGB code configured: a Dutch error, no message.
    with pytest.raises(ValidationError) as exc:
        wmo323_declaration(organisation=org_welzijn, municipality=municipality, month=MARCH)
    assert exc.value.messages == ["Leg eerst de AGB-code van Welzijn Testregio vast."]


def test_nothing_to_declare_without_an_indication(team, org_ggz, municipality):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=Decimal("60.00"))
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 9),
        minutes=60,
        workers=[worker],
        funding="wmo",
    )
    assert wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH) == []
    with pytest.raises(ValidationError) as exc:
        wmo323_declaration(organisation=org_ggz, municipality=municipality, month=MARCH)
    assert exc.value.messages == ["Er is geen geleverde ondersteuning om te declareren."]
