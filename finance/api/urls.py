from django.urls import path

from finance.api import dashboard as _dashboard
from finance.api import reports as _reports
from finance.api import views as _f1

# reports

urlpatterns = [
    path(
        "financien/rapporten/", _reports.ReportJobCreateApi.as_view(), name="finance-report-create"
    ),
    path(
        "financien/rapporten/<int:job_id>/",
        _reports.ReportJobDetailApi.as_view(),
        name="finance-report-detail",
    ),
    path(
        "financien/rapporten/bestanden/<int:file_id>/",
        _reports.ReportFileDownloadApi.as_view(),
        name="finance-report-file",
    ),
    path("financien/historie/", _reports.HistoricalImportListApi.as_view(), name="finance-history"),
    path(
        "financien/historie/<int:import_id>/",
        _reports.HistoricalImportDetailApi.as_view(),
        name="finance-history-detail",
    ),
]

# dashboard

urlpatterns += [
    path("dashboard/", _dashboard.DashboardApi.as_view(), name="finance-dashboard"),
    path(
        "dashboard/teams/<int:team_id>/",
        _dashboard.DashboardTeamApi.as_view(),
        name="finance-dashboard-team",
    ),
]

# accounts and financial data

urlpatterns += [
    path("financien/verantwoordingen/", _f1.AccountListApi.as_view(), name="finance-account-list"),
    path(
        "financien/verantwoordingen/<int:account_id>/",
        _f1.AccountDetailApi.as_view(),
        name="finance-account-detail",
    ),
    path(
        "financien/verantwoordingen/<int:account_id>/regels/",
        _f1.AccountLineListApi.as_view(),
        name="finance-account-lines",
    ),
    path(
        "financien/verantwoordingen/<int:account_id>/close/",
        _f1.AccountCloseApi.as_view(),
        name="finance-account-close",
    ),
    path(
        "financien/verantwoordingen/<int:account_id>/herberekenen/",
        _f1.AccountRecomputeApi.as_view(),
        name="finance-account-recompute",
    ),
    path(
        "financien/verantwoordingen/<int:account_id>/correcties/",
        _f1.AdjustmentCreateApi.as_view(),
        name="finance-adjustment-create",
    ),
    path("financien/tarieven/", _f1.TariffListApi.as_view(), name="finance-tariff-list"),
    path(
        "financien/tarieven/<int:pk>/", _f1.TariffDetailApi.as_view(), name="finance-tariff-detail"
    ),
    path("financien/kostentarieven/", _f1.CostRateListApi.as_view(), name="finance-costrate-list"),
    path(
        "financien/kostentarieven/<int:pk>/",
        _f1.CostRateDetailApi.as_view(),
        name="finance-costrate-detail",
    ),
    path("financien/teamkosten/", _f1.TeamCostListApi.as_view(), name="finance-teamcost-list"),
    path(
        "financien/teamkosten/<int:pk>/",
        _f1.TeamCostDetailApi.as_view(),
        name="finance-teamcost-detail",
    ),
    path("financien/subsidies/", _f1.SubsidyListApi.as_view(), name="finance-subsidy-list"),
    path(
        "financien/subsidies/<int:pk>/",
        _f1.SubsidyDetailApi.as_view(),
        name="finance-subsidy-detail",
    ),
]
