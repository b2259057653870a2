from django.urls import URLPattern, URLResolver, path

from caseload.views import appointments as appointment_views
from caseload.views import documents as document_views
from caseload.views import inzage as inzage_views
from caseload.views import logging
from caseload.views import mdo as mdo_views
from caseload.views import outflow as outflow_views
from caseload.views import overviews as overview_views  # pages
from caseload.views import pages as page_views  # pages
from caseload.views import tasks as task_views

app_name = "caseload"

_client = "clienten/<int:client_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    # logging
    path(_client + "contact/nieuw/", logging.ContactCreateView.as_view(), name="contact-create"),
    path(
        _client + "contacten/<int:contact_id>/wijzigen/",
        logging.ContactUpdateView.as_view(),
        name="contact-update",
    ),
    path("caseload/tijd/", logging.nonclient_list, name="nonclient-list"),
    path("caseload/tijd/nieuw/", logging.nonclient_create, name="nonclient-create"),
    path(
        _client + "intensiteit/nieuw/",
        logging.IntensityCreateView.as_view(),
        name="intensity-create",
    ),
    path(_client + "crisis/nieuw/", logging.CrisisCreateView.as_view(), name="crisis-create"),
    path(
        _client + "crisis/<int:crisis_id>/beeindigen/",
        logging.CrisisUpdateView.as_view(),
        name="crisis-update",
    ),
    path(
        _client + "uitstroom/checklist/", outflow_views.ClientOutflowView.as_view(), name="outflow"
    ),
    path("caseload/consultaties/", logging.consultation_list, name="consultation-list"),
    path("caseload/consultaties/nieuw/", logging.consultation_create, name="consultation-create"),
    # documents (the client frame's Documenten tab)
    path(_client + "documenten/", document_views.DocumentListView.as_view(), name="document-list"),
    path(
        _client + "documenten/nieuw/",
        document_views.DocumentUploadView.as_view(),
        name="document-upload",
    ),
    path(
        _client + "documenten/<int:document_id>/",
        document_views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        _client + "documenten/<int:document_id>/verwijderen/",
        document_views.DocumentDeleteView.as_view(),
        name="document-delete",
    ),
    # pages
    path("caseload/", page_views.my_caseload_view, name="my-caseload"),
    path(_client, page_views.ClientFileView.as_view(), name="client-file"),
    path(_client + "inzage-export/", inzage_views.inzage_export, name="inzage-export"),
    path("caseload/team/", overview_views.team_overview_view, name="team-overview"),
    path("caseload/team/overdragen/", overview_views.reassign_view, name="reassign"),
    path("caseload/export/<str:kind>.<str:fmt>", overview_views.export_view, name="export"),
    # appointments
    path(
        _client + "afspraken/",
        appointment_views.AppointmentListView.as_view(),
        name="appointment-list",
    ),
    path(
        _client + "afspraken/nieuw/",
        appointment_views.AppointmentCreateView.as_view(),
        name="appointment-create",
    ),
    path(
        _client + "afspraken/<int:appointment_id>/wijzigen/",
        appointment_views.AppointmentUpdateView.as_view(),
        name="appointment-update",
    ),
    path(
        _client + "afspraken/<int:appointment_id>/annuleren/",
        appointment_views.AppointmentCancelView.as_view(),
        name="appointment-cancel",
    ),
    path("agenda/", appointment_views.agenda_view, name="agenda"),
    path("agenda/team/", appointment_views.team_agenda_view, name="team-agenda"),
    path(
        "agenda/koppeling/",
        appointment_views.agenda_feed_settings_view,
        name="agenda-feed-settings",
    ),
    path("agenda/feed/<str:token>.ics", appointment_views.agenda_feed_view, name="agenda-feed"),
    # end appointments
    # tasks and MDO meetings
    path("caseload/taken/", task_views.task_list_view, name="task-list"),
    path("caseload/taken/nieuw/", task_views.task_create_view, name="task-create"),
    path(
        "caseload/taken/<int:task_id>/afronden/",
        task_views.task_complete_view,
        name="task-complete",
    ),
    path("caseload/team/mdo/", mdo_views.mdo_list_view, name="mdo-list"),
    path("caseload/team/mdo/nieuw/", mdo_views.mdo_create_view, name="mdo-create"),
    path("caseload/team/mdo/<int:meeting_id>/", mdo_views.mdo_detail_view, name="mdo-detail"),
]
