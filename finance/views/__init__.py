"""Pages of the finance app: accounts, dashboard, data (tariffs, costs, subsidies, business
case), history import and reports."""

from finance.views.accounts import (
    account_close_view,
    account_detail_view,
    account_list_view,
    account_recompute_view,
    adjustment_create_view,
    checks_view,
    month_compute_view,
)
from finance.views.dashboard import (
    DashboardPeriodForm,
    dashboard_team_view,
    dashboard_view,
)
from finance.views.data import (
    DataKind,
    business_case_create_view,
    business_case_list_view,
    business_case_update_view,
    data_create_view,
    data_list_view,
    data_update_view,
)
from finance.views.history import (
    HistoryUploadForm,
    history_detail_view,
    history_import_view,
)
from finance.views.reports import (
    ReportRequestForm,
    report_create_view,
    report_detail_view,
    report_download_view,
    report_list_view,
)

__all__ = [
    "DashboardPeriodForm",
    "DataKind",
    "HistoryUploadForm",
    "ReportRequestForm",
    "account_close_view",
    "account_detail_view",
    "account_list_view",
    "account_recompute_view",
    "adjustment_create_view",
    "business_case_create_view",
    "business_case_list_view",
    "business_case_update_view",
    "checks_view",
    "dashboard_team_view",
    "dashboard_view",
    "data_create_view",
    "data_list_view",
    "data_update_view",
    "history_detail_view",
    "history_import_view",
    "month_compute_view",
    "report_create_view",
    "report_detail_view",
    "report_download_view",
    "report_list_view",
]
