"""Historical accounts import: stored exactly as given, every row that does not add up flagged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.models import HistoricalAccount, HistoricalImport
from finance.services.history import history_import
from tests.factories.olteams import TeamFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "data" / "integrated_accounts_2019_2020.csv"
HEADER = (
    "month,team,clients,fte,revenue_eur,expenses_eur,result_excl_subsidy_eur,"
    "result_incl_subsidy_eur\n"
)


@pytest.fixture
def reference_teams(db):
    return [TeamFactory(name=name) for name in ("De Wolden/Hoogeveen", "Assen", "Emmen")]


def _codes(source: HistoricalImport) -> dict[tuple[str, str], list[str]]:
    return {
        (f"{row.month:%Y-%m}", row.team_name): [f["code"] for f in row.flags]
        for row in source.rows.all()
        if row.flags
    }


def test_reference_file_is_stored_as_given_and_exactly_the_broken_rows_are_flagged(
    controller, reference_teams
):
    source = history_import(
        actor=controller, filename=REFERENCE.name, content=REFERENCE.read_bytes()
    )
    assert source.rows.count() == 24
    # Worked out by hand from the file:
    # 2019-09 De Wolden/Hoogeveen: 109712 - 121747 = -12035, printed -11762 (273 off).
    # 2019-09 Totaal: expenses 121747 + 61884 + 68731 = 252362, printed 128594; and its
    #   printed result -32321 is not 219769 - 128594 = 91175.
    # 2019-09 Emmen: 44587 - 68731 = -24144, printed -24145: within the one-euro rounding.
    # Every other month adds up (team results within 1 euro, totals equal the sums).
    assert _codes(source) == {
        ("2019-09", "De Wolden/Hoogeveen"): ["resultaat"],
        ("2019-09", "Totaal"): ["resultaat", "totaal_expenses"],
    }
    total = source.rows.get(month=dt.date(2019, 9, 1), team_name="Totaal")
    assert total.is_total and total.team is None
    assert total.expenses == Decimal("128594")  # not corrected
    assert total.result_excl_subsidy == Decimal("-32321")
    assert total.line_number == 5
    assert "Totaal kosten (€ 128.594,00) is niet de som van de teams (€ 252.362,00)." in [
        f["message"] for f in total.flags
    ]
    emmen = source.rows.get(month=dt.date(2019, 9, 1), team_name="Emmen")
    assert emmen.flags == [] and emmen.result_excl_subsidy == Decimal("-24145")
    assert emmen.team == reference_teams[2]
    assert emmen.fte == Decimal("9.1") and emmen.clients == 79


def test_unknown_team_is_flagged_but_stored(controller):
    text = (
        HEADER + "2020-01,Assen,10,1.5,1000,900,100,100\n2020-01,Totaal,10,1.5,1000,900,100,100\n"
    )
    source = history_import(actor=controller, filename="a.csv", content=text.encode())
    assert _codes(source) == {("2020-01", "Assen"): ["onbekend_team"]}
    assert source.rows.get(team_name="Assen").team is None


def test_total_tolerances(controller, reference_teams):
    # fte 0.1 off and 1 euro off are rounding; 1 client off or 0.11 fte off is not.
    rows = [
        "2020-01,Assen,10,1.25,1000,900,100,100",
        "2020-01,Emmen,5,1.00,500,400,100,100",
        "2020-01,Totaal,15,2.35,1501,1299,201,199",
        "2020-02,Assen,10,1.25,1000,900,100,100",
        "2020-02,Emmen,5,1.00,500,400,100,100",
        "2020-02,Totaal,16,2.36,1502,1300,200,200",
    ]
    source = history_import(
        actor=controller, filename="t.csv", content=(HEADER + "\n".join(rows)).encode()
    )
    assert _codes(source) == {
        ("2020-02", "Totaal"): ["resultaat", "totaal_clients", "totaal_fte", "totaal_revenue"],
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2020-13,Assen,1,1,1,1,0,0", "Regel 3: maand '2020-13' is geen maand in de vorm JJJJ-MM."),
        (
            "jan 2020,Assen,1,1,1,1,0,0",
            "Regel 3: maand 'jan 2020' is geen maand in de vorm JJJJ-MM.",
        ),
        ("2020-02,Assen,veel,1,1,1,0,0", "Regel 3: cliënten 'veel' is geen geheel getal."),
        ("2020-02,Assen,1,1,€ 5,1,0,0", "Regel 3: opbrengsten '€ 5' is geen getal."),
        (
            "2020-02,Assen,1,1,1.234,1,0,0",
            "Regel 3: opbrengsten '1.234' heeft meer dan 2 decimalen.",
        ),
        ("2020-02,Assen,1,1,1,1,0", "Regel 3: 7 kolommen in plaats van 8."),
        ("2020-01,assen,1,1,1,1,0,0", "Regel 3: assen in 2020-01 staat ook op regel 2."),
        ("2020-02,,1,1,1,1,0,0", "Regel 3: team ontbreekt."),
    ],
)
def test_malformed_file_is_refused_whole_with_line_numbers(controller, line, message):
    text = HEADER + "2020-01,Assen,1,1,1,1,0,0\n" + line + "\n"
    with pytest.raises(ValidationError) as exc:
        history_import(actor=controller, filename="x.csv", content=text.encode())
    assert exc.value.messages == [message]
    assert HistoricalImport.objects.count() == 0
    assert HistoricalAccount.objects.count() == 0


def test_wrong_header_and_empty_file(controller):
    with pytest.raises(ValidationError) as exc:
        history_import(actor=controller, filename="x.csv", content=b"maand,team\n2020-01,A\n")
    assert exc.value.messages[0].startswith("Regel 1: de kolommen moeten zijn")
    with pytest.raises(ValidationError) as exc:
        history_import(actor=controller, filename="x.csv", content=HEADER.encode())
    assert exc.value.messages == ["Het bestand bevat geen regels."]


def test_a_binary_file_is_refused_in_dutch(controller):
    with pytest.raises(ValidationError) as exc:
        history_import(actor=controller, filename="x.csv", content=b"\x00\x81\x8d\xff")
    assert exc.value.messages == ["Het bestand is geen tekstbestand (CSV in UTF-8)."]


def test_only_controllers_and_functional_admins_import(member, stuurgroep_user, admin_user):
    for user in (member, stuurgroep_user):
        with pytest.raises(PermissionDenied):
            history_import(actor=user, filename="a.csv", content=REFERENCE.read_bytes())
    assert history_import(actor=admin_user, filename="a.csv", content=REFERENCE.read_bytes())


def test_history_pages(controller, reference_teams, login, django_assert_max_num_queries):
    http = login(controller)
    assert http.get(reverse("finance:history-import")).status_code == 200
    upload = SimpleUploadedFile("historie.csv", REFERENCE.read_bytes(), content_type="text/csv")
    response = http.post(reverse("finance:history-import"), {"file": upload})
    assert response.status_code == 302
    # 13: the session is read from PostgreSQL now (no Redis cache copy; issue 14).
    with django_assert_max_num_queries(13):
        page = http.get(response["Location"])
    html = page.content.decode()
    assert "24 regels bewaard zoals in het bestand" in html
    assert "22 kloppen, 2 regels met bevindingen (3 bevindingen)" in html
    assert "Totaal kosten (€ 128.594,00) is niet de som van de teams (€ 252.362,00)." in html


def test_history_page_refuses_a_bad_file_in_dutch(controller, login):
    http = login(controller)
    bad = (HEADER + "2020-01,Assen,1,1,x,1,0,0\n").encode()
    response = http.post(
        reverse("finance:history-import"),
        {"file": SimpleUploadedFile("h.csv", bad, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "Regel 2: opbrengsten &#x27;x&#x27; is geen getal." in response.content.decode()
    assert HistoricalImport.objects.count() == 0
    response = http.post(
        reverse("finance:history-import"),
        {"file": SimpleUploadedFile("h.pdf", b"%PDF", content_type="application/pdf")},
    )
    assert response.status_code == 400 and "Kies een CSV-bestand." in response.content.decode()


@pytest.mark.parametrize("who", ["member", "stuurgroep_user", "lead"])
def test_history_pages_denied_to_other_roles(request, who, login, controller):
    source = history_import(actor=controller, filename="a.csv", content=REFERENCE.read_bytes())
    http = login(request.getfixturevalue(who))
    assert http.get(reverse("finance:history-import")).status_code == 403
    detail = reverse("finance:history-detail", kwargs={"import_id": source.pk})
    assert http.get(detail).status_code == 403


def test_history_pages_send_anonymous_to_login(client):
    response = client.get(reverse("finance:history-import"))
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")
