"""Documents in the client file (issue 16): upload checked on content and size, the optional
virus scan, the audited download, the logical delete with a reason, clinical categories,
and the API's 400s."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import socket
import socketserver
import struct
import threading
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from caseload.models import Document
from caseload.services import document_delete, document_upload
from olteams.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _form(name: str, content: bytes, **extra):
    return {
        "file": upload(name, content),
        "title": "Brief van de huisarts",
        "category": "brief_huisarts",
        "document_date": "2026-02-20",
        "author": "Huisarts Jansen",
        **extra,
    }


def _stored_files() -> int:
    storage = storages["documents"]
    directories, files = storage.listdir("")
    return len(files) + sum(len(storage.listdir(d)[1]) for d in directories)


# --- upload ---------------------------------------------------------------------------------


def test_a_pdf_is_stored_with_its_facts_and_the_upload_is_audited(care_client, member, login):
    http = login(member)
    before = _stored_files()
    response = http.post(
        reverse("caseload:document-upload", args=[care_client.pk]), _form("brief.pdf", PDF)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:document-list", args=[care_client.pk])
    document = Document.objects.get()
    assert (
        document.client,
        document.category,
        document.title,
        document.document_date,
        document.author,
        document.original_filename,
        document.size,
        document.content_type,
        document.sha256,
        document.uploaded_by,
    ) == (
        care_client,
        "brief_huisarts",
        "Brief van de huisarts",
        dt.date(2026, 2, 20),
        "Huisarts Jansen",
        "brief.pdf",
        len(PDF),
        "application/pdf",
        hashlib.sha256(PDF).hexdigest(),
        member,
    )
    assert _stored_files() == before + 1
    assert document.file.name.startswith(f"{care_client.pk}/")
    assert "brief" not in document.file.name  # the stored name says nothing
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="create").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.png", PNG), ("brief.docx", DOCX), ("lijst.xlsx", XLSX), ("verslag.odt", ODT)],
)
def test_images_and_office_files_are_accepted_on_their_content(care_client, member, name, content):
    document = document_upload(
        actor=member,
        client=care_client,
        file=upload(name, content),
        category="overig",
        title="Bijlage",
        document_date=dt.date(2026, 1, 5),
    )
    assert document.original_filename == name
    assert document.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "brief.pdf",
            b"Dit is gewoon tekst, geen PDF.",
            "De inhoud van het bestand is geen PDF, terwijl de naam eindigt op .pdf. "
            "Het bestand is niet opgeslagen.",
        ),
        (
            "verslag.docx",
            EXE,
            "De inhoud van het bestand is geen Word, terwijl de naam eindigt op .docx. "
            "Het bestand is niet opgeslagen.",
        ),
        (
            "rekenblad.docx",
            XLSX,  # a real Office file, but not a Word document
            "De inhoud van het bestand is geen Word, terwijl de naam eindigt op .docx. "
            "Het bestand is niet opgeslagen.",
        ),
        (
            "setup.exe",
            EXE,
            "Dit soort bestand wordt niet opgeslagen. Toegestaan zijn: .pdf, .png, .jpg, "
            ".jpeg, .docx, .xlsx, .pptx, .odt, .ods, .odp, .doc, .xls.",
        ),
        ("leeg.pdf", b"", "Het verstuurde bestand is leeg."),  # Django's own check
    ],
)
def test_a_file_whose_content_does_not_match_is_refused_in_dutch(
    care_client, member, login, name, content, message
):
    before = _stored_files()
    response = login(member).post(
        reverse("caseload:document-upload", args=[care_client.pk]), _form(name, content)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert 'value="Brief van de huisarts"' in response.content.decode()  # typed values kept
    assert not Document.objects.exists()
    assert _stored_files() == before


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=1024 * 1024)
def test_a_file_over_the_limit_is_refused(care_client, member, login):
    big = PDF + b"0" * (1024 * 1024)
    response = login(member).post(
        reverse("caseload:document-upload", args=[care_client.pk]), _form("groot.pdf", big)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Het bestand is te groot (1 MB); het maximum is 1 MB."
    ]
    assert not Document.objects.exists()


def test_missing_facts_are_field_errors(care_client, member, login):
    response = login(member).post(
        reverse("caseload:document-upload", args=[care_client.pk]),
        {"title": "", "category": "overig", "document_date": "2999-01-01"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["file"] == ["Kies een bestand."]
    assert errors["title"] == ["Geef het document een titel."]
    assert errors["document_date"] == ["De datum van het document mag niet in de toekomst liggen."]


# --- download and delete --------------------------------------------------------------------


@pytest.fixture
def letter(care_client, member):
    return document_upload(
        actor=member,
        client=care_client,
        file=upload("brief huisarts.pdf", PDF),
        category="brief_huisarts",
        title="Verwijsbrief",
        document_date=dt.date(2026, 2, 1),
        author="Huisarts Jansen",
    )


def test_a_download_is_an_audited_read_of_the_document(care_client, member, login, letter):
    http = login(member)
    response = http.get(reverse("caseload:document-download", args=[care_client.pk, letter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "brief huisarts.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(client_id=care_client.pk).latest("id")
    assert (event.event_type, event.object_type, event.object_id, event.user) == (
        "read",
        "caseload.document",
        str(letter.pk),
        member,
    )


def test_office_files_are_downloaded_as_attachment(care_client, member, login):
    document = document_upload(
        actor=member,
        client=care_client,
        file=upload("plan.docx", DOCX),
        category="ondertekend_plan",
        title="Ondertekend plan",
        document_date=dt.date(2026, 2, 1),
    )
    response = login(member).get(
        reverse("caseload:document-download", args=[care_client.pk, document.pk])
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_delete_needs_a_reason_keeps_the_document_and_hides_it(care_client, member, login, letter):
    http = login(member)
    url = reverse("caseload:document-delete", args=[care_client.pk, letter.pk])
    assert http.get(url).status_code == 200
    refused = http.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert refused.context["form"].errors["reason"] == [
        "Vul de reden in waarom het document weg moet."
    ]
    letter.refresh_from_db()
    assert letter.deleted_at is None

    assert http.post(url, {"reason": "Bij de verkeerde cliënt geplaatst"}).status_code == 302
    letter.refresh_from_db()
    assert (letter.deleted_by, letter.deletion_reason) == (
        member,
        "Bij de verkeerde cliënt geplaatst",
    )
    assert letter.file.read() == PDF  # kept
    listing = http.get(reverse("caseload:document-list", args=[care_client.pk]))
    assert "Verwijsbrief" not in listing.content.decode()
    download = reverse("caseload:document-download", args=[care_client.pk, letter.pk])
    assert http.get(download).status_code == 404
    events = list(AuditEvent.objects.filter(client_id=care_client.pk, event_type="delete"))
    # one event per POST on the document: the refused attempt and the delete
    assert [e.object_id for e in events] == [str(letter.pk), str(letter.pk)]


def test_clinical_documents_need_clinical_access(care_client, member, secretary, login, letter):
    identity = document_upload(
        actor=secretary,
        client=care_client,
        file=upload("id.png", PNG),
        category="identiteit",
        title="Kopie ID-bewijs",
        document_date=dt.date(2026, 2, 1),
    )
    http = login(secretary)
    listing = http.get(reverse("caseload:document-list", args=[care_client.pk])).content.decode()
    assert "Kopie ID-bewijs" in listing
    assert "Verwijsbrief" not in listing
    assert (
        http.get(
            reverse("caseload:document-download", args=[care_client.pk, letter.pk])
        ).status_code
        == 404
    )
    assert (
        http.get(
            reverse("caseload:document-download", args=[care_client.pk, identity.pk])
        ).status_code
        == 200
    )
    # the secretariaat may not add or delete a clinical document either
    response = http.post(
        reverse("caseload:document-upload", args=[care_client.pk]), _form("b.pdf", PDF)
    )
    assert response.status_code == 400
    assert "category" in response.context["form"].errors
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_delete(actor=secretary, document=letter, reason="weg")
    assert Document.objects.count() == 2


def test_a_worker_of_another_team_gets_404_and_the_refusal_is_audited(
    care_client, outsider, login, letter
):
    http = login(outsider)
    url = reverse("caseload:document-download", args=[care_client.pk, letter.pk])
    assert http.get(url).status_code == 404
    events = list(AuditEvent.objects.filter(client_id=care_client.pk, user=outsider))
    assert [e.outcome for e in events] == ["denied"]


# --- the virus scan (clamd INSTREAM) --------------------------------------------------------


class _Clamd(socketserver.BaseRequestHandler):
    reply = b"stream: OK\0"

    def handle(self) -> None:
        data = b""
        while b"\0" not in data:
            data += self.request.recv(1)
        assert data == b"zINSTREAM\0"
        received = b""
        while True:
            (length,) = struct.unpack("!L", self._read(4))
            if length == 0:
                break
            received += self._read(length)
        self.server.received = received  # type: ignore[attr-defined]
        self.request.sendall(self.reply)

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            data += self.request.recv(n - len(data))
        return data


@pytest.fixture
def clamd():
    def start(reply: bytes):
        handler = type("Handler", (_Clamd,), {"reply": reply})
        server = socketserver.TCPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    servers: list = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _scan_upload(care_client, member):
    return document_upload(
        actor=member,
        client=care_client,
        file=upload("brief.pdf", PDF),
        category="verslag",
        title="Verslag",
        document_date=dt.date(2026, 2, 1),
    )


def test_a_clean_scan_stores_the_file(care_client, member, clamd):
    server = clamd(b"stream: OK\0")
    with override_settings(CLAMAV_HOST="127.0.0.1", CLAMAV_PORT=server.server_address[1]):
        document = _scan_upload(care_client, member)
    assert server.received == PDF
    assert document.pk is not None


def test_a_virus_is_refused(care_client, member, clamd):
    from django.core.exceptions import ValidationError

    server = clamd(b"stream: Eicar-Test-Signature FOUND\0")
    with (
        override_settings(CLAMAV_HOST="127.0.0.1", CLAMAV_PORT=server.server_address[1]),
        pytest.raises(ValidationError) as exc,
    ):
        _scan_upload(care_client, member)
    assert exc.value.message_dict == {
        "file": ["Het bestand bevat een virus (Eicar-Test-Signature) en is niet opgeslagen."]
    }
    assert not Document.objects.exists()


def test_an_unreachable_scanner_refuses_rather_than_storing_unscanned(care_client, member):
    from django.core.exceptions import ValidationError

    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        override_settings(CLAMAV_HOST="127.0.0.1", CLAMAV_PORT=port, CLAMAV_TIMEOUT=2),
        pytest.raises(ValidationError) as exc,
    ):
        _scan_upload(care_client, member)
    assert exc.value.message_dict == {
        "file": [
            "De virusscan is niet beschikbaar, daarom is het bestand niet opgeslagen. "
            "Probeer het later opnieuw."
        ]
    }
    assert not Document.objects.exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_lists_uploads_and_downloads_with_dutch_400s(care_client, member, login):
    http = login(member)
    url = reverse("api:caseload-document-list", args=[care_client.pk])
    bad = http.post(url, _form("brief.pdf", b"geen pdf"))
    assert bad.status_code == 400
    assert bad.json() == {
        "file": [
            "De inhoud van het bestand is geen PDF, terwijl de naam eindigt op .pdf. "
            "Het bestand is niet opgeslagen."
        ]
    }
    with override_settings(DOCUMENT_MAX_UPLOAD_BYTES=10):
        too_big = http.post(url, _form("brief.pdf", PDF))
    assert too_big.status_code == 400
    assert too_big.json()["file"][0].startswith("Het bestand is te groot")
    missing = http.post(url, {"category": "onbekend", "title": "x"})
    assert missing.status_code == 400
    assert set(missing.json()) == {"category", "document_date"}
    assert not Document.objects.exists()

    created = http.post(url, _form("brief.pdf", PDF))
    assert created.status_code == 201
    body = created.json()
    assert (body["original_filename"], body["content_type"], body["size"]) == (
        "brief.pdf",
        "application/pdf",
        len(PDF),
    )
    assert [d["id"] for d in http.get(url).json()] == [body["id"]]
    content = http.get(reverse("api:caseload-document-content", args=[care_client.pk, body["id"]]))
    assert content.status_code == 200
    assert b"".join(content.streaming_content) == PDF
    event = AuditEvent.objects.filter(client_id=care_client.pk).latest("id")
    assert (event.event_type, event.object_id) == ("read", str(body["id"]))


def test_the_functional_administrator_sees_deleted_documents_with_the_reason(
    care_client, member, admin_user, login, letter
):
    document_delete(actor=member, document=letter, reason="Bij de verkeerde cliënt geplaatst")
    http = login(admin_user)
    listing = http.get("/admin/caseload/document/?verwijderd=ja")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    detail = http.get(f"/admin/caseload/document/{letter.pk}/change/")
    assert detail.status_code == 200
    assert "Bij de verkeerde cliënt geplaatst" in detail.content.decode()
    # read-only: the admin cannot change or remove what the file keeps
    assert http.post(f"/admin/caseload/document/{letter.pk}/delete/").status_code == 403
    assert Document.objects.filter(pk=letter.pk).exists()


def test_the_document_pages_sit_under_the_documenten_tab(care_client, member, login):
    from olteams.client_frame import active_tab_key

    assert active_tab_key("caseload:document-upload") == "documenten"
    assert active_tab_key("caseload:client-file") == "dossier"
    page = login(member).get(reverse("caseload:document-list", args=[care_client.pk]))
    url = reverse("caseload:document-list", args=[care_client.pk])
    assert f'<a href="{url}" aria-current="page">Documenten</a>' in page.content.decode()
