"""Permission matrix of every browser view of the caseload app (STYLE.md, "Access and audit").

The design follows tests/clients/test_permissions.py: each row of ``ROUTES`` is requested by
every role in ``ROLES``: anonymous, other team (member and lead), a user who leads another
team but is a plain member here ("mixed"), the wrong roles (Wmo consultant with a submitted
request for the client, controller of the staffing organisation, stuurgroep) and the team
roles. The expected outcome per role is one of:

- ``LOGIN``: a redirect to the sign-in page;
- ``403`` / ``404``: refused (a client-scoped route never reveals that the client exists;
  a team that is not the user's is "not found" as well);
- ``HIDDEN``: the page opens (200; a form POST is refused with 200/400) but the team's
  data is not on it;
- ``OK``: a GET gives 200 with the team's data on the page (when the row says what to look
  for); a valid POST is carried out (302) and changes the data.

Whatever is refused, a snapshot of every row of the caseload app and of the apps it writes
to (clients: assignments, episodes; herstelplan; wmo) is the same afterwards. The right
role's POST with the same payload does change that snapshot, so every "denial changes
nothing" case is able to fail.

One URL name may have several rows (``case``): the team pages and exports are requested
both with ``?team=<this team>`` (someone who is not lead/secretariaat there: 404) and
without (the user's own team opens: HIDDEN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseload.constants import ConsultationRequester, NonClientCode
from caseload.services import document_upload
from clients.constants import AssignmentRole
from olteams.constants import Discipline
from tests.caseload.pages_fixtures import in_care
from tests.caseload.url_kwargs import KWARG_FACTORIES
from tests.conftest import verified_client
from tests.factories.caseload import (
    ConsultationFactory,
    ContactFactory,
    CrisisFactory,
    NonClientTimeFactory,
)
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import MembershipFactory, UserFactory
from tests.factories.wmo import indication_request
from tests.permissions import (
    ANON,
    OK,
    PermissionTable,
    Route,
    frozen_at,
    leads_elsewhere,
    models_of,
    outcome_table,
    rows_of,
    shared_world,
    text,
)
from tests.permissions import body as _body

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)  # a Monday

OUTSIDER, OTHER_LEAD, MIXED = "outsider", "other_lead", "mixed"
CONSULTANT, CONTROLLER, STUURGROEP = "consultant", "controller", "stuurgroep_user"
MEMBER, SECRETARY, LEAD = "member", "secretary", "lead"
ROLES = (
    ANON,
    OUTSIDER,
    OTHER_LEAD,
    MIXED,
    CONSULTANT,
    CONTROLLER,
    STUURGROEP,
    MEMBER,
    SECRETARY,
    LEAD,
)
TEAM_ROLES = (MEMBER, SECRETARY, LEAD, MIXED)
NOT_IN_TEAM = (OUTSIDER, OTHER_LEAD, CONSULTANT, CONTROLLER, STUURGROEP)
NO_TEAM = (CONSULTANT, CONTROLLER, STUURGROEP)  # no membership of any team

# Distinctive names: Faker names the users and other clients.
CLIENT_NAME = "Zonnebloemwijk"
NONCLIENT_TEXT = "Wijkoverleg Noordpool"
CONSULTATION_TEXT = "vrouw, 50, Noordpool"
SECOND_WORKER = "Tweedewerker"


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


# Logging on one client (ClientAction.CHANGE) and the client file (VIEW): every team role;
# nobody else, not the Wmo consultant with a request for the client nor the controller.
CARE = outcome(ok=TEAM_ROLES, e404=NOT_IN_TEAM)
# Correcting a contact: its author (the member) or the team's lead.
CONTACT_AUTHOR_OR_LEAD = outcome(ok=(MEMBER, LEAD), e403=(SECRETARY, MIXED), e404=NOT_IN_TEAM)
# Team pages for anyone working in a team: only this team's people see its rows.
TEAM_PAGE = outcome(ok=TEAM_ROLES, hidden=(OUTSIDER, OTHER_LEAD), e403=NO_TEAM)
# Non-client time: one's own, and the team's for its lead and secretariaat.
NONCLIENT_LIST = outcome(
    ok=(MEMBER, SECRETARY, LEAD), hidden=(MIXED, OUTSIDER, OTHER_LEAD), e403=NO_TEAM
)
# My caseload: the clients one is assigned to (member, lead and mixed are; see ``world``).
MY_CASELOAD = outcome(
    ok=(MEMBER, LEAD, MIXED), hidden=(SECRETARY, OUTSIDER, OTHER_LEAD), e403=NO_TEAM
)
# Team overview and list exports: lead and secretariaat. A lead elsewhere gets their own
# team (HIDDEN), or 404 when they ask for this team.
_NOT_LEAD_OR_SECRETARY = (MEMBER, OUTSIDER, *NO_TEAM)
LEAD_OR_SECRETARY_OWN = outcome(
    ok=(LEAD, SECRETARY), hidden=(OTHER_LEAD, MIXED), e403=_NOT_LEAD_OR_SECRETARY
)
LEAD_OR_SECRETARY_THIS = outcome(
    ok=(LEAD, SECRETARY), e404=(OTHER_LEAD, MIXED), e403=_NOT_LEAD_OR_SECRETARY
)
# Reassignment: the team's lead only; no lead team at all is "not found".
_NOT_A_LEAD = (MEMBER, SECRETARY, OUTSIDER, *NO_TEAM)
LEAD_ONLY_OWN = outcome(ok=(LEAD,), hidden=(OTHER_LEAD, MIXED), e404=_NOT_A_LEAD)
LEAD_ONLY_THIS = outcome(ok=(LEAD,), e404=(OTHER_LEAD, MIXED, *_NOT_A_LEAD))
# The inzage export of a client's whole file: the lead of the client's own team.
INZAGE_EXPORT = outcome(
    ok=(LEAD,), e403=(SECRETARY,), e404=(MEMBER, MIXED, OUTSIDER, OTHER_LEAD, *NO_TEAM)
)
# My agenda: the appointments one takes part in (member, lead and mixed do; see ``world``).
MY_AGENDA = MY_CASELOAD
# The team's agenda of this team: whoever works in it.
TEAM_AGENDA_THIS = outcome(ok=TEAM_ROLES, e404=(OUTSIDER, OTHER_LEAD), e403=NO_TEAM)
# The own calendar address: anyone working in a team (the outsider in theirs).
FEED_SETTINGS = outcome(ok=(*TEAM_ROLES, OUTSIDER, OTHER_LEAD), e403=NO_TEAM)
# The calendar feed: no sign-in; the secret in the address is the key, for anyone holding it.
FEED_VALID = dict.fromkeys(ROLES, OK)
FEED_REVOKED = dict.fromkeys(ROLES, 404)
# Exporting one's own caseload: only with the export permission (lead/secretariaat).
MY_CASELOAD_EXPORT = outcome(
    ok=(LEAD,), hidden=(SECRETARY, OTHER_LEAD, MIXED), e403=_NOT_LEAD_OR_SECRETARY
)


@dataclass
class World:
    """The team's data every request refers to; users by role."""

    team: Any
    other_team: Any
    client: Any  # in care, assigned to member (casemanager), lead and mixed
    contact: Any  # by the member, on the client
    second: Any  # a second casemanager of the team (reassignment target)
    users: dict[str, Any]
    appointment: Any = None  # planned for Tuesday 17 March with the member, lead and mixed
    feed_secret: str = ""  # the member's calendar address
    revoked_secret: str = ""  # an address the member revoked
    identity: Any = None  # a document of the client anyone with access may read
    letter: Any = None  # a GP letter (clinical): clinical access only

    @property
    def member(self) -> Any:
        return self.users[MEMBER]


@shared_world
def world(
    team,
    other_team,
    municipality,
    org_ggz,
    org_welzijn,
    member,
    lead,
    secretary,
    outsider,
    consultant,
    controller,
    stuurgroep_user,
):
    other_lead, mixed = leads_elsewhere(team=team, other_team=other_team, organisation=org_ggz)
    second = MembershipFactory(
        user=UserFactory(username="tweede", first_name="Tineke", last_name=SECOND_WORKER),
        team=team,
        organisation=org_welzijn,
        discipline=Discipline.CASEMANAGER,
    ).user
    client = ClientFactory(team=team, first_name="Anna", last_name=CLIENT_NAME)
    in_care(client, member, on=dt.date(2025, 1, 6))
    AssignmentFactory(
        client=client,
        worker=member,
        role=AssignmentRole.CASEMANAGER,
        start_date=dt.date(2025, 1, 6),
    )
    AssignmentFactory(client=client, worker=lead, start_date=dt.date(2025, 1, 6))
    AssignmentFactory(client=client, worker=mixed, start_date=dt.date(2025, 1, 6))
    indication_request(client, municipality, requested_by=member, reference=f"PERM{client.pk}")
    # More than six weeks ago: the client is on the MDO list (no recent contact).
    contact = ContactFactory(
        client=client,
        author=member,
        starts_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
        presence__organisation=org_ggz,
    )
    NonClientTimeFactory(
        worker=member,
        team=team,
        organisation=org_ggz,
        date=dt.date(2026, 3, 9),
        code=NonClientCode.OTHER,
        target="",
        explanation=NONCLIENT_TEXT,
    )
    ConsultationFactory(
        team=team,
        worker=member,
        organisation=org_ggz,
        date=dt.date(2026, 3, 9),
        about=CONSULTATION_TEXT,
    )
    identity = document_upload(
        actor=member,
        client=client,
        file=SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
        category="identiteit",
        title=IDENTITY_TITLE,
        document_date=dt.date(2026, 3, 1),
    )
    letter = document_upload(
        actor=member,
        client=client,
        file=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n"),
        category="brief_huisarts",
        title=LETTER_TITLE,
        document_date=dt.date(2026, 3, 1),
    )
    users = {
        ANON: None,
        OUTSIDER: outsider,
        OTHER_LEAD: other_lead,
        MIXED: mixed,
        CONSULTANT: consultant,
        CONTROLLER: controller,
        STUURGROEP: stuurgroep_user,
        MEMBER: member,
        SECRETARY: secretary,
        LEAD: lead,
    }
    appointment, feed_secret, revoked_secret = _appointments(client, member, lead, mixed)
    return World(
        team=team,
        other_team=other_team,
        client=client,
        contact=contact,
        second=second,
        users=users,
        appointment=appointment,
        feed_secret=feed_secret,
        revoked_secret=revoked_secret,
        identity=identity,
        letter=letter,
    )


def _appointments(client: Any, member: Any, lead: Any, mixed: Any) -> tuple[Any, str, str]:
    """A fortnightly appointment from Tuesday 17 March with three workers, and the
    member's calendar address (and an older, revoked one)."""
    from caseload.services import Recurrence, appointment_plan, calendar_feed_create

    planned = appointment_plan(
        actor=member,
        client=client,
        starts_at=dt.datetime(2026, 3, 17, 10, tzinfo=dt.UTC),
        duration_minutes=45,
        kind="telefoon",
        place_kind="telefoon",
        workers=[member, lead, mixed],
        recurrence=Recurrence(interval_weeks=2, count=3),
        now=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
    )
    revoked = calendar_feed_create(actor=member)
    return planned[0], calendar_feed_create(actor=member), revoked


# --- the route table -------------------------------------------------------------------

Build = Callable[[World], Any]
Shows = Callable[[World, Any], bool]


def _client(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk}


def _crisis(w: World) -> dict[str, Any]:
    """An open crisis made by the member (never by the requesting user)."""
    factory = KWARG_FACTORIES["caseload:crisis-update"]["crisis_id"]
    return {"client_id": w.client.pk, "crisis_id": factory(client=w.client, user=w.member)}


def _this_team(w: World) -> dict[str, Any]:
    return {"team": w.team.pk}


def _export(kind: str) -> Build:
    return lambda w: {"kind": kind, "fmt": "csv"}


def member_name(w: World, response: Any) -> bool:
    return w.member.get_full_name() in _body(response)


def offers_team(w: World, response: Any) -> bool:
    """The form lets the user choose this team."""
    return w.team in response.context["form"].fields["team"].queryset


def on_team(w: World, response: Any) -> bool:
    """The page is about this team and names its client or workers."""
    body = _body(response)
    return response.context["team"] == w.team and (CLIENT_NAME in body or SECOND_WORKER in body)


ANNA = text(CLIENT_NAME)
IDENTITY_TITLE = "Kopie paspoort"
LETTER_TITLE = "Verwijsbrief huisarts"
# A clinical document: the team's clinicians (not the secretariaat) and no one outside.
CLINICAL_DOCUMENT = outcome(ok=(MEMBER, LEAD, MIXED), e404=(SECRETARY, *NOT_IN_TEAM))


def _document(attr: str) -> Build:
    return lambda w: {"client_id": w.client.pk, "document_id": getattr(w, attr).pk}


def _is_file(w: World, response: Any) -> bool:
    return response["X-Content-Type-Options"] == "nosniff" and bool(
        b"".join(response.streaming_content)
    )


def _upload_form(w: World) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n"),
        "title": "Brief van de woningcorporatie",
        "category": "overig",
        "document_date": "2026-03-10",
        "author": "Woonstichting",
    }


def _contact_form(**changes: Any) -> Build:
    def build(w: World) -> dict[str, Any]:
        data = {
            "date": "2026-03-16",
            "time": "10:00",
            "duration_minutes": "45",
            "travel_minutes": "0",
            "kind": "telefoon",
            "note": "Gebeld over de post.",
            "funding_stream": "zvw",
        }
        return data | changes

    return build


def _reassign_form(w: World) -> dict[str, Any]:
    return {
        "from_worker": w.member.pk,
        "to_worker": w.second.pk,
        "clients": [str(w.client.pk)],
        "on": "2026-03-16",
        "reason": "Verlof van de casemanager.",
    }


def _appointment(w: World) -> dict[str, Any]:
    return {"client_id": w.client.pk, "appointment_id": w.appointment.pk}


def _appointment_form(w: World) -> dict[str, Any]:
    return {
        "date": "2026-03-18",
        "start_time": "10:00",
        "end_time": "10:45",
        "kind": "huisbezoek",
        "place_kind": "thuis",
        "workers": [w.member.pk],
        "client_present": "on",
        "repeat": "aantal",
        "interval_weeks": "2",
        "count": "3",
        "scope": "alleen_deze",
    }


ROUTES = [
    # --- logging --------------------------------------------------------------------------
    Route("contact-create", CARE, _client, shows=ANNA, post=_contact_form()),
    Route(
        "contact-update",
        CONTACT_AUTHOR_OR_LEAD,
        lambda w: {"client_id": w.contact.client_id, "contact_id": w.contact.pk},
        shows=ANNA,
        post=_contact_form(date="2026-01-05", duration_minutes="30"),
    ),
    Route("nonclient-list", NONCLIENT_LIST, shows=text(NONCLIENT_TEXT)),
    Route(
        "nonclient-create",
        TEAM_PAGE,
        shows=offers_team,
        post=lambda w: {
            "team": w.team.pk,
            "date": "2026-03-16",
            "minutes": "30",
            "code": NonClientCode.LEARNING,
            "target": "",
            "explanation": "",
        },
    ),
    Route(
        "intensity-create",
        CARE,
        _client,
        shows=ANNA,
        post=lambda w: {"date": "2026-03-16", "level": "4", "reason": "Meer zorg nodig."},
    ),
    Route(
        "outflow",
        CARE,
        _client,
        shows=ANNA,
        post=lambda w: {"on": "2026-03-16", "reason": "doelen_bereikt"},
    ),
    Route(
        "crisis-create",
        CARE,
        _client,
        shows=ANNA,
        post=lambda w: {"started_on": "2026-03-15", "setting": "geen", "reason": "Onrust."},
    ),
    Route("crisis-update", CARE, _crisis, shows=ANNA, post=lambda w: {"ended_on": "2026-03-16"}),
    Route("consultation-list", TEAM_PAGE, shows=text(CONSULTATION_TEXT)),
    Route(
        "consultation-create",
        TEAM_PAGE,
        shows=offers_team,
        post=lambda w: {
            "team": w.team.pk,
            "date": "2026-03-16",
            "requester_kind": ConsultationRequester.GP,
            "about": "man, 40",
            "minutes": "20",
        },
    ),
    # --- documents ------------------------------------------------------------------------
    Route("document-list", CARE, _client, shows=text(IDENTITY_TITLE)),
    Route(
        "document-list",
        CARE,
        _client,
        case="clinical",
        shows=text(LETTER_TITLE),
        hidden_from=(SECRETARY,),
    ),
    Route("document-upload", CARE, _client, shows=ANNA, post=_upload_form),
    Route("document-download", CARE, _document("identity"), case="identity", shows=_is_file),
    Route(
        "document-download",
        CLINICAL_DOCUMENT,
        _document("letter"),
        case="gp letter",
        shows=_is_file,
    ),
    Route(
        "document-delete",
        CARE,
        _document("identity"),
        shows=text(IDENTITY_TITLE),
        post=lambda w: {"reason": "Verlopen paspoort, nieuwe kopie volgt."},
    ),
    Route(
        "document-delete",
        CLINICAL_DOCUMENT,
        _document("letter"),
        case="gp letter",
        shows=text(LETTER_TITLE),
        post=lambda w: {"reason": "Dubbel geüpload."},
    ),
    # --- pages ----------------------------------------------------------------------------
    Route("my-caseload", MY_CASELOAD, shows=ANNA),
    Route("client-file", CARE, _client, shows=ANNA),
    # The inzage export for a written request: the lead of the client's team only (the
    # secretariaat sees the client for exports of lists: 403; everyone else: not found).
    Route(
        "inzage-export",
        INZAGE_EXPORT,
        _client,
        query=lambda w: {"formaat": "json"},
        case="json",
        shows=ANNA,
    ),
    Route(
        "inzage-export",
        INZAGE_EXPORT,
        _client,
        case="pdf",
        shows=lambda w, response: response.content.startswith(b"%PDF"),
    ),
    Route("team-overview", LEAD_OR_SECRETARY_OWN, case="own team", shows=on_team),
    Route(
        "team-overview",
        LEAD_OR_SECRETARY_THIS,
        query=_this_team,
        case="this team",
        shows=on_team,
    ),
    Route(
        "reassign",
        LEAD_ONLY_OWN,
        query=lambda w: {"from_worker": w.member.pk},
        case="own team",
        shows=on_team,
        post=_reassign_form,
    ),
    Route(
        "reassign",
        LEAD_ONLY_THIS,
        query=lambda w: {"team": w.team.pk, "from_worker": w.member.pk},
        case="this team",
        shows=on_team,
        post=_reassign_form,
    ),
    Route(
        "export",
        MY_CASELOAD_EXPORT,
        _export("mijn-caseload"),
        case="mijn-caseload",
        shows=ANNA,
        # A lead of team B who is a plain member of team A once exported the team A clients
        # on their caseload; the export now lists only clients in the EXPORT scope.
    ),
    Route("export", LEAD_OR_SECRETARY_OWN, _export("mdo"), case="mdo, own team", shows=ANNA),
    Route(
        "export",
        LEAD_OR_SECRETARY_THIS,
        _export("mdo"),
        query=_this_team,
        case="mdo, this team",
        shows=ANNA,
    ),
    Route(
        "export",
        LEAD_OR_SECRETARY_THIS,
        _export("caseload-per-medewerker"),
        query=_this_team,
        case="caseload-per-medewerker, this team",
        shows=text(SECOND_WORKER),
    ),
    Route(
        "export",
        LEAD_OR_SECRETARY_THIS,
        _export("uren"),
        query=_this_team,
        case="uren, this team",
        shows=member_name,
    ),
    # --- appointments ---------------------------------------------------------------------
    Route("appointment-list", CARE, _client, shows=ANNA),
    Route("appointment-create", CARE, _client, shows=ANNA, post=_appointment_form),
    Route("appointment-update", CARE, _appointment, shows=ANNA, post=_appointment_form),
    Route(
        "appointment-cancel",
        CARE,
        _appointment,
        shows=ANNA,
        post=lambda w: {"reason": "Cliënt is ziek.", "scope": "alleen_deze"},
    ),
    Route("agenda", MY_AGENDA, shows=ANNA),
    Route("team-agenda", TEAM_AGENDA_THIS, query=_this_team, case="this team", shows=ANNA),
    Route(
        "agenda-feed-settings",
        FEED_SETTINGS,
        shows=text("Agendakoppeling"),
        post=lambda w: {"action": "maken"},
    ),
    Route(
        "agenda-feed",
        FEED_VALID,
        lambda w: {"token": w.feed_secret},
        case="valid",
        shows=lambda w, response: (
            _body(response).count("BEGIN:VEVENT") == 3 and CLIENT_NAME not in _body(response)
        ),
        get_writes=True,  # records the last use of the address
    ),
    Route(
        "agenda-feed",
        FEED_REVOKED,
        lambda w: {"token": w.revoked_secret},
        case="revoked",
    ),
]

# --- tasks and MDO meetings -------------------------------------------------------------

TASK_TITLE = "Taak Noordpoolster"
_TEAM_NOT_NO_TEAM = (MEMBER, SECRETARY, LEAD, MIXED, OUTSIDER, OTHER_LEAD)
# "Mijn taken": every team role; the member's own task only on the member's list.
MY_TASKS = outcome(
    ok=(MEMBER,), hidden=(SECRETARY, LEAD, MIXED, OUTSIDER, OTHER_LEAD), e403=NO_TEAM
)
# The team's tasks: its lead only; another team is "not found".
TEAM_TASKS = outcome(
    ok=(LEAD,), e404=(MEMBER, SECRETARY, MIXED, OUTSIDER, OTHER_LEAD), e403=NO_TEAM
)
# Completing the member's task: the member (assignee) and the lead (maker, team lead).
TASK_COMPLETE_GET = outcome(e405=(*_TEAM_NOT_NO_TEAM, *NO_TEAM))
TASK_COMPLETE = outcome(ok=(MEMBER, LEAD), e404=(SECRETARY, MIXED, OUTSIDER, OTHER_LEAD, *NO_TEAM))
# MDO's: the team's clinical roles (lead, members); the secretariaat reads no clinical notes.
MDO_OWN = outcome(
    ok=(MEMBER, LEAD, MIXED), hidden=(OUTSIDER, OTHER_LEAD), e403=(SECRETARY, *NO_TEAM)
)
MDO_THIS = outcome(
    ok=(MEMBER, LEAD, MIXED), e404=(OUTSIDER, OTHER_LEAD), e403=(SECRETARY, *NO_TEAM)
)
MDO_MEETING = outcome(ok=(MEMBER, LEAD, MIXED), e404=(SECRETARY, OUTSIDER, OTHER_LEAD, *NO_TEAM))


def _task_of_member(w: World) -> Any:
    from caseload.models import Task

    task = Task.objects.filter(title=TASK_TITLE).first()
    return task or Task.objects.create(
        title=TASK_TITLE, team=w.team, assignee=w.member, created_by=w.users[LEAD]
    )


def _meeting(w: World) -> Any:
    from caseload.models import MdoMeeting
    from caseload.services.mdo import mdo_meeting_create

    meeting = MdoMeeting.objects.first()
    return meeting or mdo_meeting_create(
        actor=w.users[LEAD],
        team=w.team,
        starts_at=NOW,
        chair=w.users[LEAD],
        attendee_ids=[w.member.pk],
        client_ids=[w.client.pk],
        today=NOW.date(),
    )


def on_this_team(w: World, response: Any) -> bool:
    return response.context["team"] == w.team


def _mdo_form(w: World) -> dict[str, Any]:
    return {
        "date": "2026-03-16",
        "time": "13:00",
        "chair": w.users[LEAD].pk,
        "attendees": [str(w.users[LEAD].pk), str(w.member.pk)],
        "clients": [str(w.client.pk)],
    }


def _mdo_record(w: World) -> dict[str, Any]:
    item = _meeting(w).items.get()
    return {"action": "record", "item": item.pk, f"item{item.pk}-decisions": "Opschalen."}


ROUTES += [
    Route(
        "task-list",
        MY_TASKS,
        lambda w: _task_of_member(w) and {},
        case="own",
        shows=text(TASK_TITLE),
    ),
    Route(
        "task-list",
        TEAM_TASKS,
        lambda w: _task_of_member(w) and {},
        query=_this_team,
        case="team",
        shows=text(TASK_TITLE),
    ),
    Route(
        "task-create",
        TEAM_PAGE,
        shows=offers_team,
        post=lambda w: {
            "team": w.team.pk,
            "assignee": w.member.pk,
            "client": w.client.pk,
            "title": "Huisarts bellen",
        },
    ),
    Route(
        "task-complete",
        TASK_COMPLETE_GET,
        lambda w: {"task_id": _task_of_member(w).pk},
        post=lambda w: {},
        post_expected=TASK_COMPLETE,
    ),
    Route("mdo-list", MDO_OWN, case="own team", shows=on_this_team),
    Route("mdo-list", MDO_THIS, query=_this_team, case="this team", shows=on_this_team),
    Route(
        "mdo-create",
        MDO_THIS,
        query=_this_team,
        shows=lambda w, r: str(w.client.pk) in dict(r.context["form"].fields["clients"].choices),
        post=_mdo_form,
    ),
    Route(
        "mdo-detail",
        MDO_MEETING,
        lambda w: {"meeting_id": _meeting(w).pk},
        shows=ANNA,
        post=_mdo_record,
    ),
]
SNAPSHOT_APPS = ("caseload", "clients", "herstelplan", "wmo")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the caseload app and the apps its services write to
    (the audit log is not part of it)."""
    return rows_of(models_of(*SNAPSHOT_APPS))


TABLE = PermissionTable("caseload", ROLES, ROUTES, snapshot)


_frozen = frozen_at(NOW)


# --- the tests -------------------------------------------------------------------------


test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()


def test_the_wrong_roles_have_other_access_to_the_client(world):
    """The consultant and the controller are refused the care pages although the client is
    within their own (Wmo, finance) scope: the refusals test the action, not a stranger."""
    from olteams.access import ClientAction, can

    assert can(world.users[CONSULTANT], world.client, ClientAction.VIEW_WMO)
    assert can(world.users[CONTROLLER], world.client, ClientAction.VIEW_FINANCE)


# --- objects of another client behind a URL the user may open ---------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_crisis_of_another_client_is_not_found_under_this_clients_url(world, method):
    """crisis-update checks access on the client in the URL: a crisis of a client of the
    other team, put behind that URL, is "not found" and stays open."""
    stranger = ClientFactory(team=world.other_team, last_name="Vreemdeling")
    crisis = CrisisFactory(client=stranger, by=world.users[OUTSIDER])
    url = reverse(
        "caseload:crisis-update", kwargs={"client_id": world.client.pk, "crisis_id": crisis.pk}
    )
    before = snapshot()
    http = verified_client(world.users[LEAD])
    response = http.get(url) if method == "get" else http.post(url, {"ended_on": "2026-03-16"})
    assert response.status_code == 404
    assert "Vreemdeling" not in _body(response)
    assert snapshot() == before


def test_consultation_list_names_only_clients_the_user_may_see(world):
    """A worker of the other team who is assigned to a client of this team records a
    consultation about that client for their own team. Their team lead may not see the
    client (no membership here, no assignment) and must not find its name in the list."""
    from caseload.services import consultation_log
    from olteams.access import can

    outsider, other_lead = world.users[OUTSIDER], world.users[OTHER_LEAD]
    hidden = ClientFactory(team=world.team, first_name="Bea", last_name="Geheimhouding")
    AssignmentFactory(client=hidden, worker=outsider, start_date=dt.date(2025, 1, 6))
    consultation_log(
        actor=outsider,
        team=world.other_team,
        date=dt.date(2026, 3, 16),
        requester_kind=ConsultationRequester.GP,
        minutes=15,
        client=hidden,
    )
    assert not can(other_lead, hidden, "view")
    response = verified_client(other_lead).get(reverse("caseload:consultation-list"))
    assert response.status_code == 200
    assert "Consultaties" in _body(response)
    assert "Geheimhouding" not in _body(response)
    assert "Cliënt van een ander team" in _body(response)
    api = verified_client(other_lead).get(reverse("api:caseload-consultation-list")).json()
    assert [row["client"] for row in api["results"]] == [None]
