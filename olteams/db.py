"""Two database roles: the owner runs migrations, the app runs as a role that owns nothing.

``DATABASES["default"]`` is the runtime role (``DATABASE_URL`` or ``POSTGRES_USER``);
``DATABASE_OWNER`` holds the owner's credentials (``DATABASE_OWNER_URL`` or
``POSTGRES_OWNER_USER``/``POSTGRES_OWNER_PASSWORD``). ``migrate`` and ``flush`` switch to the
owner for their run (see olteams/management/commands) and then grant the runtime role what it
may do: read and write the tables, but only SELECT and INSERT on the audit log. Not owning
the tables, the runtime role cannot TRUNCATE, ALTER or DISABLE TRIGGER either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "olteams_auditevent"
# Written only by olteams_audit_purge (as the owner): the runtime role reads it.
AUDIT_ANCHOR_TABLE = "olteams_auditchainanchor"


def owner_credentials() -> dict[str, Any] | None:
    """The owner's USER/PASSWORD (and HOST/PORT when given); None without a role split."""
    owner = getattr(settings, "DATABASE_OWNER", None)
    if not owner or not owner.get("USER"):
        return None
    return owner


def runtime_role(alias: str = "default") -> str:
    return str(connections[alias].settings_dict["USER"])


def split_active(alias: str = "default") -> bool:
    owner = owner_credentials()
    return owner is not None and owner["USER"] != runtime_role(alias)


@contextmanager
def as_owner(alias: str = "default") -> Iterator[str | None]:
    """Run the block on the owner role's connection; yields the runtime role's name (or None
    when there is no split and the block runs as the only role)."""
    if not split_active(alias):
        yield None
        return
    connection = connections[alias]
    settings_dict = connection.settings_dict
    saved = {key: settings_dict.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT")}
    owner = owner_credentials()
    assert owner is not None
    connection.close()
    settings_dict.update({k: v for k, v in owner.items() if v not in (None, "")})
    try:
        yield str(saved["USER"])
    finally:
        connection.close()
        settings_dict.update(saved)


def grant_runtime(alias: str, role: str) -> None:
    """Grant the runtime role its rights on every table and sequence (idempotent; as owner)."""
    connection = connections[alias]
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"
        )
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        cursor.execute("SELECT to_regclass(%s)", [AUDIT_TABLE])
        if cursor.fetchone()[0] is not None:
            cursor.execute(f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}")
            cursor.execute(f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}")
        cursor.execute("SELECT to_regclass(%s)", [AUDIT_ANCHOR_TABLE])
        if cursor.fetchone()[0] is not None:
            cursor.execute(f"REVOKE ALL ON {AUDIT_ANCHOR_TABLE} FROM {quoted}")
            cursor.execute(f"GRANT SELECT ON {AUDIT_ANCHOR_TABLE} TO {quoted}")
