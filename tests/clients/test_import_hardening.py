"""Import hardening (issue 14): encodings, delimiters, size by rows and unpacked bytes;
a Dutch message and a failed job, never a 500 and never a job stuck at "bezig"."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients import imports
from clients.imports import import_job_create, import_run
from clients.models import ImportJob

pytestmark = pytest.mark.django_db
HEADER = "achternaam;roepnaam;geboortedatum;bsn;gemeente;aanmelddatum;verwijzer\n"
ROW = "Jansen;Piet;01-02-1970;123456782;Testgemeente;06-01-2020;huisarts\n"


def _run(lead, team, content: bytes, name="lijst.csv") -> ImportJob:
    job = import_job_create(
        actor=lead, team=team, filename=name, content=content, dry_run=True, skip_invalid=False
    )
    return import_run(job_id=job.pk)


@pytest.mark.parametrize(
    "content",
    [
        (HEADER + ROW).encode("utf-8"),
        (HEADER + ROW).encode("utf-8-sig"),
        (HEADER + ROW).encode("utf-16"),  # Excel's "Unicode text"
        (HEADER + ROW).replace("Piet", "Piët").encode("cp1252"),
        (HEADER + ROW).replace(";", ",").encode(),
        (HEADER + ROW).replace(";", "\t").encode(),
    ],
    ids=["utf8", "utf8-bom", "utf16", "cp1252", "comma", "tab"],
)
def test_encodings_and_delimiters_are_detected(lead, team, municipality, content):
    job = _run(lead, team, content)
    assert (job.status, job.error, [r["ok"] for r in job.results]) == ("klaar", "", [True])


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            HEADER.encode() + b"Jansen;Pi\x81et;01-02-1970;;;;\n",
            "De tekenset van het bestand is niet te herkennen. Sla het op als 'CSV UTF-8' "
            "of als XLSX en probeer het opnieuw.",
        ),
        (
            (HEADER + ROW).encode("utf-16-le"),  # no BOM: NULs everywhere
            "De tekenset van het bestand is niet te herkennen. Sla het op als 'CSV UTF-8' "
            "of als XLSX en probeer het opnieuw.",
        ),
        (
            b"achternaam roepnaam\nJansen Piet\n",
            "Het scheidingsteken is niet te herkennen; gebruik een puntkomma of komma.",
        ),
    ],
    ids=["byte-0x81", "utf16-without-bom", "no-delimiter"],
)
def test_an_unreadable_file_is_a_failed_job_with_a_dutch_reason(lead, team, content, error):
    job = _run(lead, team, content)
    assert (job.status, job.error) == ("mislukt", error)
    assert job.finished_at is not None


def test_more_rows_than_the_limit_fail_without_reading_the_rest(lead, team, monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 3)
    job = _run(lead, team, (HEADER + ROW * 4).encode())
    assert (job.status, job.error) == (
        "mislukt",
        "Het bestand heeft meer dan 3 rijen; splits het in kleinere bestanden.",
    )


def _bomb(unpacked: int) -> bytes:
    """A small zip (named .xlsx) that unpacks to ``unpacked`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * unpacked)
    return buffer.getvalue()


def test_size_is_judged_unpacked_a_small_zip_bomb_is_refused(lead, team):
    content = _bomb(21 * 1024 * 1024)
    assert len(content) < 100_000
    job = _run(lead, team, content, name="lijst.xlsx")
    assert (job.status, job.error) == (
        "mislukt",
        "Het bestand is uitgepakt groter dan 20 MB; splits het in kleinere bestanden.",
    )


def test_a_large_unpacked_xlsx_goes_to_the_worker_not_the_request(
    lead, team, login, django_capture_on_commit_callbacks
):
    http = login(lead)
    with django_capture_on_commit_callbacks() as callbacks:
        response = http.post(
            reverse("clients:import-create"),
            {"file": SimpleUploadedFile("lijst.xlsx", _bomb(1024 * 1024))},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "wachtend" and len(callbacks) == 1  # sent after commit, not run here


@pytest.mark.parametrize(
    "content",
    [b"\x81\x82\x83", (HEADER + ROW).encode("utf-16-le"), b"a;b\n\x00\x00\n"],
    ids=["0x81", "utf16-le", "nul"],
)
def test_the_upload_page_never_answers_500(lead, team, login, content):
    http = login(lead)
    response = http.post(
        reverse("clients:import-create"),
        {"file": SimpleUploadedFile("lijst.csv", content, content_type="text/csv")},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert ImportJob.objects.get().status == "mislukt"
        page = http.get(response["Location"])
        assert page.status_code == 200
