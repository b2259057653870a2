"""The client's facts that the frame header and the pages both show, read once per request
(``olteams.request_cache.memo``): a client page costs one query per kind of row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clients.constants import FundingStream
from clients.models import Assignment, CareEpisode, Client, Consent, InvolvedOrganisation
from olteams.access import active_on
from olteams.compiled import read_objects
from olteams.json_rows import JsonRows
from olteams.request_cache import known_absent, memo

# Stand-ins of the frame's reads, compiled once per process (olteams.compiled): every
# client page runs them, and composing them with the ORM cost more than running them.
_CLIENT = -987654321
_DAY = dt.date(1901, 1, 1)


# A client read with ``episodes_and_care_team_annotations()`` (the client file) brings the
# episodes and the assignments along as JSON (olteams.json_rows): no statements of their own.
EPISODES_ANNOTATION = "episode_rows"
ASSIGNMENTS_ANNOTATION = "assignment_rows"
_EPISODE_ROWS = JsonRows(CareEpisode)
_ASSIGNMENT_ROWS = JsonRows(Assignment, related="worker")
_UNREAD = object()


def episodes_and_care_team_annotations() -> dict[str, Any]:
    """For a client's own query: every episode (newest first) and every assignment with its
    worker (in the care team's order), which ``client_episodes`` and ``client_care_team``
    then take from the client instead of reading them."""
    return {
        EPISODES_ANNOTATION: _EPISODE_ROWS.annotation(["-started_on", "-id"]),
        ASSIGNMENTS_ANNOTATION: _ASSIGNMENT_ROWS.annotation(["role", "start_date", "id"]),
    }


def client_episodes(*, client: Client) -> list[CareEpisode]:
    """Every care episode of the client, newest first."""

    def read() -> list[CareEpisode]:
        rows = getattr(client, EPISODES_ANNOTATION, _UNREAD)
        if rows is _UNREAD:
            return _episodes(client.pk)
        return _EPISODE_ROWS.instances(client._state.db, rows)  # type: ignore[return-value]

    return memo(("clients.episodes", client.pk), read)


def _episodes(client_id: int) -> list[CareEpisode]:
    return read_objects(
        "clients.episodes",
        CareEpisode,
        lambda client_id: CareEpisode.objects.filter(client_id=client_id).order_by(
            "-started_on", "-id"
        ),
        {"client_id": _CLIENT},
        {"client_id": client_id},
        exactly_once=["client_id"],
    )


def current_episode(*, client: Client) -> CareEpisode | None:
    """The open episode, else the one that ended last (the phase the header shows)."""
    episodes = client_episodes(client=client)
    open_ = [e for e in episodes if e.ended_on is None]
    if open_:
        return open_[0]
    return max(episodes, key=lambda e: (e.ended_on, e.started_on, e.pk), default=None)


def client_care_team(*, client: Client, day: dt.date) -> list[Assignment]:
    """The assignments in force on ``day`` with their workers, by role and start."""

    def read() -> list[Assignment]:
        rows = getattr(client, ASSIGNMENTS_ANNOTATION, _UNREAD)
        if rows is _UNREAD:
            return _care_team(client.pk, day)
        every: list[Assignment] = _ASSIGNMENT_ROWS.instances(client._state.db, rows)  # type: ignore[assignment]
        return [
            a for a in every if a.start_date <= day and (a.end_date is None or a.end_date >= day)
        ]

    return memo(("clients.care_team", client.pk, day), read)


def _care_team(client_id: int, day: dt.date) -> list[Assignment]:
    return read_objects(
        "clients.care_team",
        Assignment,
        lambda client_id, day: (
            Assignment.objects.filter(
                active_on(day, start="start_date", end="end_date"), client_id=client_id
            )
            .select_related("worker")
            .order_by("role", "start_date", "id")
        ),
        {"client_id": _CLIENT, "day": _DAY},
        {"client_id": client_id, "day": day},
        exactly_once=["client_id"],
    )


def client_involved(*, client: Client, day: dt.date) -> list[InvolvedOrganisation]:
    """The organisations involved on ``day``, with the organisation."""
    if known_absent(client, "involved"):
        return []
    return memo(
        ("clients.involved", client.pk, day),
        lambda: list(
            InvolvedOrganisation.objects.filter(
                active_on(day, start="start_date", end="end_date"), client=client
            ).select_related("organisation")
        ),
    )


def client_funding_streams(*, client: Client, day: dt.date) -> list[str]:
    return sorted(
        {
            io.funding_stream
            for io in client_involved(client=client, day=day)
            if io.funding_stream != FundingStream.NONE
        }
    )


def client_has_consent(*, client: Client, day: dt.date) -> bool:
    if known_absent(client, "consent"):
        return False
    return memo(
        ("clients.consent", client.pk, day),
        lambda: (
            Consent.objects.filter(client=client, given_on__lte=day)
            .exclude(withdrawn_on__lte=day)
            .exists()
        ),
    )
