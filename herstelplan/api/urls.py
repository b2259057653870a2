from django.urls import path

from herstelplan.api import views

_client = "herstelplan/clienten/<int:client_id>/"
_plan = _client + "plannen/<int:plan_id>/"
_signal = _client + "signaleringsplannen/<int:signal_plan_id>/"

urlpatterns = [
    path(_client + "iroc/", views.IrocApi.as_view(), name="herstelplan-iroc"),
    path(_client + "honos/", views.HonosApi.as_view(), name="herstelplan-honos"),
    path(_client + "fasen/", views.PhaseApi.as_view(), name="herstelplan-phases"),
    path(_client + "plannen/", views.PlanListApi.as_view(), name="herstelplan-plan-list"),
    path(_plan, views.PlanDetailApi.as_view(), name="herstelplan-plan-detail"),
    path(_plan + "akkoord/", views.PlanAgreeApi.as_view(), name="herstelplan-plan-agree"),
    path(_plan + "activeren/", views.PlanActivateApi.as_view(), name="herstelplan-plan-activate"),
    path(
        _plan + "nieuwe-versie/",
        views.PlanNewVersionApi.as_view(),
        name="herstelplan-plan-new-version",
    ),
    path(_plan + "doelen/", views.GoalCreateApi.as_view(), name="herstelplan-goal-create"),
    path(
        _plan + "doelen/<int:goal_id>/",
        views.GoalDetailApi.as_view(),
        name="herstelplan-goal-detail",
    ),
    path(
        _plan + "doelen/<int:goal_id>/acties/",
        views.ActionCreateApi.as_view(),
        name="herstelplan-action-create",
    ),
    path(
        _plan + "acties/<int:action_id>/",
        views.ActionDetailApi.as_view(),
        name="herstelplan-action-detail",
    ),
    path(_plan + "evaluaties/", views.EvaluationApi.as_view(), name="herstelplan-evaluations"),
    path(
        _client + "signaleringsplannen/",
        views.SignalPlanListApi.as_view(),
        name="herstelplan-signal-plan-list",
    ),
    path(_signal, views.SignalPlanDetailApi.as_view(), name="herstelplan-signal-plan-detail"),
    path(
        _signal + "akkoord/",
        views.SignalPlanAgreeApi.as_view(),
        name="herstelplan-signal-plan-agree",
    ),
]
