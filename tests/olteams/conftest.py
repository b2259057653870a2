"""Fixtures of the backbone tests: one client in the member's team, one in the other team."""

from __future__ import annotations

import pytest

from tests.factories.clients import ClientFactory


@pytest.fixture
def own_client(team, member):
    """A client of ``team``; ``member`` (GGZ casemanager) makes GGZ staff the team."""
    return ClientFactory(team=team, first_name="Anna", last_name="de Vries")


@pytest.fixture
def foreign_client(other_team):
    return ClientFactory(team=other_team, first_name="Bert", last_name="Jansen")
