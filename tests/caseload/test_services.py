"""The caseload services: every rule, its Dutch message, the snapshot, the funding proposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseload import services
from caseload.constants import (
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    IntensityLevel,
    NonClientCode,
    NonClientTarget,
)
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from caseload.selectors.contacts import (
    contact_note_visible,
    contact_notes_visible,
    note_categories_by_client,
)
from clients.constants import AssignmentRole, FundingStream, Phase
from olteams.constants import ConsentPurpose, DataCategory, Discipline, OrganisationKind, TeamRole
from tests.caseload.conftest import NOW, TODAY, at
from tests.factories.caseload import ContactFactory, CrisisFactory
from tests.factories.clients import (
    AssignmentFactory,
    CareEpisodeFactory,
    ClientFactory,
    ConsentFactory,
    InvolvedOrganisationFactory,
)
from tests.factories.olteams import (
    MembershipFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.wmo import MunicipalProductFactory, active_plan, wmo_consent
from wmo import services as wmo
from wmo.constants import DecisionKind

pytestmark = pytest.mark.django_db


def log(actor, client, **overrides):
    values = {
        "starts_at": at(10),
        "duration_minutes": 45,
        "kind": ContactKind.HOME,
        "workers": [],
        "naaste_present": False,
        "goals": [],
        "note": "Samen boodschappen gedaan.",
        "travel_minutes": 10,
        "now": NOW,
    }
    return services.contact_log(actor=actor, client=client, **(values | overrides))


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- contact_log -------------------------------------------------------------------------


def test_contact_log_stores_the_contact_with_snapshots(
    member, welfare_member, care_client, team, org_ggz, org_welzijn
):
    goals = active_plan(care_client, member)
    contact = log(
        member,
        care_client,
        workers=[welfare_member],
        goals=[goals[0].pk],
        naaste_present=True,
        note="  Samen boodschappen gedaan.  ",
    )

    assert contact.team == team
    assert contact.date == TODAY
    assert contact.author == member
    assert contact.note == "Samen boodschappen gedaan."
    assert contact.naaste_present is True
    assert contact.note_category == DataCategory.GGZ_TREATMENT
    assert list(contact.goals.all()) == [goals[0]]
    assert sorted(
        ContactWorker.objects.filter(contact=contact).values_list(
            "worker__username", "organisation__short_name", "discipline"
        )
    ) == [
        ("lid", org_ggz.short_name, Discipline.CASEMANAGER),
        ("welzijn", org_welzijn.short_name, Discipline.WELZIJNSWERKER),
    ]


def test_the_date_is_the_local_date_of_the_start(member, care_client):
    late_evening_utc = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 March

    contact = log(member, care_client, starts_at=late_evening_utc)

    assert contact.date == dt.date(2026, 3, 1)


def test_the_snapshot_survives_a_later_change_of_membership(member, care_client, org_welzijn):
    contact = log(member, care_client)
    member.memberships.update(organisation=org_welzijn, discipline=Discipline.WELZIJNSWERKER)

    presence = contact.presences.get()
    assert (presence.organisation.kind, presence.discipline) == (
        OrganisationKind.GGZ,
        Discipline.CASEMANAGER,
    )


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        (OrganisationKind.GGZ, DataCategory.GGZ_TREATMENT),
        (OrganisationKind.VERSLAVINGSZORG, DataCategory.ADDICTION_TREATMENT),
        (OrganisationKind.BEGELEIDING, DataCategory.WMO_SUPPORT),
        (OrganisationKind.WELZIJN, DataCategory.WELFARE),
        (OrganisationKind.OVERIG, DataCategory.WELFARE),
    ],
)
def test_the_note_category_follows_the_authors_organisation(kind, category, team, care_client):
    author = MembershipFactory(team=team, organisation=OrganisationFactory(kind=kind)).user

    assert log(author, care_client).note_category == category


def test_the_actor_is_always_present(member, care_client):
    contact = log(member, care_client, workers=[])

    assert list(contact.workers.all()) == [member]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", 0, "De duur moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ("duration_minutes", -30, "De duur moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ("duration_minutes", 1441, "De duur moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ("duration_minutes", "45", "Vul een heel aantal minuten in."),
        ("travel_minutes", -1, "De reistijd moet tussen 0 en 1440 minuten (24 uur) liggen."),
        ("travel_minutes", 1441, "De reistijd moet tussen 0 en 1440 minuten (24 uur) liggen."),
        ("kind", "brief", "Kies een van de mogelijkheden."),
        ("funding_stream", "pgb", "Kies een van de mogelijkheden."),
        ("starts_at", at(14, 31), "Het contact ligt in de toekomst."),
        ("starts_at", dt.datetime(2026, 3, 2, 10, 0), "Vul een datum en tijd in."),
    ],
)
def test_contact_log_refuses_bad_input_in_dutch(member, care_client, field, value, message):
    with pytest.raises(ValidationError) as excinfo:
        log(member, care_client, **{field: value})

    assert errors_of(excinfo)[field] == [message]
    assert Contact.objects.count() == 0


def test_the_boundaries_of_duration_and_travel_are_allowed(member, care_client):
    assert log(member, care_client, duration_minutes=1, travel_minutes=0).duration_minutes == 1
    assert log(member, care_client, duration_minutes=1440, travel_minutes=1440).pk


def test_a_contact_just_now_is_not_in_the_future(member, care_client):
    assert log(member, care_client, starts_at=NOW).date == TODAY


def test_workers_must_be_in_the_team_or_assigned(member, outsider, care_client):
    with pytest.raises(ValidationError) as excinfo:
        log(member, care_client, workers=[outsider])

    assert errors_of(excinfo)["workers"] == [
        f"{outsider} werkte op die dag niet in het team van de cliënt en was niet aan de "
        "cliënt toegewezen."
    ]
    assert Contact.objects.count() == 0 and ContactWorker.objects.count() == 0


def test_an_assigned_worker_of_another_team_may_be_present_with_their_own_snapshot(
    member, outsider, care_client, other_team, org_ggz
):
    AssignmentFactory(client=care_client, worker=outsider, role=AssignmentRole.OTHER)

    contact = log(member, care_client, workers=[outsider])

    presence = contact.presences.get(worker=outsider)
    assert presence.organisation == org_ggz
    assert presence.discipline == Discipline.CASEMANAGER


def test_a_worker_who_left_before_the_day_cannot_be_present(member, team, care_client):
    left = MembershipFactory(team=team, valid_to=dt.date(2026, 1, 31)).user

    with pytest.raises(ValidationError) as excinfo:
        log(member, care_client, workers=[left])

    assert "workers" in errors_of(excinfo)


def test_goals_must_belong_to_the_clients_plan(member, care_client, team):
    other = ClientFactory(team=team)
    foreign_goal = active_plan(other, member)[0]

    with pytest.raises(ValidationError) as excinfo:
        log(member, care_client, goals=[foreign_goal])

    assert errors_of(excinfo)["goals"] == [
        "Kies alleen doelen uit het herstelplan van deze cliënt."
    ]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "consultant", "stuurgroep_user"])
def test_only_staff_who_may_change_the_client_log_contacts(who, request, care_client):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        log(actor, care_client)

    assert Contact.objects.count() == 0


def test_the_user_may_override_the_proposed_funding(member, care_client):
    contact = log(member, care_client, funding_stream=ContactFunding.NAZORG)

    assert contact.funding_proposed == ContactFunding.LIJNTJE_HOUDEN
    assert contact.funding_stream == ContactFunding.NAZORG


def test_without_a_choice_the_proposal_is_stored(member, care_client):
    CareEpisodeFactory(client=care_client, phase=Phase.IN_CARE, started_on=dt.date(2025, 1, 1))

    contact = log(member, care_client)

    assert (contact.funding_proposed, contact.funding_stream) == ("zvw", "zvw")


# --- the voorzorg contact ----------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.REFERRED, Phase.WAITING, Phase.INTAKE])
def test_a_contact_before_the_intake_is_the_voorzorg_contact(phase, member, care_client):
    episode = CareEpisodeFactory(client=care_client, phase=phase, started_on=dt.date(2026, 2, 1))

    log(member, care_client, starts_at=at(10, day=dt.date(2026, 2, 20)))
    log(member, care_client, starts_at=at(10, day=dt.date(2026, 2, 25)))

    episode.refresh_from_db()
    assert episode.voorzorg_contact_on == dt.date(2026, 2, 20)


def test_a_contact_before_the_care_period_is_refused(member, care_client):
    """Issue 11: a contact dated before the first care period was accepted silently."""
    waiting = CareEpisodeFactory(
        client=care_client, phase=Phase.WAITING, started_on=dt.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as exc:
        log(member, care_client, starts_at=at(10, day=dt.date(2026, 1, 20)))
    assert exc.value.message_dict == {
        "starts_at": [
            "Het contact ligt vóór het begin van de zorgperiode (1 februari 2026). "
            "Pas de datum aan."
        ]
    }
    assert not Contact.objects.filter(client=care_client).exists()
    log(member, care_client, starts_at=at(10, day=dt.date(2026, 2, 1)))  # the first day is fine
    waiting.refresh_from_db()
    assert waiting.voorzorg_contact_on == dt.date(2026, 2, 1)


def test_a_contact_in_care_leaves_voorzorg_alone(member, care_client):
    waiting = CareEpisodeFactory(
        client=care_client, phase=Phase.WAITING, started_on=dt.date(2026, 2, 1)
    )

    waiting.phase = Phase.IN_CARE
    waiting.save()
    log(member, care_client)
    waiting.refresh_from_db()
    assert waiting.voorzorg_contact_on is None


# --- the funding proposal ----------------------------------------------------------------


def _indication(client, member, municipality, *, start, end):
    """A granted Wmo indication through the Wmo services (request → submit → decide)."""
    client.municipality = municipality
    client.save(update_fields=["municipality"])
    MunicipalProductFactory(municipality=municipality, code="02B01")
    goal = active_plan(client, member)[0]
    wmo_consent(client)
    request = wmo.request_create(
        actor=member,
        client=client,
        data={
            "product_code": "02B01",
            "volume": 3,
            "unit": "04",
            "frequency": "2",
            "start": start,
            "end": end,
            "result_areas": [1],
            "motivation": "Overzicht over post en afspraken.",
            "goal_ids": [goal.pk],
            "zrm_scores": {},
        },
    )
    wmo.request_submit(actor=member, request=request)
    decider = MunicipalityRoleFactory(user=UserFactory(), municipality=municipality).user
    return wmo.request_decide(actor=decider, request=request, kind=DecisionKind.GRANTED)


def propose(client, discipline, day=TODAY):
    return services.funding_stream_propose(client=client, worker_discipline=discipline, day=day)


def test_support_with_an_active_wmo_indication_is_wmo(member, care_client, municipality):
    _indication(
        care_client, member, municipality, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )

    assert propose(care_client, Discipline.AMBULANT_BEGELEIDER) == ContactFunding.WMO
    assert propose(care_client, Discipline.AMBULANT_BEGELEIDER, dt.date(2026, 7, 1)) == (
        ContactFunding.LIJNTJE_HOUDEN
    )
    # A treatment discipline is not paid from the Wmo indication.
    assert propose(care_client, Discipline.PSYCHIATER) == ContactFunding.LIJNTJE_HOUDEN


def test_treatment_in_care_or_with_zvw_funding_is_zvw(care_client):
    assert propose(care_client, Discipline.PSYCHIATER) == ContactFunding.LIJNTJE_HOUDEN
    InvolvedOrganisationFactory(client=care_client, funding_stream=FundingStream.ZVW)
    assert propose(care_client, Discipline.PSYCHIATER) == ContactFunding.ZVW
    # Support disciplines are not Zvw-funded.
    assert propose(care_client, Discipline.WELZIJNSWERKER) == ContactFunding.LIJNTJE_HOUDEN


def test_treatment_of_a_client_in_care_is_zvw(care_client):
    CareEpisodeFactory(client=care_client, phase=Phase.IN_CARE, started_on=dt.date(2025, 1, 1))

    assert propose(care_client, Discipline.CASEMANAGER) == ContactFunding.ZVW
    assert propose(care_client, Discipline.ERVARINGSDESKUNDIGE) == ContactFunding.LIJNTJE_HOUDEN


def test_an_involved_wlz_organisation_is_wlz(care_client):
    InvolvedOrganisationFactory(client=care_client, funding_stream=FundingStream.WLZ)

    assert propose(care_client, Discipline.AMBULANT_BEGELEIDER) == ContactFunding.WLZ


def test_an_ended_involvement_proposes_nothing_paid(care_client):
    InvolvedOrganisationFactory(
        client=care_client, funding_stream=FundingStream.ZVW, end_date=dt.date(2026, 1, 31)
    )

    assert propose(care_client, Discipline.PSYCHIATER) == ContactFunding.LIJNTJE_HOUDEN


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        (Phase.REFERRED, ContactFunding.VOORZORG),
        (Phase.WAITING, ContactFunding.VOORZORG),
        (Phase.INTAKE, ContactFunding.VOORZORG),
        (Phase.AFTERCARE, ContactFunding.NAZORG),
        (Phase.IN_CARE, ContactFunding.LIJNTJE_HOUDEN),  # support, no indication
    ],
)
def test_unpaid_work_is_named_by_the_phase(phase, expected, care_client):
    CareEpisodeFactory(client=care_client, phase=phase, started_on=dt.date(2025, 1, 1))

    assert propose(care_client, Discipline.WELZIJNSWERKER) == expected


def test_a_day_outside_every_episode_is_lijntje_houden(care_client):
    CareEpisodeFactory(client=care_client, phase=Phase.WAITING, started_on=dt.date(2026, 2, 1))

    assert propose(care_client, Discipline.WELZIJNSWERKER, dt.date(2026, 1, 15)) == (
        ContactFunding.LIJNTJE_HOUDEN
    )


# --- contact_update ----------------------------------------------------------------------


def _update(actor, contact, **overrides):
    values = {
        "starts_at": at(9),
        "duration_minutes": 60,
        "kind": ContactKind.PHONE,
        "workers": [],
        "naaste_present": False,
        "goals": [],
        "note": "Gecorrigeerd.",
        "travel_minutes": 0,
        "now": NOW,
    }
    return services.contact_update(actor=actor, contact=contact, **(values | overrides))


def test_the_author_and_a_lead_may_correct_a_contact(member, lead, care_client):
    contact = log(member, care_client)

    _update(member, contact)
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.kind, contact.note) == (
        60,
        "telefoon",
        "Gecorrigeerd.",
    )

    _update(lead, contact, duration_minutes=30)
    contact.refresh_from_db()
    assert contact.duration_minutes == 30
    assert list(contact.workers.all()) == [member]  # the author stays; the lead is not added


def test_another_member_may_not_correct_a_contact(member, welfare_member, care_client):
    contact = log(member, care_client)

    with pytest.raises(PermissionDenied):
        _update(welfare_member, contact)

    contact.refresh_from_db()
    assert contact.duration_minutes == 45


def test_a_correction_is_validated_and_changes_nothing_when_wrong(member, care_client):
    contact = log(member, care_client)

    with pytest.raises(ValidationError) as excinfo:
        _update(member, contact, duration_minutes=2000)

    assert "duration_minutes" in errors_of(excinfo)
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.kind) == (45, "huisbezoek")


# --- note visibility ---------------------------------------------------------------------


def test_the_care_team_sees_every_note(member, care_client):
    assert contact_notes_visible(user=member, client=care_client, today=TODAY) == frozenset(
        DataCategory.values
    )


def test_welfare_staff_see_treatment_notes_only_with_consent(
    welfare_member, care_client, org_welzijn
):
    visible = contact_notes_visible(user=welfare_member, client=care_client, today=TODAY)
    assert visible == {DataCategory.WMO_SUPPORT, DataCategory.WELFARE}
    treatment = ContactFactory(client=care_client, note_category=DataCategory.GGZ_TREATMENT)
    assert contact_note_visible(visible, treatment) is False
    assert contact_note_visible(visible, treatment, user_id=treatment.author_id) is True

    ConsentFactory(
        client=care_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.GGZ_TREATMENT,
    )
    visible = contact_notes_visible(user=welfare_member, client=care_client, today=TODAY)
    assert contact_note_visible(visible, treatment) is True


def test_an_assigned_welfare_worker_still_needs_consent_for_treatment_notes(
    welfare_member, care_client, org_welzijn
):
    """Being in the care team is no consent: a welfare organisation needs the client's
    consent for care in the team (DOMAIN.md), assigned or not."""
    AssignmentFactory(client=care_client, worker=welfare_member, role=AssignmentRole.WELZIJNSWERKER)
    base = {DataCategory.WMO_SUPPORT, DataCategory.WELFARE}
    assert contact_notes_visible(user=welfare_member, client=care_client, today=TODAY) == base

    ConsentFactory(
        client=care_client,
        recipient_organisation=org_welzijn,
        category=DataCategory.GGZ_TREATMENT,
        purpose_kind=ConsentPurpose.WMO_REQUEST,  # another purpose does not count
    )
    assert contact_notes_visible(user=welfare_member, client=care_client, today=TODAY) == base
    ConsentFactory(
        client=care_client, recipient_organisation=org_welzijn, category=DataCategory.GGZ_TREATMENT
    )
    assert contact_notes_visible(user=welfare_member, client=care_client, today=TODAY) == (
        base | {DataCategory.GGZ_TREATMENT}
    )


def test_the_batch_agrees_with_the_single_answer(
    member, welfare_member, lead, outsider, care_client, other_client, org_welzijn, team
):
    third = ClientFactory(team=team)
    ConsentFactory(client=third, recipient_organisation=org_welzijn, category="addiction_treatment")
    clients = [care_client, other_client, third]
    for user in (member, welfare_member, lead, outsider):
        batch = note_categories_by_client(
            user=user, client_ids=[c.pk for c in clients], today=TODAY
        )
        assert batch == {
            c.pk: contact_notes_visible(user=user, client=c, today=TODAY) for c in clients
        }


# --- non-client time ---------------------------------------------------------------------


def time_log(actor, team, **overrides):
    values = {
        "date": TODAY,
        "minutes": 90,
        "code": NonClientCode.COLLABORATION,
        "target": NonClientTarget.HUISARTS,
        "explanation": "",
        "today": TODAY,
    }
    return services.non_client_time_log(actor=actor, team=team, **(values | overrides))


def test_non_client_time_is_stored_with_the_snapshot(member, team, org_ggz):
    row = time_log(member, team)

    assert (row.worker, row.created_by, row.organisation, row.discipline) == (
        member,
        member,
        org_ggz,
        Discipline.CASEMANAGER,
    )
    assert (row.minutes, row.code, row.target) == (90, "1", "huisarts")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"code": NonClientCode.OTHER, "target": "", "explanation": "  "},
            "explanation",
            "Geef een toelichting bij code 7 (overig).",
        ),
        ({"target": ""}, "target", "Kies met wie of waarvoor."),
        (
            {"code": NonClientCode.REFERRAL, "target": NonClientTarget.HUISARTS},
            "target",
            "Kies een subcode die bij deze code hoort.",
        ),
        (
            {"code": NonClientCode.MDO, "target": NonClientTarget.HUISARTS},
            "target",
            "Bij deze code hoort geen subcode.",
        ),
        ({"target": "maan"}, "target", "Kies een van de mogelijkheden."),
        ({"code": "8"}, "code", "Kies een van de mogelijkheden."),
        ({"minutes": 0}, "minutes", "De tijd moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ({"minutes": 1441}, "minutes", "De tijd moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ({"date": TODAY + dt.timedelta(days=1)}, "date", "De datum ligt in de toekomst."),
    ],
)
def test_non_client_time_refuses_bad_input(member, team, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        time_log(member, team, **overrides)

    assert errors_of(excinfo)[field] == [message]
    assert NonClientTime.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "target"),
    [
        (NonClientCode.LEARNING, ""),
        (NonClientCode.LEARNING, NonClientTarget.INTERVISION),
        (NonClientCode.ABSENCE, ""),
        (NonClientCode.ABSENCE, NonClientTarget.HOLIDAY),
        (NonClientCode.MDO, ""),
        (NonClientCode.CONSULTATION, NonClientTarget.WITHIN_TEAM),
    ],
)
def test_optional_and_matching_sub_codes_are_accepted(member, team, code, target):
    assert time_log(member, team, code=code, target=target).target == target


def test_code_7_with_explanation_is_accepted(member, team):
    row = time_log(member, team, code=NonClientCode.OTHER, target="", explanation="Verhuizing")

    assert row.explanation == "Verhuizing"


def test_non_client_time_only_for_the_actors_own_team(member, other_team):
    with pytest.raises(ValidationError) as excinfo:
        time_log(member, other_team)

    assert errors_of(excinfo) == {"team": ["U werkt niet in dit team."]}


def test_a_lead_records_for_a_worker_of_the_team_a_member_does_not(
    lead, member, welfare_member, team, org_welzijn
):
    row = time_log(lead, team, worker=welfare_member)
    assert (row.worker, row.created_by, row.organisation) == (welfare_member, lead, org_welzijn)

    with pytest.raises(ValidationError) as excinfo:
        time_log(member, team, worker=welfare_member)
    assert errors_of(excinfo)["worker"] == [
        "Alleen de teamleider kan tijd voor een ander vastleggen."
    ]


def test_a_lead_cannot_record_for_someone_outside_the_team(lead, outsider, team):
    with pytest.raises(ValidationError) as excinfo:
        time_log(lead, team, worker=outsider)

    assert errors_of(excinfo)["worker"] == [f"{outsider} was op die dag geen lid van Team Noord."]


# --- intensity ---------------------------------------------------------------------------


def scale(actor, client, date, level, reason="Meer onrust thuis."):
    return services.intensity_change_record(
        actor=actor, client=client, date=date, level=level, reason=reason, today=TODAY
    )


def test_intensity_changes_remember_the_previous_level(member, care_client):
    first = scale(member, care_client, dt.date(2026, 1, 5), IntensityLevel.REGULAR)
    up = scale(member, care_client, dt.date(2026, 2, 10), IntensityLevel.FACT_BOARD)

    assert (first.previous_level, first.direction) == (None, "")
    assert (up.previous_level, up.direction) == (IntensityLevel.REGULAR, "op")
    assert up.team == care_client.team


def test_a_backdated_change_becomes_the_previous_level_of_the_next(member, care_client):
    scale(member, care_client, dt.date(2026, 1, 5), IntensityLevel.REGULAR)
    later = scale(member, care_client, dt.date(2026, 2, 10), IntensityLevel.LOW)
    between = scale(member, care_client, dt.date(2026, 1, 20), IntensityLevel.HIGH)

    later.refresh_from_db()
    assert between.previous_level == IntensityLevel.REGULAR
    assert (later.previous_level, later.direction) == (IntensityLevel.HIGH, "af")


@pytest.mark.parametrize(
    ("date", "level", "reason", "field", "message"),
    [
        (TODAY, 3, "  ", "reason", "Geef de reden van het op- of afschalen."),
        (TODAY + dt.timedelta(days=1), 3, "x", "date", "De datum ligt in de toekomst."),
        (TODAY, 6, "x", "level", "Kies een van de mogelijkheden."),
    ],
)
def test_intensity_refuses_bad_input(member, care_client, date, level, reason, field, message):
    with pytest.raises(ValidationError) as excinfo:
        scale(member, care_client, date, level, reason)

    assert errors_of(excinfo)[field] == [message]
    assert IntensityChange.objects.count() == 0


def test_intensity_only_by_staff_of_the_client(outsider, care_client):
    with pytest.raises(PermissionDenied):
        scale(outsider, care_client, TODAY, 3)


# --- crises ------------------------------------------------------------------------------


def crisis(actor, client, **overrides):
    values = {
        "started_on": dt.date(2026, 2, 20),
        "setting": CrisisSetting.ACUTE,
        "reason": "Psychose, niet meer veilig thuis.",
        "today": TODAY,
    }
    return services.crisis_record(actor=actor, client=client, **(values | overrides))


def test_a_crisis_is_recorded_and_ended(member, care_client):
    row = crisis(member, care_client)
    assert (row.setting, row.ended_on, row.team) == ("acuut", None, care_client.team)

    ended = services.crisis_end(actor=member, crisis=row, ended_on=dt.date(2026, 3, 1), today=TODAY)
    assert ended.ended_on == dt.date(2026, 3, 1)

    with pytest.raises(ValidationError) as excinfo:
        services.crisis_end(actor=member, crisis=row, ended_on=TODAY, today=TODAY)
    assert errors_of(excinfo) == {"ended_on": ["Deze crisis is al beëindigd."]}


def test_a_crisis_at_home_may_have_prevented_an_admission(member, care_client):
    row = crisis(member, care_client, setting=CrisisSetting.NONE, admission_prevented=True)

    assert row.admission_prevented is True and row.is_admission is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"setting": CrisisSetting.OTHER},
            "setting_other",
            "Beschrijf waar de cliënt is opgenomen.",
        ),
        (
            {"admission_prevented": True},
            "admission_prevented",
            "Een opname is alleen voorkomen als er geen opname was.",
        ),
        ({"ended_on": dt.date(2026, 2, 19)}, "ended_on", "Het einde ligt vóór het begin."),
        ({"ended_on": TODAY + dt.timedelta(days=1)}, "ended_on", "De datum ligt in de toekomst."),
        (
            {"started_on": TODAY + dt.timedelta(days=1)},
            "started_on",
            "De datum ligt in de toekomst.",
        ),
        ({"reason": ""}, "reason", "Beschrijf de aanleiding."),
        ({"setting": "gevangenis"}, "setting", "Kies een van de mogelijkheden."),
    ],
)
def test_crisis_refuses_bad_input(member, care_client, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        crisis(member, care_client, **overrides)

    assert errors_of(excinfo)[field] == [message]
    assert Crisis.objects.count() == 0


def test_ending_a_crisis_checks_the_dates_and_the_admission(member, care_client):
    row = CrisisFactory(client=care_client, started_on=dt.date(2026, 2, 20), by=member)

    with pytest.raises(ValidationError) as excinfo:
        services.crisis_end(actor=member, crisis=row, ended_on=dt.date(2026, 2, 1), today=TODAY)
    assert errors_of(excinfo) == {"ended_on": ["Het einde ligt vóór het begin."]}

    acute = CrisisFactory(client=care_client, setting=CrisisSetting.ACUTE, by=member)
    with pytest.raises(ValidationError):
        services.crisis_end(
            actor=member, crisis=acute, ended_on=TODAY, admission_prevented=True, today=TODAY
        )
    row.refresh_from_db()
    acute.refresh_from_db()
    assert row.ended_on is None and acute.ended_on is None


def test_a_crisis_only_by_staff_of_the_client(outsider, care_client):
    with pytest.raises(PermissionDenied):
        crisis(outsider, care_client)
    row = CrisisFactory(client=care_client)
    with pytest.raises(PermissionDenied):
        services.crisis_end(actor=outsider, crisis=row, ended_on=TODAY, today=TODAY)


# --- consultations -----------------------------------------------------------------------


def consult(actor, team, **overrides):
    values = {
        "date": TODAY,
        "requester_kind": ConsultationRequester.GP,
        "requester_name": "Dr. Bakker",
        "minutes": 20,
        "about": "vrouw, 50 jaar",
        "today": TODAY,
    }
    return services.consultation_log(actor=actor, team=team, **(values | overrides))


def test_a_consultation_about_someone_who_is_no_client(member, team, org_ggz):
    row = consult(member, team)

    assert (row.team, row.worker, row.organisation, row.discipline) == (
        team,
        member,
        org_ggz,
        Discipline.CASEMANAGER,
    )
    assert (row.about, row.client, row.minutes) == ("vrouw, 50 jaar", None, 20)


def test_a_consultation_about_a_visible_client(member, team, care_client):
    assert consult(member, team, client=care_client, about="").client == care_client


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"about": " "},
            "about",
            "Beschrijf over wie de vraag ging (zonder naam), of kies een cliënt.",
        ),
        ({"minutes": 0}, "minutes", "De tijd moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ({"requester_kind": "buurman"}, "requester_kind", "Kies een van de mogelijkheden."),
        ({"date": TODAY + dt.timedelta(days=1)}, "date", "De datum ligt in de toekomst."),
    ],
)
def test_consultation_refuses_bad_input(member, team, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        consult(member, team, **overrides)

    assert errors_of(excinfo)[field] == [message]
    assert Consultation.objects.count() == 0


def test_a_consultation_about_a_client_of_another_team_is_refused(member, team, other_client):
    with pytest.raises(ValidationError) as excinfo:
        consult(member, team, client=other_client)

    assert errors_of(excinfo) == {"client": ["Deze cliënt is niet gevonden."]}


def test_a_consultation_only_for_the_actors_team(member, other_team, lead):
    with pytest.raises(ValidationError) as excinfo:
        consult(member, other_team)
    assert errors_of(excinfo) == {"team": ["U werkt niet in dit team."]}
    assert lead.memberships.get().role == TeamRole.LEAD  # leads log their own, like members
    assert consult(lead, lead.memberships.get().team).worker == lead


def test_a_back_dated_contact_gets_the_phase_of_its_own_day(care_client, member):
    from clients.models import PhaseTransition

    episode = CareEpisodeFactory(
        client=care_client, phase=Phase.IN_CARE, started_on=dt.date(2026, 1, 5)
    )
    PhaseTransition.objects.create(
        episode=episode, to_phase=Phase.WAITING, on=dt.date(2026, 1, 5), by=member
    )
    PhaseTransition.objects.create(
        episode=episode, to_phase=Phase.IN_CARE, on=dt.date(2026, 2, 2), by=member
    )

    # Before the intake the episode was on the waiting list: voorzorg, not Zvw.
    assert propose(care_client, Discipline.CASEMANAGER, dt.date(2026, 1, 20)) == (
        ContactFunding.VOORZORG
    )
    assert propose(care_client, Discipline.CASEMANAGER, dt.date(2026, 2, 3)) == ContactFunding.ZVW
