"""Permission table of the olteams pages (tests/permissions.py): the start page,
notifications, the staff picker, the functional administrator's audit log, break-the-glass
(Noodtoegang) and the privacy officer's Toegangslog and review of emergency accesses.

The sign-in pages (login, second factor, enrolment, sign-out) are open to anonymous users by
design and have their own tests (tests/olteams/test_sign_in_hardening.py, test_views.py);
they are left out of the table. Whatever is refused, the backbone's rows (memberships,
emergency accesses, notifications, API tokens, the audit log) are the same afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from olteams.constants import NotificationKind
from olteams.models import (
    ApiToken,
    AuditEvent,
    EmergencyAccess,
    Membership,
    Notification,
    NotificationEmailPreference,
    RetentionBatch,
    RetentionItem,
)
from tests.factories.clients import ClientFactory
from tests.factories.olteams import UserFactory
from tests.permissions import (
    ANON,
    PermissionTable,
    Route,
    frozen_at,
    outcome_table,
    rows_of,
    shared_world,
    text,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)
REASON = "Crisis: de cliënt staat aan de balie van de huisartsenpost"

MEMBER, OUTSIDER, SECRETARY = "member", "outsider", "secretary"
CONTROLLER, STUURGROEP, ADMIN, OFFICER = "controller", "stuurgroep_user", "admin_user", "officer"
ROLES = (ANON, MEMBER, OUTSIDER, SECRETARY, CONTROLLER, STUURGROEP, ADMIN, OFFICER)
SIGNED_IN = tuple(r for r in ROLES if r != ANON)
CARE = (MEMBER, OUTSIDER, SECRETARY)


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


def _others(*roles: str) -> tuple[str, ...]:
    return tuple(r for r in SIGNED_IN if r not in roles)


@dataclass
class World:
    client: Any  # a client of the member's team, outside the outsider's
    access: Any  # the outsider's running emergency access to another client of the team
    users: dict[str, Any]
    batch: Any  # a pending retention batch (the client is in care: confirming skips it)


@shared_world
def world(team, member, outsider, secretary, controller, stuurgroep_user, admin_user):
    officer = UserFactory(username="privacy", is_privacy_officer=True)
    client = ClientFactory(team=team, last_name="Noodgeval")
    other = ClientFactory(team=team, last_name="Anders")
    access = EmergencyAccess.objects.create(
        user=outsider,
        client_id=other.pk,
        reason=REASON,
        started_at=NOW - dt.timedelta(hours=1),
        expires_at=NOW + dt.timedelta(hours=23),
    )
    users = {
        ANON: None,
        MEMBER: member,
        OUTSIDER: outsider,
        SECRETARY: secretary,
        CONTROLLER: controller,
        STUURGROEP: stuurgroep_user,
        ADMIN: admin_user,
        OFFICER: officer,
    }
    for user in users.values():
        if user is not None:  # something to mark read
            Notification.objects.create(recipient=user, kind=NotificationKind.INFO, title="x")
    batch = RetentionBatch.objects.create(found_on=NOW.date())
    RetentionItem.objects.create(
        batch=batch,
        kind="clients.identity",
        object_id=client.pk,
        client_id=client.pk,
        action="anonymise",
        record_count=1,
    )
    return World(client=client, access=access, users=users, batch=batch)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    # Not the users: signing in a test browser sets last_login.
    return rows_of(
        [
            Membership,
            EmergencyAccess,
            Notification,
            NotificationEmailPreference,
            ApiToken,
            AuditEvent,
            RetentionBatch,
            RetentionItem,
        ]
    )


PRIVACY = outcome(ok=(OFFICER,), e403=_others(OFFICER))

ROUTES = [
    Route("home", outcome(ok=SIGNED_IN)),
    Route("notification-list", outcome(ok=SIGNED_IN), shows=text("Meldingen")),
    Route(
        "notification-mark-read",
        outcome(e405=SIGNED_IN),
        post=lambda w: {},
        post_expected=outcome(ok=SIGNED_IN),
    ),
    Route(
        "staff-search",
        outcome(ok=CARE, e403=(CONTROLLER, STUURGROEP, ADMIN, OFFICER)),
        query=lambda w: {"name": "workers", "q": "li"},
    ),
    # Notification e-mail: every signed-in user sets their own preference.
    Route(
        "email-preference",
        outcome(ok=SIGNED_IN),
        shows=text("Meldingen per e-mail"),
        post=lambda w: {"mode": "dagelijks"},
        post_expected=outcome(ok=SIGNED_IN),
    ),
    # A lost second factor: the functional administrator resets it, with a reason (audited).
    Route("otp-user-list", outcome(ok=(ADMIN,), e403=_others(ADMIN))),
    Route(
        "otp-reset",
        outcome(ok=(ADMIN,), e403=_others(ADMIN)),
        kwargs=lambda w: {"user_id": w.users[MEMBER].pk},
        post=lambda w: {"reason": "Telefoon kwijt"},
        post_expected=outcome(ok=(ADMIN,), e403=_others(ADMIN)),
    ),
    Route("audit-list", outcome(ok=(ADMIN,), e403=_others(ADMIN)), get_writes=True),
    Route("audit-export", outcome(ok=(ADMIN,), e403=_others(ADMIN)), get_writes=True),
    # Retention (bewaartermijnen): the functional administrator reviews and confirms; the
    # review page lists pseudonymous client ids, so reading it is recorded.
    Route(
        "retention-list",
        outcome(ok=(ADMIN,), e403=_others(ADMIN)),
        shows=text("Wacht op uw bevestiging"),
    ),
    Route(
        "retention-detail",
        outcome(ok=(ADMIN,), e403=_others(ADMIN)),
        kwargs=lambda w: {"pk": w.batch.pk},
        get_writes=True,
        shows=text("Bevestigen en uitvoeren"),
        post=lambda w: {"action": "confirm", "confirm-checked": "on"},
        post_expected=outcome(ok=(ADMIN,), e403=_others(ADMIN)),
    ),
    Route(
        "retention-detail",
        outcome(ok=(ADMIN,), e403=_others(ADMIN)),
        case="afwijzen",
        kwargs=lambda w: {"pk": w.batch.pk},
        get_writes=True,
        post=lambda w: {"action": "reject", "reject-note": "Eerst navragen bij het team."},
        post_expected=outcome(ok=(ADMIN,), e403=_others(ADMIN)),
    ),
    Route("retention-export", outcome(ok=(ADMIN,), e403=_others(ADMIN)), get_writes=True),
    # Break-the-glass: team members and leads only; the page names no client, and says a
    # client outside the teams was found only to someone who does not see the client.
    Route(
        "emergency-request",
        outcome(ok=(MEMBER, OUTSIDER), e403=(SECRETARY, CONTROLLER, STUURGROEP, ADMIN, OFFICER)),
        query=lambda w: {"zoek": w.client.bsn},
        shows=text("Cliënt buiten uw teams gevonden"),
        hidden_from=(MEMBER,),
        post=lambda w: {"query": w.client.bsn, "reason": REASON},
        post_expected=outcome(
            ok=(OUTSIDER,),
            hidden=(MEMBER,),
            e403=(SECRETARY, CONTROLLER, STUURGROEP, ADMIN, OFFICER),
        ),
    ),
    Route(
        "emergency-end",
        outcome(e405=SIGNED_IN),
        kwargs=lambda w: {"pk": w.access.pk},
        post=lambda w: {},
        post_expected=outcome(ok=(OUTSIDER,), e404=_others(OUTSIDER)),
    ),
    # The privacy officer's pages: reading them is itself an audit event.
    Route("access-log", PRIVACY, get_writes=True, shows=text("Toegangslog")),
    Route("access-log-export", PRIVACY, get_writes=True),
    Route("emergency-list", PRIVACY, get_writes=True, shows=text(REASON)),
    Route(
        "emergency-review",
        outcome(e405=SIGNED_IN),
        kwargs=lambda w: {"pk": w.access.pk},
        post=lambda w: {"note": "Gerechtvaardigd."},
        post_expected=PRIVACY,
    ),
]

TABLE = PermissionTable(
    "olteams",
    ROLES,
    ROUTES,
    snapshot,
    # Open to anonymous users by design (sign-in and self-service password reset).
    redirects=frozenset(
        {
            "login",
            "logout",
            "otp-verify",
            "otp-enrol",
            "password-reset",
            "password-reset-done",
            "password-reset-confirm",
            "password-reset-complete",
        }
    ),
)

_frozen = frozen_at(NOW)

test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()
