from django.urls import path

from finance.views import accounts as _account_views
from finance.views import dashboard as _dashboard_views
from finance.views import data as _data_views
from finance.views import declarations as _declaration_views
from finance.views import history as _history_views
from finance.views import municipalities as _municipality_views
from finance.views import reports as _report_views

app_name = "finance"

# reports and historical import

urlpatterns = [
    path("rapporten/", _report_views.report_list_view, name="report-list"),
    path("rapporten/nieuw/", _report_views.report_create_view, name="report-create"),
    path("rapporten/<int:job_id>/", _report_views.report_detail_view, name="report-detail"),
    path(
        "rapporten/bestand/<int:file_id>/",
        _report_views.report_download_view,
        name="report-download",
    ),
    path("wmo-declaratie/", _declaration_views.wmo323_view, name="wmo323"),
    path("historie/", _history_views.history_import_view, name="history-import"),
    path("historie/<int:import_id>/", _history_views.history_detail_view, name="history-detail"),
]

# dashboard

urlpatterns += [
    path("dashboard/", _dashboard_views.dashboard_view, name="dashboard"),
    path(
        "dashboard/team/<int:team_id>/",
        _dashboard_views.dashboard_team_view,
        name="dashboard-team",
    ),
]

# accounts, checks and financial data

urlpatterns += [
    path("", _account_views.account_list_view, name="account-list"),
    path("maand-berekenen/", _account_views.month_compute_view, name="month-compute"),
    path(
        "verantwoording/<int:account_id>/",
        _account_views.account_detail_view,
        name="account-detail",
    ),
    path(
        "verantwoording/<int:account_id>/herberekenen/",
        _account_views.account_recompute_view,
        name="account-recompute",
    ),
    path(
        "verantwoording/<int:account_id>/sluiten/",
        _account_views.account_close_view,
        name="account-close",
    ),
    path(
        "verantwoording/<int:account_id>/correctie/",
        _account_views.adjustment_create_view,
        name="adjustment-create",
    ),
    path(
        "verantwoording/<int:account_id>/controle/",
        _account_views.checks_view,
        name="checks",
    ),
    path(
        "gegevens/businesscases/",
        _data_views.business_case_list_view,
        name="businesscase-list",
    ),
    path(
        "gegevens/businesscases/nieuw/",
        _data_views.business_case_create_view,
        name="businesscase-create",
    ),
    path(
        "gegevens/businesscases/<int:pk>/",
        _data_views.business_case_update_view,
        name="businesscase-update",
    ),
]
for _slug, _segment in (
    ("tariff", "tarieven"),
    ("costrate", "kostentarieven"),
    ("teamcost", "teamkosten"),
    ("subsidy", "subsidies"),
):
    urlpatterns += [
        path(
            f"gegevens/{_segment}/",
            _data_views.data_list_view,
            {"kind": _slug},
            name=f"{_slug}-list",
        ),
        path(
            f"gegevens/{_segment}/nieuw/",
            _data_views.data_create_view,
            {"kind": _slug},
            name=f"{_slug}-create",
        ),
        path(
            f"gegevens/{_segment}/<int:pk>/",
            _data_views.data_update_view,
            {"kind": _slug},
            name=f"{_slug}-update",
        ),
    ]

# municipalities: consultants, products, arrangements with their amount per four weeks

urlpatterns += [
    path("gemeenten/", _municipality_views.municipality_list_view, name="municipality-list"),
    path(
        "gemeenten/nieuw/",
        _municipality_views.municipality_create_view,
        name="municipality-create",
    ),
    path(
        "gemeenten/<int:municipality_id>/",
        _municipality_views.municipality_detail_view,
        name="municipality-detail",
    ),
    path(
        "gemeenten/<int:municipality_id>/consulenten/nieuw/",
        _municipality_views.consultant_create_view,
        name="consultant-create",
    ),
    path(
        "gemeenten/<int:municipality_id>/producten/nieuw/",
        _municipality_views.product_create_view,
        name="product-create",
    ),
    path(
        "gemeenten/<int:municipality_id>/arrangementen/nieuw/",
        _municipality_views.arrangement_create_view,
        name="arrangement-create",
    ),
]
