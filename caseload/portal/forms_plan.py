"""Input of Mijn plan and Mijn I.ROC. Forms parse; the herstelplan services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from herstelplan.constants import IrocArea
from herstelplan.forms import IrocAssessmentForm, LockForm
from herstelplan.models import IrocIndicator
from herstelplan.services import PLAN_COMMENT_MAX_LENGTH


class PlanCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Uw opmerking"),
        help_text=_("Schrijf wat u wilt veranderen of vragen. Uw team leest het."),
        max_length=PLAN_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Schrijf eerst uw opmerking."),
            "max_length": _("Uw opmerking is te lang. Gebruik minder dan %(limit_value)s tekens."),
        },
    )


class PlanAgreeForm(LockForm):
    """The version of the plan the client read; the button is the agreement."""


class IrocSelfForm(IrocAssessmentForm):
    """The team's I.ROC form (same items, same answers 1-6) without the date and the
    "filled in with" fields: the client fills it in alone, today."""

    def __init__(
        self, *args: Any, indicators: list[IrocIndicator], labels: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, indicators=indicators, labels=labels, **kwargs)
        del self.fields["date"]
        del self.fields["filled_in_with"]
        for indicator in indicators:
            self.fields[f"score_{indicator.number}"].error_messages["required"] = _(
                "Kies bij deze vraag een antwoord."
            )
            self.fields[f"note_{indicator.number}"].label = _(
                "Wilt u iets uitleggen bij vraag %(n)s? (niet verplicht)"
            ) % {"n": indicator.number}

    def areas(self) -> list[tuple[str, str, list[tuple[IrocIndicator, Any, Any]]]]:
        """The questions per HOPE area, in the order of the areas."""
        items = self.items()
        return [
            (str(area.label), area.value, [row for row in items if row[0].area == area.value])
            for area in IrocArea
        ]
