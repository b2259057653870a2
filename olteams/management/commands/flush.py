"""``flush`` (used by transactional tests) as the owner role: TRUNCATE needs ownership."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from olteams.db import as_owner


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with as_owner(options["database"]):
            super().handle(**options)
