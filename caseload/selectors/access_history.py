"""'Wie heeft mijn dossier bekeken': the client's NEN 7513 access history in plain words.

The events come from one indexed query (``olteams.selectors.client_access_history``); the
names of naasten behind portal events and of the grants a client gave are filled in with at
most two more queries per page, so a page's query count does not grow with its rows. The
same entries feed the portal page, its PDF and the inzage export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from clients.constants import PortalShare
from clients.models import Client, NaasteGrant, PortalAccount
from olteams.access import PORTAL_CLIENT, PORTAL_NAASTE
from olteams.constants import AuditEventType, AuditOutcome, Role
from olteams.models import AuditEvent
from olteams.selectors import client_access_history

KIND_STAFF, KIND_NAASTE, KIND_SELF = "staff", "naaste", "self"

# What was looked at, by the audited object's type, as the client would say it.
_OBJECT_WORDS = {
    "clients.client": "uw dossier",
    "clients.intake": "uw intake",
    "clients.consent": "uw toestemmingen",
    "clients.naaste": "de gegevens van uw naasten",
    "herstelplan.plan": "uw herstelplan",
    "herstelplan.irocassessment": "een I.ROC-meting",
    "herstelplan.honosassessment": "een HoNOS-meting",
    "herstelplan.signalplan": "uw signaleringsplan",
    "caseload.contact": "een verslag van een contact",
    "caseload.document": "een document",
    "caseload.appointment": "een afspraak",
    "wmo.indicationrequest": "een Wmo-aanvraag",
}


def _object_words(event: AuditEvent) -> str:
    return _(_OBJECT_WORDS.get(event.object_type, "uw dossier"))


def role_words(role: str) -> str:
    """A role as the client reads it (Dutch words, never a code)."""
    if role == PORTAL_NAASTE:
        return _("Naaste")
    if role == PORTAL_CLIENT:
        return _("Uzelf")
    try:
        return str(Role(role).label)
    except ValueError:
        return ""


@dataclass(frozen=True)
class AccessEntry:
    """One line of the client's access history, in plain words."""

    at: dt.datetime
    kind: str  # KIND_STAFF, KIND_NAASTE or KIND_SELF
    who: str
    role: str
    organisation: str
    team: str
    what: str
    emergency: str  # the explanation of a break-the-glass access, or ""
    refused: bool  # a naaste tried to open a page that was not (or no longer) granted

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "who": self.who,
            "role": self.role,
            "organisation": self.organisation,
            "team": self.team,
            "what": self.what,
            "emergency": self.emergency or None,
            "refused": self.refused,
        }


def _account_id(event: AuditEvent) -> int | None:
    prefix, _sep, pk = event.username.rpartition(":")
    return int(pk) if prefix.startswith("portaal:") and pk.isdigit() else None


@dataclass
class _Lookups:
    naaste_names: dict[int, str]  # portal account id -> naaste name
    grants: dict[int, NaasteGrant]
    sections: list[tuple[str, str]]  # (path, label) of the portal's pages, longest first


def _lookups(events: Sequence[AuditEvent], client: Client) -> _Lookups:
    account_ids = {pk for pk in map(_account_id, events) if pk is not None}
    account_ids |= {
        int(e.object_id)
        for e in events
        if e.object_type == "clients.portalaccount" and e.object_id.isdigit()
    }
    grant_ids = {
        int(e.object_id)
        for e in events
        if e.object_type == "clients.naastegrant" and e.object_id.isdigit()
    }
    names = {}
    if account_ids:
        names = dict(
            PortalAccount.objects.filter(pk__in=account_ids, client=client, naaste__isnull=False)
            .values_list("pk", "naaste__name")
            .order_by()
        )
    grants = {}
    if grant_ids:
        grants = {
            g.pk: g
            for g in NaasteGrant.objects.filter(pk__in=grant_ids, client=client).select_related(
                "naaste"
            )
        }
    return _Lookups(names, grants, _section_paths())


def _section_paths() -> list[tuple[str, str]]:
    from caseload.portal.sections import SECTIONS

    paths = []
    for section in SECTIONS:
        try:
            paths.append((reverse(section.url_name), str(section.label)))
        except NoReverseMatch:
            continue
    return sorted(paths, key=lambda row: -len(row[0]))


def _page_label(path: str, lookups: _Lookups) -> str:
    for prefix, label in lookups.sections:
        if path.startswith(prefix):
            return label
    return _("Mijn overzicht")


def _grant_words(event: AuditEvent, lookups: _Lookups, who: str) -> str | None:
    grant = lookups.grants.get(int(event.object_id)) if event.object_id.isdigit() else None
    if grant is None:
        return None
    what = {"naaste": grant.naaste.name, "category": PortalShare(grant.category).label}
    if event.event_type == AuditEventType.CREATE:
        return _("%(who)s gaf %(naaste)s toegang tot '%(category)s'") % {"who": who, **what}
    return _("%(who)s trok de toegang van %(naaste)s tot '%(category)s' in") % {
        "who": who,
        **what,
    }


def _self_words(event: AuditEvent, lookups: _Lookups) -> str:
    if event.object_type == "clients.naastegrant":
        words = _grant_words(event, lookups, _("U"))
        if words:
            return words
    if event.object_type == "clients.portalaccount":
        name = lookups.naaste_names.get(int(event.object_id), _("een naaste"))
        return _("U legde het BSN van %(naaste)s vast, zodat die kan inloggen met DigiD") % {
            "naaste": name
        }
    return _("U heeft iets veranderd in het portaal")


def _staff_words(event: AuditEvent, client: Client) -> str:
    words = _object_words(event)
    if event.client_id != client.pk:
        if event.event_type == AuditEventType.EXPORT:
            return _("zag u in een lijst die werd gedownload")
        if event.event_type == AuditEventType.SEARCH:
            return _("vond u bij het zoeken")
        return _("zag uw naam in een lijst")
    sentences: dict[str, str] = {
        AuditEventType.READ: _("heeft %(what)s bekeken"),
        AuditEventType.PRINT: _("heeft %(what)s afgedrukt"),
        AuditEventType.EXPORT: _("heeft %(what)s gedownload"),
        AuditEventType.CREATE: _("heeft iets vastgelegd in %(what)s"),
        AuditEventType.UPDATE: _("heeft iets veranderd in %(what)s"),
        AuditEventType.DELETE: _("heeft iets verwijderd uit %(what)s"),
        AuditEventType.SEARCH: _("vond u bij het zoeken"),
        AuditEventType.MERGE: _("heeft twee dossiers van u samengevoegd tot één"),
        AuditEventType.EMERGENCY: _("heeft noodtoegang tot uw dossier gekregen")
        if "beëindigd" not in event.detail
        else _("heeft de noodtoegang tot uw dossier beëindigd"),
        AuditEventType.LOG_READ: _(
            "heeft gecontroleerd wie uw dossier heeft bekeken (dat is de taak van de "
            "privacyfunctionaris)"
        ),
    }
    return sentences.get(event.event_type, _("heeft %(what)s gebruikt")) % {"what": words}


def _emergency_words(event: AuditEvent, who: str) -> str:
    access = event.emergency_access
    if access is None:
        return ""
    return _(
        "Noodtoegang: %(who)s werkt niet in uw team, maar mocht uw dossier toch bekijken "
        "omdat: %(reason)s. Dit mag alleen bij een noodgeval. De privacyfunctionaris is "
        "ingelicht en controleert dit."
    ) % {"who": who, "reason": access.reason.strip().rstrip(".")}


def _portal_entry(
    event: AuditEvent, kind: str, who: str, what: str, *, refused: bool = False
) -> AccessEntry:
    return AccessEntry(
        at=event.occurred_at,
        kind=kind,
        who=who,
        role=role_words(event.role),
        organisation="",
        team="",
        what=what,
        emergency="",
        refused=refused,
    )


def _entry(event: AuditEvent, client: Client, lookups: _Lookups) -> AccessEntry:
    refused = event.outcome == AuditOutcome.DENIED
    if event.role == PORTAL_CLIENT:
        return _portal_entry(event, KIND_SELF, _("Uzelf"), _self_words(event, lookups))
    if event.role == PORTAL_NAASTE:
        account = _account_id(event)
        name = lookups.naaste_names.get(account or 0, _("Een naaste"))
        page = _page_label(event.path, lookups)
        if refused:
            what = _("probeerde '%(page)s' te bekijken, maar had daar geen toegang toe")
        elif event.event_type == AuditEventType.LOGIN:
            what = _("logde in op het portaal")
        else:
            what = _("bekeek '%(page)s' in het portaal")
        return _portal_entry(event, KIND_NAASTE, name, what % {"page": page}, refused=refused)
    user = event.user
    who = (user.get_full_name() or user.get_username()) if user else event.username
    return AccessEntry(
        at=event.occurred_at,
        kind=KIND_STAFF,
        who=who,
        role=role_words(event.role),
        organisation=event.organisation.name if event.organisation else "",
        team=event.team.name if event.team else "",
        what=_staff_words(event, client),
        emergency=_emergency_words(event, who),
        refused=False,
    )


def access_entries(events: Iterable[AuditEvent], *, client: Client) -> list[AccessEntry]:
    """The events (of ``client_history_events``) as lines in plain words."""
    rows = list(events)
    lookups = _lookups(rows, client)
    return [_entry(event, client, lookups) for event in rows]


def client_history_events(
    *, client: Client, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[AuditEvent]:
    """The events the client sees in 'Wie heeft mijn dossier bekeken', newest first."""
    return client_access_history(client_id=client.pk, start=start, end=end, for_client=True)


def client_access_entries(
    *, client: Client, start: dt.date | None = None, end: dt.date | None = None
) -> list[AccessEntry]:
    """The whole history (for the PDF and the inzage export)."""
    return access_entries(client_history_events(client=client, start=start, end=end), client=client)
