"""``manage.py audit_verify``: recompute the audit log's hash chain, name the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from olteams.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Controleer de hashketen van het auditlog en meld de eerste gebroken schakel."

    def handle(self, *args: Any, **options: Any) -> None:
        total, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Auditlog gebroken bij gebeurtenis nummer {broken.seq} (id {broken.event_id}): "
                f"{broken.reason}. {total} gebeurtenissen gecontroleerd."
            )
        self.stdout.write(f"Auditlog intact: {total} gebeurtenissen, keten klopt.")
