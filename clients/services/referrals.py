"""Referrals (aanmeldingen) and the team lead's decision on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import (
    STATUS_FOR_DECISION,
    DecisionKind,
    OutflowReason,
    Phase,
    ReferralSource,
    Urgency,
)
from clients.models import CareEpisode, Client, PhaseTransition, Referral, ReferralDecision
from clients.services._common import require_lead, require_team, today_or
from olteams.models import Team


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    team: Team,
    referred_on: dt.date,
    source: str,
    person_name: str,
    question: str,
    urgency: str = Urgency.NORMAL,
    referrer_name: str = "",
    referrer_organisation: str = "",
    client: Client | None = None,
    today: dt.date | None = None,
) -> Referral:
    """Record a referral for ``team``; a known client may be linked straight away."""
    day = today_or(today)
    require_team(actor, team.pk, today=day)
    errors: dict[str, str] = {}
    if not person_name.strip() and client is None:
        errors["person_name"] = _("Vul de naam van de aangemelde persoon in.")
    if not question.strip():
        errors["question"] = _("Beschrijf de hulpvraag, zo veel mogelijk in eigen woorden.")
    if source not in ReferralSource.values:
        errors["source"] = _("Kies wie de persoon aanmeldt.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Kies een urgentie.")
    if referred_on is None:
        errors["referred_on"] = _("Vul de datum van aanmelding in.")
    elif referred_on > day:
        errors["referred_on"] = _("De datum van aanmelding ligt in de toekomst.")
    if client is not None and client.team_id != team.pk:
        errors["client"] = _("Deze cliënt hoort bij een ander team.")
    if errors:
        raise ValidationError(errors)
    return Referral.objects.create(
        team=team,
        client=client,
        person_name=(person_name or (client.full_name if client else "")).strip(),
        referred_on=referred_on,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        question=question.strip(),
        urgency=urgency,
        created_by=actor,
    )


def _open_episode(client: Client | None) -> CareEpisode | None:
    if client is None:
        return None
    return (
        CareEpisode.objects.select_for_update().filter(client=client, ended_on__isnull=True).first()
    )


def _accept(actor: Any, referral: Referral, day: dt.date) -> None:
    if referral.client_id is None:
        raise ValidationError(
            {"kind": _("Registreer eerst de cliënt; daarna kan de aanmelding op de wachtlijst.")}
        )
    client = referral.client
    assert client is not None  # client_id is set (checked above)
    episode = _open_episode(client)
    if episode is None:
        episode = CareEpisode.objects.create(
            client=client,
            referral=referral,
            phase=Phase.REFERRED,
            started_on=min(referral.referred_on, day),
        )
        PhaseTransition.objects.create(
            episode=episode, to_phase=Phase.REFERRED, on=episode.started_on, by=actor
        )
    if episode.phase == Phase.WAITING:
        return
    if episode.phase != Phase.REFERRED:
        raise ValidationError({"kind": _("Deze cliënt is al in intake of in zorg.")})
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=episode.phase,
        to_phase=Phase.WAITING,
        on=day,
        by=actor,
        note=_("Aanmelding geaccepteerd"),
    )
    episode.phase = Phase.WAITING
    episode.save(update_fields=["phase"])


def _close_without_care(
    actor: Any, referral: Referral, kind: str, destination: str, day: dt.date
) -> None:
    """Consultation only or redirect: a waiting episode of this client ends (no care)."""
    episode = _open_episode(referral.client)
    if episode is None:
        return
    if episode.phase not in (Phase.REFERRED, Phase.WAITING):
        raise ValidationError(
            {"kind": _("De cliënt is al in intake of in zorg; sluit de zorg af via uitstroom.")}
        )
    reason = OutflowReason.OTHER_PROVIDER if kind == DecisionKind.REDIRECT else OutflowReason.OTHER
    episode_destination = destination if kind == DecisionKind.REDIRECT else _("Alleen consultatie")
    PhaseTransition.objects.create(
        episode=episode,
        from_phase=episode.phase,
        to_phase=Phase.OUTFLOW,
        on=day,
        by=actor,
        note=episode_destination[:300],
    )
    episode.phase = Phase.OUTFLOW
    episode.ended_on = max(day, episode.started_on)
    episode.outflow_reason = reason
    episode.outflow_destination = episode_destination[:200]
    episode.save(update_fields=["phase", "ended_on", "outflow_reason", "outflow_destination"])


@transaction.atomic
def referral_decide(
    *,
    actor: Any,
    referral: Referral,
    kind: str,
    destination: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> ReferralDecision:
    """The team lead's decision (every decision is kept; the newest sets the status).
    Accept puts the registered client on the waiting list (phase voorzorg/wachtlijst);
    consultation only or redirect ends a waiting episode without care."""
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    require_lead(actor, referral.team_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    destination = destination.strip()
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Kies een besluit.")})
    if kind == DecisionKind.REDIRECT and not destination:
        raise ValidationError({"destination": _("Vul in waarheen de persoon is doorverwezen.")})
    if kind == DecisionKind.ACCEPT:
        _accept(actor, referral, day)
    else:
        _close_without_care(actor, referral, kind, destination, day)
    decision = ReferralDecision.objects.create(
        referral=referral,
        kind=kind,
        destination=destination if kind == DecisionKind.REDIRECT else "",
        note=note.strip(),
        decided_by=actor,
        decided_at=moment,
    )
    referral.status = STATUS_FOR_DECISION[DecisionKind(kind)]
    referral.save(update_fields=["status"])
    return decision
