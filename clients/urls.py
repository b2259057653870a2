from django.urls import path

from clients.views import (
    care_team,
    client,
    episodes,
    imports,
    lists,
    portal_access,
    privacy_requests,
    referrals,
)

app_name = "clients"

P = "clienten/"
C = P + "<int:client_id>/"

urlpatterns = [
    path(P + "", lists.client_list_view, name="client-list"),
    path(P + "export.<str:fmt>", lists.client_export_view, name="client-export"),
    path(P + "nieuw/", client.client_register_view, name="client-register"),
    path(P + "wachtlijst/", lists.waiting_list_view, name="waiting-list"),
    path(P + "wachtlijst/export.<str:fmt>", lists.waiting_export_view, name="waiting-export"),
    path(P + "zonder-financiering/", lists.unfunded_list_view, name="unfunded-list"),
    path(P + "aanmeldingen/", referrals.referral_list_view, name="referral-list"),
    path(P + "aanmeldingen/nieuw/", referrals.referral_create_view, name="referral-create"),
    path(
        P + "aanmeldingen/<int:referral_id>/",
        referrals.referral_detail_view,
        name="referral-detail",
    ),
    path(P + "import/", imports.import_create_view, name="import-create"),
    path(
        P + "privacyverzoeken/",
        privacy_requests.privacy_register_view,
        name="privacy-register",
    ),
    path(
        P + "privacyverzoeken/export.csv",
        privacy_requests.privacy_register_export,
        name="privacy-register-export",
    ),
    path(P + "import/<int:job_id>/", imports.import_detail_view, name="import-detail"),
    path(C + "gegevens/", client.ClientDetailView.as_view(), name="client-detail"),
    path(C + "netwerk/", client.ClientNetworkView.as_view(), name="network"),
    path(
        C + "portaal/activeringscode/",
        portal_access.portal_activation_view,
        name="portal-activation",
    ),
    path(C + "wijzigen/", client.ClientUpdateView.as_view(), name="client-update"),
    path(C + "samenvoegen/", client.ClientMergeView.as_view(), name="client-merge"),
    path(C + "fase/", client.EpisodeTransitionView.as_view(), name="episode-transition"),
    path(C + "voorzorg/", episodes.VoorzorgContactView.as_view(), name="voorzorg-contact"),
    path(C + "intake/plannen/", episodes.IntakePlanView.as_view(), name="intake-plan"),
    path(C + "intake/uitnodiging.pdf", episodes.IntakeLetterView.as_view(), name="intake-letter"),
    path(C + "intake/afronden/", episodes.IntakeCompleteView.as_view(), name="intake-complete"),
    path(C + "uitstroom/", episodes.EpisodeOutflowView.as_view(), name="episode-outflow"),
    path(C + "heraanmelding/", episodes.EpisodeReenterView.as_view(), name="episode-reenter"),
    path(C + "zorgperiode-starten/", episodes.EpisodeStartView.as_view(), name="episode-start"),
    path(C + "zorgteam/nieuw/", care_team.AssignmentCreateView.as_view(), name="assignment-create"),
    path(
        C + "zorgteam/<int:pk>/beeindigen/",
        care_team.AssignmentEndView.as_view(),
        name="assignment-end",
    ),
    path(
        C + "organisaties/nieuw/",
        care_team.InvolvedOrganisationCreateView.as_view(),
        name="involved-create",
    ),
    path(
        C + "organisaties/<int:pk>/beeindigen/",
        care_team.InvolvedOrganisationEndView.as_view(),
        name="involved-end",
    ),
    path(
        C + "partijen/nieuw/",
        care_team.ExternalPartyCreateView.as_view(),
        name="involved-party-create",
    ),
    path(
        C + "partijen/<int:pk>/",
        care_team.ExternalPartyUpdateView.as_view(),
        name="involved-party-update",
    ),
    path(
        C + "partijen/<int:pk>/beeindigen/",
        care_team.ExternalPartyEndView.as_view(),
        name="involved-party-end",
    ),
    path(C + "naasten/nieuw/", care_team.NaasteCreateView.as_view(), name="naaste-create"),
    path(C + "naasten/<int:pk>/", care_team.NaasteUpdateView.as_view(), name="naaste-update"),
    path(C + "toestemmingen/nieuw/", care_team.ConsentCreateView.as_view(), name="consent-create"),
    path(
        C + "toestemmingen/<int:pk>/intrekken/",
        care_team.ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path(
        C + "privacyverzoeken/",
        privacy_requests.PrivacyRequestListView.as_view(),
        name="privacy-request-list",
    ),
    path(
        C + "privacyverzoeken/nieuw/",
        privacy_requests.PrivacyRequestCreateView.as_view(),
        name="privacy-request-create",
    ),
    path(
        C + "privacyverzoeken/<int:pk>/",
        privacy_requests.PrivacyRequestDetailView.as_view(),
        name="privacy-request-detail",
    ),
    path(
        C + "privacyverzoeken/<int:pk>/beslissen/",
        privacy_requests.PrivacyRequestDecideView.as_view(),
        name="privacy-request-decide",
    ),
    path(
        C + "privacyverzoeken/<int:pk>/verlengen/",
        privacy_requests.PrivacyRequestExtendView.as_view(),
        name="privacy-request-extend",
    ),
    path(
        C + "privacyverzoeken/<int:pk>/intrekken/",
        privacy_requests.PrivacyRequestWithdrawView.as_view(),
        name="privacy-request-withdraw",
    ),
]
