from django.urls import URLPattern, URLResolver, include, path

from herstelplan import views

app_name = "herstelplan"

plan_patterns = [
    path("", views.PlanDetailView.as_view(), name="plan-detail"),
    path("bewerken/", views.PlanEditView.as_view(), name="plan-edit"),
    path("akkoord/", views.PlanAgreeView.as_view(), name="plan-agree"),
    path("activeren/", views.PlanActivateView.as_view(), name="plan-activate"),
    path("nieuwe-versie/", views.PlanNewVersionView.as_view(), name="plan-new-version"),
    path("geschiedenis/", views.PlanHistoryView.as_view(), name="plan-history"),
    path("pdf/", views.PlanPdfView.as_view(), name="plan-pdf"),
    path("evaluaties/nieuw/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("doelen/nieuw/", views.GoalCreateView.as_view(), name="goal-create"),
    path("doelen/<int:goal_id>/bewerken/", views.GoalEditView.as_view(), name="goal-edit"),
    path("doelen/<int:goal_id>/verwijderen/", views.GoalDeleteView.as_view(), name="goal-delete"),
    path(
        "doelen/<int:goal_id>/acties/nieuw/", views.ActionCreateView.as_view(), name="action-create"
    ),
    path(
        "acties/<int:action_id>/verwijderen/",
        views.ActionDeleteView.as_view(),
        name="action-delete",
    ),
]

signal_plan_patterns = [
    path("", views.SignalPlanDetailView.as_view(), name="signal-plan-detail"),
    path("bewerken/", views.SignalPlanEditView.as_view(), name="signal-plan-edit"),
    path("akkoord/", views.SignalPlanAgreeView.as_view(), name="signal-plan-agree"),
    path("pdf/", views.SignalPlanPdfView.as_view(), name="signal-plan-pdf"),
    path("kaart/", views.SignalPlanCardView.as_view(), name="signal-plan-card"),
]

client_patterns: list[URLPattern | URLResolver] = [
    path("", views.ClientOverviewView.as_view(), name="client-overview"),
    path("iroc/", views.IrocListView.as_view(), name="iroc-list"),
    path("iroc/nieuw/", views.IrocCreateView.as_view(), name="iroc-create"),
    path("honos/", views.HonosListView.as_view(), name="honos-list"),
    path("honos/nieuw/", views.HonosCreateView.as_view(), name="honos-create"),
    path("herstelfase/", views.PhaseListView.as_view(), name="phase-list"),
    path("plan/", views.PlanListView.as_view(), name="plan-list"),
    path("plan/nieuw/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plan/<int:plan_id>/", include(plan_patterns)),
    path("signaleringsplan/", views.SignalPlanListView.as_view(), name="signal-plan-list"),
    path(
        "signaleringsplan/nieuw/", views.SignalPlanCreateView.as_view(), name="signal-plan-create"
    ),
    path("signaleringsplan/<int:signal_plan_id>/", include(signal_plan_patterns)),
]

urlpatterns = [
    path("clienten/<int:client_id>/herstelplan/", include(client_patterns)),
    path(
        "herstelplan/teams/<int:team_id>/instellingen/",
        views.TeamSettingsView.as_view(),
        name="team-settings",
    ),
]
