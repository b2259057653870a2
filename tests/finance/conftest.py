"""Finance fixtures: a small, fully known team month (see ``build_team_month``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.finance import TeamMonth, build_team_month

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def team_month(team, org_ggz, municipality) -> TeamMonth:
    """Team Noord in March 2026 with the work and tariffs ``build_team_month`` documents."""
    return build_team_month(team=team, month=MARCH, organisation=org_ggz, municipality=municipality)


@pytest.fixture
def other_team_month(other_team, org_ggz, other_municipality) -> TeamMonth:
    return build_team_month(
        team=other_team, month=MARCH, organisation=org_ggz, municipality=other_municipality
    )


# The small test months register far fewer hours than their formation: a close needs a reason.
TEST_REASON = "Testmaand: weinig uren geregistreerd"
