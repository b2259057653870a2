from django.urls import URLPattern, URLResolver, path

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
    # pages
    path("caseload/", page_views.my_caseload_view, name="my-caseload"),
    path(_client, page_views.ClientFileView.as_view(), name="client-file"),
    path("caseload/team/", overview_views.team_overview_view, name="team-overview"),
    path("caseload/team/overdragen/", overview_views.reassign_view, name="reassign"),
    path("caseload/export/<str:kind>.<str:fmt>", overview_views.export_view, name="export"),
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
