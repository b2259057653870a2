from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError

from wmo import iwmo, services
from wmo.constants import DecisionKind, DecisionSource, RequestStatus
from wmo.models import Decision, Indication

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
NS = {"m": iwmo.NS_301, "r": iwmo.NS_315, "b": iwmo.NS_BASIS}


@pytest.fixture
def submitted(member, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    return services.request_submit(actor=member, request=request, now=NOW)


def _wmo301(request, **change) -> bytes:
    """A WMO301 as a municipality's system would send it for this request."""
    values = {
        "sender": request.municipality.cbs_code,
        "bsn": request.client.bsn,
        "beschikking": "GEM-2026-0042",
        "toewijzing": "77000001",
        "ref": request.reference,
        "cat": "02",
        "code": request.product.code,
        "start": "2026-03-09",
        "end": "2026-05-08",
        "volume": "2",
        "unit": "04",
        "freq": "2",
        "code_bericht": "414",
    } | change
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="{iwmo.NS_301}" xmlns:ibas="{iwmo.NS_BASIS}">
  <Header><BerichtCode>{values["code_bericht"]}</BerichtCode><BerichtVersie>3</BerichtVersie>
    <BerichtSubversie>2</BerichtSubversie><Afzender>{values["sender"]}</Afzender>
    <Ontvanger>12345678</Ontvanger>
    <BerichtIdentificatie><Identificatie>X1</Identificatie><Dagtekening>2026-03-05</Dagtekening>
    </BerichtIdentificatie></Header>
  <Client><Bsn>{values["bsn"]}</Bsn>
    <Beschikking><BeschikkingNummer>{values["beschikking"]}</BeschikkingNummer>
      <Afgiftedatum>2026-03-05</Afgiftedatum></Beschikking>
    <ToegewezenProduct><ToewijzingNummer>{values["toewijzing"]}</ToewijzingNummer>
      <ReferentieAanbieder>{values["ref"]}</ReferentieAanbieder>
      <Product><ibas:Categorie>{values["cat"]}</ibas:Categorie><ibas:Code>{values["code"]}</ibas:Code></Product>
      <Toewijzingsdatum>2026-03-05</Toewijzingsdatum><Ingangsdatum>{values["start"]}</Ingangsdatum>
      <Einddatum>{values["end"]}</Einddatum>
      <Omvang><ibas:Volume>{values["volume"]}</ibas:Volume><ibas:Eenheid>{values["unit"]}</ibas:Eenheid>
        <ibas:Frequentie>{values["freq"]}</ibas:Frequentie></Omvang>
    </ToegewezenProduct></Client>
</Bericht>""".encode()


def test_wmo315_export_has_header_client_and_product(submitted, wmo_client):
    root = ET.fromstring(iwmo.export_wmo315(submitted))  # noqa: S314 (our own output)
    assert root.tag == f"{{{iwmo.NS_315}}}Bericht"
    assert root.findtext("r:Header/r:BerichtCode", namespaces=NS) == "444"
    assert root.findtext("r:Header/r:BerichtVersie", namespaces=NS) == "3"
    assert root.findtext("r:Header/r:BerichtSubversie", namespaces=NS) == "2"
    assert root.findtext("r:Header/r:Ontvanger", namespaces=NS) == "9001"
    assert root.findtext("r:Client/r:Bsn", namespaces=NS) == wmo_client.bsn
    assert root.findtext("r:Client/r:Geboortedatum/b:Datum", namespaces=NS) == "1980-05-17"
    assert root.findtext("r:Client/r:Geslacht", namespaces=NS) == "2"
    assert root.findtext("r:Client/r:Naam/b:Geslachtsnaam/b:Achternaam", namespaces=NS) == "Visser"
    product = "r:Client/r:AangevraagdProduct/"
    assert root.findtext(product + "r:ReferentieAanbieder", namespaces=NS) == submitted.reference
    assert root.findtext(product + "r:Product/b:Categorie", namespaces=NS) == "02"
    assert root.findtext(product + "r:Product/b:Code", namespaces=NS) == "02B01"
    assert root.findtext(product + "r:ToewijzingIngangsdatum", namespaces=NS) == "2026-03-09"
    assert root.findtext(product + "r:ToewijzingEinddatum", namespaces=NS) == "2026-09-08"
    assert [
        root.findtext(product + f"r:Omvang/b:{f}", namespaces=NS)
        for f in ("Volume", "Eenheid", "Frequentie")
    ] == ["3", "04", "2"]


def test_import_wmo301_creates_decision_and_indication_and_round_trips(member, submitted):
    message = _wmo301(submitted)
    decision = iwmo.import_wmo301(actor=member, xml=message, now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.TOEGEKEND
    assert (decision.kind, decision.source) == (DecisionKind.TEMPORARY, DecisionSource.IWMO)
    assert decision.beschikking_number == "GEM-2026-0042"
    i = decision.indication
    assert (i.toewijzing_number, i.volume, i.unit, i.frequency, i.start, i.end) == (
        "77000001",
        2,
        "04",
        "2",
        dt.date(2026, 3, 9),
        dt.date(2026, 5, 8),
    )
    # Export what was imported and read it again: the same message content.
    exported = iwmo.export_wmo301(decision)
    assert iwmo.parse_wmo301(exported) == iwmo.parse_wmo301(message)


def test_export_then_import_of_an_app_decision_round_trips(member, consultant, submitted):
    decision = services.request_decide(
        actor=consultant, request=submitted, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    )
    message = iwmo.export_wmo301(decision)
    parsed = iwmo.parse_wmo301(message)
    assert (parsed.toewijzing_number, parsed.volume, parsed.start, parsed.end) == (
        decision.indication.toewijzing_number,
        3,
        dt.date(2026, 3, 9),
        dt.date(2026, 9, 8),
    )
    # Reading the same message again updates nothing and creates nothing.
    assert iwmo.import_wmo301(actor=member, xml=message, now=NOW) == decision
    assert Indication.objects.count() == 1


def test_import_of_a_corrected_301_updates_the_indication(member, submitted):
    iwmo.import_wmo301(actor=member, xml=_wmo301(submitted), now=NOW)
    iwmo.import_wmo301(actor=member, xml=_wmo301(submitted, end="2026-04-30"), now=NOW)
    assert Indication.objects.get().end == dt.date(2026, 4, 30)
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "99"}, "Onbekende eenheid 99 (iWmo-codelijst)."),
        ({"freq": "3"}, "Onbekende frequentie 3 (iWmo-codelijst)."),
        (
            {"code": "XXXXX"},
            "Onbekende productcode XXXXX (categorie 02) voor gemeente Testgemeente.",
        ),
        ({"volume": "0"}, "De omvang moet een geheel getal groter dan 0 zijn."),
        ({"start": "09-03-2026"}, "Ingangsdatum is geen datum (JJJJ-MM-DD): 09-03-2026."),
        ({"end": "2026-03-01"}, "De einddatum ligt vóór de ingangsdatum."),
        ({"sender": "0106"}, "Het bericht komt niet van de gemeente van de aanvraag."),
        ({"bsn": "123456782"}, "Het BSN in het bericht hoort niet bij deze cliënt."),
        (
            {"ref": "ONBEKEND"},
            "Het bericht hoort niet bij deze aanvraag (ReferentieAanbieder ONBEKEND).",
        ),
        (
            {"code_bericht": "999"},
            "Het bericht is geen WMO301 versie 3.2 (BerichtCode 999, versie 3.2).",
        ),
    ],
)
def test_invalid_301_is_refused_and_changes_nothing(member, submitted, change, message):
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=member, xml=_wmo301(submitted, **change), now=NOW)
    assert exc.value.messages == [message]
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.INGEDIEND
    assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<Bericht><niet-gesloten>", "Het bericht is geen geldige XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "Het bericht bevat een DOCTYPE of ENTITY",
        ),
        (b"<Bericht xmlns='urn:iets-anders'/>", "Dit is geen iWmo 3.2 WMO301-bericht"),
    ],
)
def test_unsafe_or_foreign_xml_is_refused(member, submitted, xml, message):
    with pytest.raises(ValidationError) as exc:
        iwmo.import_wmo301(actor=member, xml=xml, now=NOW)
    assert exc.value.messages[0].startswith(message)
    assert Decision.objects.count() == 0


def test_outsider_cannot_import(outsider, submitted):
    with pytest.raises(ValidationError):
        iwmo.import_wmo301(actor=outsider, xml=_wmo301(submitted), now=NOW)
    assert Decision.objects.count() == 0
