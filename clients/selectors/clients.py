"""Reads of the clients app. Every query starts from ``olteams.access``."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection
from django.db.models import (
    Exists,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.utils import timezone

from clients.constants import WAITING_PHASES, AssignmentRole, FundingStream, Phase
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Consent,
    InvolvedOrganisation,
    Naaste,
    PhaseTransition,
    Referral,
)
from clients.selectors.facts import client_care_team
from olteams import request_cache
from olteams.access import (
    ClientAction,
    access_client,
    active_on,
    clients_visible_to,
    team_ids_for,
)
from olteams.compiled import prepared_cursor
from olteams.models import Membership, Organisation, User
from olteams.selectors import StaffScope, staff_annotate
from olteams.selectors.records import staff_label_of


def _open_episode() -> QuerySet[CareEpisode]:
    return CareEpisode.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)


def _casemanager_name() -> Subquery:
    rows = Assignment.objects.filter(
        client=OuterRef("pk"), role=AssignmentRole.CASEMANAGER, end_date__isnull=True
    ).annotate(name=Concat("worker__first_name", Value(" "), "worker__last_name"))
    return Subquery(rows.values("name")[:1])


def client_list(
    *, user: User, today: dt.date | None = None, action: str = ClientAction.VIEW
) -> QuerySet[Client]:
    """The clients the user may see, with their current phase and casemanager annotated
    (subqueries, so one page is one query however many rows it has)."""
    last_phase = CareEpisode.objects.filter(client=OuterRef("pk")).order_by("-started_on", "-id")
    return (
        clients_visible_to(user, action=action, today=today)
        .select_related("team", "municipality")
        .annotate(
            phase=Coalesce(
                Subquery(_open_episode().values("phase")[:1]),
                Subquery(last_phase.values("phase")[:1]),
            ),
            casemanager_name=_casemanager_name(),
        )
    )


def client_detail(*, user: User, client_id: Any) -> Client:
    """One client with everything the detail page shows, prefetched."""
    qs = clients_visible_to(user).select_related(
        "team", "municipality", "registering_organisation", "insurer"
    )
    qs = qs.prefetch_related(
        Prefetch(
            "episodes",
            CareEpisode.objects.select_related("referral", "intake")
            .prefetch_related(
                Prefetch("transitions", PhaseTransition.objects.select_related("by")),
                "intake__workers",
            )
            .order_by("-started_on", "-id"),
        ),
        Prefetch(
            "assignments", Assignment.objects.select_related("worker").order_by("end_date", "role")
        ),
        Prefetch(
            "involved_organisations", InvolvedOrganisation.objects.select_related("organisation")
        ),
        Prefetch("naasten", Naaste.objects.order_by("ended_on", "name")),
        Prefetch(
            "consents",
            Consent.objects.select_related(
                "recipient_organisation", "recipient_municipality", "recorded_by"
            ),
        ),
        Prefetch("referrals", Referral.objects.prefetch_related("decisions__decided_by")),
    )
    return access_client(user, client_id, queryset=qs)


def open_episode_of(client: Client) -> CareEpisode | None:
    return (
        CareEpisode.objects.select_related("referral")
        .filter(client=client, ended_on__isnull=True)
        .first()
    )


def waiting_list(
    *, user: User, today: dt.date | None = None, action: str = ClientAction.VIEW
) -> QuerySet[CareEpisode]:
    """Everyone of the user's teams waiting for (the end of) their intake, longest waiting
    first: ``waiting_since`` is the referral date (or the episode start). ``action`` is the
    scope: an export lists only the teams the user may export (lead, secretariaat)."""
    visible = clients_visible_to(user, action=action, today=today)
    return (
        CareEpisode.objects.filter(
            client__in=visible, ended_on__isnull=True, phase__in=WAITING_PHASES
        )
        .select_related("client", "client__team", "referral", "intake")
        .annotate(waiting_since=Coalesce("referral__referred_on", "started_on"))
        .order_by("waiting_since", "id")
    )


def clients_without_funding(*, user: User, today: dt.date | None = None) -> QuerySet[Client]:
    """Clients in care (or aftercare) with no open involved organisation that has a funding
    stream: listed for the team lead, never refused."""
    funded = InvolvedOrganisation.objects.filter(
        client=OuterRef("pk"), end_date__isnull=True
    ).exclude(funding_stream=FundingStream.NONE)
    in_care = CareEpisode.objects.filter(
        client=OuterRef("pk"), ended_on__isnull=True, phase__in=[Phase.IN_CARE, Phase.AFTERCARE]
    )
    return (
        client_list(user=user, today=today, action=ClientAction.EXPORT)
        .filter(Exists(in_care))
        .exclude(Exists(funded))
        .annotate(in_care_since=Subquery(in_care.values("started_on")[:1]))
        .order_by("in_care_since", "last_name", "id")
    )


def referral_list(*, user: User, today: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals of the user's teams, newest first."""
    return (
        Referral.objects.filter(team_id__in=team_ids_for(user, today=today))
        .select_related("team", "client", "created_by")
        .order_by("-referred_on", "-id")
    )


def referral_get(*, user: User, referral_id: Any) -> Referral:
    """One referral of the user's teams; missing and not-yours are the same 404."""
    try:
        return (
            referral_list(user=user)
            .prefetch_related("decisions__decided_by")
            .get(pk=int(referral_id))
        )
    except (Referral.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def team_workers(*, team_id: int, today: dt.date | None = None) -> QuerySet[User]:
    """Active members of a team (for worker choices)."""
    day = today or timezone.localdate()
    member_ids = Membership.objects.filter(active_on(day), team_id=team_id).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(
        "last_name", "first_name"
    )


def care_team_worker_ids(*, client: Client, today: dt.date | None = None) -> list[int]:
    """The workers in the client's care team today (they come first in a staff picker)."""
    day = today or timezone.localdate()
    return [a.worker_id for a in client_care_team(client=client, day=day)]


def client_staff_scope(*, client: Client, today: dt.date | None = None) -> StaffScope:
    """Workers to choose on a client page: the team's members, the client's care team first."""
    care_team = care_team_worker_ids(client=client, today=today)
    members = team_workers(team_id=client.team_id, today=today)
    return StaffScope(
        queryset=User.objects.filter(
            Q(pk__in=members.values("pk")) | Q(pk__in=care_team, is_active=True)
        ),
        team_id=client.team_id,
        first_ids=frozenset(care_team),
    )


STAFF_ANNOTATION = "staff_rows"
_UNREAD = object()


def client_staff_choices(*, client: Client, today: dt.date | None = None) -> list[tuple[int, str]]:
    """``client_staff_scope`` as (id, label) pairs, the care team first, labelled and ordered
    as ``staff_annotate`` and ``staff_label`` do: for a plain choice list on the client file
    (its timeline filter), read in one statement. Composing the scope and its label
    subqueries with the ORM cost ~2.5 ms of every client-file request (issue 15).

    A client read with ``client_staff_annotation`` (the client file) brings the rows along
    for the day of the read, and nothing is read here for that day."""
    day = today or request_cache.today()
    rows: Any = getattr(client, STAFF_ANNOTATION, _UNREAD)
    if rows is _UNREAD or getattr(client, "read_day", None) != day:
        care_team = care_team_worker_ids(client=client, today=day)
        with prepared_cursor() as cursor:
            cursor.execute(
                _staff_choices_sql(), {"team": client.team_id, "day": day, "care": care_team}
            )
            rows = [row[:6] for row in cursor.fetchall()]
    return [
        (pk, staff_label_of(f"{first} {last}".strip() or username, discipline, organisation))
        for pk, first, last, username, discipline, organisation in rows or ()
    ]


def client_staff_annotation(day: dt.date) -> dict[str, RawSQL]:
    """``staff_rows`` for a client's own query: ``client_staff_choices``'s rows on ``day``
    as a JSON array of [id, first name, last name, username, discipline, organisation],
    in its order (the client's own team and care team, from the client's row)."""
    client = connection.ops.quote_name(Client._meta.db_table)
    assignment = connection.ops.quote_name(Assignment._meta.db_table)
    care = (
        f"ARRAY(SELECT a.worker_id FROM {assignment} a WHERE a.client_id = {client}.id "  # noqa: S608
        "AND a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s))"
    )
    rows = _staff_sql(team=f"{client}.team_id", day="%s", care=care)
    sql = (
        "(SELECT jsonb_agg(jsonb_build_array(id, first_name, last_name, username, discipline, "  # noqa: S608
        f"short_name) ORDER BY in_care_team DESC, last_name, first_name, username) FROM ({rows}) AS s)"
    )
    return {
        STAFF_ANNOTATION: RawSQL(  # noqa: S611 - table names only; the day is a parameter
            sql, (day,) * sql.count("%s"), output_field=JSONField()
        )
    }


@functools.cache
def _staff_choices_sql() -> str:
    rows = _staff_sql(team="%(team)s", day="%(day)s", care="%(care)s::bigint[]")
    return f"{rows} ORDER BY in_care_team DESC, u.last_name, u.first_name, u.username"


def _staff_sql(*, team: str, day: str, care: str) -> str:
    """The staff of a client page: the team's members on ``day`` and the care team (``care``:
    an array of user ids), active, each with the label of their first membership in force
    (the team's own first). ``team``, ``day`` and ``care`` are SQL expressions."""
    user = connection.ops.quote_name(User._meta.db_table)
    membership = connection.ops.quote_name(Membership._meta.db_table)
    organisation = connection.ops.quote_name(Organisation._meta.db_table)
    active = f"m.valid_from <= {day} AND (m.valid_to IS NULL OR m.valid_to >= {day})"
    # The staff are the team's members and the care team, as one set of ids first: an OR of
    # the two in the WHERE would filter every user row (and at national scale its estimate
    # crossed PostgreSQL's JIT threshold: 16 ms of compiling for a 2 ms query).
    return f"""
        WITH care AS (SELECT {care} AS ids),
        staff AS (
            SELECT m.user_id AS id FROM {membership} m WHERE m.team_id = {team} AND {active}
            UNION
            SELECT unnest(care.ids) FROM care
        )
        SELECT u.id, u.first_name, u.last_name, u.username, label.discipline, label.short_name,
            u.id = ANY(care.ids) AS in_care_team
        FROM care, staff JOIN {user} u ON u.id = staff.id AND u.is_active
        LEFT JOIN LATERAL (
            SELECT m.discipline, o.short_name
            FROM {membership} m JOIN {organisation} o ON o.id = m.organisation_id
            WHERE m.user_id = u.id AND {active}
            ORDER BY (m.team_id = {team}) DESC, m.valid_from, m.id
            LIMIT 1
        ) label ON true
    """  # noqa: S608 - built from table names and the caller's expressions only


def other_team_workers(*, client: Client, today: dt.date | None = None) -> QuerySet[User]:
    """Active workers of other teams who are not members of the client's team: only the lead
    of the client's team may add one of them to the care team (with a reason)."""
    day = today or timezone.localdate()
    own = Membership.objects.filter(active_on(day), team_id=client.team_id).values("user_id")
    others = (
        Membership.objects.filter(active_on(day)).exclude(team_id=client.team_id).values("user_id")
    )
    return staff_annotate(
        User.objects.filter(pk__in=others, is_active=True).exclude(pk__in=own),
        team_id=None,
        today=day,
    )
