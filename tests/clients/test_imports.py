"""Spreadsheet import: dry run per row, all-or-nothing, skip invalid rows, XLSX, Celery task."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from clients.imports import import_job_create, import_run
from clients.models import Client, Referral
from clients.tasks import import_run_task

pytestmark = pytest.mark.django_db

GOOD = (
    "achternaam;roepnaam;geboortedatum;bsn;gemeente;aanmelddatum;verwijzer\n"
    "Jansen;Piet;01-02-1970;123456782;Testgemeente;06-01-2020;huisarts\n"
    "Visser;Els;1980-03-04;;;;\n"
)
BAD_ROW = "Bakker;Jan;01-01-2999;123456789;;;\n"


def _job(lead, team, text: str, *, dry_run=True, skip_invalid=False, name="lijst.csv"):
    content = text.encode() if isinstance(text, str) else text
    return import_job_create(
        actor=lead,
        team=team,
        filename=name,
        content=content,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )


def test_dry_run_reports_each_row_and_imports_nothing(lead, team, municipality):
    job = import_run(job_id=_job(lead, team, GOOD + BAD_ROW).pk)
    assert job.status == "klaar"
    assert [r["ok"] for r in job.results] == [True, True, False]
    assert job.results[2]["row"] == 4
    assert job.results[2]["errors"] == [
        "bsn: Dit BSN is niet geldig (de elfproef klopt niet).",
        "date_of_birth: De geboortedatum ligt in de toekomst.",
    ]
    assert Client.objects.count() == 0 and Referral.objects.count() == 0


def test_import_is_all_or_nothing(lead, team, municipality):
    job = import_run(job_id=_job(lead, team, GOOD + BAD_ROW, dry_run=False).pk)
    assert job.created_count == 0
    assert Client.objects.count() == 0


def test_import_skipping_invalid_rows(lead, team, municipality):
    job = import_run(job_id=_job(lead, team, GOOD + BAD_ROW, dry_run=False, skip_invalid=True).pk)
    assert job.created_count == 2
    jansen = Client.objects.get(last_name="Jansen")
    assert (jansen.bsn, jansen.municipality, jansen.referrals.get().source) == (
        "123456782",
        municipality,
        "huisarts",
    )
    assert jansen.episodes.get().phase == "aangemeld"


def test_duplicate_bsn_within_file_and_missing_columns(lead, team):
    text = "achternaam;roepnaam;bsn\nA;B;123456782\nC;D;123456782\n"
    job = import_run(job_id=_job(lead, team, text).pk)
    assert job.results[1]["errors"] == ["bsn: Hetzelfde BSN staat ook in rij 2."]
    job = import_run(job_id=_job(lead, team, "naam;bsn\nA;1\n").pk)
    assert (job.status, job.error) == (
        "mislukt",
        "Verplichte kolommen ontbreken: achternaam, roepnaam.",
    )


def test_xlsx_import_and_task_is_idempotent(lead, team):
    book = Workbook()
    book.active.append(["Achternaam", "Roepnaam", "Geslacht"])
    book.active.append(["Smit", "Ria", "Vrouw"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _job(lead, team, buffer.getvalue(), dry_run=False, name="lijst.xlsx")
    import_run_task(job.pk)
    import_run_task(job.pk)
    assert Client.objects.get().gender == "V"
    job.refresh_from_db()
    assert job.created_count == 1


def test_import_pages(lead, member, team, login):
    assert login(member).get(reverse("clients:import-create")).status_code == 403
    http = login(lead)
    response = http.post(
        reverse("clients:import-create"),
        {"file": SimpleUploadedFile("lijst.csv", GOOD.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    detail = http.get(response["Location"]).content.decode()
    assert "2 rijen zijn in orde, 0 rijen hebben fouten" in detail and "Nu importeren" in detail
    dry = response["Location"].rstrip("/").rsplit("/", 1)[1]
    response = http.post(reverse("clients:import-create"), {"van_proef": dry})
    assert "2 cliënten geïmporteerd." in http.get(response["Location"]).content.decode()
    assert Client.objects.count() == 2
    response = http.post(
        reverse("clients:import-create"),
        {"file": SimpleUploadedFile("lijst.pdf", b"%PDF", content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "Kies een CSV- of XLSX-bestand." in response.content.decode()
