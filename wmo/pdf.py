"""The decision letter (beschikking) as PDF, rendered by a lazily imported WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from wmo.constants import (
    CAK_CONTRIBUTION_YEAR,
    CAK_MONTHLY_CONTRIBUTION,
    OBJECTION_WEEKS,
    DecisionKind,
)
from wmo.iwmo import provider_organisation_name
from wmo.models import Decision


def decision_letter_context(decision: Decision) -> dict:
    request = decision.request
    indication = getattr(decision, "indication", None)
    melding = getattr(request, "melding", None)
    return {
        "decision": decision,
        "request": request,
        "client": request.client,
        "municipality": decision.municipality,
        "indication": indication,
        # The municipal route: the support goals written with the resident.
        "goals": list(melding.goals.all()) if melding is not None else list(request.goals.all()),
        "arrangement": indication.arrangement if indication is not None else None,
        "granted": decision.kind
        in (DecisionKind.GRANTED, DecisionKind.GRANTED_CHANGED, DecisionKind.TEMPORARY),
        "objection_weeks": OBJECTION_WEEKS,
        # The provider organisation asked (with the client's consent), not "the team".
        "provider": provider_organisation_name(request),
        "cak_amount": CAK_MONTHLY_CONTRIBUTION,
        "cak_year": CAK_CONTRIBUTION_YEAR,
    }


def render_decision_letter(decision: Decision) -> bytes:
    """The beschikking in Dutch, with the right to object (bezwaar binnen zes weken)."""
    from weasyprint import HTML  # heavy import: only when a letter is rendered

    html = render_to_string("wmo/pdf/decision_letter.html", decision_letter_context(decision))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_goal_report(*, rows: list, start: Any, end: Any) -> bytes:
    """The goal-attainment report to the municipality (aggregated, small numbers withheld)."""
    from weasyprint import HTML

    html = render_to_string("wmo/pdf/goal_report.html", {"rows": rows, "start": start, "end": end})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
