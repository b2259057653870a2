"""Views of the clients app (thin: access → form → service → redirect/render)."""

from clients.views.care_team import (
    AssignmentCreateView,
    AssignmentEndView,
    ConsentCreateView,
    ConsentWithdrawView,
    InvolvedOrganisationCreateView,
    InvolvedOrganisationEndView,
    NaasteCreateView,
    NaasteUpdateView,
)
from clients.views.client import (
    ClientDetailView,
    ClientMergeView,
    ClientNetworkView,
    ClientUpdateView,
    EpisodeTransitionView,
    client_register_view,
)
from clients.views.episodes import (
    EpisodeOutflowView,
    EpisodeReenterView,
    EpisodeStartView,
    IntakeCompleteView,
    IntakeLetterView,
    IntakePlanView,
    VoorzorgContactView,
)
from clients.views.imports import (
    import_create_view,
    import_detail_view,
)
from clients.views.lists import (
    client_export_view,
    client_list_view,
    unfunded_list_view,
    waiting_export_view,
    waiting_list_view,
)
from clients.views.referrals import (
    referral_create_view,
    referral_detail_view,
    referral_list_view,
)

__all__ = [
    "AssignmentCreateView",
    "AssignmentEndView",
    "ClientDetailView",
    "ClientMergeView",
    "ClientNetworkView",
    "ClientUpdateView",
    "ConsentCreateView",
    "ConsentWithdrawView",
    "EpisodeOutflowView",
    "EpisodeReenterView",
    "EpisodeStartView",
    "EpisodeTransitionView",
    "IntakeCompleteView",
    "IntakeLetterView",
    "IntakePlanView",
    "InvolvedOrganisationCreateView",
    "InvolvedOrganisationEndView",
    "NaasteCreateView",
    "NaasteUpdateView",
    "VoorzorgContactView",
    "client_export_view",
    "client_list_view",
    "client_register_view",
    "import_create_view",
    "import_detail_view",
    "referral_create_view",
    "referral_detail_view",
    "referral_list_view",
    "unfunded_list_view",
    "waiting_export_view",
    "waiting_list_view",
]
