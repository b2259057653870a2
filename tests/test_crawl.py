"""Crawl the product as each demo role: every same-site link reachable from the start page
within three clicks answers 200 (or a download, or a redirect to a page that answers 200),
never 404 or 500, on the full demo data (``seed_demo``).

The demo is loaded once for the module inside a transaction that is rolled back at the end.
To bound the time, each role follows at most ``PER_PATTERN`` links per URL name (list pages
have hundreds of rows that all lead to the same view) and at most ``PER_ROLE`` URLs in all.
"""

from __future__ import annotations

import io
import os
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from olteams.models import User
from tests.conftest import verified_client

DEMO_TODAY = "2026-11-24"
# The full demo by default; CRAWL_DEMO_SCALE=0.1 gives a quicker run while developing.
DEMO_SCALE = os.environ.get("CRAWL_DEMO_SCALE", "1")
# Each demo role, with pages its crawl must reach (so a crawl that stops early fails).
DEMO_ROLES = {
    "demo.teamlid": {
        "caseload:my-caseload",
        "caseload:client-file",
        "caseload:contact-update",
        "clients:client-detail",
        "clients:network",
        "herstelplan:client-overview",
        "wmo:client-overview",
        "wmo:request-detail",
    },
    "demo.teamleider": {
        "caseload:team-overview",
        "caseload:client-file",
        "herstelplan:plan-list",
        "herstelplan:plan-detail",
        "herstelplan:iroc-list",
        "wmo:request-create",
    },
    "demo.secretariaat": {"clients:referral-list", "clients:waiting-list", "caseload:client-file"},
    "demo.consulent": {"wmo:inbox", "wmo:request-detail", "wmo:decision-letter"},
    "demo.consulentlead": {"wmo:inbox", "wmo:request-detail", "wmo:lead-times"},
    "demo.controller": {"finance:account-list", "finance:account-detail", "finance:checks"},
    "demo.stuurgroep": {"finance:dashboard", "finance:dashboard-team"},
    "demo.beheer": {
        "olteams:audit-list",
        "olteams:retention-list",
        "olteams:retention-export",
        "finance:tariff-list",
        "admin:index",
    },
    "demo.privacy": {"olteams:access-log", "olteams:emergency-list"},
}
MAX_DEPTH = 3
PER_PATTERN = 5
PER_ROLE = 400
DOWNLOAD_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
    "application/xml",
    "text/xml",
)
# Not followed: signing out and the static files.
SKIPPED_PREFIXES = ("/static/", "/media/", "/afmelden/", "/admin/logout/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, base: str) -> list[str]:
    """The same-site paths (with their query) that ``html`` links to."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue  # another site
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _is_download(response: Any) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return "attachment" in response.get("Content-Disposition", "") or content_type in (
        DOWNLOAD_TYPES
    )


def _read(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(errors="replace")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The full demo, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo",
            "--today",
            DEMO_TODAY,
            "--scale",
            DEMO_SCALE,
            "--allow-without-debug",
            stdout=io.StringIO(),
        )
        yield
        transaction.set_rollback(True)


def crawl(username: str) -> tuple[set[str], list[str]]:
    """Breadth-first from the start page; returns the URL names of the pages fetched and
    the problems (one line each: the status, the URL, and the page that linked to it)."""
    http = verified_client(User.objects.get(username=username))
    queue: deque[tuple[str, int, str]] = deque([("/", 0, "(start)")])
    seen = {"/"}
    per_pattern: dict[str | None, int] = {}
    fetched = 0
    visited: set[str] = set()
    problems: list[str] = []
    while queue and fetched < PER_ROLE:
        path, depth, referrer = queue.popleft()
        name = _url_name(path)
        if name is None:
            problems.append(f"no such page: {path} (linked from {referrer})")
            continue
        response = http.get(path, follow=True)
        fetched += 1
        visited.add(name)
        if response.status_code != 200:
            problems.append(f"{response.status_code}: {path} (linked from {referrer})")
            continue
        if _is_download(response):
            _read(response)
            continue
        if depth == MAX_DEPTH or "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        for link in _links(_read(response), urljoin("http://testserver", final)):
            if link in seen:
                continue
            seen.add(link)
            pattern = _url_name(link)
            if pattern is not None:
                if per_pattern.get(pattern, 0) >= PER_PATTERN:
                    continue
                per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            queue.append((link, depth + 1, path))
    return visited, problems


@pytest.mark.parametrize("username", list(DEMO_ROLES))
def test_every_link_within_three_clicks_answers(demo: None, db: None, username: str) -> None:
    visited, problems = crawl(username)
    assert problems == []
    assert DEMO_ROLES[username] - visited == set()
