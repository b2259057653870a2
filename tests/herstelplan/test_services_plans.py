from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from herstelplan import services
from herstelplan.constants import AgreementMethod, EvaluationOutcome, GoalStatus, PlanStatus
from herstelplan.models import Evaluation, Goal, GoalAction, Plan, PlanChange
from herstelplan.services import PlanConflictError
from tests.factories.herstelplan import make_plan

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_plan_create_starts_draft_version_one_with_history(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    assert (plan.version, plan.status, plan.lock_version) == (1, PlanStatus.DRAFT, 1)
    assert list(plan.changes.values_list("field_label", "changed_by")) == [
        ("Herstelplan aangemaakt", member.pk)
    ]


def test_second_draft_is_refused(care_client, member):
    services.plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=member, client=care_client)
    assert exc.value.message_dict == {"plan": ["Er is al een conceptversie van het herstelplan."]}
    assert Plan.objects.count() == 1


def test_plan_update_records_changes_and_bumps_lock(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    plan = services.plan_update(
        actor=member,
        plan=plan,
        lock_version=1,
        who_i_am=" Ik ben Sanne ",
        wishes="Een hond",
        valid_from=dt.date(2026, 3, 15),
    )
    assert (plan.who_i_am, plan.wishes, plan.lock_version) == ("Ik ben Sanne", "Een hond", 2)
    changes = list(
        plan.changes.filter(lock_version=2).values_list("field", "old_value", "new_value")
    )
    assert changes == [
        ("who_i_am", "", "Ik ben Sanne"),
        ("wishes", "", "Een hond"),
        ("valid_from", "", "2026-03-15"),
    ]


def test_plan_update_without_changes_keeps_lock_version(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    plan = services.plan_update(actor=member, plan=plan, lock_version=1, who_i_am="")
    assert plan.lock_version == 1


def test_stale_save_raises_conflict_naming_who_changed_what(
    care_client, member, assigned_colleague
):
    plan = services.plan_create(actor=member, client=care_client)
    services.plan_update(actor=assigned_colleague, plan=plan, lock_version=1, dreams="Naar Italië")
    with pytest.raises(PlanConflictError) as exc:
        services.plan_update(actor=member, plan=plan, lock_version=1, dreams="Een eigen huis")
    plan.refresh_from_db()
    assert plan.dreams == "Naar Italië"
    assert plan.lock_version == 2
    assert exc.value.summary == ['Karin Mulder wijzigde "mijn dromen" op 10 mrt 2026 11:00']
    assert "uw tekst staat nog in het formulier" in exc.value.message


def test_review_date_before_start_is_refused(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            actor=member,
            plan=plan,
            lock_version=1,
            valid_from=dt.date(2026, 4, 1),
            review_date=dt.date(2026, 3, 1),
        )
    assert exc.value.message_dict == {
        "review_date": ["De evaluatiedatum moet op of na de startdatum van het plan liggen."]
    }


def test_goals_with_indicators_actions_and_delete(care_client, member, org_ggz):
    plan = services.plan_create(actor=member, client=care_client)
    goal = services.goal_create(
        actor=member,
        plan=plan,
        lock_version=1,
        text="Ik wil weer fietsen",
        priority=2,
        indicators=["5", 4, 5],
    )
    assert sorted(goal.indicators.values_list("number", flat=True)) == [4, 5]
    services.goal_action_create(
        actor=member,
        goal=goal,
        lock_version=2,
        description="Samen naar de fietsenmaker",
        performer="worker",
        worker=member,
        frequency="1x",
    )
    services.goal_action_create(
        actor=member,
        goal=goal,
        lock_version=3,
        description="Fietsmaatje zoeken",
        performer="organisation",
        organisation=org_ggz,
    )
    services.goal_action_create(
        actor=member,
        goal=goal,
        lock_version=4,
        description="Meefietsen",
        performer="naaste",
        performer_name="Broer Tom",
        frequency="wekelijks",
    )
    goal = services.goal_update(
        actor=member, goal=goal, lock_version=5, indicators=[5], text="Ik wil elke week fietsen"
    )
    assert sorted(goal.indicators.values_list("number", flat=True)) == [5]
    plan.refresh_from_db()
    assert plan.lock_version == 6
    labels = list(plan.changes.filter(lock_version=6).values_list("field_label", flat=True))
    assert labels == [
        'Doel "Ik wil weer fietsen": doel (in de woorden van de cliënt)',
        'Doel "Ik wil weer fietsen": I.ROC-indicatoren',
    ]
    action = goal.actions.first()
    services.goal_action_delete(actor=member, action=action, lock_version=6)
    assert GoalAction.objects.count() == 2
    services.goal_delete(actor=member, goal=goal, lock_version=7)
    assert Goal.objects.count() == 0
    assert GoalAction.objects.count() == 0


def test_goal_validation_messages(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.goal_create(
            actor=member, plan=plan, lock_version=1, text=" ", priority=0, indicators=[13]
        )
    assert exc.value.message_dict == {
        "text": ["Schrijf het doel op in de woorden van de cliënt."],
        "priority": ["De prioriteit is een getal van 1 tot en met 99."],
        "indicators": ["Kies I.ROC-indicatoren uit 1 tot en met 12."],
    }
    plan.refresh_from_db()
    assert plan.lock_version == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"performer": "worker"}, "worker", "Kies de medewerker die het doet."),
        ({"performer": "organisation"}, "organisation", "Kies de organisatie die het doet."),
        ({"performer": "naaste"}, "performer_name", "Vul de naam van de naaste in."),
        ({"performer": "buurman"}, "performer", "Kies wie het doet."),
    ],
)
def test_action_needs_its_performer(care_client, member, kwargs, field, message):
    plan = make_plan(care_client, member)
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as exc:
        services.goal_action_create(
            actor=member,
            goal=goal,
            lock_version=plan.lock_version,
            description="Iets doen",
            **kwargs,
        )
    assert exc.value.message_dict == {field: [message]}


def test_activating_an_unagreed_plan_is_refused(care_client, member):
    plan = make_plan(care_client, member)
    with pytest.raises(ValidationError) as exc:
        services.plan_activate(actor=member, plan=plan, lock_version=plan.lock_version)
    assert exc.value.message_dict == {
        "plan": [
            "Alleen een plan waarmee de cliënt akkoord is, kan actief worden. "
            "Leg eerst het akkoord vast."
        ]
    }
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_agreement_validation(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.plan_agreement_record(
            actor=member,
            plan=plan,
            lock_version=1,
            agreed_on=TODAY + dt.timedelta(days=1),
            agreed_how="fax",
        )
    assert exc.value.message_dict == {
        "agreed_on": ["De datum van het akkoord mag niet in de toekomst liggen."],
        "agreed_how": ["Kies hoe de cliënt akkoord gaf."],
        "plan": ["Een plan zonder doelen kan niet worden afgesproken."],
    }


def test_agree_activate_defaults_dates_and_archives_previous(care_client, member):
    first = make_plan(care_client, member, agreed_on=dt.date(2026, 1, 5), activate=True)
    assert (first.status, first.valid_from, first.review_date, first.agreed_recorded_by) == (
        PlanStatus.ACTIVE,
        TODAY,
        dt.date(2026, 9, 10),
        member,
    )
    second = services.plan_create(actor=member, client=care_client)
    assert (second.version, second.copied_from_id) == (2, first.pk)
    assert list(second.goals.values_list("text", flat=True)) == ["Weer werken"]
    assert list(second.goals.get().indicators.values_list("number", flat=True)) == [6]
    second = services.plan_agreement_record(
        actor=member,
        plan=second,
        lock_version=second.lock_version,
        agreed_on=TODAY,
        agreed_how=AgreementMethod.VERBAL,
    )
    second = services.plan_activate(actor=member, plan=second, lock_version=second.lock_version)
    first.refresh_from_db()
    assert (first.status, first.archived_on) == (PlanStatus.ARCHIVED, TODAY)
    assert second.status == PlanStatus.ACTIVE
    assert Plan.objects.filter(client=care_client, status=PlanStatus.ACTIVE).count() == 1


def test_changing_an_agreed_draft_lapses_the_agreement(care_client, member):
    plan = make_plan(care_client, member, agreed_on=TODAY)
    assert plan.is_agreed
    plan = services.plan_update(
        actor=member, plan=plan, lock_version=plan.lock_version, strengths="Doorzetter"
    )
    assert (plan.agreed_on, plan.agreed_how, plan.agreed_recorded_by) == (None, "", None)
    assert plan.changes.filter(field="agreed_on", new_value="").exists()


@pytest.mark.parametrize("status", [PlanStatus.ARCHIVED, PlanStatus.ACTIVE])
def test_editing_a_non_draft_version_is_refused(care_client, member, status):
    plan = make_plan(care_client, member, activate=True)
    if status == PlanStatus.ARCHIVED:
        draft = services.plan_create(actor=member, client=care_client)
        draft = services.plan_agreement_record(
            actor=member,
            plan=draft,
            lock_version=draft.lock_version,
            agreed_on=TODAY,
            agreed_how="paper",
        )
        services.plan_activate(actor=member, plan=draft, lock_version=draft.lock_version)
    plan.refresh_from_db()
    assert plan.status == status
    expected = {
        PlanStatus.ARCHIVED: "Een gearchiveerde versie kan niet meer worden gewijzigd.",
        PlanStatus.ACTIVE: "Een actief plan wijzigt u niet rechtstreeks: maak een nieuwe versie.",
    }[status]
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            actor=member, plan=plan, lock_version=plan.lock_version, who_i_am="Nieuw"
        )
    assert exc.value.message_dict == {"plan": [expected]}
    with pytest.raises(ValidationError):
        services.goal_create(actor=member, plan=plan, lock_version=plan.lock_version, text="X")
    plan.refresh_from_db()
    assert plan.who_i_am == ""


def test_evaluation_before_plan_start_is_refused(care_client, member):
    plan = make_plan(care_client, member, activate=True)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(
            actor=member, plan=plan, date=dt.date(2026, 3, 9), text="Gaat goed"
        )
    assert exc.value.message_dict == {
        "date": ["De evaluatie ligt vóór de start van het plan (10 mrt 2026)."]
    }
    assert Evaluation.objects.count() == 0


def test_evaluation_of_a_draft_or_in_the_future_is_refused(care_client, member):
    plan = make_plan(care_client, member)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(
            actor=member, plan=plan, date=TODAY + dt.timedelta(days=2), text=""
        )
    assert exc.value.message_dict == {
        "plan": ["Alleen het plan dat nu geldt, kan worden geëvalueerd."],
        "date": ["De datum van de evaluatie mag niet in de toekomst liggen."],
        "text": ["Schrijf op wat er uit de evaluatie kwam."],
    }


def test_goal_evaluation_closes_goal_and_moves_dates(care_client, member):
    plan = make_plan(
        care_client, member, goals=[("Werk", [6]), ("Vrienden", [7, 8])], activate=True
    )
    work, friends = plan.goals.order_by("priority")
    services.evaluation_create(
        actor=member,
        plan=plan,
        goal=work,
        date=TODAY,
        text="Baan gevonden",
        outcome=EvaluationOutcome.GOAL_ACHIEVED,
    )
    services.evaluation_create(
        actor=member,
        plan=plan,
        goal=friends,
        date=TODAY,
        text="Loopt",
        next_evaluation_date=dt.date(2026, 6, 1),
    )
    services.evaluation_create(
        actor=member,
        plan=plan,
        date=TODAY,
        text="Plan loopt goed",
        next_evaluation_date=dt.date(2026, 12, 1),
    )
    work.refresh_from_db()
    friends.refresh_from_db()
    plan.refresh_from_db()
    assert (work.status, work.closed_on) == (GoalStatus.ACHIEVED, TODAY)
    assert (friends.status, friends.evaluation_date) == (GoalStatus.ACTIVE, dt.date(2026, 6, 1))
    assert plan.review_date == dt.date(2026, 12, 1)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(actor=member, plan=plan, goal=work, date=TODAY, text="Nog eens")
    assert exc.value.message_dict == {"goal": ["Dit doel is al afgesloten."]}


def test_closing_outcome_needs_a_goal(care_client, member):
    plan = make_plan(care_client, member, activate=True)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(
            actor=member,
            plan=plan,
            date=TODAY,
            text="Klaar",
            outcome=EvaluationOutcome.GOAL_STOPPED,
        )
    assert exc.value.message_dict == {
        "outcome": ["Een doel afsluiten of stoppen kan alleen bij de evaluatie van een doel."]
    }


def test_evaluation_can_start_a_new_version_without_closed_goals(care_client, member):
    plan = make_plan(care_client, member, goals=[("Werk", [6]), ("Vrienden", [7])], activate=True)
    work = plan.goals.get(text="Werk")
    services.evaluation_create(
        actor=member,
        plan=plan,
        goal=work,
        date=TODAY,
        text="Gelukt",
        outcome=EvaluationOutcome.GOAL_ACHIEVED,
    )
    services.evaluation_create(
        actor=member,
        plan=plan,
        date=TODAY,
        text="Nieuw plan nodig",
        outcome=EvaluationOutcome.NEW_VERSION,
    )
    draft = Plan.objects.get(client=care_client, status=PlanStatus.DRAFT)
    assert draft.version == 2
    assert list(draft.goals.values_list("text", flat=True)) == ["Vrienden"]
    with pytest.raises(ValidationError) as exc:
        services.evaluation_create(
            actor=member,
            plan=plan,
            date=TODAY,
            text="Nog een",
            outcome=EvaluationOutcome.NEW_VERSION,
        )
    assert exc.value.message_dict == {
        "outcome": ["Er is al een conceptversie van het herstelplan."]
    }


def test_history_is_complete_for_a_plan_life(care_client, member):
    plan = make_plan(care_client, member, activate=True, who_i_am="Sanne")
    fields = list(
        PlanChange.objects.filter(plan=plan).order_by("id").values_list("field", flat=True)
    )
    goal_id = plan.goals.get().pk
    assert fields == [
        "plan",
        "who_i_am",
        f"goal:{goal_id}",
        "agreed_on",
        "agreed_how",
        "agreed_recorded_by",
        "status",
        "valid_from",
        "review_date",
    ]
    assert PlanChange.objects.filter(plan=plan).last().changed_at == timezone.now()
