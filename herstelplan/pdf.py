"""The Herstelplan as a PDF for the client: plain Dutch, large type, with the I.ROC radar;
the signaleringsplan on one page and as a wallet card."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from herstelplan import selectors
from herstelplan.charts import iroc_radar_chart
from herstelplan.constants import SignalStage
from herstelplan.models import Plan, SignalPlan


def plan_pdf_context(plan: Plan) -> dict:
    indicators = selectors.iroc_indicators()
    history = selectors.iroc_history(client=plan.client, indicators=indicators)
    chart = None
    if history:
        latest = history[0]
        previous = history[1] if len(history) > 1 else None
        chart = iroc_radar_chart(
            labels={i.number: i.label for i in indicators},
            areas={i.number: i.area for i in indicators},
            current=latest.scores,
            current_name=_("Nu (%(d)s)")
            % {"d": formats.date_format(latest.date, "SHORT_DATE_FORMAT")},
            previous=previous.scores if previous else None,
            previous_name=(
                _("Vorige keer (%(d)s)")
                % {"d": formats.date_format(previous.date, "SHORT_DATE_FORMAT")}
                if previous
                else ""
            ),
            uid="pdf-iroc",
        )
    return {
        "plan": plan,
        "client": plan.client,
        "detail": selectors.plan_detail(plan=plan),
        "chart": chart,
        "iroc_latest": history[0] if history else None,
    }


def render_plan_pdf(plan: Plan) -> bytes:
    """Render the plan for the client to take home."""
    from weasyprint import HTML  # heavy import: only when a PDF is rendered

    html = render_to_string("herstelplan/pdf/plan.html", plan_pdf_context(plan))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _signal_context(plan: SignalPlan) -> dict:
    stages = [(stage, SignalStage(stage).label, plan.stage(stage)) for stage in SignalStage.values]
    return {
        "plan": plan,
        "client": plan.client,
        "stages": stages,
        "contacts": list(plan.contacts.all()),
    }


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is rendered

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_signal_plan_pdf(plan: SignalPlan) -> bytes:
    """The signaleringsplan on one A4 page: the three stages, contacts, admission wishes."""
    return _render("herstelplan/pdf/signal_plan.html", _signal_context(plan))


def render_signal_card_pdf(plan: SignalPlan) -> bytes:
    """The wallet card (85.6 by 54 mm pages): crisis contacts, then the red stage."""
    return _render("herstelplan/pdf/signal_card.html", _signal_context(plan))
