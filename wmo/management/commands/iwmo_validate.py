"""``manage.py iwmo_validate FILE…``: check iWmo 3.2 message files against the official schema.

For a functional administrator checking a municipality's message: per file VALID, or INVALID
with the schema's errors; the exit status is non-zero when any file is invalid or unreadable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wmo import iwmo


class Command(BaseCommand):
    help = "Valideer iWmo 3.2-berichten tegen het officiële schema van hun BerichtCode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        invalid = 0
        for name in options["files"]:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                invalid += 1
                self.stdout.write(f"{name}: INVALID\n  {exc.strerror or exc}")
                continue
            message, errors = iwmo.validate(data)
            label = message or "?"
            if errors:
                invalid += 1
                self.stdout.write(f"{name}: INVALID ({label})")
                for error in errors:
                    self.stdout.write(f"  {error}")
            else:
                self.stdout.write(f"{name}: VALID ({label})")
        if invalid:
            raise CommandError(
                f"{invalid} van {len(options['files'])} bestand(en) ongeldig.", returncode=1
            )
