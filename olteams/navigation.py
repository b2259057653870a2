"""Navigation per role. Items name URL patterns; patterns not (yet) installed are skipped."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from olteams import request_cache
from olteams.compiled import compiled
from olteams.constants import Role
from olteams.request_cache import memo
from olteams.reverse import fast_reverse
from olteams.templatetags.cached_i18n import translated_label


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


_CARE = frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.SECRETARIAAT})
_LEAD = frozenset({Role.TEAM_LEAD, Role.SECRETARIAAT})
_FINANCE = frozenset({Role.CONTROLLER, Role.FUNCTIONAL_ADMIN})
# Not a role of its own: a Wmo consultant who is their municipality's functional administrator
# (``MunicipalityRole.is_admin``); the context processor adds it for the menu only.
MUNICIPALITY_ADMIN = "municipality_admin"

NAV_ITEMS = [
    NavItem(_("Start"), "olteams:home", frozenset(Role.values)),
    NavItem(
        _("Mijn caseload"), "caseload:my-caseload", frozenset({Role.TEAM_MEMBER, Role.TEAM_LEAD})
    ),
    NavItem(_("Mijn agenda"), "caseload:agenda", _CARE),
    NavItem(_("Mijn taken"), "caseload:task-list", _CARE),
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
    NavItem(_("Toewijzingen gemeente"), "wmo:toewijzing-inbox", _CARE),
    NavItem(_("Wmo-inbox"), "wmo:inbox", frozenset({Role.WMO_CONSULTANT, Role.WMO_LEAD})),
    NavItem(
        _("Wmo-meldingen"), "wmo:melding-list", frozenset({Role.WMO_CONSULTANT, Role.WMO_LEAD})
    ),
    NavItem(_("Verantwoording"), "finance:account-list", _FINANCE),
    NavItem(_("Rapporten"), "finance:report-list", _FINANCE),
    NavItem(_("Dashboard"), "finance:dashboard", frozenset({Role.STUURGROEP, *_FINANCE})),
    NavItem(_("Financiële gegevens"), "finance:tariff-list", _FINANCE),
    NavItem(
        _("Gemeenten"),
        "finance:municipality-list",
        frozenset({Role.FUNCTIONAL_ADMIN, MUNICIPALITY_ADMIN}),
    ),
    NavItem(_("Auditlog"), "olteams:audit-list", frozenset({Role.FUNCTIONAL_ADMIN})),
    NavItem(_("Bewaartermijnen"), "olteams:retention-list", frozenset({Role.FUNCTIONAL_ADMIN})),
    NavItem(_("Beheer"), "admin:index", frozenset({Role.FUNCTIONAL_ADMIN})),
    NavItem(_("Toegangslog"), "olteams:access-log", frozenset({Role.PRIVACY_OFFICER})),
    # The AVG request register: the privacy officers, and the leads who decide for their team.
    NavItem(
        _("Privacyverzoeken"),
        "clients:privacy-register",
        frozenset({Role.PRIVACY_OFFICER, Role.TEAM_LEAD}),
    ),
    NavItem(_("Noodtoegang"), "olteams:emergency-list", frozenset({Role.PRIVACY_OFFICER})),
]


# A count beside a menu item (the open tasks beside "Mijn taken"): apps register, in
# ``AppConfig.ready`` (olteams imports no app), the rows to count for a user as a queryset
# filtered on ``OuterRef("pk")``. The header reads the unread notifications and every badge
# in one query on the user row.
_BADGES: dict[str, Callable[[], QuerySet]] = {}


def register_badge(url_name: str, rows: Callable[[], QuerySet]) -> None:
    _BADGES[url_name] = rows


class _SubqueryCount(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def _count_annotations(badges: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """The unread notifications and the ``badges``' counts as subqueries on the user row:
    ``{prefix}unread`` and ``{prefix}badge_<n>``."""
    from olteams.models import Notification

    annotations: dict[str, Any] = {
        f"{prefix}unread": _SubqueryCount(
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).values("pk")
        )
    }
    for n, name in enumerate(badges):
        annotations[f"{prefix}badge_{n}"] = _SubqueryCount(_BADGES[name]().values("pk"))
    return annotations


def _header_counts_query(user_id: int, badges: tuple[str, ...] = ()) -> QuerySet:
    """The unread notifications and every registered badge, counted on the user row."""
    from olteams.models import User

    annotations = _count_annotations(badges)
    return User.objects.filter(pk=user_id).annotate(**annotations).values(*annotations)


# A negative id no user has: the header's query is compiled once for it (olteams.compiled).
_STAND_IN_USER = -987_654_321
# The header's counts as annotations of another read of the user (``header_count_annotations``).
_PREFIX = "header_"


def header_badges() -> tuple[str, ...]:
    """The registered badges (URL names), in the order the counts are read."""
    return tuple(_BADGES)


def header_count_annotations(badges: tuple[str, ...]) -> dict[str, Any]:
    """The header's counts as annotations of a query on the user row (the sign-in's read of
    the user, ``olteams.backends``): ``remember_header_counts`` keeps them for the request."""
    return _count_annotations(badges, _PREFIX)


def remember_header_counts(user: Any, badges: tuple[str, ...]) -> None:
    """Keep the counts a user read with ``header_count_annotations(badges)`` came with as
    the request's header counts, and take the annotations off the user."""
    unread = user.__dict__.pop(f"{_PREFIX}unread")
    counts = [user.__dict__.pop(f"{_PREFIX}badge_{n}") for n in range(len(badges))]
    request_cache.remember(
        ("navigation.header_counts", user.pk, badges),
        lambda: (unread, dict(zip(badges, counts, strict=True))),
    )


def header_counts(user: Any) -> tuple[int, dict[str, int]]:
    """The unread notifications and the menu's badges of ``user``, in one query, once per
    request (none when the user was read with them, ``remember_header_counts``). It runs
    on every page, and composing its subqueries with the ORM cost three times what running
    it does (issue 15): it is compiled once per process and set of registered badges."""
    names = header_badges()
    return memo(("navigation.header_counts", user.pk, names), lambda: _read_counts(user, names))


def _read_counts(user: Any, names: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    query = compiled(
        ("navigation.header_counts", names),
        DEFAULT_DB_ALIAS,
        functools.partial(_header_counts_query, badges=names),
        {"user_id": _STAND_IN_USER},
        exactly_once=("user_id",),
    )
    row = query.run(DEFAULT_DB_ALIAS, {"user_id": user.pk})
    if row is None:
        return 0, {}
    unread, *badges = row
    return unread, dict(zip(names, badges, strict=True))


def nav_for(
    roles: list[str], current_path: str, badges: dict[str, int] | None = None
) -> list[dict]:
    language = get_language()
    items = []
    for item in NAV_ITEMS:
        if not item.roles.intersection(roles):
            continue
        try:
            url = fast_reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": translated_label(("navigation", item.url_name), item.label, language),
                "url": url,
                "current": current_path == url,
                "badge": (badges or {}).get(item.url_name, 0),
            }
        )
    return items
