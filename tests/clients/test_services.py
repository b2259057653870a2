"""Services of the clients app: the journey, the rules and every bad input of issue 3."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from clients import services
from clients.constants import AssignmentRole, FundingStream, Phase, ReferralStatus
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    ClientMerge,
    Consent,
    InvolvedOrganisation,
    Naaste,
    PhaseTransition,
    Referral,
    ReferralDecision,
)
from olteams.constants import AuditEventType, ConsentPurpose, DataCategory
from olteams.models import AuditEvent
from tests.clients.conftest import OTHER_VALID_BSN, TODAY, VALID_BSN
from tests.factories.clients import CareEpisodeFactory, ClientFactory, NaasteFactory

pytestmark = pytest.mark.django_db


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def _register(member, team, **overrides):
    fields = {"first_name": "Bram", "last_name": "Jansen", "date_of_birth": dt.date(1970, 1, 1)}
    return services.client_register(actor=member, team=team, today=TODAY, **(fields | overrides))


# --- registration and BSN ------------------------------------------------------------


def test_register_from_referral_opens_episode_in_referred_phase(registered, referral):
    referral.refresh_from_db()
    assert referral.client == registered
    episode = registered.episodes.get()
    assert (episode.phase, episode.started_on, episode.referral) == (
        Phase.REFERRED,
        dt.date(2020, 1, 6),
        referral,
    )
    assert list(episode.transitions.values_list("from_phase", "to_phase", "on")) == [
        ("", Phase.REFERRED, dt.date(2020, 1, 6))
    ]
    assert registered.bsn == VALID_BSN
    assert registered.masked_bsn == "*****6782"


def test_bsn_is_normalised_and_empty_means_unknown(member, team):
    assert _register(member, team, bsn=" 1234.56.782 ").bsn == VALID_BSN
    assert _register(member, team, last_name="Zonder", bsn="").bsn is None


@pytest.mark.parametrize(
    ("bsn", "message"),
    [
        ("123456789", "Dit BSN is niet geldig (de elfproef klopt niet)."),
        ("000000000", "Dit BSN is niet geldig (de elfproef klopt niet)."),
        ("12345", "Een BSN bestaat uit 9 cijfers."),
        ("12345678a", "Een BSN bestaat uit 9 cijfers."),
    ],
)
def test_invalid_bsn_is_refused_and_nothing_saved(member, team, bsn, message):
    with pytest.raises(ValidationError) as exc:
        _register(member, team, bsn=bsn)
    assert _errors(exc) == {"bsn": [message]}
    assert Client.objects.count() == 0


def test_duplicate_bsn_carries_the_existing_client(registered, member, team):
    with pytest.raises(services.DuplicateClientError) as exc:
        _register(member, team, bsn=VALID_BSN)
    assert exc.value.existing == registered
    assert exc.value.certain is True
    assert _errors(exc) == {"bsn": ["Er is al een cliënt met dit BSN geregistreerd."]}
    assert Client.objects.count() == 1


def test_same_last_name_and_birth_date_is_a_possible_duplicate_that_can_be_confirmed(
    registered, member, team
):
    with pytest.raises(services.DuplicateClientError) as exc:
        _register(
            member, team, first_name="Annie", last_name="BOER", date_of_birth=dt.date(1985, 4, 12)
        )
    assert exc.value.existing == registered
    assert exc.value.certain is False
    twin = _register(
        member,
        team,
        first_name="Annie",
        last_name="Boer",
        date_of_birth=dt.date(1985, 4, 12),
        allow_possible_duplicate=True,
    )
    assert twin.pk != registered.pk


def test_duplicate_bsn_cannot_be_overridden(registered, member, team):
    with pytest.raises(services.DuplicateClientError):
        _register(member, team, bsn=VALID_BSN, allow_possible_duplicate=True)


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (dt.date(2020, 3, 3), "De geboortedatum ligt in de toekomst."),
        (dt.date(1899, 12, 31), "De geboortedatum ligt vóór 1900."),
    ],
)
def test_birth_date_in_future_or_before_1900_is_refused(member, team, birth_date, message):
    with pytest.raises(ValidationError) as exc:
        _register(member, team, date_of_birth=birth_date)
    assert _errors(exc) == {"date_of_birth": [message]}
    assert Client.objects.count() == 0


def test_several_identity_errors_come_together(member, team):
    with pytest.raises(ValidationError) as exc:
        _register(member, team, first_name=" ", bsn="123", date_of_birth=dt.date(1800, 1, 1))
    assert set(_errors(exc)) == {"first_name", "bsn", "date_of_birth"}


def test_register_in_another_team_is_denied(member, other_team):
    with pytest.raises(PermissionDenied):
        _register(member, other_team)
    assert Client.objects.count() == 0


def test_bsn_unique_in_database_too(team):
    ClientFactory(team=team, bsn=VALID_BSN)
    with pytest.raises(IntegrityError):
        ClientFactory(team=team, bsn=VALID_BSN)


def test_update_checks_bsn_of_others(registered, member, team):
    other = _register(member, team, bsn=OTHER_VALID_BSN)
    with pytest.raises(services.DuplicateClientError):
        services.client_update(actor=member, client=other, today=TODAY, bsn=VALID_BSN)
    services.client_update(actor=member, client=other, today=TODAY, phone="0592 111 222")
    other.refresh_from_db()
    assert (other.bsn, other.phone) == (OTHER_VALID_BSN, "0592 111 222")


def test_update_sets_the_insurer_only_to_an_insurer(member, team, org_ggz):
    from olteams.constants import OrganisationKind
    from tests.factories.olteams import OrganisationFactory

    client = _register(member, team, bsn=OTHER_VALID_BSN)
    with pytest.raises(ValidationError) as excinfo:
        services.client_update(actor=member, client=client, today=TODAY, insurer=org_ggz)
    assert excinfo.value.message_dict == {"insurer": ["Kies een zorgverzekeraar."]}
    insurer = OrganisationFactory(short_name="ZK", kind=OrganisationKind.ZORGVERZEKERAAR)
    services.client_update(actor=member, client=client, today=TODAY, insurer=insurer)
    client.refresh_from_db()
    assert client.insurer == insurer


# --- referral and decision -----------------------------------------------------------


def test_referral_requires_question_and_date_not_in_future(member, team):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(
            actor=member,
            team=team,
            referred_on=dt.date(2020, 3, 3),
            source="huisarts",
            person_name="X",
            question=" ",
            today=TODAY,
        )
    assert _errors(exc) == {
        "question": ["Beschrijf de hulpvraag, zo veel mogelijk in eigen woorden."],
        "referred_on": ["De datum van aanmelding ligt in de toekomst."],
    }
    assert Referral.objects.count() == 0


def test_only_the_team_lead_decides(referral, registered, member):
    with pytest.raises(PermissionDenied):
        services.referral_decide(actor=member, referral=referral, kind="wachtlijst")
    assert ReferralDecision.objects.count() == 0


def test_accept_puts_client_on_waiting_list(waiting, referral):
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert waiting.phase == Phase.WAITING
    assert list(waiting.transitions.values_list("to_phase", "on")) == [
        (Phase.REFERRED, dt.date(2020, 1, 6)),
        (Phase.WAITING, dt.date(2020, 1, 8)),
    ]


def test_accept_without_registered_client_is_refused(referral, lead):
    with pytest.raises(ValidationError) as exc:
        services.referral_decide(actor=lead, referral=referral, kind="wachtlijst")
    assert "Registreer eerst de cliënt" in _errors(exc)["kind"][0]


def test_redirect_needs_destination_and_ends_waiting_episode(waiting, referral, lead):
    with pytest.raises(ValidationError) as exc:
        services.referral_decide(actor=lead, referral=referral, kind="doorverwijzen")
    assert _errors(exc) == {"destination": ["Vul in waarheen de persoon is doorverwezen."]}
    services.referral_decide(
        actor=lead,
        referral=referral,
        kind="doorverwijzen",
        destination="Basis-GGZ Assen",
        note="Past beter",
    )
    waiting.refresh_from_db()
    referral.refresh_from_db()
    assert (waiting.phase, waiting.outflow_reason, waiting.outflow_destination) == (
        Phase.OUTFLOW,
        "andere_aanbieder",
        "Basis-GGZ Assen",
    )
    assert referral.status == ReferralStatus.REDIRECTED
    # Every decision is kept.
    assert list(referral.decisions.values_list("kind", flat=True)) == [
        "wachtlijst",
        "doorverwijzen",
    ]


def test_consultation_only_without_client(referral, lead):
    services.referral_decide(actor=lead, referral=referral, kind="consultatie")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONSULTATION
    assert CareEpisode.objects.count() == 0


# --- phases --------------------------------------------------------------------------


def test_phase_jump_is_refused_in_dutch(registered, member):
    episode = registered.episodes.get()
    with pytest.raises(ValidationError) as exc:
        services.episode_transition(
            actor=member, episode=episode, to_phase=Phase.IN_CARE, on=TODAY, today=TODAY
        )
    assert _errors(exc) == {
        "to_phase": [
            "Van 'Aangemeld' naar 'In zorg' kan niet: er worden stappen overgeslagen. "
            "Mogelijk is: Voorzorg / wachtlijst, Uitgestroomd."
        ]
    }
    episode.refresh_from_db()
    assert episode.phase == Phase.REFERRED
    assert PhaseTransition.objects.count() == 1


def test_transition_to_outflow_needs_the_outflow_service(waiting, member):
    with pytest.raises(ValidationError) as exc:
        services.episode_transition(
            actor=member, episode=waiting, to_phase=Phase.OUTFLOW, on=TODAY, today=TODAY
        )
    assert "vraagt een reden" in _errors(exc)["to_phase"][0]


def test_transition_date_not_before_previous_one(waiting, member):
    with pytest.raises(ValidationError) as exc:
        services.episode_transition(
            actor=member,
            episode=waiting,
            to_phase=Phase.INTAKE,
            on=dt.date(2020, 1, 7),
            today=TODAY,
        )
    assert _errors(exc) == {"on": ["De datum ligt vóór de vorige faseovergang (8 januari 2020)."]}


def test_in_care_to_aftercare_and_back(in_care, member):
    services.episode_transition(
        actor=member, episode=in_care, to_phase=Phase.AFTERCARE, on=dt.date(2020, 2, 1), today=TODAY
    )
    services.episode_transition(
        actor=member, episode=in_care, to_phase=Phase.IN_CARE, on=dt.date(2020, 2, 10), today=TODAY
    )
    in_care.refresh_from_db()
    assert in_care.phase == Phase.IN_CARE


def test_one_open_episode_per_client_in_database(registered):
    with pytest.raises(IntegrityError):
        CareEpisodeFactory(client=registered)


def test_voorzorg_contact_keeps_first_date(waiting, member):
    services.episode_voorzorg_contact(
        actor=member, episode=waiting, on=dt.date(2020, 1, 15), today=TODAY
    )
    services.episode_voorzorg_contact(
        actor=member, episode=waiting, on=dt.date(2020, 1, 20), today=TODAY
    )
    waiting.refresh_from_db()
    assert waiting.voorzorg_contact_on == dt.date(2020, 1, 15)


# --- intake --------------------------------------------------------------------------


def test_intake_before_referral_is_refused(waiting, member):
    with pytest.raises(ValidationError) as exc:
        services.intake_plan(
            actor=member,
            episode=waiting,
            planned_on=dt.date(2020, 1, 5),
            planned_time=dt.time(9),
            location="Kantoor",
            workers=[member],
            today=TODAY,
        )
    assert _errors(exc) == {
        "planned_on": ["De intake ligt vóór de datum van aanmelding (6 januari 2020)."]
    }
    waiting.refresh_from_db()
    assert waiting.phase == Phase.WAITING


def test_intake_needs_team_workers(waiting, member, outsider):
    with pytest.raises(ValidationError) as exc:
        services.intake_plan(
            actor=member,
            episode=waiting,
            planned_on=dt.date(2020, 3, 9),
            planned_time=dt.time(9),
            location="Kantoor",
            workers=[outsider],
            today=TODAY,
        )
    assert _errors(exc) == {"workers": [f"{outsider} werkt niet in het team van de cliënt."]}


def test_plan_and_complete_intake_moves_into_care(in_care, member, psychiatrist):
    assert in_care.phase == Phase.IN_CARE
    assert list(in_care.transitions.values_list("to_phase", flat=True)) == [
        Phase.REFERRED,
        Phase.WAITING,
        Phase.INTAKE,
        Phase.IN_CARE,
    ]
    roles = dict(
        Assignment.objects.filter(client=in_care.client, end_date__isnull=True).values_list(
            "role", "worker"
        )
    )
    assert roles == {
        AssignmentRole.CASEMANAGER: member.pk,
        AssignmentRole.REGIEBEHANDELAAR: psychiatrist.pk,
    }
    assert in_care.intake.completed_at is not None


def test_complete_intake_with_organisations_and_naaste(
    waiting, member, psychiatrist, org_ggz, org_welzijn
):
    naaste = NaasteFactory(client=waiting.client)
    intake = services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(9),
        location="Kantoor",
        workers=[member],
        invited_naasten=[naaste],
        today=dt.date(2020, 1, 10),
    )
    naaste.refresh_from_db()
    assert (intake.naaste_invited, naaste.invited_to_intake) == (True, True)
    services.intake_complete(
        actor=member,
        intake=intake,
        completed_on=dt.date(2020, 1, 20),
        outcome_notes="Goed.",
        casemanager=member,
        regiebehandelaar=psychiatrist,
        present_naasten=[naaste],
        organisations=[(org_ggz, FundingStream.ZVW), (org_welzijn, FundingStream.NONE)],
        now=dt.datetime(2020, 1, 21, 9, tzinfo=dt.UTC),
    )
    naaste.refresh_from_db()
    intake.refresh_from_db()
    assert (intake.naaste_present, naaste.present_at_intake) == (True, True)
    assert sorted(
        InvolvedOrganisation.objects.values_list("organisation__short_name", "funding_stream")
    ) == [("GGZ-T", "zvw"), ("WZ-T", "geen")]


def test_complete_intake_requires_lead_roles_and_notes(waiting, member):
    intake = services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(9),
        location="Kantoor",
        workers=[member],
        today=dt.date(2020, 1, 10),
    )
    with pytest.raises(ValidationError) as exc:
        services.intake_complete(
            actor=member,
            intake=intake,
            completed_on=dt.date(2020, 1, 20),
            outcome_notes="",
            casemanager=None,
            regiebehandelaar=None,
            now=dt.datetime(2020, 1, 21, tzinfo=dt.UTC),
        )
    assert set(_errors(exc)) == {"outcome_notes", "casemanager", "regiebehandelaar"}
    waiting.refresh_from_db()
    assert waiting.phase == Phase.INTAKE


def test_regiebehandelaar_needs_a_treatment_discipline(waiting, member):
    intake = services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(9),
        location="Kantoor",
        workers=[member],
        today=dt.date(2020, 1, 10),
    )
    with pytest.raises(ValidationError) as exc:
        services.intake_complete(
            actor=member,
            intake=intake,
            completed_on=dt.date(2020, 1, 20),
            outcome_notes="Goed",
            casemanager=member,
            regiebehandelaar=member,
            now=dt.datetime(2020, 1, 21, tzinfo=dt.UTC),
        )
    assert "psychiater" in _errors(exc)["worker"][0]
    # Nothing saved partially: no casemanager assignment, intake still open.
    assert Assignment.objects.count() == 0
    intake.refresh_from_db()
    assert intake.completed_at is None


# --- outflow and re-entry -----------------------------------------------------------


def test_outflow_without_reason_is_refused(in_care, member):
    with pytest.raises(ValidationError) as exc:
        services.episode_outflow(actor=member, episode=in_care, on=TODAY, reason="", today=TODAY)
    assert _errors(exc) == {"reason": ["Kies een reden van uitstroom."]}
    in_care.refresh_from_db()
    assert in_care.ended_on is None


def test_outflow_ends_episode_and_care_team(in_care, member):
    services.episode_outflow(
        actor=member,
        episode=in_care,
        on=TODAY,
        reason="basis_ggz",
        destination="Basis-GGZ",
        today=TODAY,
    )
    in_care.refresh_from_db()
    assert (in_care.phase, in_care.ended_on, in_care.outflow_reason) == (
        Phase.OUTFLOW,
        TODAY,
        "basis_ggz",
    )
    assert not Assignment.objects.filter(end_date__isnull=True).exists()


def test_reentry_reopens_care_without_second_intake(in_care, member):
    services.episode_outflow(
        actor=member, episode=in_care, on=dt.date(2020, 2, 1), reason="doelen_bereikt", today=TODAY
    )
    episode = services.episode_reenter(
        actor=member, client=in_care.client, on=TODAY, casemanager=member, today=TODAY
    )
    assert (episode.phase, episode.reopened_from, episode.plan_review_required) == (
        Phase.IN_CARE,
        in_care,
        True,
    )
    assert not hasattr(episode, "intake") or episode.intake is None
    assert list(episode.transitions.values_list("from_phase", "to_phase")) == [("", "in_zorg")]
    assert in_care.client.episodes.count() == 2  # the old episode stays in the history
    assert Assignment.objects.get(end_date__isnull=True).worker == member


def test_reentry_while_in_care_is_refused(in_care, member):
    with pytest.raises(ValidationError) as exc:
        services.episode_reenter(actor=member, client=in_care.client, on=TODAY, today=TODAY)
    assert _errors(exc) == {"on": ["Deze cliënt heeft al een lopende zorgperiode."]}


# --- care team, naasten, consent ----------------------------------------------------


def test_new_casemanager_replaces_the_current_one(in_care, member, lead):
    services.assignment_set(
        actor=lead,
        client=in_care.client,
        worker=lead,
        role=AssignmentRole.CASEMANAGER,
        start_date=dt.date(2020, 2, 1),
    )
    rows = list(
        Assignment.objects.filter(role="casemanager")
        .order_by("start_date")
        .values_list("worker", "end_date")
    )
    assert rows == [(member.pk, dt.date(2020, 1, 31)), (lead.pk, None)]


def test_naaste_without_relation_is_refused(registered, member):
    with pytest.raises(ValidationError) as exc:
        services.naaste_add(
            actor=member, client=registered, name="Piet", relation=" ", role="familie"
        )
    assert _errors(exc) == {
        "relation": ["Vul de relatie tot de cliënt in, bijvoorbeeld 'moeder' of 'buurman'."]
    }
    assert Naaste.objects.count() == 0


def test_naaste_add_and_update(registered, member):
    naaste = services.naaste_add(
        actor=member,
        client=registered,
        name="Piet",
        relation="vader",
        role="familie",
        share_scope="praktisch",
        zag_due_on=dt.date(2021, 1, 20),
    )
    services.naaste_update(actor=member, naaste=naaste, share_scope="herstelplan")
    naaste.refresh_from_db()
    assert (naaste.relation, naaste.share_scope, naaste.zag_due_on) == (
        "vader",
        "herstelplan",
        dt.date(2021, 1, 20),
    )


def test_consent_give_and_withdraw(registered, member, org_welzijn):
    consent = services.consent_give(
        actor=member,
        client=registered,
        category=DataCategory.GGZ_TREATMENT,
        purpose="Afstemming",
        given_on=dt.date(2020, 2, 1),
        recipient_organisation=org_welzijn,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(
            actor=member, consent=consent, withdrawn_on=dt.date(2020, 1, 1), today=TODAY
        )
    assert _errors(exc) == {"withdrawn_on": ["De datum ligt vóór de datum van toestemming."]}
    services.consent_withdraw(actor=member, consent=consent, withdrawn_on=TODAY, today=TODAY)
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY


def test_consent_needs_recipient_and_purpose(registered, member):
    with pytest.raises(ValidationError) as exc:
        services.consent_give(
            actor=member,
            client=registered,
            category="welfare",
            purpose="",
            given_on=TODAY,
            today=TODAY,
        )
    assert set(_errors(exc)) == {"recipient_organisation", "purpose"}
    assert Consent.objects.count() == 0


def test_consent_records_its_purpose_and_a_municipal_recipient(registered, member, municipality):
    consent = services.consent_give(
        actor=member,
        client=registered,
        category=DataCategory.RECOVERY_PLAN,
        purpose_kind=ConsentPurpose.WMO_REQUEST,
        purpose="Aanvraag begeleiding",
        given_on=TODAY,
        recipient_municipality=municipality,
        today=TODAY,
    )
    consent.refresh_from_db()
    assert (consent.purpose_kind, consent.recipient_municipality, consent.purpose) == (
        ConsentPurpose.WMO_REQUEST,
        municipality,
        "Aanvraag begeleiding",
    )


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"purpose_kind": ConsentPurpose.WMO_REQUEST},
            {"recipient_municipality": ["Kies de gemeente die de Wmo-aanvraag ontvangt."]},
        ),
        ({"purpose_kind": "marketing"}, {"purpose_kind": ["Kies het doel van het delen."]}),
    ],
)
def test_consent_purpose_is_checked_and_nothing_saved(
    registered, member, org_welzijn, change, errors
):
    with pytest.raises(ValidationError) as exc:
        services.consent_give(
            actor=member,
            client=registered,
            category=DataCategory.RECOVERY_PLAN,
            purpose="Afstemming",
            given_on=TODAY,
            recipient_organisation=org_welzijn,
            today=TODAY,
            **change,
        )
    assert _errors(exc) == errors
    assert Consent.objects.count() == 0


def test_other_team_cannot_change_client(registered, outsider):
    with pytest.raises(PermissionDenied):
        services.naaste_add(
            actor=outsider, client=registered, name="X", relation="zus", role="familie"
        )


# --- merge ---------------------------------------------------------------------------


def test_merge_moves_everything_and_is_audited(in_care, lead, member, team):
    survivor = in_care.client
    duplicate = _register(
        member, team, first_name="Anna", last_name="Boer-Jansen", phone="06 99999999"
    )
    NaasteFactory(client=duplicate, name="Kees")
    CareEpisodeFactory(
        client=duplicate,
        phase=Phase.OUTFLOW,
        ended_on=dt.date(2019, 6, 1),
        started_on=dt.date(2019, 1, 1),
        outflow_reason="overig",
    )
    record = services.client_merge(
        actor=lead, survivor=survivor, merged=duplicate, note="Dubbel geregistreerd"
    )
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert survivor.phone == "06 99999999"  # a blank field filled from the merged record
    assert survivor.naasten.get().name == "Kees"
    assert survivor.episodes.count() == 2
    assert len(record.moved["naasten"]) == 1
    assert ClientMerge.objects.get().merged_by == lead
    assert sorted(
        AuditEvent.objects.filter(event_type=AuditEventType.MERGE).values_list(
            "client_id", flat=True
        )
    ) == sorted([survivor.pk, duplicate.pk])


def test_merge_is_for_the_team_lead_only(registered, member, team):
    other = _register(member, team, last_name="Anders")
    with pytest.raises(PermissionDenied):
        services.client_merge(actor=member, survivor=registered, merged=other)
    other.refresh_from_db()
    assert other.merged_into is None


def test_merge_refuses_two_open_episodes(in_care, lead, member, team):
    other = _register(member, team, last_name="Anders")
    CareEpisodeFactory(client=other)
    with pytest.raises(ValidationError) as exc:
        services.client_merge(actor=lead, survivor=in_care.client, merged=other)
    assert "Beide dossiers hebben een lopende zorgperiode" in _errors(exc)["merged"][0]


def test_merge_moves_bsn_when_survivor_has_none(lead, member, team):
    survivor = _register(member, team, last_name="Zonder")
    merged = _register(member, team, last_name="Met", bsn=VALID_BSN)
    services.client_merge(actor=lead, survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.bsn, merged.bsn) == (VALID_BSN, None)


# --- starting a care period without a referral (issue 11) ------------------------------


def test_episode_start_puts_a_registered_client_on_the_waiting_list(team, member):
    client = ClientFactory(team=team)
    episode = services.episode_start(
        actor=member, client=client, on=dt.date(2020, 3, 2), today=dt.date(2020, 3, 3)
    )
    row = CareEpisode.objects.get(client=client)
    assert (row.pk, row.phase, row.started_on, row.referral_id) == (
        episode.pk,
        Phase.WAITING,
        dt.date(2020, 3, 2),
        None,
    )
    assert list(PhaseTransition.objects.filter(episode=row).values_list("to_phase", "note")) == [
        (Phase.WAITING, "Zorgperiode gestart zonder aanmelding")
    ]


@pytest.mark.parametrize(
    ("history", "on", "message"),
    [
        ("none", dt.date(2020, 3, 4), "De datum ligt in de toekomst."),
        ("none", None, "Vul een datum in."),
        ("open", dt.date(2020, 3, 2), "Deze cliënt heeft al een lopende zorgperiode."),
        (
            "ended",
            dt.date(2020, 3, 2),
            "Deze cliënt was al eerder in zorg; gebruik de heraanmelding.",
        ),
    ],
)
def test_episode_start_refusals(team, member, history, on, message):
    client = ClientFactory(team=team)
    if history == "open":
        CareEpisodeFactory(client=client, phase=Phase.WAITING, started_on=dt.date(2020, 1, 6))
    elif history == "ended":
        CareEpisodeFactory(
            client=client,
            phase=Phase.OUTFLOW,
            started_on=dt.date(2020, 1, 6),
            ended_on=dt.date(2020, 2, 1),
            outflow_reason="doelen_bereikt",
        )
    before = list(CareEpisode.objects.filter(client=client).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.episode_start(actor=member, client=client, on=on, today=dt.date(2020, 3, 3))
    assert _errors(exc) == {"on": [message]}
    assert list(CareEpisode.objects.filter(client=client).values_list("pk", flat=True)) == before


def test_episode_start_by_an_outsider_is_refused(team, outsider):
    client = ClientFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.episode_start(actor=outsider, client=client, on=dt.date(2020, 3, 2))
    assert not client.episodes.exists()


def test_naaste_invitation_follows_the_intake_both_ways(waiting, member):
    anna_zus = NaasteFactory(client=waiting.client, name="Zus")
    anna_buur = NaasteFactory(client=waiting.client, name="Buurman")
    plan = {
        "actor": member,
        "episode": waiting,
        "planned_on": dt.date(2020, 1, 20),
        "planned_time": dt.time(9),
        "location": "Kantoor",
        "workers": [member],
        "today": dt.date(2020, 1, 10),
    }
    services.intake_plan(**plan, invited_naasten=[anna_zus, anna_buur])
    services.intake_plan(**plan, invited_naasten=[anna_buur])  # re-planned without the sister
    flags = dict(
        Naaste.objects.filter(client=waiting.client).values_list("name", "invited_to_intake")
    )
    assert flags == {"Zus": False, "Buurman": True}
    services.naaste_update(actor=member, naaste=anna_buur, invited_to_intake=False)
    assert waiting.intake.__class__.objects.get(episode=waiting).naaste_invited is False
    services.naaste_update(actor=member, naaste=anna_zus, invited_to_intake=True)
    assert waiting.intake.__class__.objects.get(episode=waiting).naaste_invited is True
