from django.urls import URLPattern, URLResolver, path

from caseload.api import appointments, documents, overviews, tasks, views

_client = "caseload/clienten/<int:client_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    # logging
    path("caseload/contacten/", views.ContactListApi.as_view(), name="caseload-contact-list"),
    path(
        "caseload/contacten/<int:contact_id>/",
        views.ContactDetailApi.as_view(),
        name="caseload-contact-detail",
    ),
    path("caseload/tijd/", views.NonClientTimeListApi.as_view(), name="caseload-nonclient-list"),
    path(
        "caseload/consultaties/",
        views.ConsultationListApi.as_view(),
        name="caseload-consultation-list",
    ),
    path(
        _client + "intensiteit/",
        views.IntensityChangeListApi.as_view(),
        name="caseload-intensity-list",
    ),
    path(_client + "crises/", views.CrisisListApi.as_view(), name="caseload-crisis-list"),
    path(
        _client + "crises/<int:crisis_id>/",
        views.CrisisDetailApi.as_view(),
        name="caseload-crisis-detail",
    ),
    # appointments
    path(
        _client + "afspraken/",
        appointments.AppointmentListApi.as_view(),
        name="caseload-appointment-list",
    ),
    path(
        _client + "afspraken/<int:appointment_id>/",
        appointments.AppointmentDetailApi.as_view(),
        name="caseload-appointment-detail",
    ),
    path(
        _client + "afspraken/<int:appointment_id>/annuleren/",
        appointments.AppointmentCancelApi.as_view(),
        name="caseload-appointment-cancel",
    ),
    # end appointments
    # documents
    path(
        _client + "documenten/", documents.DocumentListApi.as_view(), name="caseload-document-list"
    ),
    path(
        _client + "documenten/<int:document_id>/inhoud/",
        documents.DocumentContentApi.as_view(),
        name="caseload-document-content",
    ),
    # tasks
    path("caseload/taken/", tasks.TaskListApi.as_view(), name="caseload-task-list"),
    path(
        "caseload/taken/<int:task_id>/", tasks.TaskDetailApi.as_view(), name="caseload-task-detail"
    ),
    path(
        "caseload/taken/<int:task_id>/afronden/",
        tasks.TaskCompleteApi.as_view(),
        name="caseload-task-complete",
    ),
    # overviews
    path("caseload/mijn-caseload/", overviews.MyCaseloadApi.as_view(), name="my-caseload"),
    path(
        "caseload/teams/<int:team_id>/caseload/",
        overviews.TeamCaseloadApi.as_view(),
        name="team-caseload",
    ),
    path(
        "caseload/teams/<int:team_id>/gedeelde-caseload/",
        overviews.SharedCaseloadApi.as_view(),
        name="shared-caseload",
    ),
    path("caseload/teams/<int:team_id>/uren/", overviews.TeamHoursApi.as_view(), name="team-hours"),
    path(
        "caseload/teams/<int:team_id>/instroom-uitstroom/",
        overviews.TeamFlowApi.as_view(),
        name="team-flow",
    ),
    path("caseload/teams/<int:team_id>/mdo/", overviews.MdoListApi.as_view(), name="mdo-list"),
    # end overviews
]
