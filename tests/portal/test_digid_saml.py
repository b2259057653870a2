"""Production DigiD: ``configure_digid`` fills django-digid-eherkenning's configuration from
the DIGID_* variables (metadata fetched from a local stand-in for DigiD), and then
"Inloggen met DigiD" posts a signed SAML AuthnRequest to DigiD's sign-on address."""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SSO = "https://was-preprod1.digid.nl/saml/idp/request_authentication"
IDP_ENTITY = "https://was-preprod1.digid.nl/saml/idp/metadata"


def _key_pair(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "olteams.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    (tmp_path / "sp.crt").write_bytes(cert_pem)
    (tmp_path / "sp.key").write_bytes(key_pem)
    body = b"".join(cert_pem.strip().splitlines()[1:-1]).decode()
    return tmp_path / "sp.crt", tmp_path / "sp.key", body


def _metadata(cert_body: str) -> bytes:
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{IDP_ENTITY}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://was-preprod1.digid.nl/saml/idp/resolve_artifact" index="0"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://was-preprod1.digid.nl/saml/idp/request_logout"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{SSO}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{SSO}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>""".encode()


@pytest.fixture
def metadata_server(tmp_path):
    crt, key, body = _key_pair(tmp_path)
    payload = _metadata(body)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/metadata", crt, key
    server.shutdown()


def test_configure_digid_needs_its_variables(monkeypatch) -> None:
    for name in ("DIGID_METADATA_URL", "DIGID_ENTITY_ID", "DIGID_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError, match="DIGID_METADATA_URL"):
        call_command("configure_digid")


def test_configured_from_the_environment_the_sign_in_posts_to_digid(
    monkeypatch, metadata_server
) -> None:
    url, crt, key = metadata_server
    monkeypatch.setenv("DIGID_METADATA_URL", url)
    monkeypatch.setenv("DIGID_ENTITY_ID", "https://olteams.test/digid")
    monkeypatch.setenv("DIGID_BASE_URL", "https://olteams.test")
    monkeypatch.setenv("DIGID_CERT_FILE", str(crt))
    monkeypatch.setenv("DIGID_KEY_FILE", str(key))
    call_command("configure_digid", stdout=None)
    call_command("configure_digid", stdout=None)  # idempotent

    from digid_eherkenning.models import ConfigCertificate, DigidConfiguration

    config = DigidConfiguration.get_solo()
    assert config.idp_service_entity_id == IDP_ENTITY
    assert ConfigCertificate.objects.count() == 1
    with override_settings(DIGID_MODE="saml"):
        response = HttpClient().get(reverse("digid:login"), {"next": "/mijn/"}, secure=True)
        # The mock DigiD does not answer next to the real one.
        assert HttpClient().get(reverse("digid-mock:login")).status_code == 404
    assert response.status_code == 200
    page = response.content.decode()
    assert f'action="{SSO}"' in page
    saml = re.search(r'name="SAMLRequest" value="([^"]+)"', page).group(1)
    xml = base64.b64decode(saml)  # HTTP-POST binding: base64, not deflated
    assert b"https://olteams.test/digid" in xml
    assert b"https://olteams.test/mijn/digid/acs/" in xml
