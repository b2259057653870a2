"""Writes of the Wmo workflow. Views, API, tasks, imports and the demo all call these."""

from wmo.services.decisions import Grant, decision_record, request_decide
from wmo.services.indications import (
    indication_care_start,
    indication_change_request,
    indication_end,
    indication_is_running,
)
from wmo.services.requests import (
    active_plan_goals,
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
    "deadline_sweep",
    "decision_record",
    "expiry_sweep",
    "indication_care_start",
    "indication_change_request",
    "indication_end",
    "indication_is_running",
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
