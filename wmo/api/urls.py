from django.urls import path

from wmo.api import views

_client = "wmo/clienten/<int:client_id>/"
_request = _client + "aanvragen/<int:pk>/"

urlpatterns = [
    path("wmo/aanvragen/", views.RequestListApi.as_view(), name="wmo-request-list"),
    path("wmo/inbox/", views.InboxApi.as_view(), name="wmo-inbox"),
    path("wmo/besluiten/", views.DecisionCreateApi.as_view(), name="wmo-decision-create"),
    path("wmo/iwmo/wmo301/", views.Wmo301ImportApi.as_view(), name="wmo-wmo301-import"),
    path("wmo/iwmo/wmo319/", views.Wmo319ImportApi.as_view(), name="wmo-wmo319-import"),
    path(_client + "aanvragen/", views.RequestCreateApi.as_view(), name="wmo-request-create"),
    path(_request, views.RequestDetailApi.as_view(), name="wmo-request-detail"),
    path(_request + "indienen/", views.RequestSubmitApi.as_view(), name="wmo-request-submit"),
    path(_request + "intrekken/", views.RequestWithdrawApi.as_view(), name="wmo-request-withdraw"),
    path(_request + "in-behandeling/", views.RequestReviewApi.as_view(), name="wmo-request-review"),
    path(_client + "indicaties/", views.IndicationListApi.as_view(), name="wmo-indication-list"),
]
