"""50 saves of the same draft from 50 connections at once: none is lost silently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from herstelplan import services
from herstelplan.models import Plan, PlanChange
from herstelplan.services import PlanConflictError

SAVES = 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_saves_each_land_or_conflict(care_client, member):
    plan = services.plan_create(actor=member, client=care_client)
    initial = plan.lock_version
    barrier = threading.Barrier(SAVES)
    landed: list[int] = []
    conflicts: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def save(i: int) -> None:
        try:
            # Every thread read the plan at some moment; half of them re-read after others
            # may already have saved, so both outcomes occur.
            seen = Plan.objects.get(pk=plan.pk).lock_version if i % 2 else initial
            barrier.wait(timeout=30)
            try:
                services.plan_update(
                    actor=member, plan=plan, lock_version=seen, who_i_am=f"Versie van schrijver {i}"
                )
            except PlanConflictError:
                with lock:
                    conflicts.append(i)
            else:
                with lock:
                    landed.append(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(SAVES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert len(landed) + len(conflicts) == SAVES
    assert len(landed) >= 1
    plan.refresh_from_db()
    assert plan.lock_version == initial + len(landed)
    # Every landed save is in the history, with exactly one change row per landed version.
    history = list(
        PlanChange.objects.filter(plan=plan, field="who_i_am").values_list("new_value", flat=True)
    )
    assert sorted(history) == sorted(f"Versie van schrijver {i}" for i in landed)
    assert (
        plan.who_i_am
        == PlanChange.objects.filter(plan=plan, field="who_i_am").latest("lock_version").new_value
    )
