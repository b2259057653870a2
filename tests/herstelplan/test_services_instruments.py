from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from herstelplan import services
from herstelplan.models import (
    HonosAssessment,
    IrocAnswer,
    IrocAssessment,
    IrocIndicator,
    RecoveryPhase,
    TeamInstrumentSettings,
)
from tests.factories.herstelplan import iroc_answers, make_honos

TODAY = dt.date(2026, 3, 10)
pytestmark = pytest.mark.django_db


def test_fixture_loads_twelve_indicators_in_four_areas_and_six_labels():
    rows = list(IrocIndicator.objects.values_list("number", "area"))
    assert [n for n, _ in rows] == list(range(1, 13))
    assert [a for _, a in rows] == ["thuis"] * 3 + ["kansen"] * 3 + ["mensen"] * 3 + [
        "empowerment"
    ] * 3
    from herstelplan.selectors import iroc_answer_labels

    assert iroc_answer_labels() == {
        1: "nooit",
        2: "bijna nooit",
        3: "soms",
        4: "vaak",
        5: "meestal",
        6: "altijd",
    }


def test_iroc_create_stores_twelve_answers_with_notes(care_client, member):
    answers = iroc_answers([1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1], notes={3: "Woont nu alleen"})
    assessment = services.iroc_assessment_create(
        actor=member,
        client=care_client,
        date=TODAY,
        filled_in_with=" Cliënt en moeder ",
        answers=answers,
        today=TODAY,
    )
    assert assessment.filled_in_with == "Cliënt en moeder"
    assert assessment.by == member
    assert assessment.total == 42
    areas = dict(IrocIndicator.objects.values_list("number", "area"))
    assert assessment.area_totals(areas) == {
        "thuis": 6,
        "kansen": 15,
        "mensen": 15,
        "empowerment": 6,
    }
    assert IrocAnswer.objects.get(assessment=assessment, indicator_id=3).note == "Woont nu alleen"


def test_iroc_with_eleven_answers_is_refused_and_nothing_saved(care_client, member):
    with pytest.raises(ValidationError) as exc:
        services.iroc_assessment_create(
            actor=member,
            client=care_client,
            date=TODAY,
            filled_in_with="Cliënt",
            answers=iroc_answers()[:11],
            today=TODAY,
        )
    assert exc.value.message_dict == {
        "answers": ["Beantwoord alle 12 vragen; er zijn er nu 11 ingevuld."]
    }
    assert IrocAssessment.objects.count() == 0
    assert IrocAnswer.objects.count() == 0


@pytest.mark.parametrize("score", [0, 7, "x", None, True])
def test_iroc_score_out_of_range_is_refused(care_client, member, score):
    answers = iroc_answers()
    answers[4]["score"] = score
    with pytest.raises(ValidationError) as exc:
        services.iroc_assessment_create(
            actor=member,
            client=care_client,
            date=TODAY,
            filled_in_with="Cliënt",
            answers=answers,
            today=TODAY,
        )
    assert exc.value.message_dict == {
        "answers": ["De score bij indicator 5 moet 1 tot en met 6 zijn."]
    }
    assert IrocAssessment.objects.count() == 0


def test_iroc_duplicate_and_unknown_indicators_are_refused(care_client, member):
    answers = iroc_answers()
    answers[1]["indicator"] = 1
    answers[2]["indicator"] = 13
    with pytest.raises(ValidationError) as exc:
        services.iroc_assessment_create(
            actor=member,
            client=care_client,
            date=TODAY,
            filled_in_with="Cliënt",
            answers=answers,
            today=TODAY,
        )
    assert exc.value.message_dict["answers"] == [
        "Indicator 1 is twee keer beantwoord.",
        "Indicator 13 bestaat niet (kies 1 tot en met 12).",
    ]


def test_iroc_date_in_future_and_missing_with_whom_are_refused(care_client, member):
    with pytest.raises(ValidationError) as exc:
        services.iroc_assessment_create(
            actor=member,
            client=care_client,
            date=TODAY + dt.timedelta(days=1),
            filled_in_with=" ",
            answers=iroc_answers(),
            today=TODAY,
        )
    assert exc.value.message_dict == {
        "date": ["De datum mag niet in de toekomst liggen."],
        "filled_in_with": ["Vul in met wie de I.ROC is ingevuld."],
    }


def test_honos_totals_subscales_and_incomplete_flag(care_client, member):
    scores = {1: 2, 2: 0, 3: 4, 4: 9, 5: 1, 6: 3, 7: 2, 8: 1, 9: 9, 10: 2, 11: 0, 12: 4}
    honos = services.honos_assessment_create(
        actor=member,
        client=care_client,
        date=TODAY,
        scores=scores,
        item_8_problem_type="D",
        notes="Na opname",
        today=TODAY,
    )
    assert honos.total == 19
    assert honos.valid_item_count == 10
    assert honos.is_incomplete is True
    assert honos.subscales == {"behaviour": 6, "impairment": 1, "symptoms": 6, "social": 6}
    stored = HonosAssessment.objects.get()
    assert (stored.total, stored.valid_item_count, stored.rater) == (19, 10, member)


def test_honos_complete_assessment_is_not_incomplete(care_client, member):
    honos = make_honos(care_client, member, date=TODAY, scores=4)
    assert (honos.total, honos.valid_item_count, honos.is_incomplete) == (48, 12, False)


def test_honos_invalid_scores_and_problem_type_rules(care_client, member):
    scores = dict.fromkeys(range(1, 13), 0)
    scores[3] = 5
    scores[8] = 2
    del scores[12]
    with pytest.raises(ValidationError) as exc:
        services.honos_assessment_create(
            actor=member, client=care_client, date=TODAY, scores=scores, today=TODAY
        )
    assert exc.value.message_dict == {
        "item_3": ["Kies een score van 0 tot en met 4, of 9 (niet bekend)."],
        "item_12": ["Kies een score van 0 tot en met 4, of 9 (niet bekend)."],
        "item_8_problem_type": ["Geef bij item 8 aan om welk soort probleem het gaat."],
    }
    assert HonosAssessment.objects.count() == 0


def test_honos_problem_type_without_item_8_problem_is_refused(care_client, member):
    scores = dict.fromkeys(range(1, 13), 0)
    with pytest.raises(ValidationError) as exc:
        services.honos_assessment_create(
            actor=member,
            client=care_client,
            date=TODAY,
            scores=scores,
            item_8_problem_type="A",
            today=TODAY,
        )
    assert exc.value.message_dict == {
        "item_8_problem_type": [
            "Een soort probleem hoort alleen bij een score van 1 tot en met 4 op item 8."
        ]
    }


def test_recovery_phase_history(care_client, member):
    services.recovery_phase_create(
        actor=member,
        client=care_client,
        phase=2,
        date=dt.date(2026, 1, 5),
        set_with="Cliënt",
        today=TODAY,
    )
    services.recovery_phase_create(
        actor=member,
        client=care_client,
        phase="1",
        date=dt.date(2026, 2, 5),
        set_with="Cliënt en zus",
        note="Terugval na verhuizing",
        today=TODAY,
    )
    rows = list(RecoveryPhase.objects.order_by("date").values_list("phase", "set_with", "note"))
    assert rows == [(2, "Cliënt", ""), (1, "Cliënt en zus", "Terugval na verhuizing")]
    assert RecoveryPhase.objects.order_by("date").last().get_phase_display() == (
        "Overweldigd door de aandoening"
    )


def test_recovery_phase_out_of_range_is_refused(care_client, member):
    with pytest.raises(ValidationError) as exc:
        services.recovery_phase_create(
            actor=member, client=care_client, phase=5, date=TODAY, set_with="", today=TODAY
        )
    assert exc.value.message_dict == {
        "phase": ["Kies een fase van 1 tot en met 4."],
        "set_with": ["Vul in met wie de fase is vastgesteld."],
    }


def test_team_settings_update_and_validation(team, lead):
    row = services.team_instrument_settings_update(
        actor=lead, team=team, iroc_interval_months="6", honos_threshold_act=15
    )
    assert (row.iroc_interval_months, row.honos_threshold_act, row.honos_threshold_outpatient) == (
        6,
        15,
        10,
    )
    with pytest.raises(ValidationError) as exc:
        services.team_instrument_settings_update(actor=lead, team=team, iroc_interval_months=0)
    assert exc.value.message_dict == {
        "iroc_interval_months": ["Kies een waarde van 1 tot en met 24."]
    }
    assert TeamInstrumentSettings.objects.get(team=team).iroc_interval_months == 6
