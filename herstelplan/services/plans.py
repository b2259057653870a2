"""Writes of the Herstelplan: versions, goals, actions, agreement, activation, evaluations.

Every change to a plan version goes through ``_locked_plan`` and ``_commit``: the row is
locked, the caller's ``lock_version`` is compared with the stored one (a stale save raises
``PlanConflictError`` naming who changed what meanwhile), the version is incremented and one
``PlanChange`` row per changed field is written. Nothing is ever overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Max, Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clients.models import Client
from herstelplan.constants import (
    GOAL_CLOSING_OUTCOMES,
    PLAN_REVIEW_DEFAULT_MONTHS,
    ActionPerformer,
    AgreementMethod,
    EvaluationOutcome,
    GoalStatus,
    PlanStatus,
)
from herstelplan.models import Evaluation, Goal, GoalAction, IrocIndicator, Plan, PlanChange
from olteams.access import ClientAction, access_client
from olteams.models import Organisation, User

logger = logging.getLogger(__name__)

PLAN_TEXT_FIELDS = ("who_i_am", "wishes", "dreams", "strengths")
PLAN_DATE_FIELDS = ("valid_from", "review_date")
PLAN_EDITABLE_FIELDS = PLAN_TEXT_FIELDS + PLAN_DATE_FIELDS
AGREEMENT_FIELDS = ("agreed_on", "agreed_how", "agreed_recorded_by")


class PlanConflictError(Exception):
    """A save based on a stale ``lock_version``: someone else changed the plan meanwhile."""

    def __init__(self, *, plan: Plan, expected: int, changes: list[PlanChange]) -> None:
        self.plan = plan
        self.expected = expected
        self.changes = changes
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "Iemand anders heeft dit plan gewijzigd nadat u het opende. Uw wijziging is niet "
            "opgeslagen; uw tekst staat nog in het formulier. Bekijk de wijzigingen hieronder, "
            "neem ze over en sla opnieuw op."
        )

    @property
    def summary(self) -> list[str]:
        """One Dutch line per change made since ``expected``: who, what, when."""
        return [
            _('%(who)s wijzigde "%(field)s" op %(when)s')
            % {
                "who": change.changed_by_name,
                "field": change.field_label,
                "when": formats.date_format(
                    timezone.localtime(change.changed_at), "SHORT_DATETIME_FORMAT"
                ),
            }
            for change in self.changes
        ]


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, User):
        return value.get_full_name() or value.get_username()
    return str(value)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now) if now else timezone.localdate()


def _locked_plan(plan: Plan, lock_version: Any, *, draft_only: bool = True) -> Plan:
    """Lock the plan row; refuse archived/active versions and stale lock versions."""
    locked = Plan.objects.select_for_update().select_related("client").get(pk=plan.pk)
    if draft_only and locked.status == PlanStatus.ARCHIVED:
        raise ValidationError(
            {"plan": _("Een gearchiveerde versie kan niet meer worden gewijzigd.")}
        )
    if draft_only and locked.status == PlanStatus.ACTIVE:
        raise ValidationError(
            {"plan": _("Een actief plan wijzigt u niet rechtstreeks: maak een nieuwe versie.")}
        )
    if lock_version is not None:
        expected = _as_int(lock_version)
        if expected is None:
            raise ValidationError({"lock_version": _("Ongeldig versienummer van het formulier.")})
        if expected != locked.lock_version:
            changes = list(
                PlanChange.objects.filter(plan=locked, lock_version__gt=expected)
                .select_related("changed_by")
                .order_by("changed_at", "id")
            )
            raise PlanConflictError(plan=locked, expected=expected, changes=changes)
    return locked


def _label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a concrete field, not a reverse relation
    return str(field.verbose_name)


def _commit(
    plan: Plan,
    *,
    actor: User,
    now: dt.datetime | None,
    changes: list[FieldChange],
    clear_agreement: bool = True,
) -> Plan:
    """Bump the lock version and write the history. A draft's agreement lapses on any change
    to its content: the client agreed to the text as it was."""
    if not changes:
        return plan
    now = now or timezone.now()
    if clear_agreement and plan.status == PlanStatus.DRAFT and plan.agreed_on is not None:
        changes = [
            *changes,
            FieldChange(
                "agreed_on", _("Akkoord cliënt (vervallen door wijziging)"), plan.agreed_on, None
            ),
        ]
        plan.agreed_on, plan.agreed_how, plan.agreed_recorded_by = None, "", None
        plan.agreed_in_portal_at, plan.agreed_portal_account, plan.agreed_sign_in = None, None, ""
    plan.lock_version += 1
    plan.updated_by = actor
    plan.save()
    PlanChange.objects.bulk_create(
        PlanChange(
            plan=plan,
            lock_version=plan.lock_version,
            changed_by=actor,
            changed_at=now,
            field=c.field[:100],
            field_label=str(c.label)[:200],
            old_value=_text(c.old),
            new_value=_text(c.new),
        )
        for c in changes
    )
    return plan


# --- versions ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: User, client: Client, now: dt.datetime | None = None) -> Plan:
    """Start a draft Herstelplan. With an active plan in force, the draft copies it."""
    Client.objects.select_for_update().filter(pk=client.pk).first()  # serialise per client
    if Plan.objects.filter(client=client, status=PlanStatus.DRAFT).exists():
        raise ValidationError({"plan": _("Er is al een conceptversie van het herstelplan.")})
    current = Plan.objects.filter(client=client, status=PlanStatus.ACTIVE).first()
    if current is not None:
        return plan_new_version(actor=actor, plan=current, now=now)
    return _new_draft(actor=actor, client=client, now=now)


def _new_draft(
    *, actor: User, client: Client, now: dt.datetime | None, source: Plan | None = None
) -> Plan:
    last = Plan.objects.filter(client=client).aggregate(v=Max("version"))["v"] or 0
    values = {f: getattr(source, f) for f in PLAN_TEXT_FIELDS} if source else {}
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                client=client,
                version=last + 1,
                status=PlanStatus.DRAFT,
                copied_from=source,
                created_by=actor,
                updated_by=actor,
                **values,
            )
    except IntegrityError:
        raise ValidationError(
            {"plan": _("Er is al een conceptversie van het herstelplan.")}
        ) from None
    label = (
        _("Nieuwe versie op basis van versie %(v)s") % {"v": source.version}
        if source
        else _("Herstelplan aangemaakt")
    )
    PlanChange.objects.create(
        plan=plan,
        lock_version=plan.lock_version,
        changed_by=actor,
        changed_at=now or timezone.now(),
        field="plan",
        field_label=label,
        new_value=str(plan.version),
    )
    logger.info(
        "plan draft created plan_id=%s client_id=%s version=%s", plan.pk, client.pk, plan.version
    )
    return plan


@transaction.atomic
def plan_new_version(*, actor: User, plan: Plan, now: dt.datetime | None = None) -> Plan:
    """Copy a plan (its about-me texts, running goals with indicators and actions) into a new
    draft version. Closed goals stay behind in the old version."""
    Client.objects.select_for_update().filter(pk=plan.client_id).first()
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError({"plan": _("Van een concept maakt u geen nieuwe versie.")})
    if Plan.objects.filter(client_id=plan.client_id, status=PlanStatus.DRAFT).exists():
        raise ValidationError({"plan": _("Er is al een conceptversie van het herstelplan.")})
    draft = _new_draft(actor=actor, client=plan.client, now=now, source=plan)
    goals = plan.goals.filter(status=GoalStatus.ACTIVE).prefetch_related("indicators", "actions")
    for goal in goals:
        copy = Goal.objects.create(
            plan=draft,
            text=goal.text,
            priority=goal.priority,
            evaluation_date=goal.evaluation_date,
            copied_from=goal,
        )
        copy.indicators.set(goal.indicators.all())
        GoalAction.objects.bulk_create(
            GoalAction(
                goal=copy,
                description=a.description,
                performer=a.performer,
                worker_id=a.worker_id,
                organisation_id=a.organisation_id,
                performer_name=a.performer_name,
                frequency=a.frequency,
            )
            for a in goal.actions.all()
        )
    return draft


@transaction.atomic
def plan_update(
    *, actor: User, plan: Plan, lock_version: Any, now: dt.datetime | None = None, **values: Any
) -> Plan:
    """Save the about-me sections and dates of a draft. ``lock_version`` is the version the
    user's form was based on; a stale one raises ``PlanConflictError``."""
    unknown = set(values) - set(PLAN_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = _locked_plan(plan, lock_version)
    new = {f: values.get(f, getattr(locked, f)) for f in PLAN_EDITABLE_FIELDS}
    for field in PLAN_TEXT_FIELDS:
        new[field] = (new[field] or "").strip()
    if new["valid_from"] and new["review_date"] and new["review_date"] < new["valid_from"]:
        raise ValidationError(
            {"review_date": _("De evaluatiedatum moet op of na de startdatum van het plan liggen.")}
        )
    changes = [
        FieldChange(f, _label(Plan, f), getattr(locked, f), new[f])
        for f in PLAN_EDITABLE_FIELDS
        if getattr(locked, f) != new[f]
    ]
    for field, value in new.items():
        setattr(locked, field, value)
    return _commit(locked, actor=actor, now=now, changes=changes)


# --- goals and actions ------------------------------------------------------------------


def _clean_goal(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    text = (values.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Schrijf het doel op in de woorden van de cliënt.")]
    priority = _as_int(values.get("priority", 1))
    if priority is None or not 1 <= priority <= 99:
        errors["priority"] = [_("De prioriteit is een getal van 1 tot en met 99.")]
    numbers = [_as_int(n) for n in values.get("indicators") or []]
    if any(n is None or not 1 <= n <= 12 for n in numbers):
        errors["indicators"] = [_("Kies I.ROC-indicatoren uit 1 tot en met 12.")]
    if errors:
        raise ValidationError(errors)
    return {
        "text": text,
        "priority": priority,
        "indicators": sorted(set(numbers)),
        "evaluation_date": values.get("evaluation_date"),
    }


def _goal_label(goal: Goal, field: str) -> str:
    return _('Doel "%(goal)s": %(field)s') % {"goal": goal.text[:40], "field": _label(Goal, field)}


@transaction.atomic
def goal_create(
    *,
    actor: User,
    plan: Plan,
    lock_version: Any,
    text: str,
    priority: Any = 1,
    indicators: Iterable[Any] = (),
    evaluation_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """Add a goal, in the client's words, to a draft plan."""
    locked = _locked_plan(plan, lock_version)
    clean = _clean_goal(
        {
            "text": text,
            "priority": priority,
            "indicators": list(indicators),
            "evaluation_date": evaluation_date,
        }
    )
    numbers = clean.pop("indicators")
    goal = Goal.objects.create(plan=locked, **clean)
    goal.indicators.set(IrocIndicator.objects.filter(number__in=numbers))
    _commit(
        locked,
        actor=actor,
        now=now,
        changes=[FieldChange(f"goal:{goal.pk}", _("Doel toegevoegd"), None, goal.text)],
    )
    return goal


@transaction.atomic
def goal_update(
    *, actor: User, goal: Goal, lock_version: Any, now: dt.datetime | None = None, **values: Any
) -> Goal:
    """Change a goal of a draft plan (text, priority, indicators, evaluation date)."""
    locked = _locked_plan(goal.plan, lock_version)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    old = {
        "text": goal.text,
        "priority": goal.priority,
        "evaluation_date": goal.evaluation_date,
        "indicators": sorted(goal.indicators.values_list("number", flat=True)),
    }
    clean = _clean_goal({**old, **values})
    changes = [
        FieldChange(f"goal:{goal.pk}:{f}", _goal_label(goal, f), old[f], clean[f])
        for f in old
        if old[f] != clean[f]
    ]
    for field in ("text", "priority", "evaluation_date"):
        setattr(goal, field, clean[field])
    goal.save()
    goal.indicators.set(IrocIndicator.objects.filter(number__in=clean["indicators"]))
    _commit(locked, actor=actor, now=now, changes=changes)
    return goal


@transaction.atomic
def goal_delete(
    *, actor: User, goal: Goal, lock_version: Any, now: dt.datetime | None = None
) -> None:
    """Remove a goal (and its actions) from a draft plan."""
    locked = _locked_plan(goal.plan, lock_version)
    change = FieldChange(f"goal:{goal.pk}", _("Doel verwijderd"), goal.text, None)
    goal.delete()
    _commit(locked, actor=actor, now=now, changes=[change])


@transaction.atomic
def goal_action_create(
    *,
    actor: User,
    goal: Goal,
    lock_version: Any,
    description: str,
    performer: str,
    worker: User | None = None,
    organisation: Organisation | None = None,
    performer_name: str = "",
    frequency: str = "",
    now: dt.datetime | None = None,
) -> GoalAction:
    """Add an action to a goal: what is done, by whom (worker, organisation, the client or a
    naaste) and how often."""
    locked = _locked_plan(goal.plan, lock_version)
    errors: dict[str, list[str]] = {}
    if not (description or "").strip():
        errors["description"] = [_("Beschrijf wat er gebeurt.")]
    if performer not in ActionPerformer.values:
        errors["performer"] = [_("Kies wie het doet.")]
    elif performer == ActionPerformer.WORKER and worker is None:
        errors["worker"] = [_("Kies de medewerker die het doet.")]
    elif performer == ActionPerformer.ORGANISATION and organisation is None:
        errors["organisation"] = [_("Kies de organisatie die het doet.")]
    elif performer == ActionPerformer.NAASTE and not (performer_name or "").strip():
        errors["performer_name"] = [_("Vul de naam van de naaste in.")]
    if errors:
        raise ValidationError(errors)
    action = GoalAction.objects.create(
        goal=goal,
        description=description.strip(),
        performer=performer,
        worker=worker if performer == ActionPerformer.WORKER else None,
        organisation=organisation if performer == ActionPerformer.ORGANISATION else None,
        performer_name=(performer_name or "").strip(),
        frequency=(frequency or "").strip(),
    )
    _commit(
        locked,
        actor=actor,
        now=now,
        changes=[
            FieldChange(
                f"goal:{goal.pk}:action:{action.pk}",
                _('Actie toegevoegd bij doel "%(goal)s"') % {"goal": goal.text[:40]},
                None,
                action.description,
            )
        ],
    )
    return action


@transaction.atomic
def goal_action_delete(
    *, actor: User, action: GoalAction, lock_version: Any, now: dt.datetime | None = None
) -> None:
    locked = _locked_plan(action.goal.plan, lock_version)
    change = FieldChange(
        f"goal:{action.goal_id}:action:{action.pk}",
        _('Actie verwijderd bij doel "%(goal)s"') % {"goal": action.goal.text[:40]},
        action.description,
        None,
    )
    action.delete()
    _commit(locked, actor=actor, now=now, changes=[change])


# --- agreement and activation -----------------------------------------------------------


@transaction.atomic
def plan_agreement_record(
    *,
    actor: User,
    plan: Plan,
    lock_version: Any,
    agreed_on: dt.date | None,
    agreed_how: str,
    now: dt.datetime | None = None,
) -> Plan:
    """Record how and when the client agreed to this draft (paper, digital or verbal)."""
    locked = _locked_plan(plan, lock_version)
    errors: dict[str, list[str]] = {}
    if agreed_on is None:
        errors["agreed_on"] = [_("Vul de datum van het akkoord in.")]
    elif agreed_on > _today(now):
        errors["agreed_on"] = [_("De datum van het akkoord mag niet in de toekomst liggen.")]
    if agreed_how not in AgreementMethod.values:
        errors["agreed_how"] = [_("Kies hoe de cliënt akkoord gaf.")]
    if not locked.goals.exists():
        errors["plan"] = [_("Een plan zonder doelen kan niet worden afgesproken.")]
    if locked.agreed_in_portal:
        errors["plan"] = [
            _(
                "De cliënt heeft zelf al akkoord gegeven in Mijn Optimaal Leven. "
                "Dat akkoord blijft staan."
            )
        ]
    if errors:
        raise ValidationError(errors)
    changes = [
        FieldChange("agreed_on", _label(Plan, "agreed_on"), locked.agreed_on, agreed_on),
        FieldChange(
            "agreed_how",
            _label(Plan, "agreed_how"),
            locked.get_agreed_how_display(),
            AgreementMethod(agreed_how).label,
        ),
        FieldChange(
            "agreed_recorded_by",
            _label(Plan, "agreed_recorded_by"),
            locked.agreed_recorded_by,
            actor,
        ),
    ]
    locked.agreed_on, locked.agreed_how, locked.agreed_recorded_by = agreed_on, agreed_how, actor
    return _commit(locked, actor=actor, now=now, changes=changes, clear_agreement=False)


@transaction.atomic
def plan_activate(
    *, actor: User, plan: Plan, lock_version: Any, now: dt.datetime | None = None
) -> Plan:
    """Put an agreed draft in force; the plan in force until now is archived. Without a start
    date the plan starts today; without a review date it is reviewed after 6 months."""
    today = _today(now)
    locked = _locked_plan(plan, lock_version)
    if locked.agreed_on is None:
        raise ValidationError(
            {
                "plan": _(
                    "Alleen een plan waarmee de cliënt akkoord is, kan actief worden. "
                    "Leg eerst het akkoord vast."
                )
            }
        )
    previous = list(
        Plan.objects.select_for_update().filter(
            client_id=locked.client_id, status=PlanStatus.ACTIVE
        )
    )
    for old in previous:
        old.status, old.archived_on = PlanStatus.ARCHIVED, today
        _commit(
            old,
            actor=actor,
            now=now,
            changes=[
                FieldChange(
                    "status",
                    _label(Plan, "status"),
                    PlanStatus.ACTIVE.label,
                    PlanStatus.ARCHIVED.label,
                )
            ],
        )
    valid_from = locked.valid_from or today
    changes = [
        FieldChange(
            "status", _label(Plan, "status"), PlanStatus.DRAFT.label, PlanStatus.ACTIVE.label
        )
    ]
    if locked.valid_from is None:
        changes.append(FieldChange("valid_from", _label(Plan, "valid_from"), None, valid_from))
    if locked.review_date is None:
        review = valid_from + relativedelta(months=PLAN_REVIEW_DEFAULT_MONTHS)
        changes.append(FieldChange("review_date", _label(Plan, "review_date"), None, review))
        locked.review_date = review
    locked.status, locked.valid_from, locked.activated_on = PlanStatus.ACTIVE, valid_from, today
    logger.info("plan activated plan_id=%s client_id=%s", locked.pk, locked.client_id)
    return _commit(locked, actor=actor, now=now, changes=changes, clear_agreement=False)


@transaction.atomic
def plan_archive(
    *, actor: User, plan: Plan, on: dt.date, note: str = "", now: dt.datetime | None = None
) -> Plan:
    """Take the plan in force out of force on ``on`` (outflow, death): it is archived with
    its history, and no evaluation reminders follow. A draft is left for a later re-entry."""
    locked = Plan.objects.select_for_update().select_related("client").get(pk=plan.pk)
    access_client(actor, locked.client_id, action=ClientAction.CHANGE)
    if locked.status != PlanStatus.ACTIVE:
        raise ValidationError({"plan": _("Alleen het plan dat in werking is, wordt gearchiveerd.")})
    if on is None:
        raise ValidationError({"on": _("Vul de datum in.")})
    locked.status, locked.archived_on = PlanStatus.ARCHIVED, on
    changes = [
        FieldChange(
            "status", _label(Plan, "status"), PlanStatus.ACTIVE.label, PlanStatus.ARCHIVED.label
        ),
        FieldChange("archived_on", _label(Plan, "archived_on"), None, on),
    ]
    if note:
        changes.append(FieldChange("archive_note", _("Reden"), None, note))
    logger.info("plan archived plan_id=%s client_id=%s", locked.pk, locked.client_id)
    return _commit(locked, actor=actor, now=now, changes=changes, clear_agreement=False)


# --- evaluations ------------------------------------------------------------------------


def _clean_evaluation(
    plan: Plan,
    goal: Goal | None,
    date: dt.date | None,
    text: str,
    outcome: str,
    next_date: dt.date | None,
    today: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if plan.status != PlanStatus.ACTIVE:
        errors["plan"] = [_("Alleen het plan dat nu geldt, kan worden geëvalueerd.")]
    if date is None:
        errors["date"] = [_("Vul de datum van de evaluatie in.")]
    elif date > today:
        errors["date"] = [_("De datum van de evaluatie mag niet in de toekomst liggen.")]
    elif plan.valid_from and date < plan.valid_from:
        errors["date"] = [
            _("De evaluatie ligt vóór de start van het plan (%(d)s).")
            % {"d": formats.date_format(plan.valid_from, "SHORT_DATE_FORMAT")}
        ]
    if not (text or "").strip():
        errors["text"] = [_("Schrijf op wat er uit de evaluatie kwam.")]
    if outcome not in EvaluationOutcome.values:
        errors["outcome"] = [_("Kies een besluit.")]
    elif outcome in GOAL_CLOSING_OUTCOMES and goal is None:
        errors["outcome"] = [
            _("Een doel afsluiten of stoppen kan alleen bij de evaluatie van een doel.")
        ]
    if goal is not None and goal.plan_id != plan.pk:
        errors["goal"] = [_("Dit doel hoort niet bij dit plan.")]
    elif goal is not None and goal.status != GoalStatus.ACTIVE:
        errors["goal"] = [_("Dit doel is al afgesloten.")]
    if next_date is not None and date is not None and next_date <= date:
        errors["next_evaluation_date"] = [_("De volgende evaluatie ligt na deze evaluatie.")]
    if (
        outcome == EvaluationOutcome.NEW_VERSION
        and Plan.objects.filter(client_id=plan.client_id, status=PlanStatus.DRAFT).exists()
    ):
        errors["outcome"] = [_("Er is al een conceptversie van het herstelplan.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evaluation_create(
    *,
    actor: User,
    plan: Plan,
    date: dt.date | None,
    text: str,
    outcome: str = EvaluationOutcome.CONTINUE,
    goal: Goal | None = None,
    next_evaluation_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evaluation:
    """Evaluate the plan in force, or one of its goals. The outcome can close the goal
    (achieved or stopped) or start a new draft version copied from this one; a next
    evaluation date moves the goal's (or the plan's) evaluation date."""
    locked = _locked_plan(plan, None, draft_only=False)
    _clean_evaluation(locked, goal, date, text, outcome, next_evaluation_date, _today(now))
    assert date is not None  # _clean_evaluation rejects a missing date
    evaluation = Evaluation.objects.create(
        plan=locked, goal=goal, date=date, text=text.strip(), outcome=outcome, by=actor
    )
    changes = [
        FieldChange(
            f"evaluation:{evaluation.pk}",
            _("Evaluatie vastgelegd"),
            None,
            EvaluationOutcome(outcome).label,
        )
    ]
    if goal is not None:
        changes += _apply_goal_evaluation(goal, outcome, date, next_evaluation_date)
    elif next_evaluation_date is not None:
        changes.append(
            FieldChange(
                "review_date", _label(Plan, "review_date"), locked.review_date, next_evaluation_date
            )
        )
        locked.review_date = next_evaluation_date
    _commit(locked, actor=actor, now=now, changes=changes, clear_agreement=False)
    if outcome == EvaluationOutcome.NEW_VERSION:
        plan_new_version(actor=actor, plan=locked, now=now)
    return evaluation


def _apply_goal_evaluation(
    goal: Goal, outcome: str, date: dt.date, next_date: dt.date | None
) -> list[FieldChange]:
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    changes = []
    if outcome in GOAL_CLOSING_OUTCOMES:
        status = GOAL_CLOSING_OUTCOMES[outcome]
        changes.append(
            FieldChange(
                f"goal:{goal.pk}:status",
                _goal_label(goal, "status"),
                goal.get_status_display(),
                status.label,
            )
        )
        goal.status, goal.closed_on = status, date
    if next_date is not None:
        changes.append(
            FieldChange(
                f"goal:{goal.pk}:evaluation_date",
                _goal_label(goal, "evaluation_date"),
                goal.evaluation_date,
                next_date,
            )
        )
        goal.evaluation_date = next_date
    goal.save()
    return changes
