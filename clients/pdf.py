"""The intake invitation letter, rendered with a lazily imported WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from clients.models import Intake


def intake_letter_html(intake: Intake) -> str:
    client = intake.episode.client
    return render_to_string(
        "clients/pdf/intake_letter.html",
        {
            "intake": intake,
            "client": client,
            "team": client.team,
            "workers": list(intake.workers.all()),
            "today": timezone.localdate(),
        },
    )


def render_intake_letter(intake: Intake) -> bytes:
    """The letter in the team's style: team address and phone, date and time, 'bring your
    ID' and 'you may always bring a naaste'."""
    from weasyprint import HTML

    return HTML(string=intake_letter_html(intake)).write_pdf()
