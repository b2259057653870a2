"""``migrate`` as the owner role, then the runtime role's grants (see olteams.db)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from olteams.db import as_owner, grant_runtime


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        with as_owner(alias) as runtime:
            super().handle(*args, **options)
            if runtime is not None:
                grant_runtime(alias, runtime)
