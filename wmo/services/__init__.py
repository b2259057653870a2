"""Writes of the Wmo workflow. Views, API, tasks, imports and the demo all call these."""

from wmo.services.decisions import Grant, decision_record, request_decide
from wmo.services.indications import (
    indication_care_start,
    indication_change_request,
    indication_end,
    indication_is_running,
)
from wmo.services.meldingen import (
    add_working_days,
    goal_review_record,
    intake_working_days,
    melding_accept,
    melding_conversation,
    melding_decide,
    melding_goals_set,
    melding_register,
    melding_url,
    plan_goal_links_set,
)
from wmo.services.requests import (
    active_plan_goals,
    consent_missing_message,
    request_consent_missing,
    request_create,
    request_delete,
    request_notice_keys,
    request_start_review,
    request_submit,
    request_update,
    request_url,
    request_withdraw,
)
from wmo.services.sweeps import SweepResult, deadline_sweep, expiry_sweep

__all__ = [
    "Grant",
    "SweepResult",
    "active_plan_goals",
    "add_working_days",
    "consent_missing_message",
    "deadline_sweep",
    "decision_record",
    "expiry_sweep",
    "goal_review_record",
    "indication_care_start",
    "indication_change_request",
    "indication_end",
    "indication_is_running",
    "intake_working_days",
    "melding_accept",
    "melding_conversation",
    "melding_decide",
    "melding_goals_set",
    "melding_register",
    "melding_url",
    "plan_goal_links_set",
    "request_consent_missing",
    "request_create",
    "request_decide",
    "request_delete",
    "request_notice_keys",
    "request_start_review",
    "request_submit",
    "request_update",
    "request_url",
    "request_withdraw",
]
