"""Reads of the finance app (re-exported: other apps and helpers import from here)."""

from finance.selectors.accounts import (
    AccountTotals,
    BusinessCaseRow,
    OrganisationShare,
    account_get,
    account_get_for_reading,
    account_list,
    account_series,
    account_totals,
    account_totals_many,
    business_case_vs_actual,
    can_work_with_accounts,
    lead_accounts,
    month_end,
    organisation_shares,
)
from finance.selectors.checks import (
    ClientHours,
    Mismatches,
    WorkerHours,
    controller_client_hours,
    mismatches,
)

__all__ = [
    "AccountTotals",
    "BusinessCaseRow",
    "ClientHours",
    "Mismatches",
    "OrganisationShare",
    "WorkerHours",
    "account_get",
    "account_get_for_reading",
    "account_list",
    "account_series",
    "account_totals",
    "account_totals_many",
    "business_case_vs_actual",
    "can_work_with_accounts",
    "controller_client_hours",
    "lead_accounts",
    "mismatches",
    "month_end",
    "organisation_shares",
]
