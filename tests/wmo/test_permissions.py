"""Permission matrix of every browser view of the Wmo app (STYLE.md, "Access and audit").

Each route in ``ROUTES`` is requested by every role in ``ROLES``: anonymous, other team
(member and lead), a user who leads another team but is a plain member here, the Wmo
consultants (of the client's municipality, their lead, and a consultant of another
municipality: the "other team" of the municipal side), controller, stuurgroep and the
team roles. The expected outcome per role is one of:

- ``LOGIN``: a redirect to the sign-in page;
- ``403`` / ``404`` / ``405``: refused (a client-scoped route never reveals that the client
  exists; a POST-only route answers a GET with 405);
- ``HIDDEN``: the page opens (200) but the team's request is not on it;
- ``OK``: a GET gives 200 with the data on the page (when the route says what to look for);
  a valid POST is carried out (302) and changes the data.

The team drafts, submits, withdraws and deletes; only a consultant of the client's
municipality takes a request in review and decides; a consultant never sees a concept nor
the client's contact and clinical details. Whatever is refused, a snapshot of every row of
the Wmo app (and of the notifications) is the same afterwards. Because the right role's POST
with the same payload does change that snapshot, every "denial changes nothing" case is able
to fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from olteams.models import Notification
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory, active_plan, category, wmo_consent
from tests.permissions import (
    ANON,
    PermissionTable,
    Route,
    frozen_at,
    leads_elsewhere,
    models_of,
    outcome_table,
    rows_of,
    shared_world,
)
from tests.permissions import body as _body
from wmo import iwmo, services
from wmo.constants import DecisionKind
from wmo.models import Decision, IndicationRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC)

OUTSIDER, OTHER_LEAD, MIXED = "outsider", "other_lead", "mixed"
CONSULTANT, CONSULTANT_LEAD, OTHER_CONSULTANT = "consultant", "consultant_lead", "other_consultant"
CONTROLLER, STUURGROEP = "controller", "stuurgroep_user"
MEMBER, SECRETARY, LEAD = "member", "secretary", "lead"
ROLES = (
    ANON,
    OUTSIDER,
    OTHER_LEAD,
    MIXED,
    CONSULTANT,
    CONSULTANT_LEAD,
    OTHER_CONSULTANT,
    CONTROLLER,
    STUURGROEP,
    MEMBER,
    SECRETARY,
    LEAD,
)
TEAM_ROLES = (MEMBER, SECRETARY, LEAD, MIXED)
CONSULTANTS = (CONSULTANT, CONSULTANT_LEAD)
NOT_INVOLVED = (OUTSIDER, OTHER_LEAD, OTHER_CONSULTANT, CONTROLLER, STUURGROEP)
SIGNED_IN = tuple(r for r in ROLES if r != ANON)


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


# The team's work on a client's requests: every team role, nobody else (not the consultant).
CARE = outcome(ok=TEAM_ROLES, e404=(*CONSULTANTS, *NOT_INVOLVED))
# Reading a submitted request, its messages and decisions: the team and the municipality.
WMO_VIEW = outcome(ok=(*TEAM_ROLES, *CONSULTANTS), e404=NOT_INVOLVED)
# Deciding: a consultant of the client's municipality only.
DECIDE = outcome(ok=CONSULTANTS, e404=(*TEAM_ROLES, *NOT_INVOLVED))
# The request to the other municipality: the team and that municipality's consultant.
ELSEWHERE_VIEW = outcome(
    ok=(*TEAM_ROLES, OTHER_CONSULTANT),
    e404=(*CONSULTANTS, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
)
ELSEWHERE_DECIDE = outcome(
    ok=(OTHER_CONSULTANT,),
    e404=(*TEAM_ROLES, *CONSULTANTS, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
)
# Importing a municipality's WMO301: its consultants; the team may see the request but not
# grant itself an indication (403); anyone else does not see the client (404).
IMPORT = outcome(ok=CONSULTANTS, e403=TEAM_ROLES, e404=NOT_INVOLVED)
# A POST-only route answers a GET with 405 (after the login check).
POST_ONLY = outcome(e405=SIGNED_IN)


@dataclass
class World:
    """The team's Wmo data every request refers to; users by role."""

    client: Any  # Sanne Visser of Team Noord in Testgemeente, with an active plan
    concept: Any  # a concept request (02B01) drafted by the member
    submitted: Any  # a submitted request (07D01), awaiting a decision
    decision: Any  # a granting decision on a third request (02B02)
    elsewhere: Any  # submitted to the other municipality (the client lived there)
    started: Any  # the WMO305 recorded for the decision's indication
    goals: list[Any]
    users: dict[str, Any]
    # The municipal route: a melding in onderzoek, one decided (not yet taken up by the
    # team) and one taken up, with plan goals and a goal review.
    melding_open: Any = None
    melding_new: Any = None
    melding_done: Any = None
    regisseur: Any = None

    @property
    def member(self) -> Any:
        return self.users[MEMBER]


def _data(request_data: dict[str, Any], **change: Any) -> dict[str, Any]:
    return request_data | change


@shared_world
def world(
    wmo_client,
    goals,
    product,
    day_product,
    request_data,
    municipality,
    other_team,
    other_municipality,
    org_ggz,
    member,
    lead,
    secretary,
    outsider,
    consultant,
    consultant_lead,
    controller,
    stuurgroep_user,
):
    MunicipalProductFactory(municipality=municipality, code="02B02", name="Begeleiding groep")
    MunicipalProductFactory(municipality=municipality, code="02B03", name="Begeleiding licht")
    decided = services.request_submit(
        actor=member,
        request=services.request_create(
            actor=member, client=wmo_client, data=_data(request_data, product_code="02B02")
        ),
        now=NOW - dt.timedelta(days=1),
    )
    decision = services.request_decide(
        actor=consultant, request=decided, kind=DecisionKind.GRANTED, now=NOW
    )
    submitted = services.request_submit(
        actor=member,
        request=services.request_create(
            actor=member,
            client=wmo_client,
            data=_data(request_data, product_code="07D01", unit="16"),
        ),
        now=NOW,
    )
    concept = services.request_create(actor=member, client=wmo_client, data=request_data)
    # Before moving, the client was sent to the other municipality for day activities: that
    # consultant may see the client, but only this request of theirs.
    MunicipalProductFactory(
        municipality=other_municipality, code="07D01", category=category("07"), unit="16"
    )
    wmo_client.municipality = other_municipality
    wmo_client.save(update_fields=["municipality"])
    wmo_consent(wmo_client, other_municipality)
    elsewhere = services.request_submit(
        actor=member,
        request=services.request_create(
            actor=member,
            client=wmo_client,
            data=_data(
                request_data,
                product_code="07D01",
                unit="16",
                start=dt.date(2026, 9, 9),
                end=dt.date(2027, 3, 8),
            ),
        ),
        now=NOW,
    )
    wmo_client.municipality = municipality
    wmo_client.save(update_fields=["municipality"])
    assert elsewhere.municipality == other_municipality
    started = iwmo.wmo305_record(
        actor=member, indication=decision.indication, start=decision.indication.start
    )
    other_lead, mixed = leads_elsewhere(
        team=wmo_client.team, other_team=other_team, organisation=org_ggz
    )
    other_consultant = MunicipalityRoleFactory(
        user=UserFactory(username="anderconsulent"), municipality=other_municipality
    ).user
    users = {
        ANON: None,
        OUTSIDER: outsider,
        OTHER_LEAD: other_lead,
        MIXED: mixed,
        CONSULTANT: consultant,
        CONSULTANT_LEAD: consultant_lead,
        OTHER_CONSULTANT: other_consultant,
        CONTROLLER: controller,
        STUURGROEP: stuurgroep_user,
        MEMBER: member,
        SECRETARY: secretary,
        LEAD: lead,
    }
    municipal = _municipal_route(municipality, wmo_client.team, consultant, lead, member, org_ggz)
    return World(
        **municipal,
        client=wmo_client,
        concept=concept,
        submitted=submitted,
        decision=decision,
        elsewhere=elsewhere,
        started=started,
        goals=goals,
        users=users,
    )


def _municipal_route(
    municipality: Any, team: Any, consultant: Any, lead: Any, member: Any, org_ggz: Any
) -> dict[str, Any]:
    from tests.factories.olteams import MembershipFactory, OrganisationFactory
    from tests.wmo.municipal import decided, investigated, registered

    regisseur = MembershipFactory(
        user=UserFactory(username="regisseur"),
        team=team,
        organisation=OrganisationFactory(kind="welzijn"),
    ).user

    def melding(last_name: str) -> Any:
        m = registered(
            consultant=consultant,
            municipality=municipality,
            team=team,
            on=dt.date(2026, 2, 16),
            last_name=last_name,
        )
        return investigated(m, consultant, on=dt.date(2026, 2, 23))

    melding_open = melding("Kuipers")
    melding_new = decided(melding("Smit"), consultant, now=NOW - dt.timedelta(days=3))
    melding_done = decided(melding("Jansen"), consultant, now=NOW - dt.timedelta(days=5))
    day = (NOW - dt.timedelta(days=5)).date()
    services.melding_accept(
        actor=lead,
        melding=melding_done,
        intake_organisation=org_ggz,
        planned_on=day + dt.timedelta(days=2),
        planned_time=dt.time(10),
        location="Thuis",
        workers=[member],
        casusregisseur=regisseur,
        today=day,
    )
    active_plan(melding_done.client, member, goals=("Ik ga naar de dagbesteding.",))
    goals = list(melding_done.goals.all())
    services.goal_review_record(
        actor=regisseur,
        melding=melding_done,
        reviewed_on=dt.date(2026, 3, 1),
        satisfaction=4,
        results={g.pk: ("deels", "Gaat vooruit.") for g in goals},
        today=NOW.date(),
    )
    return {
        "melding_open": melding_open,
        "melding_new": melding_new,
        "melding_done": melding_done,
        "regisseur": regisseur,
    }


# --- the route table -------------------------------------------------------------------

Build = Callable[[World], Any]


def _client(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk}


def _concept(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "pk": w.concept.pk}


def _submitted(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "pk": w.submitted.pk}


def _elsewhere(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "pk": w.elsewhere.pk}


def _decision(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "pk": w.decision.pk}


def _request_form(w: World, product_code: str) -> dict[str, Any]:
    """A valid request form: the product, the ZRM and the goals of the active plan."""
    return {
        "product_code": product_code,
        "volume": "3",
        "unit": "04",
        "frequency": "2",
        "start": "2026-03-09",
        "end": "2026-09-08",
        "result_areas": ["1", "3"],
        "motivation": "Sanne wil haar administratie weer zelf doen.",
        "goal_ids": [str(g.pk) for g in w.goals],
        "zrm_financien": "2",
    }


def _wmo301(w: World) -> dict[str, Any]:
    """The municipality's schema-valid WMO301 granting the submitted request as asked."""
    from tests.wmo.test_iwmo import _product
    from tests.wmo.test_iwmo import _wmo301 as municipality_message

    r = w.submitted
    product = _product(
        toewijzing="77000001",
        ref=r.reference,
        cat="07",
        code="07D01",
        start=r.start.isoformat(),
        end=r.end.isoformat(),
        omvang=(str(r.volume), r.unit, r.frequency),
    )
    xml = municipality_message(r, product)
    upload = SimpleUploadedFile("wmo301.xml", xml, content_type="application/xml")
    return {"message": upload}


def text(marker: Build) -> Callable[[World, Any], bool]:
    return lambda w, response: str(marker(w)) in _body(response)


def content_type(kind: str) -> Callable[[World, Any], bool]:
    return lambda w, response: response["Content-Type"].startswith(kind)


SUBMITTED = text(lambda w: w.submitted.reference)


def detail_link(attr: str) -> Callable[[World, Any], bool]:
    """A list row or a form links to the request's page."""
    return text(
        lambda w: reverse(
            "wmo:request-detail", kwargs={"client_id": w.client.pk, "pk": getattr(w, attr).pk}
        )
    )


ROUTES = [
    Route(
        "request-list",
        outcome(
            ok=TEAM_ROLES,
            hidden=(OUTSIDER, OTHER_LEAD),
            e403=(*CONSULTANTS, OTHER_CONSULTANT, CONTROLLER, STUURGROEP),
        ),
        shows=detail_link("concept"),
    ),
    Route(
        "inbox",
        outcome(
            ok=CONSULTANTS,
            hidden=(OTHER_CONSULTANT,),
            e403=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
        ),
        shows=detail_link("submitted"),
    ),
    Route(
        "indication-overview",
        # Everyone with a team or a municipality sees the page (with only their own clients'
        # indications: see tests/wmo/test_views.py); controllers and stuurgroep do not.
        outcome(
            ok=(*TEAM_ROLES, *CONSULTANTS, OUTSIDER, OTHER_LEAD, OTHER_CONSULTANT),
            e403=(CONTROLLER, STUURGROEP),
        ),
        shows=text(lambda w: "Indicatieregister"),
    ),
    Route(
        "lead-times",
        outcome(
            ok=(*CONSULTANTS, STUURGROEP),
            hidden=(OTHER_CONSULTANT,),
            e403=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD, CONTROLLER),
        ),
        shows=text(lambda w: "Testgemeente"),
    ),
    Route(
        "request-create",
        CARE,
        _client,
        shows=text(lambda w: "Visser"),
        post=lambda w: _request_form(w, "02B03"),
    ),
    Route(
        "request-detail",
        CARE,
        _concept,
        case="concept",
        shows=text(lambda w: w.concept.reference),
    ),
    Route(
        "request-detail",
        WMO_VIEW,
        _submitted,
        case="submitted",
        shows=SUBMITTED,
    ),
    Route(
        "request-detail",
        ELSEWHERE_VIEW,
        _elsewhere,
        case="elsewhere",
        shows=text(lambda w: w.elsewhere.reference),
    ),
    Route(
        "request-update",
        CARE,
        _concept,
        shows=detail_link("concept"),
        post=lambda w: _request_form(w, "02B01"),
    ),
    Route("request-submit", POST_ONLY, _concept, post=lambda w: {}, post_expected=CARE),
    Route("request-withdraw", POST_ONLY, _submitted, post=lambda w: {}, post_expected=CARE),
    Route("request-delete", POST_ONLY, _concept, post=lambda w: {}, post_expected=CARE),
    Route("request-review", POST_ONLY, _submitted, post=lambda w: {}, post_expected=DECIDE),
    Route(
        "decision-create",
        DECIDE,
        _submitted,
        shows=detail_link("submitted"),
        post=lambda w: {"kind": DecisionKind.GRANTED},
    ),
    Route(
        "decision-create",
        ELSEWHERE_DECIDE,
        _elsewhere,
        case="elsewhere",
        shows=detail_link("elsewhere"),
        post=lambda w: {"kind": DecisionKind.GRANTED},
    ),
    Route(
        "request-review",
        POST_ONLY,
        _elsewhere,
        case="elsewhere",
        post=lambda w: {},
        post_expected=ELSEWHERE_DECIDE,
    ),
    Route("request-xml", WMO_VIEW, _submitted, shows=SUBMITTED),
    Route(
        "decision-import",
        POST_ONLY,
        _submitted,
        post=_wmo301,
        post_expected=IMPORT,
    ),
    Route("decision-letter", WMO_VIEW, _decision, shows=content_type("application/pdf")),
    Route(
        "decision-xml",
        WMO_VIEW,
        _decision,
        shows=text(lambda w: w.decision.request.reference),
    ),
    Route(
        "indication-change",
        CARE,
        lambda w: {"client_id": w.client.pk, "pk": w.decision.indication.pk},
        shows=text(lambda w: w.decision.indication.toewijzing_number),
        post=lambda w: {
            "volume": "5",
            "frequency": "2",
            "reason": "2",
            "start": w.decision.indication.start.isoformat(),
        },
    ),
    Route(
        "message-xml",
        WMO_VIEW,
        lambda w: {"client_id": w.client.pk, "pk": w.started.pk},
        shows=text(lambda w: w.started.identification),
    ),
    Route(
        "indication-list",
        # The other municipality's consultant opens the register of a client of theirs,
        # without the indications of this municipality.
        outcome(
            ok=(*TEAM_ROLES, *CONSULTANTS),
            hidden=(OTHER_CONSULTANT,),
            e404=(OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
        ),
        _client,
        shows=text(lambda w: w.decision.indication.toewijzing_number),
    ),
    Route(
        "client-overview",
        # The Wmo tab of the client frame: the same people as the indication register.
        outcome(
            ok=(*TEAM_ROLES, *CONSULTANTS),
            hidden=(OTHER_CONSULTANT,),
            e404=(OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
        ),
        _client,
        shows=text(lambda w: w.decision.indication.toewijzing_number),
    ),
]


def _melding(attr: str) -> Build:
    return lambda w: {"client_id": getattr(w, attr).client_id, "pk": getattr(w, attr).pk}


def _melding_link(attr: str) -> Callable[[World, Any], bool]:
    return text(
        lambda w: reverse(
            "wmo:melding-detail",
            kwargs={"client_id": getattr(w, attr).client_id, "pk": getattr(w, attr).pk},
        )
    )


def _links_form(w: World) -> dict[str, Any]:
    from herstelplan.models import Goal

    goal = Goal.objects.filter(plan__client=w.melding_done.client).first()
    return {f"plan_{goal.pk}": [str(w.melding_done.goals.first().pk)]}


def _review_form(w: World) -> dict[str, Any]:
    data: dict[str, Any] = {"reviewed_on": "2026-03-02", "satisfaction": "5"}
    for goal in w.melding_done.goals.all():
        data[f"goal_{goal.pk}"] = "behaald"
    return data


# Deciding on a melding: the consultants of the municipality; nobody else sees the page.
MELDING_DECIDE = outcome(ok=CONSULTANTS, e404=(*TEAM_ROLES, *NOT_INVOLVED))
# The team's side of a melding: every team role (not the municipality).
MELDING_TEAM = outcome(ok=TEAM_ROLES, e404=(*CONSULTANTS, *NOT_INVOLVED))
# The clinical side (the Herstelplan's goals): no zorgsecretariaat.
MELDING_CLINICAL = outcome(ok=(MEMBER, LEAD, MIXED), e404=(SECRETARY, *CONSULTANTS, *NOT_INVOLVED))
CONSULTANT_PAGE = outcome(
    ok=CONSULTANTS,
    hidden=(OTHER_CONSULTANT,),
    e403=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
)
CONSULTANT_FILE = outcome(
    ok=(*CONSULTANTS, OTHER_CONSULTANT),
    e403=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
)

ROUTES += [
    Route("melding-list", CONSULTANT_PAGE, shows=_melding_link("melding_open")),
    Route(
        "melding-create",
        CONSULTANT_FILE,
        shows=text(lambda w: "Nieuwe melding"),
        post=lambda w: {
            "first_name": "Willem",
            "last_name": "Verhoeven",
            "date_of_birth": "1950-05-05",
            "municipality": str(w.client.municipality_id),
            "team": str(w.client.team_id),
            "reported_on": "2026-03-02",
            "question": "Ik red het niet meer alleen thuis.",
        },
        # The other municipality's consultant cannot register for this municipality (400).
        post_expected=outcome(
            ok=CONSULTANTS,
            hidden=(OTHER_CONSULTANT,),
            e403=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD, CONTROLLER, STUURGROEP),
        ),
    ),
    Route(
        "melding-detail",
        outcome(ok=(*TEAM_ROLES, *CONSULTANTS), e404=NOT_INVOLVED),
        _melding("melding_done"),
        shows=text(lambda w: "Gaat vooruit."),
    ),
    Route(
        "melding-conversation",
        MELDING_DECIDE,
        _melding("melding_open"),
        shows=text(lambda w: "Zelfredzaamheid-Matrix"),
        post=lambda w: {
            "conversation_on": "2026-03-01",
            "present": "De inwoner",
            "zrm_financien": "3",
        },
    ),
    Route(
        "melding-goals",
        MELDING_DECIDE,
        _melding("melding_open"),
        shows=text(lambda w: "Ik wil weer een stukje kunnen wandelen"),
        post=lambda w: {"goal_1": "Ik wil zelf boodschappen doen."},
    ),
    Route(
        "melding-decide",
        MELDING_DECIDE,
        _melding("melding_open"),
        shows=text(lambda w: "Herstel, groei en stabilisatie"),
        post=lambda w: {
            "arrangement": str(w.melding_new.request.decisions.get().indication.arrangement_id),
            "volume": "5",
            "unit": "16",
            "frequency": "2",
            "start": "2026-03-02",
            "review_on": "2026-05-04",
        },
    ),
    Route(
        "toewijzing-inbox",
        outcome(
            ok=TEAM_ROLES,
            hidden=(OUTSIDER, OTHER_LEAD),
            e403=(*CONSULTANTS, OTHER_CONSULTANT, CONTROLLER, STUURGROEP),
        ),
        shows=_melding_link("melding_new"),
    ),
    Route(
        "melding-accept",
        MELDING_TEAM,
        _melding("melding_new"),
        shows=text(lambda w: "regisseur"),
        post=lambda w: {
            "intake_organisation": str(w.regisseur.memberships.get().organisation_id),
            "planned_on": "2026-03-04",
            "planned_time": "10:00",
            "location": "Thuis",
            "workers": [str(w.member.pk)],
            "casusregisseur": str(w.regisseur.pk),
        },
        # The zorgsecretariaat cannot name a casusregisseur (a care-team role): a message.
        post_expected=outcome(
            ok=(MEMBER, LEAD, MIXED), hidden=(SECRETARY,), e404=(*CONSULTANTS, *NOT_INVOLVED)
        ),
    ),
    Route(
        "melding-links",
        MELDING_CLINICAL,
        _melding("melding_done"),
        shows=text(lambda w: "Ik ga naar de dagbesteding."),
        post=_links_form,
    ),
    Route(
        "melding-review",
        MELDING_TEAM,
        _melding("melding_done"),
        shows=text(lambda w: "Ik wil weer een stukje kunnen wandelen"),
        post=_review_form,
    ),
    Route("goal-report", CONSULTANT_PAGE, shows=text(lambda w: "Herstel, groei en stabilisatie")),
    Route("goal-report-pdf", CONSULTANT_FILE),
    Route("goal-report-xlsx", CONSULTANT_FILE),
]

# The client's contact and medical details: never on a page for anyone outside the team.
PRIVATE = ("0612345678", "sanne.visser@example.invalid", "De Linde", "dr. Bakker")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the Wmo app, and the notifications (not the audit log)."""
    return rows_of([*models_of("wmo"), Notification])


def no_private_detail(world: World, role: str, response: Any) -> None:
    """No page shows the client's contact and medical details to anyone outside the team."""
    if role not in TEAM_ROLES and response["Content-Type"].startswith("text/html"):
        body = _body(response)
        assert not [secret for secret in PRIVATE if secret in body]


TABLE = PermissionTable("wmo", ROLES, ROUTES, snapshot, page_check=no_private_detail)


_frozen = frozen_at(NOW)


# --- the tests -------------------------------------------------------------------------


test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()


def test_the_right_roles_post_does_what_it_says(world, login):
    """A 302 alone could be a refusal with a message: spot-check that the state moved."""
    http = login(world.users[CONSULTANT])
    http.post(TABLE.url(world, TABLE.by_id["request-review"]))
    world.submitted.refresh_from_db()
    assert world.submitted.status == "in_behandeling"
    login(world.member).post(TABLE.url(world, TABLE.by_id["request-delete"]))
    assert not IndicationRequest.objects.filter(pk=world.concept.pk).exists()
    login(world.users[CONSULTANT]).post(
        TABLE.url(world, TABLE.by_id["decision-import"]), _wmo301(world)
    )
    assert Decision.objects.filter(request=world.submitted).exists()
