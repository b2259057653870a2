"""``manage.py configure_digid``: the production DigiD connection (SAML, artifact binding)
from the environment, into django-digid-eherkenning's configuration.

Reads DIGID_METADATA_URL (DigiD's IdP metadata), DIGID_ENTITY_ID and DIGID_BASE_URL (this
service), DIGID_CERT_FILE and DIGID_KEY_FILE (the PKIoverheid key pair, PEM) and the
optional DIGID_SERVICE_NAME, DIGID_SERVICE_DESCRIPTION, DIGID_WANT_ASSERTIONS_ENCRYPTED, DIGID_SIGNATURE_ALGORITHM,
DIGID_DIGEST_ALGORITHM and DIGID_ARTIFACT_CONTENT_TYPE (docs/operations.md, "DigiD").
Idempotent: run it at every deploy; it fetches the metadata again when its URL changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

REQUIRED = (
    "DIGID_METADATA_URL",
    "DIGID_ENTITY_ID",
    "DIGID_BASE_URL",
    "DIGID_CERT_FILE",
    "DIGID_KEY_FILE",
)
CERT_LABEL = "DigiD (configure_digid)"
SHA256_SIGNATURE = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256_DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256"


def _read(path: str, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"{name}: {path} is niet te lezen ({exc.strerror}).") from exc


class Command(BaseCommand):
    help = "Zet de DigiD-koppeling (SAML) klaar uit de DIGID_*-omgevingsvariabelen."

    def handle(self, *args: object, **options: object) -> None:
        from digid_eherkenning.choices import ConfigTypes
        from digid_eherkenning.models import ConfigCertificate, DigidConfiguration
        from simple_certmanager.constants import CertificateTypes
        from simple_certmanager.models import Certificate

        missing = [name for name in REQUIRED if not os.environ.get(name)]
        if missing:
            raise CommandError(f"Niet gezet: {', '.join(missing)}.")
        env = os.environ
        cert = _read(env["DIGID_CERT_FILE"], "DIGID_CERT_FILE")
        key = _read(env["DIGID_KEY_FILE"], "DIGID_KEY_FILE")
        with transaction.atomic():
            certificate = Certificate.objects.filter(label=CERT_LABEL).first() or Certificate(
                label=CERT_LABEL, type=CertificateTypes.key_pair
            )
            certificate.public_certificate.save("digid.crt", ContentFile(cert), save=False)
            certificate.private_key.save("digid.key", ContentFile(key), save=False)
            certificate.save()
            ConfigCertificate.objects.get_or_create(
                config_type=ConfigTypes.digid, certificate=certificate
            )
            config = DigidConfiguration.get_solo()
            config.metadata_file_source = env["DIGID_METADATA_URL"]
            config.entity_id = env["DIGID_ENTITY_ID"]
            config.base_url = env["DIGID_BASE_URL"]
            config.service_name = env.get("DIGID_SERVICE_NAME", "Mijn Optimaal Leven")
            config.service_description = env.get(
                "DIGID_SERVICE_DESCRIPTION", "Het portaal voor cliënten en naasten"
            )
            # No single logout: a portal session ends by "Uitloggen" or after 15 idle
            # minutes (olteams.portal); the library's SLO views end Django user sessions.
            config.slo = False
            config.want_assertions_encrypted = env.get(
                "DIGID_WANT_ASSERTIONS_ENCRYPTED", ""
            ).lower() in {"1", "true", "yes"}
            config.signature_algorithm = env.get("DIGID_SIGNATURE_ALGORITHM", SHA256_SIGNATURE)
            config.digest_algorithm = env.get("DIGID_DIGEST_ALGORITHM", SHA256_DIGEST)
            config.artifact_resolve_content_type = env.get(
                "DIGID_ARTIFACT_CONTENT_TYPE", config.artifact_resolve_content_type
            )
            try:
                config.full_clean()
                config.save()
            except ValidationError as exc:
                raise CommandError(
                    "; ".join(
                        f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
                    )
                ) from exc
        self.stdout.write(
            f"DigiD ingesteld: entity_id={config.entity_id} idp={config.idp_service_entity_id}"
        )
