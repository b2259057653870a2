"""Pages of the caseload app: logging (``logging``), the pages that read (``pages``)
and the team lead's overviews (``overviews``)."""

from caseload.views.logging import (
    ContactCreateView,
    ContactUpdateView,
    CrisisCreateView,
    CrisisUpdateView,
    IntensityCreateView,
    client_file_url,
    consultation_create,
    consultation_list,
    nonclient_create,
    nonclient_list,
)
from caseload.views.overviews import (
    ReassignForm,
    export_view,
    reassign_view,
    team_overview_view,
)
from caseload.views.pages import (
    ClientFileView,
    TimelineFilterForm,
    my_caseload_view,
)

__all__ = [
    "ClientFileView",
    "ContactCreateView",
    "ContactUpdateView",
    "CrisisCreateView",
    "CrisisUpdateView",
    "IntensityCreateView",
    "ReassignForm",
    "TimelineFilterForm",
    "client_file_url",
    "consultation_create",
    "consultation_list",
    "export_view",
    "my_caseload_view",
    "nonclient_create",
    "nonclient_list",
    "reassign_view",
    "team_overview_view",
]
