"""The client's timeline: every kind of event in the file on one page, newest first.

The timeline is the hottest read of the product (every visit to a client's dossier). A
page of contacts is one statement, whatever the size of the database: the page of the UNION
over the event tables, with the total (``count(*) OVER ()``; a second COUNT only when the
page asked for is past the end) and each contact's columns and goals (an array), joined to
its row, with one row per worker present (joined, not a subquery per contact; the rows of
one entry are adjacent and become one entry here).

Other kinds (intensity changes, crises, consultations, MDO decisions, phase changes) are
rare on a page and are read as model objects, one query per kind present.

The page is written in SQL rather than composed with the ORM: composing the
six-way UNION and the prefetches cost more than executing them (issue 15). The client comes
from ``access_client`` (the access policy, audited by the view); every statement here is
bounded by that client's id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    MdoItem,
    MdoMeeting,
    Task,
)
from caseload.selectors.contacts import contact_note_visible
from clients.models import CareEpisode, Client, PhaseTransition
from herstelplan.models import Goal
from olteams.compiled import prepared_cursor
from olteams.constants import RECORD_KIND_CATEGORY, RecordKind
from olteams.models import Organisation, User

TIMELINE_PAGE_SIZE = 50


class TimelineKind:
    CONTACT = "contact"
    INTENSITY = "intensiteit"
    CRISIS = "crisis"
    CONSULTATION = "consultatie"
    PHASE = "fase"
    MDO = "mdo"


TIMELINE_KINDS = [
    (TimelineKind.CONTACT, _("Contacten")),
    (TimelineKind.INTENSITY, _("Op- en afschalen")),
    (TimelineKind.CRISIS, _("Crises")),
    (TimelineKind.CONSULTATION, _("Consultaties")),
    (TimelineKind.PHASE, _("Fasewisselingen")),
    (TimelineKind.MDO, _("MDO-besluiten")),
]


@dataclass(frozen=True)
class TimelineFilter:
    kinds: frozenset[str] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None
    worker_id: int | None = None

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class Presence:
    """A worker at a contact, as the timeline names them."""

    name: str
    organisation: str


@dataclass
class ContactRow:
    """A contact as the timeline shows it (a row, not a model: no per-row ORM work)."""

    pk: int
    starts_at: dt.datetime
    kind: str
    duration_minutes: int
    travel_minutes: int
    funding_stream: str
    naaste_present: bool
    author_id: int
    note: str
    note_category: str
    presences: list[Presence] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)


@dataclass
class TimelineEntry:
    kind: str
    day: dt.date
    at: dt.datetime | None
    obj: Any  # ContactRow for contacts, the model object for the other kinds
    note_visible: bool = False


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _goal_links() -> str:
    through = Contact.goals.through
    return _table(through)


# Per kind: the FROM clause, the day and moment columns, the client condition, and who the
# worker filter matches (the worker present at a contact, else who recorded it).
def _sources() -> list[tuple[str, str, str, str | None, str, str]]:
    return [
        (
            TimelineKind.CONTACT,
            f"{_table(Contact)} t",
            "t.date",
            "t.starts_at",
            "t.client_id = %(client)s",
            f"EXISTS (SELECT 1 FROM {_table(ContactWorker)} w "  # noqa: S608 - a table name
            "WHERE w.contact_id = t.id AND w.worker_id = %(worker)s)",
        ),
        (
            TimelineKind.INTENSITY,
            f"{_table(IntensityChange)} t",
            "t.date",
            None,
            "t.client_id = %(client)s",
            "t.by_id = %(worker)s",
        ),
        (
            TimelineKind.CRISIS,
            f"{_table(Crisis)} t",
            "t.started_on",
            None,
            "t.client_id = %(client)s",
            "t.by_id = %(worker)s",
        ),
        (
            TimelineKind.CONSULTATION,
            f"{_table(Consultation)} t",
            "t.date",
            None,
            "t.client_id = %(client)s",
            "t.worker_id = %(worker)s",
        ),
        (
            TimelineKind.PHASE,
            f"{_table(PhaseTransition)} t JOIN {_table(CareEpisode)} e ON e.id = t.episode_id",
            't."on"',
            None,
            "e.client_id = %(client)s",
            "t.by_id = %(worker)s",
        ),
        (
            TimelineKind.MDO,
            f"{_table(MdoItem)} t JOIN {_table(MdoMeeting)} m ON m.id = t.meeting_id",
            "t.decided_on",
            None,
            "t.client_id = %(client)s AND t.decided_on IS NOT NULL",
            "m.chair_id = %(worker)s",
        ),
    ]


def _union_sql(f: TimelineFilter) -> str | None:
    parts = []
    for kind, source, day, at, of_client, by_worker in _sources():
        if not f.wants(kind):
            continue
        where = [of_client]
        if f.start:
            where.append(f"{day} >= %(start)s")
        if f.end:
            where.append(f"{day} <= %(end)s")
        if f.worker_id:
            where.append(by_worker)
        parts.append(
            f"SELECT '{kind}' AS kind, t.id AS id, {day} AS day, "  # noqa: S608 - constants only
            f"{at or 'NULL::timestamptz'} AS at FROM {source} WHERE {' AND '.join(where)}"
        )
    return " UNION ALL ".join(parts) if parts else None


class _CountedPaginator(Paginator):
    """A paginator whose total was read with the page (no COUNT query of its own)."""

    def __init__(self, total: int, per_page: int) -> None:
        super().__init__((), per_page)
        self._total = total

    @cached_property
    def count(self) -> int:
        return self._total


def _page_number(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 1  # as Paginator.get_page: not a number is the first page


# A page's rows: (kind, id, day, at, total) and, for a contact, its columns and goals
# (``_contact``), then the columns of one worker present (``_WORKER`` on; NULL for none).
_ENTRY = 5
_WORKER = _ENTRY + 11


def _page_rows(union: str, params: dict[str, Any], number: int, size: int) -> list[tuple]:
    """One page of entries, newest first, with the total and the contacts' own columns: the
    page and its contacts in one statement (contacts are most of every timeline). A contact
    with more than one worker has a row for each, adjacent and in the order recorded."""
    sql = (
        f"SELECT p.kind, p.id, p.day, p.at, p.total, {_contact_columns()} "  # noqa: S608
        f"FROM (SELECT kind, id, day, at, count(*) OVER () AS total FROM ({union}) AS entries "
        "ORDER BY day DESC, at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s) AS p "
        f"LEFT JOIN {_table(Contact)} c ON p.kind = '{TimelineKind.CONTACT}' AND c.id = p.id "
        f"LEFT JOIN {_table(ContactWorker)} w ON w.contact_id = c.id "
        f"LEFT JOIN {_table(User)} u ON u.id = w.worker_id "
        f"LEFT JOIN {_table(Organisation)} o ON o.id = w.organisation_id "
        "ORDER BY p.day DESC, p.at DESC, p.id DESC, p.kind, w.id"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, {**params, "limit": size, "offset": (number - 1) * size})
        return cursor.fetchall()


def _count(union: str, params: dict[str, Any]) -> int:
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({union}) AS entries", params)  # noqa: S608
        return cursor.fetchone()[0]


@cache
def _contact_columns() -> str:
    """A contact's columns, its goals as an array, and one worker present (the worker
    columns come from the joins of ``_page_rows``)."""
    return f"""
        c.id, c.starts_at, c.kind, c.duration_minutes, c.travel_minutes,
        c.funding_stream, c.naaste_present, c.author_id, c.note, c.note_category,
        ARRAY(
            SELECT g.text FROM {_goal_links()} cg
            JOIN {_table(Goal)} g ON g.id = cg.goal_id
            WHERE cg.contact_id = c.id ORDER BY g.plan_id, g.priority, g.id
        ),
        u.first_name, u.last_name, u.username, o.short_name
    """  # noqa: S608 - built from table names only


def _presence(row: tuple) -> Presence | None:
    """The worker of a page row (None: a contact without workers, or another kind)."""
    first, last, username, organisation = row[_WORKER:]
    if username is None:
        return None
    return Presence(f"{first} {last}".strip() or username, organisation)


def _contact(row: tuple) -> ContactRow:
    """The contact of a page row (its columns after the entry's), without its workers."""
    columns = row[_ENTRY:_WORKER]
    return ContactRow(*columns[:10], goals=list(columns[10]))  # type: ignore[misc]  # pk … note_category


def _entries(rows: list[tuple]) -> list[tuple[tuple, ContactRow | None]]:
    """The page's entries in order, each its first row and, for a contact, the contact with
    the workers of all its rows."""
    entries: list[tuple[tuple, ContactRow | None]] = []
    for row in rows:
        if entries and entries[-1][0][:2] == row[:2]:  # the same entry: another worker
            contact = entries[-1][1]
        else:
            contact = _contact(row) if row[0] == TimelineKind.CONTACT else None
            entries.append((row, contact))
        presence = _presence(row) if contact is not None else None
        if presence is not None:
            contact.presences.append(presence)  # type: ignore[union-attr]
    return entries


def _objects(kind: str, ids: list[int]) -> dict[int, Any]:
    """The entries of a kind other than contacts (which come with the page's rows)."""
    qs: QuerySet
    if kind == TimelineKind.INTENSITY:
        qs = IntensityChange.objects.select_related("by")
    elif kind == TimelineKind.CRISIS:
        qs = Crisis.objects.select_related("by")
    elif kind == TimelineKind.CONSULTATION:
        qs = Consultation.objects.select_related("worker", "organisation")
    elif kind == TimelineKind.MDO:
        qs = MdoItem.objects.select_related("meeting__chair").prefetch_related(
            Prefetch("tasks", Task.objects.select_related("assignee").order_by("pk"))
        )
    else:
        qs = PhaseTransition.objects.select_related("by")
    return {o.pk: o for o in qs.filter(pk__in=ids)}


def _note_visible(
    kind: str, obj: Any, *, clinical: bool, categories: frozenset[str], user_id: int | None
) -> bool:
    if not clinical:
        return False
    if kind == TimelineKind.CONTACT:
        return contact_note_visible(categories, obj, user_id=user_id)
    if kind == TimelineKind.CRISIS:
        return RECORD_KIND_CATEGORY[RecordKind.CRISIS_NOTE] in categories
    return True


def client_timeline(
    *,
    client: Client,
    f: TimelineFilter,
    page: Any = 1,
    categories: Iterable[str] = (),
    user_id: int | None = None,
    clinical: bool = False,
    page_size: int = TIMELINE_PAGE_SIZE,
) -> tuple[Page, list[TimelineEntry]]:
    """One page of the client's events, newest first (see the module docstring)."""
    union = _union_sql(f)
    params = {"client": client.pk, "start": f.start, "end": f.end, "worker": f.worker_id}
    number = _page_number(page)
    rows: list[tuple] = []
    total = 0
    if union is not None:
        rows = _page_rows(union, params, number, page_size) if number >= 1 else []
        if rows:
            total = rows[0][4]
        elif number != 1:  # before the first page or past the last: the last, as get_page
            total = _count(union, params)
            if total:
                number = math.ceil(total / page_size)
                rows = _page_rows(union, params, number, page_size)
    if not rows:
        number = 1
    page_entries = _entries(rows)
    by_kind: dict[str, list[int]] = {}
    for (kind, pk, *_rest), contact in page_entries:
        if contact is None:
            by_kind.setdefault(kind, []).append(pk)
    objects = {kind: _objects(kind, ids) for kind, ids in by_kind.items()}
    categories = frozenset(categories)
    entries = []
    for row, contact in page_entries:
        kind, pk, day, at, _total = row[:_ENTRY]
        obj = contact if contact is not None else objects[kind][pk]
        visible = _note_visible(
            kind, obj, clinical=clinical, categories=categories, user_id=user_id
        )
        entries.append(TimelineEntry(kind, day, at, obj, visible))
    paginator = _CountedPaginator(total, page_size)
    return Page(entries, number, paginator), entries


__all__ = [
    "TIMELINE_KINDS",
    "TIMELINE_PAGE_SIZE",
    "ContactRow",
    "Presence",
    "TimelineEntry",
    "TimelineFilter",
    "TimelineKind",
    "client_timeline",
]
