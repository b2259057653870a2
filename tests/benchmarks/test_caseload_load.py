"""The caseload benchmark's COPY loader at a tiny size: the rows it writes are valid model
rows, the contact tables get their indexes and constraints back, and the pages answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from benchmarks import caseload as bench
from caseload.constants import ContactFunding
from caseload.models import Contact, ContactWorker
from clients.models import Assignment, CareEpisode, Client, PhaseTransition
from olteams.models import Membership, Team, User

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _schema() -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])",
            [list(bench.CONTACT_TABLES)],
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[])",
            [list(bench.CONTACT_TABLES)],
        )
        constraints = set(cursor.fetchall())
    return indexes, constraints


def _load(clients: int, contacts: int, first_team_number: int = 0) -> bench.Layout:
    ggz_id, support_id = bench.organisations()
    layout, stats = bench.load(
        clients=clients,
        contacts_per_client=contacts,
        first_team_number=first_team_number,
        ggz_id=ggz_id,
        support_id=support_id,
        today=TODAY,
    )
    assert stats.contacts == clients * contacts
    assert (
        stats.contact_workers
        == ContactWorker.objects.filter(contact__client__team_id__gte=layout.team_id).count()
    )
    return layout


def test_three_clients_with_five_contacts_load_as_valid_rows():
    indexes, constraints = _schema()
    layout = _load(3, 5)

    # Every index and constraint is back; the foreign keys come back NOT VALID (not
    # re-checked for speed): validating them here proves the loaded rows satisfy them.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) AND NOT convalidated",
            [list(bench.CONTACT_TABLES)],
        )
        not_validated = cursor.fetchall()
        cursor.execute(
            "SELECT bool_and(pg_has_role(current_user, tableowner, 'USAGE')) FROM pg_tables"
            " WHERE tablename = ANY(%s)",
            [list(bench.CONTACT_TABLES)],
        )
        (owner,) = cursor.fetchone()
        # As the owner the load drops and rebuilds them (client, team, author; contact,
        # worker, organisation); as the runtime role it loads with them in place.
        assert len(not_validated) == (6 if owner else 0)
        for table, name in not_validated:
            cursor.execute(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')
    assert _schema() == (indexes, constraints)
    team = Team.objects.get(pk=layout.team_id)
    clients = list(Client.objects.filter(team=team))
    assert len(clients) == 3
    for model in (Team, User, Membership, Client, CareEpisode, PhaseTransition, Assignment):
        for row in model.objects.filter(pk__gte=0):
            row.full_clean(validate_unique=False)
    contacts = list(Contact.objects.filter(team=team).prefetch_related("presences"))
    assert len(contacts) == 15
    memberships = {m.user_id: m for m in Membership.objects.filter(team=team)}
    for contact in contacts:
        contact.full_clean()
        assert TODAY - dt.timedelta(days=730) < contact.date < TODAY
        assert contact.funding_proposed in (ContactFunding.ZVW, ContactFunding.LIJNTJE_HOUDEN)
        presences = list(contact.presences.all())
        assert 1 <= len(presences) <= 2
        assert contact.author_id in {p.worker_id for p in presences}
        for presence in presences:
            presence.full_clean()
            member = memberships[presence.worker_id]
            assert (presence.organisation_id, presence.discipline) == (
                member.organisation_id,
                member.discipline,
            )
    episode = CareEpisode.objects.get(client=clients[0])
    assert episode.started_on < min(c.date for c in contacts)
    roles = set(Assignment.objects.filter(client=clients[0]).values_list("role", flat=True))
    assert roles == {"casemanager", "regiebehandelaar"}
    # The sequences moved past the loaded ids: the ORM can add rows afterwards.
    extra = Contact.objects.create(
        client=clients[0],
        team=team,
        starts_at=contacts[0].starts_at,
        date=contacts[0].date,
        duration_minutes=30,
        kind=contacts[0].kind,
        note_category=contacts[0].note_category,
        author_id=contacts[0].author_id,
    )
    assert extra.pk > max(c.pk for c in contacts)


def test_a_second_load_adds_new_teams_with_their_own_ids():
    first = _load(3, 2)
    second = _load(160, 2, first_team_number=first.teams)

    assert second.teams == 2  # 150 + 10 clients
    assert Team.objects.filter(slug__startswith=bench.SLUG).count() == 3
    assert Client.objects.filter(team_id__gte=first.team_id).count() == 163
    assert Contact.objects.filter(team_id__gte=first.team_id).count() == 163 * 2
    # The casemanagers share a team's clients; the regiebehandelaar has all of them.
    casemanager, regie = second.worker(0, 1), second.worker(0, 0)
    assert Assignment.objects.filter(worker_id=casemanager).count() == 25
    assert Assignment.objects.filter(worker_id=regie).count() == 150


def test_the_pages_answer_with_the_loaded_data():
    layout = _load(4, 3)

    for label, user, url in bench._scenarios(layout):
        measured = bench.measure(user, url, requests=2)
        assert measured.queries > 0, label
    assert reverse("caseload:client-file", kwargs={"client_id": layout.client_id}) in {
        url for _label, _user, url in bench._scenarios(layout)
    }
