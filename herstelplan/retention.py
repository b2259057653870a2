"""Retention of the clinical records of herstelplan (olteams.retention): I.ROC and HoNOS
assessments (and the client's own I.ROC self-assessments), recovery phases, Herstelplannen and signaleringsplannen belong to the medical
file and are destroyed 20 years after the last care (clients.retention)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clients.retention import medical_candidates, request_candidates
from herstelplan.models import (
    HonosAssessment,
    IrocAssessment,
    IrocSelfAssessment,
    Plan,
    RecoveryPhase,
    SignalPlan,
)
from olteams import retention
from olteams.constants import RetentionAction

# The client's own I.ROC self-assessments (portal) go with the worker's; plan comments go
# with their plan.
_MODELS = (IrocSelfAssessment, IrocAssessment, HonosAssessment, RecoveryPhase, SignalPlan, Plan)


def _querysets() -> list[tuple[QuerySet, str]]:
    return [(model.objects.all(), "client_id") for model in _MODELS]


def _destroy(client_ids: list[int]) -> int:
    n = 0
    for model in _MODELS:
        n += model.objects.filter(client_id__in=client_ids).delete()[1].get(model._meta.label, 0)
    return n


def register() -> None:
    retention.register_kind(
        retention.RecordKind(
            key="herstelplan.clinical",
            label=_("Herstelplannen, signaleringsplannen, I.ROC, HoNOS en herstelfasen"),
            rule=_("20 jaar na de laatste zorg (Wgbo art. 7:454)"),
            action=RetentionAction.DESTROY,
            order=10,
            expired=lambda today: medical_candidates(today, _querysets()),
            apply=_destroy,
            for_client=lambda client_id, today: request_candidates(client_id, _querysets()),
        )
    )
