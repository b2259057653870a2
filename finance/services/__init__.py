"""Writes of the finance app (re-exported: other apps and helpers import from here)."""

from finance.services.accounts import (
    account_close,
    account_compute,
    accounts_compute_month,
    adjustment_add,
    closed_message,
    first_of_month,
)
from finance.services.declarations import (
    wmo323_declaration,
    wmo323_export,
    wmo323_lines,
    wmo323_organisations,
)

__all__ = [
    "account_close",
    "account_compute",
    "accounts_compute_month",
    "adjustment_add",
    "closed_message",
    "first_of_month",
    "wmo323_declaration",
    "wmo323_export",
    "wmo323_lines",
    "wmo323_organisations",
]
