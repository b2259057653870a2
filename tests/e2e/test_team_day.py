"""The team's day (issue 16), in Chromium, by clicks from the start page.

A casemanager plans a fortnightly call with the client for two months (five appointments),
sees them in the week view and logs the first from the appointment in one click; writes a
signaleringsplan with the client and downloads its PDF; uploads a GP letter and opens it;
completes a task. The team lead then runs an MDO meeting that records a decision in a
client's file. Each step lives in its own ``journey_*`` module; axe runs on every page."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload.services.tasks import task_create
from clients.models import Client
from tests.e2e import journey_appointments, journey_crisis_documents, journey_tasks_mdo
from tests.e2e.helpers import sign_in
from tests.factories.herstelplan import put_in_care

# serialized_rollback: restore what data migrations loaded (other apps' tests rely on it).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_casemanagers_day_and_the_leads_mdo(
    live_server, page, traffic, tmp_path, team, member, lead
):
    client = Client.objects.create(team=team, first_name="Sanne", last_name="Veldkamp")
    put_in_care(client, member, on=dt.date(2025, 1, 1))
    task = task_create(
        actor=lead, team=team, assignee=member, title="Huisarts terugbellen", client=client
    )
    # A second client of the casemanager, in care without a contact since: on the MDO list.
    discussed = Client.objects.create(team=team, first_name="Anna", last_name="Vlinderbos")
    put_in_care(discussed, member, on=dt.date(2025, 1, 6))

    sign_in(page, live_server.url, member)
    journey_appointments.plan_a_fortnightly_call_see_it_in_the_week_and_log_the_first(
        page, live_server.url, client
    )
    journey_crisis_documents.write_a_signaleringsplan_and_file_a_gp_letter(
        page, live_server.url, client, member, tmp_path
    )
    journey_tasks_mdo.complete_a_task(page, live_server.url, member, task)
    journey_tasks_mdo.run_an_mdo(page, live_server.url, lead, member, discussed)
    assert traffic.problems == []
