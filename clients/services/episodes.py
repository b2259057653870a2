"""Care episodes: phase transitions, intake, outflow and re-entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import (
    ALLOWED_TRANSITIONS,
    AssignmentRole,
    FundingStream,
    OutflowReason,
    Phase,
)
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Intake,
    Naaste,
    PhaseTransition,
    Referral,
)
from clients.services._common import fmt, today_or
from clients.services.care_team import assignment_set, involved_organisation_add
from olteams.access import active_memberships, require_client
from olteams.models import Organisation


def _lock(episode: CareEpisode) -> CareEpisode:
    return CareEpisode.objects.select_for_update().get(pk=episode.pk)


def _last_transition_on(episode: CareEpisode) -> dt.date:
    last = episode.transitions.order_by("-on", "-id").values_list("on", flat=True).first()
    return last or episode.started_on


def _check_date(episode: CareEpisode, on: dt.date, today: dt.date, field: str = "on") -> None:
    if on is None:
        raise ValidationError({field: _("Vul een datum in.")})
    if on > today:
        raise ValidationError({field: _("De datum ligt in de toekomst.")})
    previous = _last_transition_on(episode)
    if on < previous:
        raise ValidationError(
            {
                field: _("De datum ligt vóór de vorige faseovergang (%(date)s).")
                % {"date": fmt(previous)}
            }
        )


def _check_allowed(episode: CareEpisode, to_phase: str) -> None:
    if episode.ended_on is not None:
        raise ValidationError({"to_phase": _("Deze zorgperiode is afgesloten.")})
    allowed = ALLOWED_TRANSITIONS[Phase(episode.phase)]
    if to_phase not in allowed:
        options = ", ".join(str(Phase(p).label) for p in Phase.values if p in allowed)
        raise ValidationError(
            {
                "to_phase": _(
                    "Van '%(from)s' naar '%(to)s' kan niet: er worden stappen overgeslagen. "
                    "Mogelijk is: %(options)s."
                )
                % {
                    "from": Phase(episode.phase).label,
                    "to": Phase(to_phase).label,
                    "options": options or "—",
                }
            }
        )


def _move(episode: CareEpisode, to_phase: str, on: dt.date, actor: Any, note: str = "") -> None:
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=episode.phase,
        to_phase=to_phase,
        on=on,
        by=actor,
        note=note[:300],
    )
    episode.phase = to_phase
    episode.save(update_fields=["phase"])


@transaction.atomic
def episode_transition(
    *,
    actor: Any,
    episode: CareEpisode,
    to_phase: str,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> CareEpisode:
    """Move an open episode one step along the care path (constants.ALLOWED_TRANSITIONS).
    A jump that skips a step is refused; outflow needs ``episode_outflow`` (a reason) and
    'in zorg' after an intake needs ``intake_complete``."""
    day = today_or(today)
    require_client(actor, episode.client)
    episode = _lock(episode)
    if to_phase not in Phase.values:
        raise ValidationError({"to_phase": _("Kies een fase.")})
    _check_allowed(episode, to_phase)
    if to_phase == Phase.OUTFLOW:
        raise ValidationError(
            {"to_phase": _("Uitstroom vraagt een reden: gebruik 'Uitstroom vastleggen'.")}
        )
    if episode.phase == Phase.INTAKE and to_phase == Phase.IN_CARE:
        raise ValidationError(
            {"to_phase": _("Rond eerst de intake af; dan gaat de cliënt vanzelf in zorg.")}
        )
    _check_date(episode, on, day)
    _move(episode, to_phase, on, actor, note)
    return episode


@transaction.atomic
def episode_voorzorg_contact(
    *, actor: Any, episode: CareEpisode, on: dt.date, today: dt.date | None = None
) -> CareEpisode:
    """Record the first contact before the intake (voorzorg); later contacts change nothing."""
    day = today_or(today)
    require_client(actor, episode.client)
    episode = _lock(episode)
    if episode.phase not in (Phase.REFERRED, Phase.WAITING, Phase.INTAKE):
        raise ValidationError({"on": _("Voorzorg is het contact vóór de intake.")})
    if on is None or on > day:
        raise ValidationError({"on": _("De datum ligt in de toekomst.")})
    if on < episode.started_on:
        raise ValidationError({"on": _("De datum ligt vóór de aanmelding.")})
    if episode.voorzorg_contact_on is None or on < episode.voorzorg_contact_on:
        episode.voorzorg_contact_on = on
        episode.save(update_fields=["voorzorg_contact_on"])
    return episode


def _referral_date(episode: CareEpisode) -> dt.date:
    referral = episode.referral  # no query when referral_id is None
    return referral.referred_on if referral is not None else episode.started_on


def _validate_workers(episode: CareEpisode, workers: list[Any], day: dt.date) -> None:
    if not workers:
        raise ValidationError({"workers": _("Kies minstens één medewerker voor de intake.")})
    team_id = episode.client.team_id
    for worker in workers:
        if not active_memberships(worker, today=day).filter(team_id=team_id).exists():
            raise ValidationError(
                {"workers": _("%(name)s werkt niet in het team van de cliënt.") % {"name": worker}}
            )


@transaction.atomic
def intake_plan(
    *,
    actor: Any,
    episode: CareEpisode,
    planned_on: dt.date,
    planned_time: dt.time,
    location: str,
    workers: Iterable[Any],
    invited_naasten: Iterable[Naaste] = (),
    today: dt.date | None = None,
) -> Intake:
    """Plan (or re-plan) the intake of a waiting client; the episode moves to 'intake'.
    The intake cannot be before the referral date."""
    day = today_or(today)
    require_client(actor, episode.client)
    episode = _lock(episode)
    workers = list(workers)
    errors: dict[str, str] = {}
    if episode.phase not in (Phase.WAITING, Phase.INTAKE):
        errors["planned_on"] = _("Een intake plant u voor een cliënt op de wachtlijst.")
    elif planned_on is None:
        errors["planned_on"] = _("Vul de datum van de intake in.")
    elif planned_on < _referral_date(episode):
        errors["planned_on"] = _("De intake ligt vóór de datum van aanmelding (%(date)s).") % {
            "date": fmt(_referral_date(episode))
        }
    if planned_time is None:
        errors["planned_time"] = _("Vul de tijd van de intake in.")
    if not location.strip():
        errors["location"] = _("Vul de locatie van de intake in.")
    if errors:
        raise ValidationError(errors)
    _validate_workers(episode, workers, day)
    intake = Intake.objects.filter(episode=episode).first()
    if intake is not None and intake.completed_at is not None:
        raise ValidationError({"planned_on": _("De intake is al afgerond.")})
    naasten = list(invited_naasten)
    if any(n.client_id != episode.client_id for n in naasten):
        raise ValidationError({"invited_naasten": _("Deze naaste hoort niet bij de cliënt.")})
    if intake is None:
        intake = Intake(episode=episode, planned_by=actor)
    intake.planned_on, intake.planned_time, intake.location = (
        planned_on,
        planned_time,
        location.strip(),
    )
    intake.naaste_invited = bool(naasten)
    intake.letter_generated_at = None  # a new plan needs a new letter
    intake.save()
    intake.workers.set(workers)
    # the naasten's "uitgenodigd" flag follows the intake: invited ones set, the others
    # (left out of a re-planned intake) cleared
    invited = [n.pk for n in naasten]
    Naaste.objects.filter(pk__in=invited).update(invited_to_intake=True)
    Naaste.objects.filter(client=episode.client, ended_on__isnull=True).exclude(
        pk__in=invited
    ).update(invited_to_intake=False)
    if episode.phase == Phase.WAITING:
        _move(
            episode,
            Phase.INTAKE,
            max(day, _last_transition_on(episode)),
            actor,
            _("Intake gepland"),
        )
    return intake


def intake_letter_generated(
    *, actor: Any, intake: Intake, now: dt.datetime | None = None
) -> Intake:
    """Remember that the invitation letter was produced (the PDF itself is not stored)."""
    intake.letter_generated_at = now or timezone.now()
    intake.save(update_fields=["letter_generated_at"])
    return intake


@transaction.atomic
def intake_complete(
    *,
    actor: Any,
    intake: Intake,
    completed_on: dt.date,
    outcome_notes: str,
    casemanager: Any,
    regiebehandelaar: Any,
    naaste_present: bool = False,
    present_naasten: Iterable[Naaste] = (),
    organisations: Iterable[tuple[Organisation, str]] = (),
    now: dt.datetime | None = None,
) -> Intake:
    """Finish the intake: the outcome, the agreed casemanager and regiebehandelaar, the
    involved organisations (with funding stream); the client moves into care."""
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    episode = _lock(intake.episode)
    require_client(actor, episode.client)
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    errors: dict[str, str] = {}
    if intake.completed_at is not None:
        errors["completed_on"] = _("Deze intake is al afgerond.")
    elif completed_on is None:
        errors["completed_on"] = _("Vul de datum van de intake in.")
    elif completed_on > day:
        errors["completed_on"] = _("De datum ligt in de toekomst.")
    elif completed_on < _referral_date(episode):
        errors["completed_on"] = _("De intake ligt vóór de datum van aanmelding (%(date)s).") % {
            "date": fmt(_referral_date(episode))
        }
    if not outcome_notes.strip():
        errors["outcome_notes"] = _("Schrijf een kort verslag van de intake.")
    if casemanager is None:
        errors["casemanager"] = _("Kies de casemanager.")
    if regiebehandelaar is None:
        errors["regiebehandelaar"] = _("Kies de regiebehandelaar.")
    if errors:
        raise ValidationError(errors)
    _check_allowed(episode, Phase.IN_CARE)
    _check_date(episode, completed_on, day, field="completed_on")
    intake.outcome_notes = outcome_notes.strip()
    intake.naaste_present = naaste_present or bool(list(present_naasten))
    intake.completed_at = moment
    intake.save()
    Naaste.objects.filter(client=episode.client, pk__in=[n.pk for n in present_naasten]).update(
        present_at_intake=True
    )
    client = episode.client
    assignment_set(
        actor=actor,
        client=client,
        worker=casemanager,
        role=AssignmentRole.CASEMANAGER,
        start_date=completed_on,
        today=day,
    )
    assignment_set(
        actor=actor,
        client=client,
        worker=regiebehandelaar,
        role=AssignmentRole.REGIEBEHANDELAAR,
        start_date=completed_on,
        today=day,
    )
    for organisation, funding in organisations:
        involved_organisation_add(
            actor=actor,
            client=client,
            organisation=organisation,
            start_date=completed_on,
            funding_stream=funding or FundingStream.NONE,
            today=day,
        )
    _move(episode, Phase.IN_CARE, completed_on, actor, _("Intake afgerond"))
    return intake


@transaction.atomic
def episode_outflow(
    *,
    actor: Any,
    episode: CareEpisode,
    on: dt.date,
    reason: str,
    destination: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> CareEpisode:
    """End the episode with a reason (required) and destination; the care team's open
    assignments end on the same date. The episode stays in the history."""
    day = today_or(today)
    require_client(actor, episode.client)
    episode = _lock(episode)
    if not reason:
        raise ValidationError({"reason": _("Kies een reden van uitstroom.")})
    if reason not in OutflowReason.values:
        raise ValidationError({"reason": _("Kies een geldige reden van uitstroom.")})
    if reason == OutflowReason.OTHER_PROVIDER and not destination.strip():
        raise ValidationError({"destination": _("Vul in naar welke aanbieder de cliënt gaat.")})
    if episode.ended_on is not None:
        raise ValidationError({"reason": _("Deze zorgperiode is al afgesloten.")})
    _check_date(episode, on, day)
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=episode.phase,
        to_phase=Phase.OUTFLOW,
        on=on,
        by=actor,
        note=(note or str(OutflowReason(reason).label))[:300],
    )
    episode.phase = Phase.OUTFLOW
    episode.ended_on = on
    episode.outflow_reason = reason
    episode.outflow_destination = destination.strip()
    episode.save(update_fields=["phase", "ended_on", "outflow_reason", "outflow_destination"])
    for assignment in Assignment.objects.filter(client=episode.client, end_date__isnull=True):
        assignment.end_date = max(on, assignment.start_date)
        assignment.save(update_fields=["end_date"])
    return episode


@transaction.atomic
def episode_start(
    *, actor: Any, client: Client, on: dt.date, note: str = "", today: dt.date | None = None
) -> CareEpisode:
    """Start the first care period of a client registered without a referral (for example
    met in the neighbourhood): the episode opens on the waiting list (voorzorg/wachtlijst),
    the same phase an accepted referral leads to; the intake is planned from there. A
    client who was in care before comes back through re-entry, not here."""
    day = today_or(today)
    require_client(actor, client)
    Client.objects.select_for_update().filter(pk=client.pk).first()
    if on is None:
        raise ValidationError({"on": _("Vul een datum in.")})
    if on > day:
        raise ValidationError({"on": _("De datum ligt in de toekomst.")})
    episodes = client.episodes.all()
    if episodes.filter(ended_on__isnull=True).exists():
        raise ValidationError({"on": _("Deze cliënt heeft al een lopende zorgperiode.")})
    if episodes.exists():
        raise ValidationError(
            {"on": _("Deze cliënt was al eerder in zorg; gebruik de heraanmelding.")}
        )
    episode = CareEpisode.objects.create(client=client, phase=Phase.WAITING, started_on=on)
    PhaseTransition.objects.create(
        episode=episode,
        to_phase=Phase.WAITING,
        on=on,
        by=actor,
        note=(note.strip() or _("Zorgperiode gestart zonder aanmelding"))[:300],
    )
    return episode


@transaction.atomic
def episode_reenter(
    *,
    actor: Any,
    client: Client,
    on: dt.date,
    casemanager: Any = None,
    referral: Referral | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> CareEpisode:
    """Re-entry after outflow: a new episode opens directly in care, linked to the previous
    one, with a review of the existing plan and story — never a second intake (covenant,
    knelpunt 7)."""
    day = today_or(today)
    require_client(actor, client)
    Client.objects.select_for_update().filter(pk=client.pk).first()
    previous = client.episodes.order_by("-started_on", "-id").first()
    if previous is None:
        raise ValidationError(
            {"on": _("Deze cliënt was nog niet in zorg; meld de cliënt aan via een aanmelding.")}
        )
    if previous.ended_on is None:
        raise ValidationError({"on": _("Deze cliënt heeft al een lopende zorgperiode.")})
    if previous.outflow_reason == OutflowReason.DECEASED:
        raise ValidationError({"on": _("Deze cliënt is overleden.")})
    if on is None or on > day:
        raise ValidationError({"on": _("De datum ligt in de toekomst.")})
    if on < previous.ended_on:
        raise ValidationError(
            {
                "on": _("De datum ligt vóór de uitstroom (%(date)s).")
                % {"date": fmt(previous.ended_on)}
            }
        )
    try:
        with transaction.atomic():
            episode = CareEpisode.objects.create(
                client=client,
                referral=referral,
                phase=Phase.IN_CARE,
                started_on=on,
                reopened_from=previous,
                plan_review_required=True,
            )
    except IntegrityError:
        raise ValidationError({"on": _("Deze cliënt heeft al een lopende zorgperiode.")}) from None
    PhaseTransition.objects.create(
        episode=episode,
        to_phase=Phase.IN_CARE,
        on=on,
        by=actor,
        note=(note or _("Heraanmelding: bestaand plan en verhaal herzien, geen nieuwe intake"))[
            :300
        ],
    )
    if casemanager is not None:
        assignment_set(
            actor=actor,
            client=client,
            worker=casemanager,
            role=AssignmentRole.CASEMANAGER,
            start_date=on,
            today=day,
        )
    return episode
