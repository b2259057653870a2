"""Navigation per role. Items name URL patterns; patterns not (yet) installed are skipped."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from olteams.constants import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


_CARE = frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.SECRETARIAAT})
_LEAD = frozenset({Role.TEAM_LEAD, Role.SECRETARIAAT})
_FINANCE = frozenset({Role.CONTROLLER, Role.FUNCTIONAL_ADMIN})

NAV_ITEMS = [
    NavItem(_("Start"), "olteams:home", frozenset(Role.values)),
    NavItem(
        _("Mijn caseload"), "caseload:my-caseload", frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD})
    ),
    NavItem(
        _("Mijn tijd"), "caseload:nonclient-list", frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD})
    ),
    NavItem(
        _("Consultaties"),
        "caseload:consultation-list",
        frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD}),
    ),
    NavItem(_("Cliënten"), "clients:client-list", _CARE),
    NavItem(_("Aanmeldingen"), "clients:referral-list", _CARE),
    NavItem(_("Wachtlijst"), "clients:waiting-list", _CARE),
    NavItem(_("Teamoverzicht"), "caseload:team-overview", _LEAD),
    NavItem(_("Wmo-aanvragen"), "wmo:request-list", _CARE),
    NavItem(_("Wmo-inbox"), "wmo:inbox", frozenset({Role.WMO_CONSULTANT, Role.WMO_LEAD})),
    NavItem(_("Verantwoording"), "finance:account-list", _FINANCE),
    NavItem(_("Rapporten"), "finance:report-list", _FINANCE),
    NavItem(_("Dashboard"), "finance:dashboard", frozenset({Role.STUURGROEP, *_FINANCE})),
    NavItem(_("Financiële gegevens"), "finance:tariff-list", _FINANCE),
    NavItem(_("Auditlog"), "olteams:audit-list", frozenset({Role.FUNCTIONAL_ADMIN})),
    NavItem(_("Beheer"), "admin:index", frozenset({Role.FUNCTIONAL_ADMIN})),
    NavItem(_("Toegangslog"), "olteams:access-log", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Noodtoegang"), "olteams:emergency-list", frozenset({Role.PRIVACY_OFFICER})),
]


def nav_for(roles: list[str], current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not item.roles.intersection(roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "current": current_path == url})
    return items
