"""Fixtures for the browser tests."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import TrafficGuard


@pytest.fixture
def traffic(page: Page, live_server) -> TrafficGuard:  # type: ignore[no-untyped-def]
    """Watches the Playwright page; a test ends with ``assert traffic.problems == []``."""
    guard = TrafficGuard(origin=live_server.url)
    guard.attach(page)
    return guard
