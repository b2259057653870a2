"""iWmo 3.2: every message the product writes is valid against the official schema; received
messages are schema-checked, may carry several products and omit optional elements; only the
sending municipality's consultant may import; nothing is stored on any refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from lxml import etree

from tests.factories.wmo import MunicipalProductFactory
from wmo import iwmo, services
from wmo.constants import DecisionKind, DecisionSource, RequestStatus, StopReason
from wmo.models import Decision, Indication, IndicationRequest, IwmoMessage

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
B = iwmo.NS_BASIS


@pytest.fixture
def submitted(member, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    return services.request_submit(actor=member, request=request, now=NOW)


def _product(
    *,
    toewijzing="4711",
    ref=None,
    cat="02",
    code="02B01",
    start="2026-03-09",
    end="2026-05-08",
    omvang=("2", "04", "2"),
) -> str:
    """One ToegewezenProduct; None leaves an optional element out."""
    parts = [f"<ToewijzingNummer>{toewijzing}</ToewijzingNummer>"]
    if ref is not None:
        parts.append(f"<ReferentieAanbieder>{ref}</ReferentieAanbieder>")
    if cat is not None:
        code_xml = f"<ib:Code>{code}</ib:Code>" if code is not None else ""
        parts.append(f"<Product><ib:Categorie>{cat}</ib:Categorie>{code_xml}</Product>")
    parts.append("<Toewijzingsdatum>2026-03-05</Toewijzingsdatum>")
    parts.append("<Toewijzingstijd>09:30:00</Toewijzingstijd>")
    parts.append(f"<Ingangsdatum>{start}</Ingangsdatum>")
    if end is not None:
        parts.append(f"<Einddatum>{end}</Einddatum>")
    if omvang is not None:
        volume, unit, freq = omvang
        parts.append(
            f"<Omvang><ib:Volume>{volume}</ib:Volume><ib:Eenheid>{unit}</ib:Eenheid>"
            f"<ib:Frequentie>{freq}</ib:Frequentie></Omvang>"
        )
    return "<ToegewezenProduct>" + "".join(parts) + "</ToegewezenProduct>"


def _wmo301(request, *products: str, sender=None, bsn=None, code="414") -> bytes:
    """A WMO301 as a municipality's system sends it: only the required client elements."""
    products = products or (_product(ref=request.reference),)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="{iwmo.NS_301}" xmlns:ib="{B}">
  <Header><BerichtCode>{code}</BerichtCode><BerichtVersie>3</BerichtVersie>
    <BerichtSubversie>2</BerichtSubversie>
    <Afzender>{sender or request.municipality.cbs_code}</Afzender>
    <Ontvanger>12345678</Ontvanger>
    <BerichtIdentificatie><ib:Identificatie>GM-0000042</ib:Identificatie>
      <ib:Dagtekening>2026-03-05</ib:Dagtekening></BerichtIdentificatie>
    <XsdVersie><ib:BasisschemaXsdVersie>1.0.0</ib:BasisschemaXsdVersie>
      <ib:BerichtXsdVersie>1.0.0</ib:BerichtXsdVersie></XsdVersie>
  </Header>
  <Client><Bsn>{bsn or request.client.bsn}</Bsn>
    <Geboortedatum><ib:Datum>1980-05-17</ib:Datum></Geboortedatum>
    <Geslacht>2</Geslacht>
    <Naam><ib:Geslachtsnaam><ib:Achternaam>Visser</ib:Achternaam></ib:Geslachtsnaam>
      <ib:NaamGebruik>1</ib:NaamGebruik></Naam>
    <Contactgegevens><Contact><Soort>01</Soort></Contact></Contactgegevens>
    <ToegewezenProducten>{"".join(products)}</ToegewezenProducten>
  </Client>
</Bericht>""".encode()


def _valid(xml: bytes, message: str):
    root = etree.fromstring(xml)
    assert iwmo.schema_errors(root, message) == []
    return root


def _t(root, path: str) -> str | None:
    return root.findtext(path.replace("m:", "{*}").replace("b:", f"{{{B}}}"))


# --- writing -----------------------------------------------------------------------------


def test_wmo315_is_schema_valid_with_header_verwijzer_and_agb(submitted, wmo_client):
    root = _valid(iwmo.export_wmo315(submitted), "WMO315")
    assert _t(root, "m:Header/m:BerichtCode") == "444"
    assert _t(root, "m:Header/m:Afzender") == "12345678"  # AGB code of GGZ Testregio
    assert _t(root, "m:Header/m:Ontvanger") == "9001"
    ident = _t(root, "m:Header/m:BerichtIdentificatie/b:Identificatie")
    assert ident == f"315{submitted.pk:09d}" and len(ident) == 12
    assert _t(root, "m:Header/m:BerichtIdentificatie/b:Dagtekening") == "2026-03-02"
    assert _t(root, "m:Header/m:XsdVersie/b:BerichtXsdVersie") == "1.0.0"
    assert _t(root, "m:Client/m:Bsn") == wmo_client.bsn
    product = "m:Client/m:AangevraagdeProducten/m:AangevraagdProduct/"
    assert _t(root, product + "m:ReferentieAanbieder") == submitted.reference
    assert _t(root, product + "m:Product/b:Code") == "02B01"
    assert [_t(root, product + f"m:Omvang/b:{f}") for f in ("Volume", "Eenheid", "Frequentie")] == [
        "3",
        "04",
        "2",
    ]
    assert _t(root, product + "m:Verwijzer/b:Type") == "06"  # no referral: no referrer


def test_wmo315_without_agb_code_is_a_dutch_error(submitted, org_ggz):
    org_ggz.agb_code = ""
    org_ggz.save()
    with pytest.raises(ValidationError) as exc:
        iwmo.export_wmo315(submitted)
    assert exc.value.messages == [
        "Geen AGB-code bekend voor de aanbieder van dit team; leg de AGB-code van de "
        "moederorganisatie vast."
    ]


def test_wmo301_export_of_an_app_decision_is_valid_and_round_trips(consultant, submitted):
    decision = services.request_decide(
        actor=consultant, request=submitted, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    )
    root = _valid(iwmo.export_wmo301(decision), "WMO301")
    granted = "m:Client/m:ToegewezenProducten/m:ToegewezenProduct/"
    assert _t(root, granted + "m:ToewijzingNummer") == str(
        int(decision.indication.toewijzing_number)
    )
    assert _t(root, "m:Client/m:Naam/b:NaamGebruik") == "1"
    assert _t(root, "m:Client/m:Contactgegevens/m:Contact/m:Soort") == "01"
    address = "m:Client/m:Contactgegevens/m:Contact/m:Adres/"
    assert _t(root, address + "b:Postcode") == "9401AA"
    assert _t(root, address + "b:Straatnaam") == "Kerkstraat"
    assert _t(root, address + "b:Huis/b:Huisnummer") == "12"
    assert _t(root, address + "b:Plaatsnaam") == "Assen"
    parsed = iwmo.parse_wmo301(iwmo.export_wmo301(decision))
    (p,) = parsed.products
    assert (p.reference, p.volume, p.start, p.end) == (
        submitted.reference,
        3,
        dt.date(2026, 3, 9),
        dt.date(2026, 9, 8),
    )
    # Reading the same message again changes nothing and creates nothing.
    assert iwmo.import_wmo301(actor=consultant, xml=iwmo.export_wmo301(decision), now=NOW) == [
        decision
    ]
    assert Indication.objects.count() == 1


def _granted(consultant, submitted):
    return services.request_decide(
        actor=consultant, request=submitted, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    ).indication


def test_wmo317_change_request_is_valid(consultant, submitted):
    indication = _granted(consultant, submitted)
    xml = iwmo.export_wmo317(
        indication=indication,
        reference="OLWIJZIGING01",
        start=dt.date(2026, 4, 1),
        volume=5,
        unit="04",
        frequency="2",
        day=dt.date(2026, 3, 20),
    )
    root = _valid(xml, "WMO317")
    changed = "m:Client/m:Verzoek/m:TeWijzigenProducten/m:TeWijzigenProduct/"
    assert _t(root, "m:Header/m:BerichtCode") == "480"
    assert _t(root, changed + "m:GewensteIngangsdatum") == "2026-04-01"
    assert _t(root, changed + "m:Omvang/b:Volume") == "5"


def test_wmo317_is_recorded_for_op_en_afschalen(member, consultant, submitted):
    indication = _granted(consultant, submitted)
    row = iwmo.wmo317_record(
        actor=member,
        indication=indication,
        start=dt.date(2026, 5, 1),
        volume=1,
        unit="04",
        frequency="2",
        today=dt.date(2026, 4, 20),
    )
    root = _valid(row.xml.encode(), "WMO317")
    assert _t(root, "m:Client/m:Verzoek/m:ReferentieAanbieder") == row.identification
    assert _t(root, "m:Client/m:Verzoek/m:RedenVerzoek") == "2"
    with pytest.raises(ValidationError):
        iwmo.wmo317_record(
            actor=member,
            indication=indication,
            start=dt.date(2026, 12, 1),  # after the toewijzing ends (8 September)
            volume=1,
            unit="04",
            frequency="2",
        )
    assert IwmoMessage.objects.filter(message="WMO317").count() == 1


def test_wmo305_and_wmo307_are_recorded_once_and_valid(member, consultant, submitted):
    indication = _granted(consultant, submitted)
    start = iwmo.wmo305_record(
        actor=member, indication=indication, start=dt.date(2026, 3, 10), today=dt.date(2026, 3, 10)
    )
    assert iwmo.wmo305_record(actor=member, indication=indication, start=dt.date(2026, 3, 11)) == (
        start
    )
    root = _valid(start.xml.encode(), "WMO305")
    assert _t(root, "m:Client/m:StartProducten/m:StartProduct/m:Begindatum") == "2026-03-10"
    assert start.identification == f"305{start.pk:09d}"

    stop = iwmo.wmo307_record(
        actor=member,
        indication=indication,
        end_date=dt.date(2026, 6, 30),
        reason="overlijden",
        today=dt.date(2026, 7, 1),
    )
    root = _valid(stop.xml.encode(), "WMO307")
    item = "m:Client/m:StopProducten/m:StopProduct/"
    assert [_t(root, item + f"m:{f}") for f in ("Begindatum", "RedenBeeindiging", "Einddatum")] == [
        "2026-03-10",
        "02",
        "2026-06-30",
    ]
    assert (stop.reason_code, stop.message, stop.indication_id) == ("02", "WMO307", indication.pk)
    assert IwmoMessage.objects.filter(message="WMO307").count() == 1


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("overleden", "02"),
        ("death", "02"),
        ("39", "39"),
        ("doelen_bereikt", "19"),
        ("overig", "19"),
        ("verhuisd", "31"),
        ("andere_aanbieder", "38"),
        ("wlz", "39"),
        ("zorg_geweigerd", "21"),
    ],
)
def test_stop_reason_codes(reason, code):
    assert iwmo.stop_reason_code(reason) == code
    assert code in StopReason.values


def test_wmo323_declaration_is_valid(municipality, wmo_client):
    line = iwmo.DeclarationLine(
        bsn=wmo_client.bsn,
        reference="R2026030001",
        toewijzing_number="26000001",
        category="02",
        product_code="02B01",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        volume=6,
        unit="04",
        tariff_cents=6850,
        amount_cents=41100,
    )
    xml = iwmo.export_wmo323(
        sender_agb="12345678",
        municipality=municipality,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 31),
        lines=[line],
        day=dt.date(2026, 4, 2),
        number=7,
    )
    root = _valid(xml, "WMO323")
    assert _t(root, "m:Declaratie/m:TotaalIngediendBedrag/b:TotaalBedrag") == "41100"
    assert _t(root, "m:Declaratie/m:DeclaratieNummer") == "323000000007"


# --- reading -----------------------------------------------------------------------------


def test_import_wmo301_creates_decision_and_indication(consultant, submitted):
    (decision,) = iwmo.import_wmo301(actor=consultant, xml=_wmo301(submitted), now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.TOEGEKEND
    assert (decision.kind, decision.source, decision.decided_by) == (
        DecisionKind.TEMPORARY,
        DecisionSource.IWMO,
        None,
    )
    i = decision.indication
    assert (i.toewijzing_number, i.volume, i.unit, i.frequency, i.start, i.end) == (
        "4711",
        2,
        "04",
        "2",
        dt.date(2026, 3, 9),
        dt.date(2026, 5, 8),
    )
    assert IwmoMessage.objects.get().identification == "GM-0000042"


def test_301_with_several_products_and_omitted_optionals_imports(
    consultant, member, submitted, day_product, wmo_client, goals
):
    second = services.request_submit(
        actor=member,
        request=services.request_create(
            actor=member,
            client=wmo_client,
            data={
                "product_code": "07D01",
                "volume": 4,
                "unit": "16",
                "frequency": "2",
                "start": dt.date(2026, 3, 9),
                "end": None,
                "result_areas": [2],
                "motivation": "Dagbesteding geeft Sanne structuur in de week.",
                "is_temporary": False,
                "goal_ids": [goals[0].pk],
                "zrm_scores": {},
            },
        ),
        now=NOW,
    )
    xml = _wmo301(
        submitted,
        # The municipality's own numbering; no Einddatum, no Omvang (optional).
        _product(toewijzing="900123456", ref=submitted.reference, end=None, omvang=None),
        _product(
            toewijzing="17",
            ref=second.reference,
            cat="07",
            code="07D01",
            end=None,
            omvang=("4", "16", "2"),
        ),
    )
    decisions = iwmo.import_wmo301(actor=consultant, xml=xml, now=NOW)
    assert [
        (d.indication.toewijzing_number, d.indication.volume, d.indication.unit) for d in decisions
    ] == [("900123456", 3, "04"), ("17", 4, "16")]
    # Without Omvang the first is granted as asked; the second matches what was asked.
    assert [d.kind for d in decisions] == [DecisionKind.GRANTED, DecisionKind.GRANTED]
    assert Indication.objects.count() == 2


def test_a_corrected_301_updates_the_indication(consultant, submitted):
    iwmo.import_wmo301(actor=consultant, xml=_wmo301(submitted), now=NOW)
    corrected = _product(ref=submitted.reference, end="2026-04-30")
    iwmo.import_wmo301(actor=consultant, xml=_wmo301(submitted, corrected), now=NOW)
    assert Indication.objects.get().end == dt.date(2026, 4, 30)
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("build", "start"),
    [
        # Schema errors: unit and frequency outside the code lists, a date in Dutch order,
        # an identification longer than 12, a non-numeric toewijzing, the wrong BerichtCode.
        (lambda r: _wmo301(r, _product(ref=r.reference, omvang=("2", "99", "2"))), "schema"),
        (lambda r: _wmo301(r, _product(ref=r.reference, omvang=("2", "04", "3"))), "schema"),
        (lambda r: _wmo301(r, _product(ref=r.reference, start="09-03-2026")), "schema"),
        (lambda r: _wmo301(r, _product(ref=r.reference, toewijzing="TW-1")), "schema"),
        (lambda r: _wmo301(r).replace(b"GM-0000042", b"GM-0000042-2026"), "schema"),
        (lambda r: _wmo301(r, code="999"), "schema"),
        (lambda r: _wmo301(r).replace(b"wmo301/schema", b"wmo999/schema"), "schema"),
        (
            lambda r: _wmo301(r, _product(ref=r.reference, code="XXXXX")),
            "Onbekende productcode XXXXX (categorie 02) voor gemeente Testgemeente.",
        ),
        (
            lambda r: _wmo301(r, _product(ref=r.reference, end="2026-03-01")),
            "De einddatum ligt vóór de ingangsdatum.",
        ),
        (
            lambda r: _wmo301(r, bsn="123456782"),
            "Het BSN in het bericht hoort niet bij deze cliënt.",
        ),
        (
            lambda r: _wmo301(r, _product(ref="ONBEKEND")),
            "Het bericht hoort niet bij deze aanvraag (ReferentieAanbieder ONBEKEND).",
        ),
    ],
)
def test_invalid_301_is_refused_and_changes_nothing(consultant, submitted, build, start):
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=consultant, xml=build(submitted), now=NOW)
    (text,) = exc.value.messages
    if start == "schema":
        assert text.startswith(
            "Het bericht voldoet niet aan het iWmo 3.2-schema van WMO301; er is niets "
            "opgeslagen. Fouten: regel "
        )
    else:
        assert text == start
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.INGEDIEND
    assert (Decision.objects.count(), Indication.objects.count()) == (0, 0)
    assert IwmoMessage.objects.count() == 0


def test_a_second_product_error_rolls_back_the_first(consultant, submitted):
    xml = _wmo301(
        submitted,
        _product(ref=submitted.reference),
        _product(toewijzing="4712", ref="ONBEKEND"),
    )
    with pytest.raises(ValidationError):
        iwmo.import_wmo301(actor=consultant, xml=xml, now=NOW)
    assert (Decision.objects.count(), Indication.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'.encode(
            "utf-16"
        ),
        '<!DOCTYPE Bericht SYSTEM "http://example.invalid/x.dtd"><Bericht/>'.encode("utf-16-le"),
    ],
)
def test_doctype_in_any_encoding_is_refused(consultant, submitted, xml):
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=consultant, xml=xml, now=NOW)
    assert exc.value.messages[0].startswith(
        ("Het bericht bevat een DOCTYPE of ENTITY", "Het bericht is geen geldige XML")
    )
    assert Decision.objects.count() == 0


def test_utf16_doctype_is_refused_as_doctype(consultant, submitted):
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=consultant, xml=xml.encode("utf-16"), now=NOW)
    assert exc.value.messages == [
        "Het bericht bevat een DOCTYPE of ENTITY; dat is niet toegestaan in een iWmo-bericht."
    ]


def test_team_member_cannot_import_and_nothing_is_stored(member, submitted):
    with pytest.raises(PermissionDenied):
        iwmo.import_wmo301(actor=member, xml=_wmo301(submitted), now=NOW)
    assert (Decision.objects.count(), Indication.objects.count()) == (0, 0)
    assert IwmoMessage.objects.count() == 0


def test_consultant_of_another_municipality_cannot_import(submitted, other_municipality):
    from tests.factories.olteams import MunicipalityRoleFactory, UserFactory

    other = MunicipalityRoleFactory(
        user=UserFactory(username="consulent-elders"), municipality=other_municipality
    ).user
    with pytest.raises(PermissionDenied):
        iwmo.import_wmo301(actor=other, xml=_wmo301(submitted), now=NOW)
    # Claiming to be the other municipality does not help: the request is not theirs.
    with pytest.raises(ValidationError):
        iwmo.import_wmo301(actor=other, xml=_wmo301(submitted, sender="9002"), now=NOW)
    assert Decision.objects.count() == 0


def _wmo319(request, answer: str, reason: str | None = None) -> bytes:
    reason_xml = f"<RedenAfwijzingVerzoek>{reason}</RedenAfwijzingVerzoek>" if reason else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="{iwmo.NAMESPACE["WMO319"]}" xmlns:ib="{B}">
  <Header><BerichtCode>482</BerichtCode><BerichtVersie>3</BerichtVersie>
    <BerichtSubversie>2</BerichtSubversie><Afzender>{request.municipality.cbs_code}</Afzender>
    <Ontvanger>12345678</Ontvanger>
    <BerichtIdentificatie><ib:Identificatie>A1</ib:Identificatie>
      <ib:Dagtekening>2026-03-04</ib:Dagtekening></BerichtIdentificatie>
    <XsdVersie><ib:BasisschemaXsdVersie>1.0.0</ib:BasisschemaXsdVersie>
      <ib:BerichtXsdVersie>1.0.0</ib:BerichtXsdVersie></XsdVersie>
  </Header>
  <Antwoord><ReferentieAanbieder>{request.reference}</ReferentieAanbieder>
    <VerzoekAntwoord>{answer}</VerzoekAntwoord>{reason_xml}</Antwoord>
</Bericht>""".encode()


def test_wmo319_in_onderzoek_and_rejection(consultant, member, submitted):
    with pytest.raises(PermissionDenied):
        iwmo.import_wmo319(actor=member, xml=_wmo319(submitted, "2"), now=NOW)
    decision = iwmo.import_wmo319(actor=consultant, xml=_wmo319(submitted, "2"), now=NOW)
    assert decision.kind == DecisionKind.IN_ONDERZOEK
    rejected = iwmo.import_wmo319(actor=consultant, xml=_wmo319(submitted, "1", "3"), now=NOW)
    assert (rejected.kind, rejected.reason) == (DecisionKind.REJECTED, "Geen contract")
    assert IndicationRequest.objects.get().status == RequestStatus.AFGEWEZEN


def test_validate_reports_the_message_and_its_errors(submitted):
    assert iwmo.validate(iwmo.export_wmo315(submitted)) == ("WMO315", [])
    name, errors = iwmo.validate(_wmo301(submitted, _product(ref="x", cat="99")))
    assert name == "WMO301"
    assert len(errors) == 1 and errors[0].startswith("regel ")


def test_unknown_product_code_of_the_municipality(consultant, submitted, municipality):
    MunicipalProductFactory(municipality=municipality, code="02B02", name="Begeleiding groep")
    xml = _wmo301(submitted, _product(ref=submitted.reference, code="02B02"))
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=consultant, xml=xml, now=NOW)
    assert exc.value.messages == [
        "Het toegewezen product verschilt van het gevraagde product; leg dit besluit vast in "
        "het systeem van de gemeente."
    ]


def test_wmo315_download_without_bsn_explains_instead_of_failing(login, member, submitted):
    """A client registered without a BSN: the download answers with a Dutch message on the
    request page, not a 500 (the crawl of the demo found this)."""
    client = submitted.client
    client.bsn = None
    client.save(update_fields=["bsn"])
    http = login(member)
    kwargs = {"client_id": client.pk, "pk": submitted.pk}
    response = http.get(reverse("wmo:request-xml", kwargs=kwargs), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wmo:request-detail", kwargs=kwargs)
    assert "Leg eerst het BSN van de cliënt vast." in response.content.decode()
