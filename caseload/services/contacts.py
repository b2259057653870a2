"""Contacts: logging and changing them, the funding proposal and the note's category."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from caseload.constants import ContactFunding, ContactKind
from caseload.models import Contact, ContactWorker
from caseload.services._common import (
    check_choice,
    check_minutes,
    membership_on,
    raise_if,
)
from clients.constants import FundingStream, Phase
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    InvolvedOrganisation,
    PhaseTransition,
)
from clients.services import episode_voorzorg_contact
from herstelplan.models import Goal
from olteams.access import active_on, require_client, team_ids_for
from olteams.constants import (
    TREATMENT_DISCIPLINES,
    DataCategory,
    OrganisationKind,
    TeamRole,
)
from olteams.models import Membership, User
from wmo.models import Indication
from wmo.services import indication_care_start

# Which consent category a report falls under, by the author's mother organisation.
NOTE_CATEGORY_FOR_ORGANISATION: dict[str, str] = {
    OrganisationKind.GGZ: DataCategory.GGZ_TREATMENT,
    OrganisationKind.VERSLAVINGSZORG: DataCategory.ADDICTION_TREATMENT,
    OrganisationKind.BEGELEIDING: DataCategory.WMO_SUPPORT,
}
_BEFORE_INTAKE = (Phase.REFERRED, Phase.WAITING, Phase.INTAKE)


def note_category_for(organisation_kind: str) -> str:
    """GGZ → GGZ treatment, addiction care → addiction treatment, support → Wmo support,
    welfare and everything else → welfare."""
    return NOTE_CATEGORY_FOR_ORGANISATION.get(organisation_kind, DataCategory.WELFARE)


def _episode_on(client: Client, day: dt.date) -> CareEpisode | None:
    """The care episode that covers ``day`` (the newest when periods touch)."""
    return (
        CareEpisode.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day), client=client, started_on__lte=day
        )
        .order_by("-started_on", "-id")
        .first()
    )


def _phase_on(episode: CareEpisode | None, day: dt.date) -> str | None:
    """The episode's phase on ``day`` from its transitions (a back-dated contact gets the
    phase of its own day, not today's)."""
    if episode is None:
        return None
    phase = (
        PhaseTransition.objects.filter(episode=episode, on__lte=day)
        .order_by("-on", "-id")
        .values_list("to_phase", flat=True)
        .first()
    )
    return phase or episode.phase


def _involved_funding(client: Client, day: dt.date) -> set[str]:
    return set(
        InvolvedOrganisation.objects.filter(
            active_on(day, start="start_date", end="end_date"), client=client
        ).values_list("funding_stream", flat=True)
    )


def funding_stream_propose(*, client: Client, worker_discipline: str, day: dt.date) -> str:
    """The funding stream a contact on ``day`` most likely falls under.

    Support disciplines with an active Wmo indication → Wmo; treatment disciplines when an
    involved organisation is funded by the Zvw or the client is in care → Zvw; an involved
    Wlz organisation → Wlz; otherwise unpaid work by phase: before the intake voorzorg,
    in aftercare nazorg, else "lijntje houden". The user may override the proposal.
    """
    treatment = worker_discipline in TREATMENT_DISCIPLINES
    phase = _phase_on(_episode_on(client, day), day)
    if not treatment:
        indications = Indication.objects.filter(active_on(day, start="start", end="end"))
        if indications.filter(client=client).exists():
            return ContactFunding.WMO
    involved = _involved_funding(client, day)
    if treatment and (FundingStream.ZVW in involved or phase == Phase.IN_CARE):
        return ContactFunding.ZVW
    if FundingStream.WLZ in involved:
        return ContactFunding.WLZ
    if phase in _BEFORE_INTAKE:
        return ContactFunding.VOORZORG
    if phase == Phase.AFTERCARE:
        return ContactFunding.NAZORG
    return ContactFunding.LIJNTJE_HOUDEN


def _ids(values: Iterable[Any]) -> list[int]:
    return [int(getattr(v, "pk", v)) for v in values]


def _workers(
    actor: User, client: Client, worker_ids: list[int], day: dt.date, errors: dict[str, str]
) -> list[tuple[User, Membership]]:
    """The workers present (the actor always), each with the membership to snapshot."""
    ids = list(dict.fromkeys([actor.pk, *worker_ids]))
    users = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
    in_team = set(
        Membership.objects.filter(
            active_on(day), team_id=client.team_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    assigned = set(
        Assignment.objects.filter(
            active_on(day, start="start_date", end="end_date"), client=client, worker_id__in=ids
        ).values_list("worker_id", flat=True)
    )
    result = []
    for pk in ids:
        user = users.get(pk)
        membership = (
            membership_on(user, day=day, team_id=client.team_id) if user is not None else None
        )
        if user is None or (pk not in in_team and pk not in assigned) or membership is None:
            errors["workers"] = _(
                "%(name)s werkte op die dag niet in het team van de cliënt en was niet aan "
                "de cliënt toegewezen."
            ) % {"name": user or pk}
            return []
        result.append((user, membership))
    return result


def _goal_ids(client: Client, goals: Iterable[Any], errors: dict[str, str]) -> list[int]:
    ids = set(_ids(goals))
    found = set(Goal.objects.filter(pk__in=ids, plan__client=client).values_list("pk", flat=True))
    if found != ids:
        errors["goals"] = _("Kies alleen doelen uit het herstelplan van deze cliënt.")
    return sorted(found)


def _check_care_period(errors: dict[str, str], client: Client, day: dt.date) -> None:
    """A contact cannot predate the client's first care period: it would count as care (or
    voorzorg) before the team knew the client. Contacts before the intake belong to the
    voorzorg phase of the period, so the period starts on the referral or the start date
    the team chose ("Zorgperiode starten"). A client without any period yet is not checked:
    consultation-like contacts with a registered person stay possible."""
    first = client.episodes.order_by("started_on").values_list("started_on", flat=True).first()
    if first is not None and day < first:
        errors["starts_at"] = _(
            "Het contact ligt vóór het begin van de zorgperiode (%(date)s). Pas de datum aan."
        ) % {"date": formats.date_format(first, "j F Y")}


def _validate(
    *,
    actor: User,
    client: Client,
    starts_at: Any,
    duration_minutes: Any,
    travel_minutes: Any,
    kind: Any,
    funding_stream: Any,
    workers: Iterable[Any],
    goals: Iterable[Any],
    now: dt.datetime,
) -> tuple[dt.date, list[tuple[User, Membership]], list[int]]:
    errors: dict[str, str] = {}
    check_minutes(errors, "duration_minutes", duration_minutes, minimum=1, label=_("De duur"))
    check_minutes(errors, "travel_minutes", travel_minutes, minimum=0, label=_("De reistijd"))
    check_choice(errors, "kind", kind, ContactKind)
    if funding_stream:
        check_choice(errors, "funding_stream", funding_stream, ContactFunding)
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        raise_if({**errors, "starts_at": _("Vul een datum en tijd in.")})
    if starts_at > now:
        errors["starts_at"] = _("Het contact ligt in de toekomst.")
    day = timezone.localdate(starts_at)
    _check_care_period(errors, client, day)
    present = _workers(actor, client, _ids(workers), day, errors)
    goal_ids = _goal_ids(client, goals, errors)
    raise_if(errors)
    return day, present, goal_ids


def _save_presences(contact: Contact, present: list[tuple[User, Membership]]) -> None:
    contact.presences.all().delete()
    ContactWorker.objects.bulk_create(
        ContactWorker(
            contact=contact,
            worker=user,
            organisation_id=membership.organisation_id,
            discipline=membership.discipline,
        )
        for user, membership in present
    )


def _voorzorg(actor: User, client: Client, day: dt.date, today: dt.date) -> None:
    """A contact before the intake is the episode's voorzorg contact (idempotent there)."""
    episode = CareEpisode.objects.filter(client=client, ended_on__isnull=True).first()
    if episode is not None and episode.phase in _BEFORE_INTAKE and day >= episode.started_on:
        episode_voorzorg_contact(actor=actor, episode=episode, on=day, today=today)


def _wmo_start(actor: User, contact: Contact, today: dt.date) -> None:
    """A Wmo-funded contact is delivered support: the first one within an indication
    records its WMO305 start message (the Wmo app keeps it once per indication)."""
    if contact.funding_stream == ContactFunding.WMO:
        indication_care_start(
            actor=actor, client_id=contact.client_id, day=contact.date, today=today
        )


@transaction.atomic
def contact_log(
    *,
    actor: User,
    client: Client,
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    workers: Iterable[Any] = (),
    naaste_present: bool = False,
    goals: Iterable[Any] = (),
    note: str = "",
    travel_minutes: int = 0,
    funding_stream: str | None = None,
    now: dt.datetime | None = None,
) -> Contact:
    """Log a contact with ``client``; ``workers`` and ``goals`` are objects or ids.

    The actor is always one of the workers; every worker must be in the client's team or
    assigned to the client on the day, and is stored with the organisation and discipline
    of that day. The funding proposal is stored next to the (possibly overridden) choice.
    """
    now = now or timezone.now()
    require_client(actor, client)
    day, present, goal_ids = _validate(
        actor=actor,
        client=client,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        travel_minutes=travel_minutes,
        kind=kind,
        funding_stream=funding_stream,
        workers=workers,
        goals=goals,
        now=now,
    )
    author_membership = present[0][1]
    proposed = funding_stream_propose(
        client=client, worker_discipline=author_membership.discipline, day=day
    )
    contact = Contact.objects.create(
        client=client,
        team_id=client.team_id,
        starts_at=starts_at,
        date=day,
        duration_minutes=duration_minutes,
        travel_minutes=travel_minutes,
        kind=kind,
        naaste_present=bool(naaste_present),
        note=(note or "").strip(),
        note_category=note_category_for(author_membership.organisation.kind),
        funding_stream=funding_stream or proposed,
        funding_proposed=proposed,
        author=actor,
    )
    _save_presences(contact, present)
    contact.goals.set(goal_ids)
    _voorzorg(actor, client, day, timezone.localdate(now))
    _wmo_start(actor, contact, timezone.localdate(now))
    return contact


def can_change_contact(actor: User, contact: Contact) -> bool:
    """The author changes their own contact; a team lead of the contact's team any."""
    if contact.author_id == actor.pk:
        return True
    return contact.team_id in team_ids_for(actor, roles=(TeamRole.LEAD,))


@transaction.atomic
def contact_update(
    *,
    actor: User,
    contact: Contact,
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    workers: Iterable[Any] = (),
    naaste_present: bool = False,
    goals: Iterable[Any] = (),
    note: str = "",
    travel_minutes: int = 0,
    funding_stream: str | None = None,
    now: dt.datetime | None = None,
) -> Contact:
    """Correct a contact (author or team lead). The author stays among the workers."""
    now = now or timezone.now()
    contact = (
        Contact.objects.select_for_update().select_related("client", "author").get(pk=contact.pk)
    )
    client = contact.client
    require_client(actor, client)
    if not can_change_contact(actor, contact):
        raise PermissionDenied(_("Alleen de schrijver of de teamleider kan dit contact wijzigen."))
    author = contact.author
    day, present, goal_ids = _validate(
        actor=author,
        client=client,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        travel_minutes=travel_minutes,
        kind=kind,
        funding_stream=funding_stream,
        workers=workers,
        goals=goals,
        now=now,
    )
    proposed = funding_stream_propose(
        client=client, worker_discipline=present[0][1].discipline, day=day
    )
    contact.starts_at, contact.date = starts_at, day
    contact.duration_minutes, contact.travel_minutes = duration_minutes, travel_minutes
    contact.kind, contact.naaste_present = kind, bool(naaste_present)
    contact.note = (note or "").strip()
    contact.funding_proposed = proposed
    contact.funding_stream = funding_stream or proposed
    contact.save()
    _save_presences(contact, present)
    contact.goals.set(goal_ids)
    _wmo_start(actor, contact, timezone.localdate(now))
    return contact
