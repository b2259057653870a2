"""Permission rows of Mijn plan and Mijn I.ROC (caseload/portal/views_plan.py).

Clients A and B each have a plan in force, a draft, an I.ROC filled in with the team and one
filled in at home. The version URLs name client A's plans: B's people get 404 (never A's
plan); a naaste with the plan grant reads A's plan in force but not the draft, and never
comments or agrees (403); Mijn I.ROC is the client's own.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from herstelplan.models import Plan
from tests.factories.herstelplan import iroc_answers, make_iroc, make_plan, make_self_iroc
from tests.factories.olteams import UserFactory
from tests.portal.table import (
    CLIENT_A,
    CLIENT_B,
    CLIENT_ONLY,
    CLIENTS,
    GRANTED_ONLY,
    NAASTE_B,
    NAASTE_GRANTED,
    NAASTE_NONE,
    NAASTEN_GRANTED,
    PortalRoute,
    PortalWorld,
    outcomes,
)

GOALS = {"a": "Annemiek wil weer fietsen", "b": "Bertus wil zelf koken"}
DRAFT_GOALS = {"a": "Annemiek wil een cursus volgen", "b": "Bertus wil verhuizen"}


def prepare(world: PortalWorld) -> None:
    worker = UserFactory()
    for key, client, account in (
        ("a", world.client_a, world.accounts[CLIENT_A]),
        ("b", world.client_b, world.accounts[CLIENT_B]),
    ):
        current = make_plan(client, worker, goals=((GOALS[key], (5,)),), activate=True)
        draft = make_plan(client, worker, goals=((DRAFT_GOALS[key], (6,)),))
        make_iroc(client, worker, date=dt.date(2026, 1, 10), scores=3)
        make_self_iroc(account, scores=5)
        world.extra[f"plan_{key}"], world.extra[f"draft_{key}"] = current, draft


def _key(world: PortalWorld, role: str) -> str:
    return "b" if world.own_client(role) == world.client_b else "a"


def _other(world: PortalWorld, role: str) -> str:
    return "a" if _key(world, role) == "b" else "b"


def _own_goal(world, role, page):
    return GOALS[_key(world, role)] in page


def _never(world, role, page):
    """The other client's plan never; the own draft never for a naaste."""
    other = _other(world, role)
    if GOALS[other] in page or DRAFT_GOALS[other] in page:
        return True
    return role not in CLIENTS and DRAFT_GOALS[_key(world, role)] in page


def _own_version_link(world, role, page):
    plan = world.extra[f"plan_{_key(world, role)}"]
    return reverse("portal:plan-version", kwargs={"plan_id": plan.pk}) in page


def _other_version_link(world, role, page):
    plans = Plan.objects.filter(client=world.other_client(role))
    return any(reverse("portal:plan-version", kwargs={"plan_id": p.pk}) in page for p in plans)


def _pdf(world, role, page):
    return page.startswith("%PDF")


def _svg(world, role, page):
    return "<svg" in page and "Zelf ingevuld" in page


def _other_name(world, role, page):
    return world.other_client(role).first_name in page


def _a_plan(world):
    return {"plan_id": world.extra["plan_a"].pk}


def _a_draft(world):
    return {"plan_id": world.extra["draft_a"].pk}


# A's version URLs: A and A's granted naaste read; B's people get 404, never A's plan.
A_VERSION = outcomes(ok=(CLIENT_A, NAASTE_GRANTED), e403=(NAASTE_NONE,), e404=(CLIENT_B, NAASTE_B))
# A's draft: only A; A's granted naaste does not see a draft (404).
A_DRAFT = outcomes(ok=(CLIENT_A,), e403=(NAASTE_NONE,), e404=(CLIENT_B, NAASTE_B, NAASTE_GRANTED))
# Writes on A's draft: only A; every naaste is refused by the guard first (403).
A_DRAFT_WRITE = outcomes(ok=(CLIENT_A,), e403=(NAASTE_NONE, *NAASTEN_GRANTED), e404=(CLIENT_B,))

ROUTES = [
    PortalRoute("plan", GRANTED_ONLY, shows=_own_goal, never_shows=_never),
    PortalRoute(
        "plan-versions",
        GRANTED_ONLY,
        shows=_own_version_link,
        never_shows=_other_version_link,
    ),
    PortalRoute("plan-version", A_VERSION, kwargs=_a_plan, shows=_own_goal, never_shows=_never),
    PortalRoute(
        "plan-version",
        A_DRAFT,
        kwargs=_a_draft,
        case="draft",
        shows=lambda w, r, p: DRAFT_GOALS["a"] in p,
        never_shows=_never,
    ),
    PortalRoute("plan-pdf", A_VERSION, kwargs=_a_plan, shows=_pdf),
    PortalRoute(
        "plan-comment",
        A_DRAFT_WRITE,
        kwargs=_a_draft,
        shows=lambda w, r, p: 'name="text"' in p,
        never_shows=_never,
        post=lambda w, r: {"text": "Ik wil liever op dinsdag."},
    ),
    PortalRoute(
        "plan-agree",
        A_DRAFT_WRITE,
        kwargs=_a_draft,
        shows=lambda w, r, p: DRAFT_GOALS["a"] in p,
        never_shows=_never,
        post=lambda w, r: {"lock_version": w.extra["draft_a"].lock_version},
    ),
    PortalRoute("iroc", CLIENT_ONLY, shows=_svg, never_shows=_other_name),
    PortalRoute(
        "iroc-new",
        CLIENT_ONLY,
        shows=lambda w, r, p: 'name="score_12"' in p,
        never_shows=_other_name,
        post=lambda w, r: {f"score_{a['indicator']}": a["score"] for a in iroc_answers([2] * 12)},
    ),
]
