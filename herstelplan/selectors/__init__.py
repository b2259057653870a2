"""Reads of the herstelplan app. Views resolve the client through ``olteams.access`` first;
these functions then read that client's data with a fixed number of queries."""

from herstelplan.selectors.figures import TeamOutcomeFigures, clients_in_care, team_outcome_figures
from herstelplan.selectors.instruments import (
    HonosView,
    IrocView,
    honos_assessment_list,
    honos_threshold_badges,
    iroc_answer_labels,
    iroc_assessment_list,
    iroc_due_date,
    iroc_history,
    iroc_indicators,
    iroc_latest_scores,
    recovery_phase_current,
    recovery_phase_list,
    team_instrument_settings_get,
)
from herstelplan.selectors.plans import (
    plan_active,
    plan_change_list,
    plan_detail,
    plan_draft,
    plan_get,
    plan_list,
    plan_overdue_items,
)

__all__ = [
    "HonosView",
    "IrocView",
    "TeamOutcomeFigures",
    "clients_in_care",
    "honos_assessment_list",
    "honos_threshold_badges",
    "iroc_answer_labels",
    "iroc_assessment_list",
    "iroc_due_date",
    "iroc_history",
    "iroc_indicators",
    "iroc_latest_scores",
    "plan_active",
    "plan_change_list",
    "plan_detail",
    "plan_draft",
    "plan_get",
    "plan_list",
    "plan_overdue_items",
    "recovery_phase_current",
    "recovery_phase_list",
    "team_instrument_settings_get",
    "team_outcome_figures",
]
