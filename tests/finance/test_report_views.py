"""Report pages and API: who may ask and download, progress polling, files as attachments."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.constants import ReportFormat
from finance.models import HistoricalImport, ReportJob
from finance.services.reports import report_job_prepare
from olteams.models import AuditEvent
from tests.finance.report_helpers import MONTH, celery_in_process, two_team_month

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFERENCE = Path(__file__).parent / "data" / "integrated_accounts_2019_2020.csv"


@pytest.fixture
def month_of_work(team, other_team):
    return two_team_month(team, other_team)


@pytest.fixture
def finished_job(controller, month_of_work, django_capture_on_commit_callbacks):
    job = ReportJob.objects.create(month=MONTH, format=ReportFormat.XLSX, requested_by=controller)
    from finance.tasks import report_job_start_task

    with celery_in_process():
        report_job_start_task(job.pk)
    job.refresh_from_db()
    assert job.status == "klaar"
    return job


def test_controller_requests_a_report_and_watches_it_finish(
    controller, login, month_of_work, django_capture_on_commit_callbacks
):
    http = login(controller)
    assert http.get(reverse("finance:report-list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = http.post(
            reverse("finance:report-create"), {"month": "2026-03", "format": "pdf"}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("finance:report-detail", kwargs={"job_id": job.pk})
    assert (job.month, job.format, job.team, job.requested_by) == (MONTH, "pdf", None, controller)
    # before the worker starts: a progress bar that htmx polls every 2 seconds
    html = http.get(response["Location"]).content.decode()
    assert "Wacht op verwerking" in html
    assert '<progress class="progress" max="100" aria-label="Voortgang van het rapport">' in html
    assert 'hx-trigger="every 2s"' in html and "Voortgang verversen" in html
    report_job_prepare(job_id=job.pk)
    partial = http.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="report-status"' in partial
    assert "0 van 3 bestanden gemaakt." in partial
    assert '<progress class="progress" max="100" value="0"' in partial
    with celery_in_process():
        for callback in callbacks:  # the enqueue after commit: the worker runs the job
            callback()
    html = http.get(response["Location"]).content.decode()
    assert "hx-trigger" not in html and "<progress" not in html
    assert html.count("Download verantwoording-") == 3


def test_download_is_an_attachment_and_audited(controller, login, finished_job):
    file = finished_job.files.get(account__team__isnull=True)
    response = login(controller).get(
        reverse("finance:report-download", kwargs={"file_id": file.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="verantwoording-alle-teams-2026-03.xlsx"'
    )
    assert response.content == bytes(file.content)
    event = AuditEvent.objects.latest("pk")
    assert (event.event_type, event.object_type) == ("export", "finance.reportfile")


def test_bad_request_shows_dutch_errors(controller, login):
    response = login(controller).post(
        reverse("finance:report-create"), {"month": "2026-13", "format": "docx"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vul een maand in als JJJJ-MM." in html
    assert "Selecteer een geldige keuze" in html
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("who", ["member", "lead", "stuurgroep_user", "consultant"])
def test_other_roles_are_denied_and_nothing_happens(request, who, login, finished_job):
    http = login(request.getfixturevalue(who))
    file = finished_job.files.first()
    urls = [
        reverse("finance:report-list"),
        reverse("finance:report-detail", kwargs={"job_id": finished_job.pk}),
        reverse("finance:report-download", kwargs={"file_id": file.pk}),
    ]
    for url in urls:
        assert http.get(url).status_code == 403, url
    response = http.post(reverse("finance:report-create"), {"month": "2026-03", "format": "pdf"})
    assert response.status_code == 403
    assert ReportJob.objects.count() == 1


def test_anonymous_goes_to_login(client, finished_job):
    file = finished_job.files.first()
    for url in (
        reverse("finance:report-list"),
        reverse("finance:report-detail", kwargs={"job_id": finished_job.pk}),
        reverse("finance:report-download", kwargs={"file_id": file.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


def test_functional_admin_may_download(admin_user, login, finished_job):
    file = finished_job.files.first()
    url = reverse("finance:report-download", kwargs={"file_id": file.pk})
    assert login(admin_user).get(url).status_code == 200


def test_detail_page_query_count_does_not_grow_with_files(
    controller, login, finished_job, django_assert_max_num_queries
):
    http = login(controller)
    url = reverse("finance:report-detail", kwargs={"job_id": finished_job.pk})
    http.get(url)
    with django_assert_max_num_queries(14):
        assert http.get(url).status_code == 200


# --- API ---------------------------------------------------------------------------------


def test_api_request_status_and_download(
    controller, login, month_of_work, django_capture_on_commit_callbacks
):
    http = login(controller)
    with celery_in_process(), django_capture_on_commit_callbacks(execute=True):
        response = http.post(
            reverse("api:finance-report-create"), {"month": "2026-03", "format": "xlsx"}
        )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    data = http.get(reverse("api:finance-report-detail", kwargs={"job_id": job_id})).json()
    assert (data["status"], data["total"], data["done"], data["percent"]) == ("klaar", 3, 3, 100)
    assert len(data["files"]) == 3
    download = http.get(data["files"][0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert download["Content-Disposition"].startswith("attachment;")


def test_api_bad_request_is_a_400_in_dutch(controller, login):
    response = login(controller).post(
        reverse("api:finance-report-create"), {"month": "maart", "format": "docx"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "month": ["Vul een maand in als JJJJ-MM."],
        "format": ["Kies pdf of xlsx."],
    }
    assert not ReportJob.objects.exists()


def test_api_history_upload_and_list(controller, login):
    http = login(controller)
    url = reverse("api:finance-history")
    response = http.post(url, {"file": SimpleUploadedFile("h.csv", REFERENCE.read_bytes())})
    assert response.status_code == 201, response.content
    body = response.json()
    # no teams of these names here: all 18 team rows are unknown, plus the 2019-09 total
    assert body["flagged_rows"] == 19
    listing = http.get(url).json()
    assert listing[0]["id"] == body["id"] and len(listing[0]["rows"]) == 24


def test_api_history_refuses_a_malformed_file(controller, login):
    bad = b"month,team,clients,fte,revenue_eur,expenses_eur,result_excl_subsidy_eur,result_incl_subsidy_eur\n2020-01,A,x,1,1,1,0,0\n"
    response = login(controller).post(
        reverse("api:finance-history"), {"file": SimpleUploadedFile("h.csv", bad)}
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["Regel 2: cliënten 'x' is geen geheel getal."]}
    assert not HistoricalImport.objects.exists()


@pytest.mark.parametrize("who", ["member", "stuurgroep_user"])
def test_api_denies_other_roles(request, who, login, finished_job):
    http = login(request.getfixturevalue(who))
    assert (
        http.post(
            reverse("api:finance-report-create"), {"month": "2026-03", "format": "pdf"}
        ).status_code
        == 403
    )
    assert (
        http.get(
            reverse("api:finance-report-detail", kwargs={"job_id": finished_job.pk})
        ).status_code
        == 403
    )
    file = finished_job.files.first()
    assert (
        http.get(reverse("api:finance-report-file", kwargs={"file_id": file.pk})).status_code == 403
    )
    assert http.get(reverse("api:finance-history")).status_code == 403
    assert ReportJob.objects.count() == 1
