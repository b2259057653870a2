from django.urls import path

from clients.api import views

C = "clienten/<int:client_id>/"

urlpatterns = [
    path("clienten/", views.ClientListApi.as_view(), name="client-list"),
    path("aanmeldingen/", views.ReferralListApi.as_view(), name="referral-list"),
    path(
        "aanmeldingen/<int:referral_id>/", views.ReferralDetailApi.as_view(), name="referral-detail"
    ),
    path(
        "aanmeldingen/<int:referral_id>/besluiten/",
        views.ReferralDecideApi.as_view(),
        name="referral-decide",
    ),
    path("wachtlijst/", views.WaitingListApi.as_view(), name="waiting-list"),
    path("privacyverzoeken/", views.PrivacyRequestRegisterApi.as_view(), name="privacy-register"),
    path(C, views.ClientDetailApi.as_view(), name="client-detail"),
    path(C + "zorgperiodes/", views.EpisodeListApi.as_view(), name="episode-list"),
    path(C + "zorgperiodes/fase/", views.EpisodeTransitionApi.as_view(), name="episode-transition"),
    path(C + "zorgperiodes/uitstroom/", views.EpisodeOutflowApi.as_view(), name="episode-outflow"),
    path(
        C + "zorgperiodes/heraanmelding/", views.EpisodeReenterApi.as_view(), name="episode-reenter"
    ),
    path(C + "intake/", views.IntakeApi.as_view(), name="intake"),
    path(C + "intake/afronden/", views.IntakeCompleteApi.as_view(), name="intake-complete"),
    path(C + "zorgteam/", views.CareTeamApi.as_view(), name="care-team"),
    path(C + "organisaties/", views.InvolvedOrganisationApi.as_view(), name="involved-list"),
    path(C + "naasten/", views.NaasteListApi.as_view(), name="naaste-list"),
    path(C + "naasten/<int:pk>/", views.NaasteDetailApi.as_view(), name="naaste-detail"),
    path(C + "toestemmingen/", views.ConsentListApi.as_view(), name="consent-list"),
    path(
        C + "toestemmingen/<int:pk>/intrekken/",
        views.ConsentWithdrawApi.as_view(),
        name="consent-withdraw",
    ),
    path(
        C + "privacyverzoeken/", views.PrivacyRequestListApi.as_view(), name="privacy-request-list"
    ),
    path(
        C + "privacyverzoeken/<int:pk>/",
        views.PrivacyRequestDetailApi.as_view(),
        name="privacy-request-detail",
    ),
    path(
        C + "privacyverzoeken/<int:pk>/beslissen/",
        views.PrivacyRequestDecideApi.as_view(),
        name="privacy-request-decide",
    ),
]
