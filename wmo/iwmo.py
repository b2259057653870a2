"""iWmo 3.2 messages: a request out as WMO315, a decision out as WMO301, a WMO301 in.

Transport (GGk/VECOZO) is out of scope: these functions produce and read the message XML so
a municipality's system can take over. Parsing is hardened: a document with a DOCTYPE (and so
any entity declaration) is refused before the parser sees it, and the standard library's
ElementTree never fetches external resources.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams.access import ClientAction, clients_visible_to, municipality_ids_for
from olteams.models import Membership, User
from wmo.constants import DecisionKind, DecisionSource, Frequency, RequestStatus, Unit
from wmo.models import Decision, Indication, IndicationRequest, MunicipalProduct
from wmo.services.decisions import TEMPORARY_DEFAULTS, decision_record
from wmo.services.rules import temporary_end

NS_BASIS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
NS_315 = "http://www.istandaarden.nl/iwmo/3_2/wmo315/schema"
NS_301 = "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema"
# BerichtCode per message (Vektis code list COD002: WMO301 = 414, WMO315 = 444).
BERICHT_CODE = {"wmo301": "414", "wmo315": "444"}
BERICHT_VERSIE, BERICHT_SUBVERSIE = "3", "2"
# Gender: iWmo COD046 (0 unknown, 1 male, 2 female) ↔ clients.Gender.
GESLACHT = {"M": "1", "V": "2", "X": "0", "": "0"}
MAX_MESSAGE_BYTES = 1_000_000

ET.register_namespace("ibas", NS_BASIS)


def _sub(parent: ET.Element, ns: str, tag: str, text: Any = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text.isoformat() if isinstance(text, dt.date) else str(text)
    return element


def _header(
    root: ET.Element,
    ns: str,
    code: str,
    sender: str,
    receiver: str,
    identification: str,
    day: dt.date,
) -> None:
    header = _sub(root, ns, "Header")
    _sub(header, ns, "BerichtCode", code)
    _sub(header, ns, "BerichtVersie", BERICHT_VERSIE)
    _sub(header, ns, "BerichtSubversie", BERICHT_SUBVERSIE)
    _sub(header, ns, "Afzender", sender)
    _sub(header, ns, "Ontvanger", receiver)
    ident = _sub(header, ns, "BerichtIdentificatie")
    _sub(ident, ns, "Identificatie", identification)
    _sub(ident, ns, "Dagtekening", day)


def _client(root: ET.Element, ns: str, client: Any) -> ET.Element:
    block = _sub(root, ns, "Client")
    _sub(block, ns, "Bsn", client.bsn or "")
    birth = _sub(block, ns, "Geboortedatum")
    _sub(birth, NS_BASIS, "Datum", client.date_of_birth or "")
    _sub(block, ns, "Geslacht", GESLACHT.get(client.gender or "", "0"))
    name = _sub(block, ns, "Naam")
    surname = _sub(name, NS_BASIS, "Geslachtsnaam")
    _sub(surname, NS_BASIS, "Achternaam", client.last_name)
    if client.name_prefix:
        _sub(surname, NS_BASIS, "Voorvoegsel", client.name_prefix)
    _sub(name, NS_BASIS, "Voorletters", (client.initials or client.first_name[:1]).replace(".", ""))
    return block


def _product_block(parent: ET.Element, ns: str, product: MunicipalProduct) -> None:
    block = _sub(parent, ns, "Product")
    _sub(block, NS_BASIS, "Categorie", product.category_id)
    _sub(block, NS_BASIS, "Code", product.code)


def _omvang(parent: ET.Element, ns: str, volume: int, unit: str, frequency: str) -> None:
    omvang = _sub(parent, ns, "Omvang")
    _sub(omvang, NS_BASIS, "Volume", volume)
    _sub(omvang, NS_BASIS, "Eenheid", unit)
    _sub(omvang, NS_BASIS, "Frequentie", frequency)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _provider_code(request: IndicationRequest) -> str:
    """The provider's AGB code: the requesting worker's organisation in the team."""
    membership = (
        Membership.objects.filter(user_id=request.requested_by_id, team_id=request.team_id)
        .exclude(organisation__agb_code="")
        .select_related("organisation")
        .first()
    )
    return membership.organisation.agb_code if membership else request.team.slug[:8]


def export_wmo315(request: IndicationRequest) -> bytes:
    """The submitted request as a WMO315 'verzoek om toewijzing'."""
    if request.submitted_on is None:
        raise ValidationError(_("Een concept kan nog niet als WMO315 worden uitgevoerd."))
    root = ET.Element(f"{{{NS_315}}}Bericht")
    _header(
        root,
        NS_315,
        BERICHT_CODE["wmo315"],
        _provider_code(request),
        request.municipality.cbs_code,
        request.reference,
        request.submitted_on,
    )
    client = _client(root, NS_315, request.client)
    asked = _sub(client, NS_315, "AangevraagdProduct")
    _sub(asked, NS_315, "ReferentieAanbieder", request.reference)
    _product_block(asked, NS_315, request.product)
    _sub(asked, NS_315, "ToewijzingIngangsdatum", request.start)
    if request.end:
        _sub(asked, NS_315, "ToewijzingEinddatum", request.end)
    _omvang(asked, NS_315, request.volume, request.unit, request.frequency)
    referrer = _sub(asked, NS_315, "Verwijzer")
    _sub(referrer, NS_BASIS, "Naam", request.team.name)
    return _serialise(root)


def export_wmo301(decision: Decision) -> bytes:
    """A granting decision as a WMO301 'toewijzing'."""
    indication = getattr(decision, "indication", None)
    if indication is None:
        raise ValidationError(_("Alleen een toekenning kan als WMO301 worden uitgevoerd."))
    request = decision.request
    root = ET.Element(f"{{{NS_301}}}Bericht")
    _header(
        root,
        NS_301,
        BERICHT_CODE["wmo301"],
        decision.municipality.cbs_code,
        _provider_code(request),
        decision.beschikking_number,
        decision.decided_on,
    )
    client = _client(root, NS_301, request.client)
    beschikking = _sub(client, NS_301, "Beschikking")
    _sub(beschikking, NS_301, "BeschikkingNummer", decision.beschikking_number)
    _sub(beschikking, NS_301, "Afgiftedatum", decision.decided_on)
    granted = _sub(client, NS_301, "ToegewezenProduct")
    _sub(granted, NS_301, "ToewijzingNummer", indication.toewijzing_number)
    _sub(granted, NS_301, "ReferentieAanbieder", request.reference)
    _product_block(granted, NS_301, indication.product)
    _sub(granted, NS_301, "Toewijzingsdatum", indication.toewijzing_date)
    _sub(granted, NS_301, "Ingangsdatum", indication.start)
    if indication.end:
        _sub(granted, NS_301, "Einddatum", indication.end)
    _omvang(granted, NS_301, indication.volume, indication.unit, indication.frequency)
    if decision.reason:
        _sub(granted, NS_301, "RedenWijziging", decision.reason[:200])
    return _serialise(root)


# --- import -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wmo301:
    sender: str
    bsn: str
    beschikking_number: str
    decided_on: dt.date
    toewijzing_number: str
    reference: str
    category: str
    product_code: str
    toewijzing_date: dt.date
    start: dt.date
    end: dt.date | None
    volume: int
    unit: str
    frequency: str
    reason: str


def _parse(xml: bytes) -> ET.Element:
    if len(xml) > MAX_MESSAGE_BYTES:
        raise ValidationError(_("Het bericht is te groot."))
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", xml, flags=re.IGNORECASE):
        raise ValidationError(
            _(
                "Het bericht bevat een DOCTYPE of ENTITY; dat is niet "
                "toegestaan in een iWmo-bericht."
            )
        )
    try:
        return ET.fromstring(xml)  # noqa: S314 (guarded above)
    except ET.ParseError as exc:
        raise ValidationError(
            _("Het bericht is geen geldige XML: %(error)s.") % {"error": exc}
        ) from exc


class _Reader:
    """Finds required and optional texts; every miss is a Dutch error with the path."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root

    def text(self, path: str, *, required: bool = True) -> str:
        element = self.root.find(path, {"m": NS_301, "b": NS_BASIS})
        value = (element.text or "").strip() if element is not None else ""
        if required and not value:
            name = path.split(":")[-1]
            raise ValidationError(
                _("Het veld %(name)s ontbreekt in het WMO301-bericht.") % {"name": name}
            )
        return value

    def date(self, path: str, *, required: bool = True) -> dt.date | None:
        value = self.text(path, required=required)
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("%(name)s is geen datum (JJJJ-MM-DD): %(value)s.")
                % {"name": path.split(":")[-1], "value": value}
            ) from None


def parse_wmo301(xml: bytes) -> Wmo301:
    """Read and check a WMO301 message; raises ValidationError with a Dutch message."""
    root = _parse(xml)
    if root.tag != f"{{{NS_301}}}Bericht":
        raise ValidationError(
            _("Dit is geen iWmo 3.2 WMO301-bericht (onbekende namespace of hoofdelement).")
        )
    r = _Reader(root)
    header = (
        r.text("m:Header/m:BerichtCode"),
        r.text("m:Header/m:BerichtVersie"),
        r.text("m:Header/m:BerichtSubversie"),
    )
    if header != (BERICHT_CODE["wmo301"], BERICHT_VERSIE, BERICHT_SUBVERSIE):
        raise ValidationError(
            _("Het bericht is geen WMO301 versie 3.2 (BerichtCode %(c)s, versie %(v)s.%(s)s).")
            % dict(zip("cvs", header, strict=True))
        )
    granted = "m:Client/m:ToegewezenProduct/"
    volume = r.text(granted + "m:Omvang/b:Volume")
    if not volume.isdigit() or int(volume) <= 0:
        raise ValidationError(_("De omvang moet een geheel getal groter dan 0 zijn."))
    message = Wmo301(
        sender=r.text("m:Header/m:Afzender"),
        bsn=r.text("m:Client/m:Bsn"),
        beschikking_number=r.text("m:Client/m:Beschikking/m:BeschikkingNummer", required=False),
        decided_on=r.date("m:Client/m:Beschikking/m:Afgiftedatum", required=False)
        or r.date("m:Header/m:BerichtIdentificatie/m:Dagtekening"),  # type: ignore[arg-type]
        toewijzing_number=r.text(granted + "m:ToewijzingNummer"),
        reference=r.text(granted + "m:ReferentieAanbieder"),
        category=r.text(granted + "m:Product/b:Categorie"),
        product_code=r.text(granted + "m:Product/b:Code"),
        toewijzing_date=r.date(granted + "m:Toewijzingsdatum"),  # type: ignore[arg-type]
        start=r.date(granted + "m:Ingangsdatum"),  # type: ignore[arg-type]
        end=r.date(granted + "m:Einddatum", required=False),
        volume=int(volume),
        unit=r.text(granted + "m:Omvang/b:Eenheid"),
        frequency=r.text(granted + "m:Omvang/b:Frequentie"),
        reason=r.text(granted + "m:RedenWijziging", required=False),
    )
    if message.unit not in Unit.values:
        raise ValidationError(
            _("Onbekende eenheid %(code)s (iWmo-codelijst).") % {"code": message.unit}
        )
    if message.frequency not in Frequency.values:
        raise ValidationError(
            _("Onbekende frequentie %(code)s (iWmo-codelijst).") % {"code": message.frequency}
        )
    if message.end is not None and message.end < message.start:
        raise ValidationError(_("De einddatum ligt vóór de ingangsdatum."))
    return message


def _kind_for(request: IndicationRequest, m: Wmo301, product: MunicipalProduct) -> str:
    asked = (
        request.product_id,
        request.volume,
        request.unit,
        request.frequency,
        request.start,
        request.end,
    )
    if asked == (product.pk, m.volume, m.unit, m.frequency, m.start, m.end):
        return DecisionKind.GRANTED
    covenant = (
        TEMPORARY_DEFAULTS["volume"],
        TEMPORARY_DEFAULTS["unit"],
        TEMPORARY_DEFAULTS["frequency"],
    )
    if (m.volume, m.unit, m.frequency) == covenant and m.end and m.end <= temporary_end(m.start):
        return DecisionKind.TEMPORARY
    return DecisionKind.GRANTED_CHANGED


def _may_import(actor: User, request: IndicationRequest) -> bool:
    care = clients_visible_to(actor, action=ClientAction.CHANGE).filter(pk=request.client_id)
    return care.exists() or request.municipality_id in municipality_ids_for(actor)


@transaction.atomic
def import_wmo301(
    *,
    actor: User,
    xml: bytes,
    expected_request: IndicationRequest | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Create (or update) the decision and indication a municipality's WMO301 carries.
    Every check happens before anything is written; any error changes nothing."""
    now = now or timezone.now()
    m = parse_wmo301(xml)
    request = (
        IndicationRequest.objects.select_for_update(of=("self",))
        .select_related("municipality", "client")
        .filter(reference=m.reference)
        .first()
    )
    if (
        request is None
        or not _may_import(actor, request)
        or (expected_request is not None and expected_request.pk != request.pk)
    ):
        raise ValidationError(
            _("Het bericht hoort niet bij deze aanvraag (ReferentieAanbieder %(ref)s).")
            % {"ref": m.reference}
        )
    if m.sender != request.municipality.cbs_code:
        raise ValidationError(_("Het bericht komt niet van de gemeente van de aanvraag."))
    if (request.client.bsn or "") != m.bsn:
        raise ValidationError(_("Het BSN in het bericht hoort niet bij deze cliënt."))
    product = MunicipalProduct.objects.filter(
        municipality_id=request.municipality_id, code=m.product_code, category_id=m.category
    ).first()
    if product is None:
        raise ValidationError(
            _("Onbekende productcode %(code)s (categorie %(cat)s) voor gemeente %(name)s.")
            % {"code": m.product_code, "cat": m.category, "name": request.municipality.name}
        )
    existing = (
        Indication.objects.filter(decision__request=request).select_related("decision").first()
    )
    if existing is not None:
        return _update_existing(existing, m, product)
    if request.status == RequestStatus.CONCEPT:
        raise ValidationError(
            _("Een besluit kan pas worden genomen nadat de aanvraag is ingediend.")
        )
    kind = _kind_for(request, m, product)
    reason = m.reason or (
        _("Gewijzigd toegewezen door de gemeente (WMO301).")
        if kind == DecisionKind.GRANTED_CHANGED
        else ""
    )
    if product.pk != request.product_id:
        raise ValidationError(
            _(
                "Het toegewezen product verschilt van het gevraagde product; "
                "leg dit besluit vast in het systeem van de gemeente."
            )
        )
    given = {
        "volume": m.volume,
        "unit": m.unit,
        "frequency": m.frequency,
        "start": m.start,
        "end": m.end,
    }
    return decision_record(
        request=request,
        actor=None,
        kind=kind,
        reason=reason,
        given=given,
        today=m.decided_on,
        now=now,
        source=DecisionSource.IWMO,
        beschikking_number=m.beschikking_number,
        toewijzing_number=m.toewijzing_number,
    )


def _update_existing(indication: Indication, m: Wmo301, product: MunicipalProduct) -> Decision:
    """A repeated or corrected WMO301 for the same toewijzing updates it in place."""
    if indication.toewijzing_number != m.toewijzing_number:
        raise ValidationError(
            _("Over deze aanvraag is al besloten met toewijzing %(n)s.")
            % {"n": indication.toewijzing_number}
        )
    if product.pk != indication.product_id:
        raise ValidationError(_("Een toewijzing kan niet van product wisselen."))
    for field in ("volume", "unit", "frequency", "start", "end"):
        setattr(indication, field, getattr(m, field))
    indication.save(update_fields=["volume", "unit", "frequency", "start", "end"])
    decision = indication.decision
    if m.reason and m.reason != decision.reason:
        decision.reason = m.reason
        decision.save(update_fields=["reason"])
    return decision
