from django.urls import path

from wmo import views

app_name = "wmo"

_client = "clienten/<int:client_id>/wmo/"
_request = _client + "aanvragen/<int:pk>/"
_melding = _client + "meldingen/<int:pk>/"

urlpatterns = [
    path("wmo/aanvragen/", views.request_list, name="request-list"),
    path("wmo/inbox/", views.inbox, name="inbox"),
    path("wmo/indicaties/", views.indication_overview, name="indication-overview"),
    path("wmo/doorlooptijden/", views.lead_times, name="lead-times"),
    path(_client + "aanvragen/nieuw/", views.RequestFormView.as_view(), name="request-create"),
    path(_request, views.request_detail, name="request-detail"),
    path(_request + "wijzigen/", views.RequestFormView.as_view(), name="request-update"),
    path(_request + "indienen/", views.request_submit, name="request-submit"),
    path(_request + "intrekken/", views.request_withdraw, name="request-withdraw"),
    path(_request + "verwijderen/", views.request_delete, name="request-delete"),
    path(_request + "in-behandeling/", views.request_review, name="request-review"),
    path(_request + "besluit/", views.DecisionCreateView.as_view(), name="decision-create"),
    path(_request + "wmo315.xml", views.request_xml, name="request-xml"),
    path(_request + "wmo301-inlezen/", views.decision_import, name="decision-import"),
    path(
        _client + "besluiten/<int:pk>/beschikking.pdf",
        views.decision_letter,
        name="decision-letter",
    ),
    path(_client + "besluiten/<int:pk>/wmo301.xml", views.decision_xml, name="decision-xml"),
    path(_client, views.client_overview, name="client-overview"),
    path(_client + "indicaties/", views.indication_list, name="indication-list"),
    path(
        _client + "indicaties/<int:pk>/wijziging/",
        views.IndicationChangeView.as_view(),
        name="indication-change",
    ),
    path(_client + "berichten/<int:pk>.xml", views.message_xml, name="message-xml"),
    # The municipal route: melding → onderzoek → beschikking → the team's intake.
    path("wmo/meldingen/", views.melding_list, name="melding-list"),
    path("wmo/meldingen/nieuw/", views.melding_create, name="melding-create"),
    path("wmo/toewijzingen/", views.toewijzing_inbox, name="toewijzing-inbox"),
    path("wmo/doelrealisatie/", views.goal_report, name="goal-report"),
    path("wmo/doelrealisatie.pdf", views.goal_report_pdf, name="goal-report-pdf"),
    path("wmo/doelrealisatie.xlsx", views.goal_report_xlsx, name="goal-report-xlsx"),
    path(_melding, views.melding_detail, name="melding-detail"),
    path(_melding + "gesprek/", views.ConversationView.as_view(), name="melding-conversation"),
    path(_melding + "doelen/", views.SupportGoalsView.as_view(), name="melding-goals"),
    path(_melding + "besluit/", views.MeldingDecideView.as_view(), name="melding-decide"),
    path(_melding + "oppakken/", views.MeldingAcceptView.as_view(), name="melding-accept"),
    path(_melding + "koppelen/", views.GoalLinksView.as_view(), name="melding-links"),
    path(_melding + "evaluatie/", views.GoalReviewView.as_view(), name="melding-review"),
]
