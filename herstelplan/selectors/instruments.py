"""Reads of I.ROC, HoNOS and recovery phase history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from clients.models import Client
from herstelplan.constants import HonosThreshold, IrocArea
from herstelplan.models import (
    HonosAssessment,
    IrocAnswer,
    IrocAnswerLabel,
    IrocAssessment,
    IrocIndicator,
    IrocSelfAnswer,
    IrocSelfAssessment,
    RecoveryPhase,
    TeamInstrumentSettings,
)
from olteams.models import Team


def iroc_indicators() -> list[IrocIndicator]:
    return list(IrocIndicator.objects.order_by("number"))


def iroc_answer_labels() -> dict[int, str]:
    return dict(IrocAnswerLabel.objects.values_list("score", "label"))


def team_instrument_settings_get(*, team: Team | int) -> TeamInstrumentSettings:
    """The team's settings, or the defaults (unsaved) when the team never changed them."""
    team_id = team if isinstance(team, int) else team.pk
    found = TeamInstrumentSettings.objects.filter(team_id=team_id).first()
    return found or TeamInstrumentSettings(team_id=team_id)


@dataclass
class IrocView:
    """One I.ROC with its scores and the area subtotals (3-18) and total (12-72): the
    worker's (``IrocAssessment``) or the client's own at home (``IrocSelfAssessment``)."""

    assessment: IrocAssessment | IrocSelfAssessment
    scores: dict[int, int]
    notes: dict[int, str]
    area_totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @property
    def date(self) -> dt.date:
        return self.assessment.date

    @property
    def area_rows(self) -> list[tuple[str, int]]:
        return [(str(area.label), self.area_totals.get(area.value, 0)) for area in IrocArea]


def iroc_assessment_list(*, client: Client):  # type: ignore[no-untyped-def]
    return (
        IrocAssessment.objects.filter(client=client)
        .select_related("by")
        .prefetch_related("answers")
        .order_by("-date", "-id")
    )


def iroc_history(
    *, client: Client, indicators: list[IrocIndicator] | None = None
) -> list[IrocView]:
    """All I.ROC assessments of the client, newest first, with totals (3 queries)."""
    return _iroc_views(iroc_assessment_list(client=client), indicators)


def _iroc_views(
    assessments: Iterable[IrocAssessment | IrocSelfAssessment],
    indicators: list[IrocIndicator] | None,
) -> list[IrocView]:
    indicators = indicators if indicators is not None else iroc_indicators()
    areas = {i.number: i.area for i in indicators}
    views = []
    for assessment in assessments:
        answers: list[IrocAnswer | IrocSelfAnswer] = list(assessment.answers.all())
        scores = {a.indicator_id: a.score for a in answers}
        totals = dict.fromkeys(IrocArea.values, 0)
        for number, score in scores.items():
            totals[areas[number]] += score
        views.append(
            IrocView(assessment, scores, {a.indicator_id: a.note for a in answers}, totals)
        )
    return views


def iroc_self_assessment_list(*, client: Client):  # type: ignore[no-untyped-def]
    """The client's own I.ROCs filled in at home in the portal, newest first."""
    return (
        IrocSelfAssessment.objects.filter(client=client)
        .prefetch_related("answers")
        .order_by("-date", "-id")
    )


def iroc_self_history(
    *, client: Client, indicators: list[IrocIndicator] | None = None
) -> list[IrocView]:
    """The client's own I.ROCs (self-assessments), newest first, with totals (2 queries)."""
    return _iroc_views(iroc_self_assessment_list(client=client), indicators)


def iroc_latest_scores(*, client: Client) -> dict[int, int]:
    latest = IrocAssessment.objects.filter(client=client).order_by("-date", "-id").values("pk")[:1]
    return dict(
        IrocAnswer.objects.filter(assessment_id__in=latest).values_list("indicator_id", "score")
    )


def iroc_due_date(
    *,
    client: Client,
    today: dt.date | None = None,
    settings: TeamInstrumentSettings | None = None,
    last_date: dt.date | None = None,
) -> dt.date:
    """When the next I.ROC is due: the last one plus the team's interval (3 months by
    default); without any I.ROC yet, it is due now."""
    today = today or timezone.localdate()
    settings = settings or team_instrument_settings_get(team=client.team_id)
    if last_date is None:
        last = IrocAssessment.objects.filter(client=client).order_by("-date").first()
        last_date = last.date if last else None
    if last_date is None:
        return today
    return last_date + relativedelta(months=settings.iroc_interval_months)


@dataclass(frozen=True)
class ThresholdBadge:
    key: str
    label: str
    threshold: int


@dataclass
class HonosView:
    assessment: HonosAssessment
    badges: list[ThresholdBadge]


def honos_threshold_badges(total: int, settings: TeamInstrumentSettings) -> list[ThresholdBadge]:
    """Thresholds the total is above (Nugter et al. 2012): information, not a diagnosis."""
    return [
        ThresholdBadge(key, str(HonosThreshold(key).label), value)
        for key, value in settings.honos_thresholds.items()
        if total > value
    ]


def honos_assessment_list(
    *, client: Client, settings: TeamInstrumentSettings | None = None
) -> list[HonosView]:
    settings = settings or team_instrument_settings_get(team=client.team_id)
    rows = (
        HonosAssessment.objects.filter(client=client)
        .select_related("rater")
        .order_by("-date", "-id")
    )
    return [HonosView(a, honos_threshold_badges(a.total, settings)) for a in rows]


def recovery_phase_list(*, client: Client):  # type: ignore[no-untyped-def]
    return (
        RecoveryPhase.objects.filter(client=client)
        .select_related("recorded_by")
        .order_by("-date", "-id")
    )


def recovery_phase_current(*, client: Client) -> RecoveryPhase | None:
    return recovery_phase_list(client=client).first()
