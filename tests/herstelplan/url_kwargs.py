"""URL kwargs of the herstelplan routes for the URL-audit walker (tests/olteams/test_url_audit.py).

Every factory returns an object of ``client``: one draft plan with one goal and one action,
created once per client through the services."""

from __future__ import annotations

from typing import Any

from herstelplan import services
from herstelplan.models import Plan, SignalPlan


def _draft(*, client: Any, user: Any) -> Plan:
    plan = Plan.objects.filter(client=client, status="draft").first() or services.plan_create(
        actor=user, client=client
    )
    if not plan.goals.exists():
        services.goal_create(
            actor=user,
            plan=plan,
            lock_version=plan.lock_version,
            text="Weer werken",
            indicators=[6],
        )
        plan.refresh_from_db()
    goal = plan.goals.first()
    if not goal.actions.exists():
        services.goal_action_create(
            actor=user,
            goal=goal,
            lock_version=plan.lock_version,
            description="Samen zoeken",
            performer="client",
        )
        plan.refresh_from_db()
    return plan


def _signal_draft(*, client: Any, user: Any) -> SignalPlan:
    return SignalPlan.objects.filter(
        client=client, status="draft"
    ).first() or services.signal_plan_create(actor=user, client=client)


KWARG_FACTORIES = {
    "signal_plan_id": lambda *, client, user: _signal_draft(client=client, user=user).pk,
    "plan_id": lambda *, client, user: _draft(client=client, user=user).pk,
    "goal_id": lambda *, client, user: _draft(client=client, user=user).goals.first().pk,
    "action_id": lambda *, client, user: (
        _draft(client=client, user=user).goals.first().actions.first().pk
    ),
}
