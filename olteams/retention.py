"""Retention (bewaartermijnen): a registry of record kinds, one rule each.

Each app registers, in its ``AppConfig.ready``, the kinds of record it holds (olteams imports
no app): how to find what has passed its term on a day, what of one client a destruction
request reaches, and how to anonymise or destroy a list of them. The daily job
(``olteams.services.retention.retention_scan``) only records what it finds as a pending
batch; a functional administrator confirms the batch and only then ``apply`` runs.

The rules (docs in DOMAIN.md, "Privacy and security rules"):

- The medical file (Wgbo art. 7:454): 20 years after the last care. *Last care* is the
  latest of the end of the client's last care episode and the day of the last contact;
  a client who was never in care counts from the registration. A client with an open
  episode (still in care) is never a candidate, whatever the age of the records.
- Wmo requests, decisions and indications: the municipality's term
  (``Municipality.wmo_retention_years``, 15 years by default) after the indication ended, or
  after the decision when no indication followed.
- Audit events (NEN 7513): ``settings.RETENTION_AUDIT_YEARS``, never below 5 years.

Objects of a kind are named by one integer (``object_id``): a client's id for the kinds that
work per client, the last event number for the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils.functional import Promise

AUDIT_MINIMUM_YEARS = 5
MEDICAL_FILE_YEARS = 20
WMO_DEFAULT_YEARS = 15


@dataclass(frozen=True)
class Candidate:
    """One object of a kind: due since ``due_on`` (None for a destruction request), how many
    rows it covers, and — on a destruction request — why the law keeps it anyway."""

    object_id: int
    record_count: int
    due_on: dt.date | None = None
    client_id: int | None = None
    kept_reason: str = ""


@dataclass(frozen=True)
class RecordKind:
    key: str
    label: str | Promise
    rule: str | Promise  # the rule and its term, in Dutch, as the review page shows it
    action: str  # RetentionAction
    order: int  # confirmation applies kinds in this order (dependent records first)
    expired: Callable[[dt.date], Iterable[Candidate]]
    apply: Callable[[list[int]], int]  # anonymise or destroy; returns the rows touched
    # What of one client a destruction request (AVG art. 17, Wgbo art. 7:455) reaches; the
    # term does not apply, but what the law keeps is returned with a ``kept_reason``.
    for_client: Callable[[int, dt.date], Iterable[Candidate]] | None = None
    # At most one pending object of this kind (the audit log: one purge at a time).
    single_pending: bool = False
    extra: dict = field(default_factory=dict)


_KINDS: dict[str, RecordKind] = {}
_HOLDS: list[Callable[[int, dt.date], str]] = []


def register_kind(kind: RecordKind) -> None:
    _KINDS[kind.key] = kind


def kinds() -> list[RecordKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def kind(key: str) -> RecordKind | None:
    return _KINDS.get(key)


def register_identity_hold(hold: Callable[[int, dt.date], str]) -> None:
    """An app that must keep records naming a client (the municipality's Wmo decisions)
    registers a check: a Dutch reason while such records are within their term, else ""."""
    _HOLDS.append(hold)


def identity_hold_reason(client_id: int, today: dt.date) -> str:
    for hold in _HOLDS:
        reason = hold(client_id, today)
        if reason:
            return reason
    return ""


def years_after(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years (29 February → 28 February in a common year)."""
    return day + relativedelta(years=years)


def years_before(day: dt.date, years: int) -> dt.date:
    return day - relativedelta(years=years)
