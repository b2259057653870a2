"""Writes of the herstelplan app. Views, API, tasks and the demo all call these."""

from herstelplan.services.instruments import (
    honos_assessment_create,
    iroc_assessment_create,
    iroc_items_ensure,
    recovery_phase_create,
    team_instrument_settings_update,
)
from herstelplan.services.notifications import plan_reminders_create
from herstelplan.services.plans import (
    FieldChange,
    PlanConflictError,
    evaluation_create,
    goal_action_create,
    goal_action_delete,
    goal_create,
    goal_delete,
    goal_update,
    plan_activate,
    plan_agreement_record,
    plan_archive,
    plan_create,
    plan_new_version,
    plan_update,
)
from herstelplan.services.portal import (
    PLAN_COMMENT_MAX_LENGTH,
    iroc_self_assessment_create,
    plan_agree_by_client,
    plan_comment_create,
)
from herstelplan.services.signal_plans import (
    SIGNAL_ADMISSION_FIELDS,
    SIGNAL_STAGE_FIELDS,
    SIGNAL_TEXT_FIELDS,
    signal_plan_agree,
    signal_plan_create,
    signal_plan_update,
)

__all__ = [
    "PLAN_COMMENT_MAX_LENGTH",
    "SIGNAL_ADMISSION_FIELDS",
    "SIGNAL_STAGE_FIELDS",
    "SIGNAL_TEXT_FIELDS",
    "FieldChange",
    "PlanConflictError",
    "evaluation_create",
    "goal_action_create",
    "goal_action_delete",
    "goal_create",
    "goal_delete",
    "goal_update",
    "honos_assessment_create",
    "iroc_assessment_create",
    "iroc_items_ensure",
    "iroc_self_assessment_create",
    "plan_activate",
    "plan_agree_by_client",
    "plan_agreement_record",
    "plan_archive",
    "plan_comment_create",
    "plan_create",
    "plan_new_version",
    "plan_reminders_create",
    "plan_update",
    "recovery_phase_create",
    "signal_plan_agree",
    "signal_plan_create",
    "signal_plan_update",
    "team_instrument_settings_update",
]
