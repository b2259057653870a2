"""Writes of the measurement instruments: I.ROC, HoNOS, recovery phase, team settings."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from herstelplan.constants import (
    HONOS_ITEM_WITH_PROBLEM_TYPE,
    HONOS_NOT_KNOWN,
    IROC_INDICATOR_COUNT,
    IROC_SCORE_MAX,
    IROC_SCORE_MIN,
    HonosProblemType,
    HonosScore,
    RecoveryPhaseNumber,
)
from herstelplan.models import (
    HONOS_ITEM_FIELDS,
    HonosAssessment,
    IrocAnswer,
    IrocAnswerLabel,
    IrocAssessment,
    IrocIndicator,
    RecoveryPhase,
    TeamInstrumentSettings,
)
from olteams.models import Team, User

logger = logging.getLogger(__name__)

IROC_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "iroc_items.json"


@transaction.atomic
def iroc_items_ensure() -> int:
    """Load the I.ROC indicator and answer wording from ``fixtures/iroc_items.json`` where
    rows are missing; returns how many were created.

    Migration 0002 loads the same file on ``migrate``, but ``manage.py flush`` (and a
    transactional test's flush) empties the tables again. Existing rows are left alone, so an
    administrator's (licensed) wording is never overwritten."""
    models: dict[str, Any] = {
        "herstelplan.irocindicator": IrocIndicator,
        "herstelplan.irocanswerlabel": IrocAnswerLabel,
    }
    created = 0
    for row in json.loads(IROC_FIXTURE.read_text(encoding="utf-8")):
        _, new = models[row["model"]].objects.get_or_create(pk=row["pk"], defaults=row["fields"])
        created += new
    if created:
        logger.info("iroc items loaded created=%s", created)
    return created


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_date(
    errors: dict[str, list[str]], date: dt.date | None, today: dt.date, field: str = "date"
) -> None:
    if date is None:
        errors.setdefault(field, []).append(_("Vul een datum in."))
    elif date > today:
        errors.setdefault(field, []).append(_("De datum mag niet in de toekomst liggen."))


def _check_required(errors: dict[str, list[str]], value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        errors.setdefault(field, []).append(message)


def _clean_iroc_answers(
    answers: Iterable[Mapping[str, Any]], errors: dict[str, list[str]]
) -> dict[int, tuple[int, str]]:
    """Exactly one answer per indicator 1-12, each scored 1-6."""
    cleaned: dict[int, tuple[int, str]] = {}
    problems: list[str] = []
    rows = list(answers)
    for row in rows:
        number = _as_int(row.get("indicator"))
        score = _as_int(row.get("score"))
        if number is None or not 1 <= number <= IROC_INDICATOR_COUNT:
            problems.append(
                _("Indicator %(n)s bestaat niet (kies 1 tot en met 12).")
                % {"n": row.get("indicator")}
            )
            continue
        if number in cleaned:
            problems.append(_("Indicator %(n)s is twee keer beantwoord.") % {"n": number})
            continue
        if score is None or not IROC_SCORE_MIN <= score <= IROC_SCORE_MAX:
            problems.append(
                _("De score bij indicator %(n)s moet 1 tot en met 6 zijn.") % {"n": number}
            )
            continue
        cleaned[number] = (score, (row.get("note") or "").strip())
    if len(rows) != IROC_INDICATOR_COUNT:
        problems.insert(
            0, _("Beantwoord alle 12 vragen; er zijn er nu %(n)s ingevuld.") % {"n": len(rows)}
        )
    if problems:
        errors["answers"] = problems
    return cleaned


@transaction.atomic
def iroc_assessment_create(
    *,
    actor: User,
    client: Client,
    date: dt.date | None,
    filled_in_with: str,
    answers: Iterable[Mapping[str, Any]],
    today: dt.date | None = None,
) -> IrocAssessment:
    """Record an I.ROC filled in with the client: exactly 12 answers, scores 1-6.

    ``answers`` is a list of ``{"indicator": n, "score": s, "note": "…"}``. Nothing is saved
    unless all of it is valid.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_date(errors, date, today)
    _check_required(
        errors, filled_in_with, "filled_in_with", _("Vul in met wie de I.ROC is ingevuld.")
    )
    cleaned = _clean_iroc_answers(answers, errors)
    if errors:
        raise ValidationError(errors)
    assert date is not None  # _check_date reports a missing date
    assessment = IrocAssessment.objects.create(
        client=client, date=date, filled_in_with=filled_in_with.strip(), by=actor
    )
    indicators = {i.number: i for i in IrocIndicator.objects.all()}
    if len(indicators) != IROC_INDICATOR_COUNT:  # wording flushed away: load it again
        iroc_items_ensure()
        indicators = {i.number: i for i in IrocIndicator.objects.all()}
    IrocAnswer.objects.bulk_create(
        IrocAnswer(assessment=assessment, indicator=indicators[n], score=score, note=note)
        for n, (score, note) in sorted(cleaned.items())
    )
    logger.info("iroc created assessment_id=%s client_id=%s", assessment.pk, client.pk)
    return assessment


def _clean_honos(
    scores: Mapping[Any, Any], problem_type: str, errors: dict[str, list[str]]
) -> dict[int, int]:
    cleaned: dict[int, int] = {}
    allowed = set(HonosScore.values)
    for number in range(1, 13):
        value = _as_int(scores.get(number, scores.get(str(number))))
        if value is None or value not in allowed:
            errors.setdefault(f"item_{number}", []).append(
                _("Kies een score van 0 tot en met 4, of 9 (niet bekend).")
            )
        else:
            cleaned[number] = value
    extra = {str(k) for k in scores} - {str(n) for n in range(1, 13)}
    if extra:
        errors.setdefault("scores", []).append(_("HoNOS heeft precies 12 items (1 tot en met 12)."))
    item_8 = cleaned.get(HONOS_ITEM_WITH_PROBLEM_TYPE)
    if problem_type and problem_type not in HonosProblemType.values:
        errors.setdefault("item_8_problem_type", []).append(
            _("Kies een soort probleem A tot en met J.")
        )
    elif item_8 is not None and 1 <= item_8 < HONOS_NOT_KNOWN and not problem_type:
        errors.setdefault("item_8_problem_type", []).append(
            _("Geef bij item 8 aan om welk soort probleem het gaat.")
        )
    elif item_8 is not None and (item_8 == 0 or item_8 == HONOS_NOT_KNOWN) and problem_type:
        errors.setdefault("item_8_problem_type", []).append(
            _("Een soort probleem hoort alleen bij een score van 1 tot en met 4 op item 8.")
        )
    return cleaned


@transaction.atomic
def honos_assessment_create(
    *,
    actor: User,
    client: Client,
    date: dt.date | None,
    scores: Mapping[Any, Any],
    item_8_problem_type: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> HonosAssessment:
    """Record a HoNOS rating by ``actor``: 12 items scored 0-4 or 9 (not known)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_date(errors, date, today)
    cleaned = _clean_honos(scores, item_8_problem_type or "", errors)
    if errors:
        raise ValidationError(errors)
    assert date is not None  # _check_date reports a missing date
    assessment = HonosAssessment.objects.create(
        client=client,
        date=date,
        rater=actor,
        item_8_problem_type=item_8_problem_type or "",
        notes=(notes or "").strip(),
        **{field: cleaned[n] for n, field in enumerate(HONOS_ITEM_FIELDS, start=1)},
    )
    assessment.refresh_from_db(fields=["total", "valid_item_count"])
    logger.info("honos created assessment_id=%s client_id=%s", assessment.pk, client.pk)
    return assessment


@transaction.atomic
def recovery_phase_create(
    *,
    actor: User,
    client: Client,
    phase: Any,
    date: dt.date | None,
    set_with: str,
    note: str = "",
    today: dt.date | None = None,
) -> RecoveryPhase:
    """Add a dated entry to the client's recovery phase history."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_date(errors, date, today)
    number = _as_int(phase)
    if number not in RecoveryPhaseNumber.values:
        errors["phase"] = [_("Kies een fase van 1 tot en met 4.")]
    _check_required(errors, set_with, "set_with", _("Vul in met wie de fase is vastgesteld."))
    if errors:
        raise ValidationError(errors)
    assert date is not None  # _check_date reports a missing date
    assert number is not None  # not in RecoveryPhaseNumber.values otherwise
    return RecoveryPhase.objects.create(
        client=client,
        phase=number,
        date=date,
        set_with=set_with.strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )


SETTINGS_FIELDS = (
    "iroc_interval_months",
    "honos_threshold_outpatient",
    "honos_threshold_residential",
    "honos_threshold_admission",
    "honos_threshold_act",
)


@transaction.atomic
def team_instrument_settings_update(
    *, actor: User, team: Team, **values: Any
) -> TeamInstrumentSettings:
    """Change a team's I.ROC interval (1-24 months) and HoNOS thresholds (0-48)."""
    settings_row, _created = TeamInstrumentSettings.objects.select_for_update().get_or_create(
        team=team
    )
    errors: dict[str, list[str]] = {}
    for field, raw in values.items():
        if field not in SETTINGS_FIELDS:
            raise TypeError(field)
        value = _as_int(raw)
        low, high = (1, 24) if field == "iroc_interval_months" else (0, 48)
        if value is None or not low <= value <= high:
            errors[field] = [
                _("Kies een waarde van %(low)s tot en met %(high)s.") % {"low": low, "high": high}
            ]
        else:
            setattr(settings_row, field, value)
    if errors:
        raise ValidationError(errors)
    settings_row.save()
    logger.info("instrument settings updated team_id=%s user_id=%s", team.pk, actor.pk)
    return settings_row
