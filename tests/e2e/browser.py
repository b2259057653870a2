"""Browser-test helpers: a guard on a page's traffic, the axe check, static-file check."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request, Response

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


@dataclass
class TrafficGuard:
    """Collects what must never happen in a page: errors, failed loads, third-party hosts."""

    origin: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        # Nothing may leave the machine: requests to other hosts are recorded and aborted.
        page.route(lambda url: not self._is_local(url), lambda route: route.abort())
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        # chrome:// and chrome-extension:// are the browser's own resources (its PDF viewer
        # when a document opens inline): they never leave the machine.
        return parts.scheme in {"data", "about", "blob", "chrome", "chrome-extension"} or (
            f"{parts.scheme}://{parts.netloc}" == self.origin
        )

    def _request(self, request: Request) -> None:
        if not self._is_local(request.url):
            self.problems.append(f"request to another host: {request.url}")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled because the page navigated on (e.g. a late favicon), not an error
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def serious_violations(page: Page) -> list[str]:
    """axe-core on the current page: the serious and critical violations, one line each."""
    results = _axe.run(page)
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    # Every journey page is checked here, so here it is also held to the screen's width: a
    # page that scrolls sideways fails like a serious accessibility finding (WCAG 1.4.10).
    # Checked on the office screen the journey runs at and on a phone (390 x 844).
    size = page.viewport_size
    for width, height in ((None, None), (390, 844)):
        if width is not None:
            page.set_viewport_size({"width": width, "height": height})
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            found.append(f"horizontal-scroll: page {wide[0]} px wide on a {wide[1]} px screen")
    if size is not None:
        page.set_viewport_size(size)
    return found


def assert_styled_and_scripted(page: Page) -> None:
    """Our stylesheet is applied and htmx is loaded (static files are served)."""
    page.wait_for_load_state("load")
    header_background = page.locator(".site-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_background == "rgb(11, 92, 115)"
    assert page.evaluate("typeof window.htmx") == "object"
