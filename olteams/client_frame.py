"""The client frame: one header and one row of tabs over every client page of every app.

``olteams`` sits below the apps, so it names their pages the way the main menu does: as URL
names (strings), never as imports. The tabs are a registry of URL names, each with the
access action it needs; a tab whose URL name is not installed (yet) is skipped. The header's
facts come from the apps themselves: each app registers a header part in its
``AppConfig.ready`` (an explicit registration, called in a fixed order, not a signal), and the
frame asks every part once per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from olteams import request_cache
from olteams.access import ClientAction, client_actions
from olteams.reverse import fast_reverse
from olteams.templatetags.cached_i18n import translated_label


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    url_name: str
    action: str
    # View names (or "namespace:prefix" beginnings) of the pages that sit under this tab.
    owns: tuple[str, ...]


TABS: list[Tab] = [
    Tab("dossier", _("Dossier"), "caseload:client-file", ClientAction.VIEW, ("caseload:",)),
    Tab(
        "gegevens",
        _("Gegevens"),
        "clients:client-detail",
        ClientAction.VIEW,
        (
            "clients:client-",
            "clients:episode-",
            "clients:intake-",
            "clients:voorzorg-",
            "clients:care-period-",
        ),
    ),
    Tab(
        "herstelplan",
        _("Herstelplan"),
        "herstelplan:client-overview",
        ClientAction.VIEW_CLINICAL,
        ("herstelplan:",),
    ),
    Tab("wmo", _("Wmo"), "wmo:client-overview", ClientAction.VIEW_WMO, ("wmo:",)),
    Tab(
        "netwerk",
        _("Netwerk"),
        "clients:network",
        ClientAction.VIEW,
        (
            "clients:network",
            "clients:assignment-",
            "clients:involved-",
            "clients:naaste-",
            "clients:consent-",
        ),
    ),
    Tab(
        "privacy",
        _("Privacyverzoeken"),
        "clients:privacy-request-list",
        ClientAction.VIEW_PRIVACY,
        ("clients:privacy-request-",),
    ),
    # Tabs of later issues: shown as soon as their URL names exist.
    Tab(
        "afspraken",
        _("Afspraken"),
        "caseload:appointment-list",
        ClientAction.VIEW,
        ("caseload:appointment-",),
    ),
    Tab(
        "documenten",
        _("Documenten"),
        "caseload:document-list",
        ClientAction.VIEW,
        ("caseload:document-",),
    ),
]

# Where every list, search result and notification lands: the frame's first tab, the dossier.
CLIENT_HOME_URL_NAME = "caseload:client-file"


def client_home_url(client_id: int) -> str:
    """The client's landing page (the dossier). Lower apps link here without naming it."""
    return fast_reverse(CLIENT_HOME_URL_NAME, client_id=int(client_id))


FRAME_ACTIONS: tuple[str, ...] = (
    ClientAction.VIEW,
    ClientAction.CHANGE,
    ClientAction.VIEW_CLINICAL,
    ClientAction.CHANGE_CLINICAL,
    ClientAction.VIEW_WMO,
    ClientAction.VIEW_PRIVACY,
)


@dataclass(frozen=True)
class Dispute:
    """Data the client disputes until a decision (a privacy request, AVG art. 16/17/21)."""

    part: str
    received_on: dt.date
    deadline: dt.date
    tab: str = ""  # the frame tab that shows the part


@dataclass
class Header:
    """What the frame header shows. Apps fill it; the template prints what is there."""

    phase: str = ""
    # An open care episode: intensity and funding are shown only while care runs.
    in_care: bool = False
    herstelfase: str = ""
    casemanager: str = ""
    # The municipal route: the client's one contact, possibly from another partner.
    casusregisseur: str = ""
    regiebehandelaar: str = ""
    team: str = ""
    funding: list[str] = field(default_factory=list)
    intensity: str = ""
    # (text, level) where level is "late", "warn" or "info"; the text says it all (never
    # colour alone).
    alerts: list[tuple[str, str]] = field(default_factory=list)
    # Data the client disputes (an open correction, removal or objection request): the
    # banner names each part; ``tab`` marks the tab that shows it ("" when none does).
    disputes: list[Dispute] = field(default_factory=list)

    def alert(self, text: str | Promise, level: str = "warn") -> None:
        self.alerts.append((str(text), level))

    def add_funding(self, label: str | Promise) -> None:
        if str(label) not in self.funding:
            self.funding.append(str(label))


HeaderPart = Callable[..., None]
_HEADER_PARTS: list[tuple[str, HeaderPart]] = []


def register_header_part(name: str, part: HeaderPart) -> None:
    """Called from an app's ``ready()``: ``part(header=, user=, client=, actions=, today=)``
    fills in what that app knows. Registering the same name twice replaces it."""
    for index, (existing, _part) in enumerate(_HEADER_PARTS):
        if existing == name:
            _HEADER_PARTS[index] = (name, part)
            return
    _HEADER_PARTS.append((name, part))


def active_tab_key(view_name: str) -> str:
    """The tab that owns the view: the longest matching owner wins, so a tab may own a
    part of another tab's namespace (Afspraken within the caseload pages)."""
    best, length = "", -1
    for tab in TABS:
        for own in tab.owns:
            if (view_name == own or view_name.startswith(own)) and len(own) > length:
                best, length = tab.key, len(own)
    return best


def _tab_url(tab: Tab, client_id: int) -> str | None:
    try:
        return fast_reverse(tab.url_name, client_id=client_id)
    except NoReverseMatch:
        return None


def frame_for(
    *, user: Any, client: Any, view_name: str, today: dt.date | None = None
) -> dict[str, Any]:
    """The header and tabs of one client page (``client`` came from ``access_client``)."""
    day = today or request_cache.today()
    actions = client_actions(user, client, actions=FRAME_ACTIONS, today=day)
    header = Header()
    for _name, part in _HEADER_PARTS:
        part(header=header, user=user, client=client, actions=actions, today=day)
    current = active_tab_key(view_name)
    disputed_tabs = {d.tab for d in header.disputes if d.tab}
    language = get_language()
    tabs = []
    for tab in TABS:
        if tab.action not in actions:
            continue
        url = _tab_url(tab, client.pk)
        if url is None:
            continue
        tabs.append(
            {
                "key": tab.key,
                "label": translated_label(("client_frame", tab.key), tab.label, language),
                "url": url,
                "current": tab.key == current,
                "disputed": tab.key in disputed_tabs,
            }
        )
    grant = getattr(client, "access_grant", None)
    # Break-the-glass: the page says so on every client page (the banner of the frame).
    emergency = grant if grant is not None and grant.is_emergency else None
    return {
        "header": header,
        "tabs": tabs,
        "actions": actions,
        "today": day,
        "emergency": emergency,
    }


def client_age(date_of_birth: dt.date | None, today: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)
