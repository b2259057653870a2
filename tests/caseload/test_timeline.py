"""The client file's timeline as the reader gets it: written in Python (issue 15), so every
value must still be escaped, every kind still shown, and the pages still behave as
Django's paginator does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload.models import MdoItem, MdoMeeting, Task
from caseload.selectors.timeline import TimelineFilter, client_timeline
from clients.constants import AssignmentRole
from clients.models import PhaseTransition
from herstelplan.constants import GoalStatus, PlanStatus
from herstelplan.models import Goal, Plan
from tests.caseload.pages_fixtures import (
    TODAY,
    assign,
    bulk_contacts,
    consultation,
    contact,
    crisis,
    in_care,
    intensity,
    make_client,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"


def _timeline(html: str) -> str:
    match = re.search(r'<ol class="timeline" id="tijdlijn">(.*?)</ol>', html, re.S)
    assert match, "the page has a timeline"
    return match.group(1)


def _every_kind(team, member, lead):
    """A client with one entry of every kind, every free text hostile."""
    c = make_client(team)
    assign(c, member, AssignmentRole.CASEMANAGER)
    episode = in_care(c, member, on=dt.date(2026, 1, 5))
    PhaseTransition.objects.filter(episode=episode).update(note=HOSTILE)
    plan = Plan.objects.create(
        client=c,
        version=1,
        status=PlanStatus.ACTIVE,
        valid_from=dt.date(2025, 9, 1),
        agreed_on=dt.date(2025, 9, 1),
        agreed_how="paper",
        created_by=member,
        updated_by=member,
    )
    goal = Goal.objects.create(plan=plan, text=HOSTILE, priority=1, status=GoalStatus.ACTIVE)
    visit = contact(c, [member], day=dt.date(2026, 3, 2), note=f"eerste regel\n{HOSTILE}")
    visit.goals.add(goal)
    change = intensity(c, lead, day=dt.date(2026, 2, 20))
    change.reason = HOSTILE
    change.save()
    event = crisis(c, member, start=dt.date(2026, 3, 5))
    event.reason = HOSTILE
    event.save()
    advice = consultation(member, day=dt.date(2026, 2, 1), minutes=20, client=c)
    advice.note = HOSTILE
    advice.save()
    meeting = MdoMeeting.objects.create(
        team=team,
        starts_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC),
        chair=lead,
        created_by=lead,
    )
    item = MdoItem.objects.create(
        meeting=meeting, client=c, decisions=HOSTILE, decided_on=dt.date(2026, 2, 10)
    )
    Task.objects.create(
        title=HOSTILE,
        team=team,
        assignee=member,
        client=c,
        mdo_item=item,
        due_on=dt.date(2026, 3, 1),
        created_by=lead,
    )
    return c, visit, event


def test_every_kind_is_shown_and_every_value_escaped(team, member, lead, login):
    c, visit, event = _every_kind(team, member, lead)
    http = login(member)

    html = http.get(reverse("caseload:client-file", kwargs={"client_id": c.pk})).content.decode()
    timeline = _timeline(html)

    kinds = re.findall(r'<li class="timeline-(\w+)">', timeline)
    assert sorted(kinds) == ["consultatie", "contact", "crisis", "fase", "intensiteit", "mdo"]
    assert "<script>" not in timeline
    # note, goal, intensity and crisis reasons, consultation note, MDO decision and
    # follow-up, phase note: each escaped once, none twice
    assert timeline.count(ESCAPED) == 8
    assert "&amp;lt;" not in timeline
    assert f"eerste regel<br>{ESCAPED}" in timeline  # line breaks kept as <br>
    assert "Contact: Face-to-face thuis, 60 minuten" in timeline
    assert "Crisis: " in timeline and '<span class="badge badge-late">loopt</span>' in timeline
    # the author edits their contact, anyone who may change ends a running crisis
    here = reverse("caseload:client-file", kwargs={"client_id": c.pk})
    edit = reverse("caseload:contact-update", kwargs={"client_id": c.pk, "contact_id": visit.pk})
    end = reverse("caseload:crisis-update", kwargs={"client_id": c.pk, "crisis_id": event.pk})
    assert f'<a href="{edit}?next={here}">Wijzigen<span class="visually-hidden">' in timeline
    assert f'<a href="{end}?next={here}">Crisis beëindigen</a>' in timeline


def test_a_reader_without_the_notes_sees_them_withheld(team, member, lead, secretary, login):
    c, _visit, _event = _every_kind(team, member, lead)

    html = login(secretary).get(reverse("caseload:client-file", kwargs={"client_id": c.pk}))
    timeline = _timeline(html.content.decode())

    assert "verslag afgeschermd" in timeline
    assert "besluit afgeschermd" in timeline
    assert ESCAPED not in timeline.split('class="timeline-fase"')[0]  # no note, no reason
    assert "Wijzigen" not in timeline


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("1", 1), ("3", 3), ("4", 3), ("99", 3), ("0", 3), ("-2", 3), ("x", 1), ("", 1)],
)
def test_pages_behave_as_djangos_get_page(team, member, asked, shown):
    """Past the end or before the start: the last page; not a number: the first."""
    c = make_client(team)
    bulk_contacts(c, member, 120, start=TODAY)

    page, entries = client_timeline(client=c, f=TimelineFilter(), page=asked)

    assert page.number == shown
    assert page.paginator.count == 120
    assert page.paginator.num_pages == 3
    assert len(entries) == (20 if shown == 3 else 50)
    assert entries[0].obj.note == f"Verslag {(shown - 1) * 50}"


def test_an_empty_timeline_is_one_empty_page(team, member):
    c = make_client(team)
    for asked in ("1", "7", "0"):
        page, entries = client_timeline(client=c, f=TimelineFilter(), page=asked)
        assert (page.number, page.paginator.count, entries) == (1, 0, [])
        assert not page.has_next() and not page.has_previous()


def test_a_contact_names_all_its_workers_and_a_page_counts_entries(
    team, member, lead, welfare_member
):
    """Workers come as one row each (a join): a contact with three workers is one entry
    naming the three in the order recorded, one without workers names nobody, an entry of
    another kind with the same id and day stays its own entry, and the page size counts
    entries, not rows."""
    c = make_client(team)
    day = dt.date(2026, 3, 2)
    trio = contact(c, [welfare_member, member, lead], day=day, hour=9)
    alone = contact(c, [member], day=day, hour=8)
    nobody = contact(c, [member], day=day, hour=7)
    nobody.presences.all().delete()
    same = crisis(c, member, start=day)
    first_id, same.pk = same.pk, trio.pk  # a crisis with the contact's id on its day
    same.save(force_insert=True)
    type(same).objects.filter(pk=first_id).delete()
    bulk_contacts(c, member, 60, start=day - dt.timedelta(days=1))

    page, entries = client_timeline(client=c, f=TimelineFilter())

    assert page.paginator.count == 64
    assert len(entries) == 50
    keys = [(e.kind, e.obj.pk) for e in entries]
    assert len(set(keys)) == 50, "every entry once"
    by_key = {(e.kind, e.obj.pk): e.obj for e in entries}
    names = [p.name for p in by_key[("contact", trio.pk)].presences]
    assert names == [
        welfare_member.get_full_name() or welfare_member.username,
        member.get_full_name() or member.username,
        lead.get_full_name() or lead.username,
    ]
    assert [p.organisation for p in by_key[("contact", trio.pk)].presences] == [
        "WZ-T",
        "GGZ-T",
        "GGZ-T",
    ]
    assert len(by_key[("contact", alone.pk)].presences) == 1
    assert by_key[("contact", nobody.pk)].presences == []
    assert ("crisis", trio.pk) in by_key
    assert [e.kind for e in entries[:4]].count("contact") == 3  # day's own entries first

    _rest, more = client_timeline(client=c, f=TimelineFilter(), page=2)
    assert len(more) == 14
    assert not {(e.kind, e.obj.pk) for e in more} & set(keys)


def _queries(http, url: str) -> list[str]:
    http.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_client_file_stays_within_its_query_budget(team, member, lead, login):
    """Issue 15: at most 20 queries for a client in care with a page of contacts (the
    benchmark's client), none of them repeated. The 5: session; the user with their
    access facts, the header's counts and the second-factor devices; the client (with what it
    has, as EXISTS, its signaleringsplan in force, its episodes, its assignments and the
    staff to filter on); the READ event; the timeline page with its contacts. Each other
    kind present adds its own rows, once."""
    plain = make_client(team, name="Gewoon")
    assign(plain, member, AssignmentRole.CASEMANAGER)
    in_care(plain, member)
    bulk_contacts(plain, member, 60, start=TODAY)
    http = login(member)

    plain_queries = _queries(http, reverse("caseload:client-file", kwargs={"client_id": plain.pk}))
    c, _visit, _event = _every_kind(team, member, lead)
    rich_queries = _queries(http, reverse("caseload:client-file", kwargs={"client_id": c.pk}))

    assert len(plain_queries) <= 5
    # + intensity in force, open crises, open tasks, plan, its goals (the file's facts) and
    # the timeline's intensity changes, crises, MDO decisions with their tasks,
    # consultations and phase changes
    assert len(rich_queries) <= 5 + 5 + 6
    for queries in (plain_queries, rich_queries):
        assert len(set(queries)) == len(queries), "no query is repeated"


def _worker_options(html: str) -> list[tuple[str, bool, str]]:
    select = re.search(r'<select name="medewerker"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the filter has a worker choice"
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="(\d*)"( selected)?>([^<]*)</option>', select.group(1)
        )
    ]


def test_the_unfiltered_filter_is_each_clients_own(team, member, lead, outsider, login):
    """The unfiltered filter's fields are cached per worker list and language: every client
    still lists their own staff, and a filtered page's values never reach another page."""
    from clients.selectors import client_staff_choices

    own = make_client(team, name="Eigen")
    assign(own, member, AssignmentRole.CASEMANAGER)
    shared = make_client(team, name="Gedeeld")
    assign(shared, member, AssignmentRole.CASEMANAGER)
    assign(shared, outsider, AssignmentRole.PSYCHIATER)  # from another team: listed too
    http = login(member)

    def page(c, **filters):
        url = reverse("caseload:client-file", kwargs={"client_id": c.pk})
        return _worker_options(http.get(url, filters).content.decode())

    def expected(c, selected=None):
        return [("", selected is None, "Iedereen")] + [
            (str(pk), pk == selected, label) for pk, label in client_staff_choices(client=c)
        ]

    for _ in range(2):  # rendered, then from the fragment cache
        assert page(own) == expected(own)
        assert page(shared) == expected(shared)
    assert str(outsider.pk) in [value for value, _sel, _label in page(shared)]
    assert str(outsider.pk) not in [value for value, _sel, _label in page(own)]

    assert page(shared, medewerker=outsider.pk) == expected(shared, selected=outsider.pk)
    assert page(shared) == expected(shared)  # the filtered page left nothing behind
    html = http.get(
        reverse("caseload:client-file", kwargs={"client_id": shared.pk}),
        {"soort": "contact", "van": "2026-01-01"},
    ).content.decode()
    assert re.search(r'<input[^>]*value="contact"[^>]*checked', html)
    assert 'value="2026-01-01"' in html
    unfiltered = http.get(reverse("caseload:client-file", kwargs={"client_id": shared.pk}))
    assert not re.search(r"<input[^>]*checked", unfiltered.content.decode())
    assert 'value="2026-01-01"' not in unfiltered.content.decode()
