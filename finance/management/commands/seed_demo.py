"""``manage.py seed_demo``: load the demo data of every app, idempotently.

Runs ``olteams.demo.seed`` and then, in the order of the dependency chain, the ``seed`` of
each app that has a ``demo`` module. Each app seeds in its own transaction with its own
random generator (derived from ``--seed``), so adding one app's demo does not change the
data of the others. ``--scale`` (a fraction of the reference number of clients) goes to each
``seed`` that takes a ``scale`` argument; the others follow from the clients seeded. Prints the
address and the demo logins at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
import random
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from olteams import demo as olteams_demo
from olteams.constants import Role

APPS = ["clients", "herstelplan", "wmo", "caseload", "finance"]
DEFAULT_SEED = 20191101
URL = "http://127.0.0.1:8000"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today verwacht een datum als JJJJ-MM-DD, niet {value!r}.") from None


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise CommandError(f"--scale verwacht een getal groter dan 0, zoals 0.1, niet {value!r}.")
    return scale


def _takes_scale(seed: object) -> bool:
    return "scale" in inspect.signature(seed).parameters  # type: ignore[arg-type]


class Command(BaseCommand):
    help = "Laadt de demodata (idempotent) en toont de demo-aanmeldingen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="De datum waarop de demo 'vandaag' staat (JJJJ-MM-DD).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Startwaarde van de toevalsgenerator (standaard {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="Fractie van het aantal cliënten uit de referentiecijfers (standaard 1).",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Ook laden als DEBUG uit staat (nooit in productie).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Demodata bevat bekende wachtwoorden en reservecodes; laad ze alleen met "
                "DEBUG aan (of --allow-without-debug op een testmachine)."
            )
        today = options["today"] or timezone.localdate()
        seed = options["seed"]
        for app, module in self._demo_modules():
            extra = {"scale": options["scale"]} if _takes_scale(module.seed) else {}
            with transaction.atomic():
                module.seed(today=today, rng=random.Random(f"{seed}:{app}"), **extra)
            self.stdout.write(f"demodata geladen: {app}")
        # What needs every app's data: one emergency access for the privacy officer.
        with transaction.atomic():
            olteams_demo.seed_emergency_access()
        # Fresh planner statistics: without them a prefetch over the new rows became a
        # sequential scan (docs/operations.md, "Statistieken en autovacuum").
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write("statistieken bijgewerkt (ANALYZE)")
        self._print_logins()

    def _demo_modules(self) -> list[tuple[str, ModuleType]]:
        modules: list[tuple[str, ModuleType]] = [("olteams", olteams_demo)]
        for app in APPS:
            if importlib.util.find_spec(f"{app}.demo") is not None:
                modules.append((app, importlib.import_module(f"{app}.demo")))
        return modules

    def _print_logins(self) -> None:
        rows = [("Gebruikersnaam", "Rol", "Wachtwoord", "Reservecode")]
        rows += [
            (
                username,
                str(Role(role).label),
                olteams_demo.DEMO_PASSWORD,
                olteams_demo.backup_code_for(username),
            )
            for username, role in olteams_demo.DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(f"Optimaal Leven: {URL}")
        self.stdout.write(
            "Meld u aan met gebruikersnaam en wachtwoord; vul daarna de reservecode in."
        )
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self._print_portal_logins()

    def _print_portal_logins(self) -> None:
        from caseload.demo_portal import DEMO_CLIENT_BSN, DEMO_NAASTE_BSN

        self.stdout.write("")
        self.stdout.write(
            f"Mijn Optimaal Leven (portaal voor cliënten en naasten): {URL}/mijn/aanmelden/"
        )
        self.stdout.write(
            'Kies "Inloggen met DigiD", dan "Inloggen" en typ het BSN in de test-DigiD:'
        )
        self.stdout.write(f"  demo-cliënt  BSN {DEMO_CLIENT_BSN}  eigen dossier")
        self.stdout.write(
            f"  demo-naaste  BSN {DEMO_NAASTE_BSN}  mag alleen het plan van de cliënt zien"
        )
