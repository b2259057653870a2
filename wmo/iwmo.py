"""iWmo 3.2 messages, valid against the official schemas (``wmo/schemas/iwmo32``).

Out (provider → municipality): WMO315 verzoek om toewijzing, WMO317 verzoek om wijziging,
WMO305 start and WMO307 stop of support, WMO323 declaratie. In (municipality → provider):
WMO301 toewijzing and WMO319 antwoord. The product also writes a WMO301 for a decision a
consultant records in the product, so the municipality's system can take it over.

Every message is validated with lxml against the schema its BerichtCode names before it is
offered or recorded, and every received message before anything is stored. Parsing is
hardened: defusedxml refuses any DOCTYPE or entity declaration in whatever encoding (also
UTF-16), then lxml parses without entities, DTDs or network access. Transport (GGk/VECOZO) is
out of scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from olteams.access import municipality_ids_for
from olteams.models import Membership, Municipality, User
from wmo.constants import (
    REJECTION_REASONS,
    ChangeReason,
    DecisionKind,
    DecisionSource,
    MessageDirection,
    RequestAnswer,
    RequestStatus,
    StopReason,
)
from wmo.models import Decision, Indication, IndicationRequest, IwmoMessage, MunicipalProduct
from wmo.services.decisions import TEMPORARY_DEFAULTS, decision_record
from wmo.services.rules import temporary_end

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "iwmo32"
NS_BASIS = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
# BerichtCode per message (the fixed value in each schema).
BERICHT_CODE = {
    "WMO301": "414",
    "WMO305": "418",
    "WMO307": "420",
    "WMO315": "444",
    "WMO317": "480",
    "WMO319": "482",
    "WMO323": "484",
}
MESSAGE_FOR_CODE = {code: name for name, code in BERICHT_CODE.items()}
BERICHT_VERSIE, BERICHT_SUBVERSIE = "3", "2"
XSD_VERSION = "1.0.0"  # BerichtXsdVersie and BasisschemaXsdVersie of these schemas
NAMESPACE = {
    name: f"http://www.istandaarden.nl/iwmo/3_2/{name.lower()}/schema" for name in BERICHT_CODE
}
NS_301, NS_315 = NAMESPACE["WMO301"], NAMESPACE["WMO315"]
MESSAGE_FOR_NAMESPACE = {ns: name for name, ns in NAMESPACE.items()}
# Gender: iWmo COD046 (0 unknown, 1 male, 2 female) ↔ clients.Gender.
GESLACHT = {"M": "1", "V": "2", "X": "0", "": "0"}
NAAMGEBRUIK_EIGEN_NAAM = "1"
ADRES_SOORT_BRP = "01"
STATUS_EERSTE_AANLEVERING = "1"
# Verwijzer/Type (LDT_TypeVerwijzer) for the client's referral source (clients.ReferralSource).
VERWIJZER_TYPE = {
    "huisarts": "02",
    "poh_ggz": "02",
    "wijkteam": "01",
    "oggz": "01",
    "kliniek": "05",
    "eigen_initiatief": "06",
    "naaste": "06",
}
VERWIJZER_GEEN = "06"
MAX_MESSAGE_BYTES = 1_000_000
# "Kerkstraat 12", "Kerkstraat 12a", "Kerkstraat 12-II": street, number, letter, addition.
ADDRESS = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d{1,5})\s*(?P<letter>[A-Za-z](?![A-Za-z]))?"
    r"(?:\s*-?\s*(?P<addition>[0-9A-Za-z]{1,4}))?$"
)


# --- schemas and hardened parsing ---------------------------------------------------------


@cache
def schema(message: str) -> etree.XMLSchema:
    """The official schema of one message (WMO301 …), loaded once per process."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.parse(str(SCHEMA_DIR / f"{message}.xsd"), parser)
    return etree.XMLSchema(document)


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(xml: bytes) -> Any:
    """Parse a received message; refuses oversize documents, DOCTYPEs and entities."""
    if len(xml) > MAX_MESSAGE_BYTES:
        raise ValidationError(_("Het bericht is te groot."))
    try:
        DET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ValidationError(
            _(
                "Het bericht bevat een DOCTYPE of ENTITY; dat is niet "
                "toegestaan in een iWmo-bericht."
            )
        ) from None
    except DET.ParseError as exc:
        raise ValidationError(
            _("Het bericht is geen geldige XML: %(error)s.") % {"error": exc}
        ) from exc
    try:
        root = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as exc:  # pragma: no cover - defusedxml parsed it already
        raise ValidationError(
            _("Het bericht is geen geldige XML: %(error)s.") % {"error": exc}
        ) from exc
    if root.getroottree().docinfo.doctype:
        raise ValidationError(_("Het bericht bevat een DOCTYPE; dat is niet toegestaan."))
    return root


def message_name(root: Any) -> str | None:
    """WMO301 … for a root element: by its BerichtCode, else by its namespace."""
    code = root.findtext("{*}Header/{*}BerichtCode")
    if code and code.strip() in MESSAGE_FOR_CODE:
        return MESSAGE_FOR_CODE[code.strip()]
    namespace = etree.QName(root).namespace
    return MESSAGE_FOR_NAMESPACE.get(namespace or "")


def schema_errors(root: Any, message: str) -> list[str]:
    """The schema's errors (line and message), empty when the message is valid."""
    checker = schema(message)
    if checker.validate(root):
        return []
    return [f"regel {error.line}: {error.message}" for error in checker.error_log]


def validate(xml: bytes) -> tuple[str | None, list[str]]:
    """(message name, errors) for any iWmo file; used by ``manage.py iwmo_validate``."""
    try:
        root = parse(xml)
    except ValidationError as exc:
        return None, list(exc.messages)
    name = message_name(root)
    if name is None:
        return None, [_("Onbekend bericht: geen iWmo 3.2 BerichtCode of namespace.")]
    return name, schema_errors(root, name)


def _require_valid(root: Any, message: str, *, ours: bool) -> None:
    errors = schema_errors(root, message)
    if not errors:
        return
    details = "; ".join(errors[:5])
    if ours:
        raise ValidationError(
            _(
                "Het %(message)s-bericht kan niet worden gemaakt: het voldoet niet aan het "
                "iWmo 3.2-schema (%(details)s). Controleer de gegevens van cliënt, aanbieder "
                "en product."
            )
            % {"message": message, "details": details}
        )
    raise ValidationError(
        _(
            "Het bericht voldoet niet aan het iWmo 3.2-schema van %(message)s; er is niets "
            "opgeslagen. Fouten: %(details)s"
        )
        % {"message": message, "details": details}
    )


# --- writing ----------------------------------------------------------------------------


class _Writer:
    """Builds one message in its namespace; basisschema children where the schema says so."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.ns = NAMESPACE[message]
        self.root = etree.Element(f"{{{self.ns}}}Bericht", nsmap={None: self.ns, "iwmo": NS_BASIS})

    def sub(self, parent: Any, tag: str, text: Any = None, *, basis: bool = False) -> Any:
        element = etree.SubElement(parent, f"{{{NS_BASIS if basis else self.ns}}}{tag}")
        if isinstance(text, dt.datetime):
            element.text = text.strftime("%H:%M:%S")
        elif isinstance(text, dt.date):
            element.text = text.isoformat()
        elif text is not None:
            element.text = str(text)
        return element

    def header(self, *, sender: str, receiver: str, identification: str, day: dt.date) -> None:
        header = self.sub(self.root, "Header")
        self.sub(header, "BerichtCode", BERICHT_CODE[self.message])
        self.sub(header, "BerichtVersie", BERICHT_VERSIE)
        self.sub(header, "BerichtSubversie", BERICHT_SUBVERSIE)
        self.sub(header, "Afzender", sender)
        self.sub(header, "Ontvanger", receiver)
        ident = self.sub(header, "BerichtIdentificatie")
        self.sub(ident, "Identificatie", identification, basis=True)
        self.sub(ident, "Dagtekening", day, basis=True)
        version = self.sub(header, "XsdVersie")
        self.sub(version, "BasisschemaXsdVersie", XSD_VERSION, basis=True)
        self.sub(version, "BerichtXsdVersie", XSD_VERSION, basis=True)

    def client(self, client: Any, *, full_name: bool = False) -> Any:
        if not client.bsn:
            raise ValidationError(_("Leg eerst het BSN van de cliënt vast."))
        if client.date_of_birth is None:
            raise ValidationError(_("Leg eerst de geboortedatum van de cliënt vast."))
        block = self.sub(self.root, "Client")
        self.sub(block, "Bsn", client.bsn)
        birth = self.sub(block, "Geboortedatum")
        self.sub(birth, "Datum", client.date_of_birth, basis=True)
        self.sub(block, "Geslacht", GESLACHT.get(client.gender or "", "0"))
        name = self.sub(block, "Naam")
        surname = self.sub(name, "Geslachtsnaam", basis=True)
        self.sub(surname, "Achternaam", client.last_name, basis=True)
        if client.name_prefix:
            self.sub(surname, "Voorvoegsel", client.name_prefix[:10], basis=True)
        initials = "".join(ch for ch in (client.initials or client.first_name[:1]) if ch.isalpha())
        if initials:
            self.sub(name, "Voorletters", initials[:6], basis=True)
        if full_name:
            self.sub(name, "NaamGebruik", NAAMGEBRUIK_EIGEN_NAAM, basis=True)
        return block

    def product(self, parent: Any, product: MunicipalProduct) -> None:
        block = self.sub(parent, "Product")
        self.sub(block, "Categorie", product.category_id, basis=True)
        self.sub(block, "Code", product.code, basis=True)

    def omvang(self, parent: Any, volume: int, unit: str, frequency: str) -> None:
        omvang = self.sub(parent, "Omvang")
        self.sub(omvang, "Volume", volume, basis=True)
        self.sub(omvang, "Eenheid", unit, basis=True)
        self.sub(omvang, "Frequentie", frequency, basis=True)

    def period(self, parent: Any, tag: str, start: dt.date, end: dt.date) -> None:
        block = self.sub(parent, tag)
        self.sub(block, "Begindatum", start, basis=True)
        self.sub(block, "Einddatum", end, basis=True)

    def finish(self) -> bytes:
        """Validate against the official schema, then serialise (UTF-8, declaration)."""
        _require_valid(self.root, self.message, ours=True)
        return bytes(
            etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )


def identification(message: str, number: int) -> str:
    """A 12-character BerichtIdentificatie: the message number and a 9-digit sequence."""
    return f"{message[3:]}{number % 1_000_000_000:09d}"


def provider_agb(team_id: int, user_id: int | None = None) -> str:
    """The AGB code of the provider organisation: the worker's own organisation in the team,
    else any organisation of the team with an AGB code (configured per organisation)."""
    memberships = Membership.objects.filter(team_id=team_id).exclude(organisation__agb_code="")
    preferred = memberships.filter(user_id=user_id).first() if user_id else None
    membership = preferred or memberships.order_by("organisation__name").first()
    if membership is None:
        raise ValidationError(
            _(
                "Geen AGB-code bekend voor de aanbieder van dit team; leg de AGB-code van de "
                "moederorganisatie vast."
            )
        )
    return str(membership.organisation.agb_code)


def provider_organisation_name(request: IndicationRequest) -> str:
    """The provider organisation that asks (the requester's organisation in the team)."""
    membership = (
        Membership.objects.filter(user_id=request.requested_by_id, team_id=request.team_id)
        .select_related("organisation")
        .order_by("-valid_from")
        .first()
    )
    return membership.organisation.name if membership else request.team.name


def _referrer(writer: _Writer, parent: Any, client: Any) -> None:
    referral = client.referrals.order_by("-referred_on", "-id").first()
    block = writer.sub(parent, "Verwijzer")
    if referral is None:
        writer.sub(block, "Type", VERWIJZER_GEEN, basis=True)
        return
    writer.sub(block, "Type", VERWIJZER_TYPE.get(referral.source, VERWIJZER_GEEN), basis=True)
    name = (referral.referrer_name or referral.referrer_organisation or "").strip()
    if name:
        writer.sub(block, "Naam", name[:64], basis=True)


def export_wmo315(request: IndicationRequest) -> bytes:
    """The submitted request as a WMO315 'verzoek om toewijzing', schema-valid."""
    if request.submitted_on is None:
        raise ValidationError(_("Een concept kan nog niet als WMO315 worden uitgevoerd."))
    w = _Writer("WMO315")
    w.header(
        sender=provider_agb(request.team_id, request.requested_by_id),
        receiver=request.municipality.cbs_code,
        identification=identification("WMO315", request.pk),
        day=request.submitted_on,
    )
    client = w.client(request.client)
    asked = w.sub(w.sub(client, "AangevraagdeProducten"), "AangevraagdProduct")
    w.sub(asked, "ReferentieAanbieder", request.reference)
    w.product(asked, request.product)
    w.sub(asked, "ToewijzingIngangsdatum", request.start)
    if request.end:
        w.sub(asked, "ToewijzingEinddatum", request.end)
    w.omvang(asked, request.volume, request.unit, request.frequency)
    _referrer(w, asked, request.client)
    return w.finish()


def export_wmo317(
    *,
    indication: Indication,
    reference: str,
    start: dt.date,
    volume: int,
    unit: str,
    frequency: str,
    end: dt.date | None = None,
    reason: str = ChangeReason.ZORGPLAN,
    team_id: int | None = None,
    day: dt.date | None = None,
    number: int | None = None,
) -> bytes:
    """A WMO317 'verzoek om wijziging' of a running toewijzing (op- en afschalen)."""
    request = indication.decision.request
    w = _Writer("WMO317")
    w.header(
        sender=provider_agb(team_id or request.team_id, request.requested_by_id),
        receiver=indication.municipality.cbs_code,
        identification=identification("WMO317", number or indication.pk),
        day=day or timezone.localdate(),
    )
    client = w.sub(w.root, "Client")
    if not indication.client.bsn:
        raise ValidationError(_("Leg eerst het BSN van de cliënt vast."))
    w.sub(client, "Bsn", indication.client.bsn)
    verzoek = w.sub(client, "Verzoek")
    w.sub(verzoek, "ReferentieAanbieder", reference)
    w.sub(verzoek, "RedenVerzoek", reason)
    changed = w.sub(w.sub(verzoek, "TeWijzigenProducten"), "TeWijzigenProduct")
    w.sub(changed, "ToewijzingNummer", _number(indication.toewijzing_number))
    w.sub(changed, "GewensteIngangsdatum", start)
    if end:
        w.sub(changed, "Einddatum", end)
    w.omvang(changed, volume, unit, frequency)
    return w.finish()


def _number(value: str) -> str:
    """A ToewijzingNummer as the integer the schema wants (LDT_Nummer)."""
    digits = value.strip()
    if not digits.isdigit() or len(digits.lstrip("0") or "0") > 9:
        raise ValidationError(
            _("Toewijzingsnummer %(n)s is geen iWmo-nummer (ten hoogste 9 cijfers).") % {"n": value}
        )
    return str(int(digits))


def export_wmo301(decision: Decision) -> bytes:
    """A granting decision as a WMO301 'toewijzing', schema-valid."""
    indication = getattr(decision, "indication", None)
    if indication is None:
        raise ValidationError(_("Alleen een toekenning kan als WMO301 worden uitgevoerd."))
    request = decision.request
    client_obj = request.client
    w = _Writer("WMO301")
    w.header(
        sender=decision.municipality.cbs_code,
        receiver=provider_agb(request.team_id, request.requested_by_id),
        identification=identification("WMO301", decision.pk),
        day=decision.decided_on,
    )
    client = w.client(client_obj, full_name=True)
    contacts = w.sub(client, "Contactgegevens")
    contact = w.sub(contacts, "Contact")
    w.sub(contact, "Soort", ADRES_SOORT_BRP)
    if client_obj.postcode or client_obj.city or client_obj.address:
        address = w.sub(contact, "Adres")
        parts = ADDRESS.match((client_obj.address or "").strip())
        if parts:
            house = w.sub(address, "Huis", basis=True)
            w.sub(house, "Huisnummer", int(parts["number"]), basis=True)
            if parts["letter"]:
                w.sub(house, "Huisletter", parts["letter"], basis=True)
            if parts["addition"]:
                w.sub(house, "HuisnummerToevoeging", parts["addition"], basis=True)
        if client_obj.postcode:
            w.sub(address, "Postcode", client_obj.postcode.replace(" ", "")[:8], basis=True)
        street = parts["street"].strip() if parts else (client_obj.address or "").strip()
        if street:
            w.sub(address, "Straatnaam", street[:24], basis=True)
        if client_obj.city:
            w.sub(address, "Plaatsnaam", client_obj.city[:80], basis=True)
    granted = w.sub(w.sub(client, "ToegewezenProducten"), "ToegewezenProduct")
    w.sub(granted, "ToewijzingNummer", _number(indication.toewijzing_number))
    w.sub(granted, "ReferentieAanbieder", request.reference)
    w.product(granted, indication.product)
    w.sub(granted, "Toewijzingsdatum", indication.toewijzing_date)
    w.sub(granted, "Toewijzingstijd", timezone.localtime(decision.decided_at))
    w.sub(granted, "Ingangsdatum", indication.start)
    if indication.end:
        w.sub(granted, "Einddatum", indication.end)
    w.omvang(granted, indication.volume, indication.unit, indication.frequency)
    if decision.reason.strip():
        w.sub(granted, "Commentaar", " ".join(decision.reason.split()))
    return w.finish()


def _start_stop_client(w: _Writer, indication: Indication, day: dt.date, number: int) -> Any:
    request = indication.decision.request
    w.header(
        sender=provider_agb(request.team_id, request.requested_by_id),
        receiver=indication.municipality.cbs_code,
        identification=identification(w.message, number),
        day=day,
    )
    return w.client(indication.client)


def export_wmo305(*, indication: Indication, start: dt.date, day: dt.date, number: int) -> bytes:
    """WMO305 'start Wmo-ondersteuning' for one toewijzing."""
    w = _Writer("WMO305")
    client = _start_stop_client(w, indication, day, number)
    item = w.sub(w.sub(client, "StartProducten"), "StartProduct")
    w.sub(item, "ToewijzingNummer", _number(indication.toewijzing_number))
    w.product(item, indication.product)
    w.sub(item, "ToewijzingIngangsdatum", indication.start)
    w.sub(item, "Begindatum", start)
    w.sub(item, "StatusAanlevering", STATUS_EERSTE_AANLEVERING)
    return w.finish()


def export_wmo307(
    *,
    indication: Indication,
    start: dt.date,
    end: dt.date,
    reason_code: str,
    day: dt.date,
    number: int,
) -> bytes:
    """WMO307 'stop Wmo-ondersteuning' for one toewijzing, with RedenBeeindiging."""
    if reason_code not in StopReason.values:
        raise ValidationError(
            _("Onbekende reden van beëindiging %(code)s (iWmo-codelijst).") % {"code": reason_code}
        )
    w = _Writer("WMO307")
    client = _start_stop_client(w, indication, day, number)
    item = w.sub(w.sub(client, "StopProducten"), "StopProduct")
    w.sub(item, "ToewijzingNummer", _number(indication.toewijzing_number))
    w.product(item, indication.product)
    w.sub(item, "ToewijzingIngangsdatum", indication.start)
    w.sub(item, "Begindatum", start)
    w.sub(item, "RedenBeeindiging", reason_code)
    w.sub(item, "Einddatum", end)
    w.sub(item, "StatusAanlevering", STATUS_EERSTE_AANLEVERING)
    return w.finish()


@dataclass(frozen=True)
class DeclarationLine:
    """One prestatie of a WMO323: delivered volume within one toewijzing, in cents."""

    bsn: str
    reference: str  # unique per line, chosen by the provider
    toewijzing_number: str
    category: str
    product_code: str
    start: dt.date
    end: dt.date
    volume: int
    unit: str
    tariff_cents: int | None
    amount_cents: int


def export_wmo323(
    *,
    sender_agb: str,
    municipality: Municipality,
    period_start: dt.date,
    period_end: dt.date,
    lines: Iterable[DeclarationLine],
    day: dt.date,
    number: int,
) -> bytes:
    """WMO323 'declaratie' of one municipality and one (calendar-month) period."""
    rows = list(lines)
    if not rows:
        raise ValidationError(_("Er is geen geleverde ondersteuning om te declareren."))
    w = _Writer("WMO323")
    ident = identification("WMO323", number)
    w.header(sender=sender_agb, receiver=municipality.cbs_code, identification=ident, day=day)
    claim = w.sub(w.root, "Declaratie")
    w.sub(claim, "DeclaratieNummer", ident)
    w.period(claim, "DeclaratiePeriode", period_start, period_end)
    w.sub(claim, "DeclaratieDagtekening", day)
    total = w.sub(claim, "TotaalIngediendBedrag")
    w.sub(total, "TotaalBedrag", sum(row.amount_cents for row in rows), basis=True)
    w.sub(total, "DebetCredit", "D", basis=True)
    clients = w.sub(claim, "Clienten")
    by_bsn: dict[str, list[DeclarationLine]] = {}
    for row in rows:
        by_bsn.setdefault(row.bsn, []).append(row)
    for bsn, items in by_bsn.items():
        client = w.sub(clients, "Client")
        w.sub(client, "Bsn", bsn)
        prestaties = w.sub(client, "Prestaties")
        for row in items:
            item = w.sub(prestaties, "Prestatie")
            ref = w.sub(item, "ProductReferentie")
            w.sub(ref, "ReferentieNummer", row.reference, basis=True)
            w.sub(item, "ToewijzingNummer", _number(row.toewijzing_number))
            w.sub(item, "ProductCategorie", row.category)
            w.sub(item, "ProductCode", row.product_code)
            w.period(item, "ProductPeriode", row.start, row.end)
            w.sub(item, "GeleverdVolume", row.volume)
            w.sub(item, "Eenheid", row.unit)
            if row.tariff_cents is not None:
                w.sub(item, "ProductTarief", row.tariff_cents)
            amount = w.sub(item, "IngediendBedrag")
            w.sub(amount, "Bedrag", row.amount_cents, basis=True)
            w.sub(amount, "DebetCredit", "D", basis=True)
    return w.finish()


# --- recording messages out ---------------------------------------------------------------


def _record_out(
    *,
    message: str,
    municipality: Municipality,
    build: Any,
    actor: User | None,
    client_id: int | None = None,
    indication: Indication | None = None,
    reason_code: str = "",
) -> IwmoMessage:
    """Store an outgoing message; its identification comes from the row's own number."""
    row = IwmoMessage.objects.create(
        message=message,
        direction=MessageDirection.OUT,
        identification=f"pending-{message[3:]}"[:12],
        municipality=municipality,
        client_id=client_id,
        indication=indication,
        reason_code=reason_code,
        xml="",
        created_by=actor,
    )
    row.identification = identification(message, row.pk)
    row.xml = build(row.pk).decode("utf-8")
    row.save(update_fields=["identification", "xml"])
    return row


@transaction.atomic
def wmo305_record(
    *, actor: User | None, indication: Indication, start: dt.date, today: dt.date | None = None
) -> IwmoMessage:
    """Start of care: record the WMO305 for this toewijzing (once per indication)."""
    existing = IwmoMessage.objects.filter(indication=indication, message="WMO305").first()
    if existing is not None:
        return existing
    if start < indication.start or (indication.end is not None and start > indication.end):
        raise ValidationError(_("De begindatum van de zorg valt buiten de toewijzing."))
    day = today or timezone.localdate()
    return _record_out(
        message="WMO305",
        municipality=indication.municipality,
        actor=actor,
        client_id=indication.client_id,
        indication=indication,
        build=lambda n: export_wmo305(indication=indication, start=start, day=day, number=n),
    )


@transaction.atomic
def wmo317_record(
    *,
    actor: User | None,
    indication: Indication,
    start: dt.date,
    volume: int,
    unit: str,
    frequency: str,
    end: dt.date | None = None,
    reason: str = ChangeReason.ZORGPLAN,
    today: dt.date | None = None,
) -> IwmoMessage:
    """Op- of afschalen: record the schema-valid WMO317 'verzoek om wijziging' of a running
    toewijzing (its ReferentieAanbieder is the message's own identification)."""
    if indication.end is not None and start > indication.end:
        raise ValidationError(_("De gewenste ingangsdatum ligt na het einde van de toewijzing."))
    if volume <= 0:
        raise ValidationError(_("De omvang moet een geheel getal groter dan 0 zijn."))
    day = today or timezone.localdate()
    return _record_out(
        message="WMO317",
        municipality=indication.municipality,
        actor=actor,
        client_id=indication.client_id,
        indication=indication,
        reason_code=reason,
        build=lambda n: export_wmo317(
            indication=indication,
            reference=identification("WMO317", n),
            start=start,
            volume=volume,
            unit=unit,
            frequency=frequency,
            end=end,
            reason=reason,
            day=day,
            number=n,
        ),
    )


# RedenBeeindiging for the client's outflow reason (clients.OutflowReason) and plain words.
STOP_REASON_FOR = {
    "doelen_bereikt": StopReason.VOLGENS_PLAN,
    "basis_ggz": StopReason.ANDER_DOMEIN,
    "poh_huisarts": StopReason.ANDER_DOMEIN,
    "andere_aanbieder": StopReason.ANDERE_AANBIEDER,
    "verhuisd": StopReason.VERHUIZING,
    "overleden": StopReason.OVERLIJDEN,
    "zorg_geweigerd": StopReason.DOOR_CLIENT,
    "wlz": StopReason.ANDER_DOMEIN,
    "death": StopReason.OVERLIJDEN,
    "deceased": StopReason.OVERLIJDEN,
    "overlijden": StopReason.OVERLIJDEN,
    "moved": StopReason.VERHUIZING,
    "verhuizing": StopReason.VERHUIZING,
}


def stop_reason_code(reason: str) -> str:
    """RedenBeeindiging for an outflow reason: a code passes as is; an outflow reason maps
    (death 02, moved 31, other provider 38, another domain 39, refused 21); otherwise 19."""
    value = (reason or "").strip().lower()
    if value in StopReason.values:
        return value
    return str(STOP_REASON_FOR.get(value, StopReason.VOLGENS_PLAN))


@transaction.atomic
def wmo307_record(
    *,
    actor: User | None,
    indication: Indication,
    end_date: dt.date,
    reason: str,
    care_start: dt.date | None = None,
    today: dt.date | None = None,
) -> IwmoMessage:
    """Stop of care (outflow, death): record the schema-valid WMO307 with its reason code.
    Called inside ``indication_end``; once per indication (a second call returns the first)."""
    existing = IwmoMessage.objects.filter(indication=indication, message="WMO307").first()
    if existing is not None:
        return existing
    code = stop_reason_code(reason)
    if end_date < indication.start:
        raise ValidationError(_("De einddatum ligt vóór de ingangsdatum van de toewijzing."))
    started = IwmoMessage.objects.filter(indication=indication, message="WMO305").first()
    begin = care_start or (_start_in(started) if started else None) or indication.start
    day = today or timezone.localdate()
    return _record_out(
        message="WMO307",
        municipality=indication.municipality,
        actor=actor,
        client_id=indication.client_id,
        indication=indication,
        reason_code=code,
        build=lambda n: export_wmo307(
            indication=indication, start=begin, end=end_date, reason_code=code, day=day, number=n
        ),
    )


def _start_in(message: IwmoMessage) -> dt.date | None:
    root = etree.fromstring(message.xml.encode(), _safe_parser())
    value = root.findtext("{*}Client/{*}StartProducten/{*}StartProduct/{*}Begindatum")
    return dt.date.fromisoformat(value) if value else None


# --- reading WMO301 -----------------------------------------------------------------------


@dataclass(frozen=True)
class GrantedProduct:
    toewijzing_number: str
    reference: str
    category: str
    product_code: str
    toewijzing_date: dt.date
    start: dt.date
    end: dt.date | None
    volume: int | None
    unit: str
    frequency: str
    reason: str


@dataclass(frozen=True)
class Wmo301:
    sender: str
    receiver: str
    bsn: str
    decided_on: dt.date
    products: list[GrantedProduct] = field(default_factory=list)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value.strip()) if value and value.strip() else None


def _text(element: Any, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _read(xml: bytes, message: str) -> Any:
    root = parse(xml)
    name = message_name(root)
    if name != message:
        raise ValidationError(
            _("Dit is geen iWmo 3.2 %(message)s-bericht (gevonden: %(found)s).")
            % {"message": message, "found": name or _("onbekend")}
        )
    _require_valid(root, message, ours=False)
    return root


def parse_wmo301(xml: bytes) -> Wmo301:
    """Read a schema-valid WMO301 (all products; optional elements may be absent)."""
    root = _read(xml, "WMO301")
    products = []
    for item in root.iterfind("{*}Client/{*}ToegewezenProducten/{*}ToegewezenProduct"):
        volume = _text(item, "{*}Omvang/{*}Volume")
        products.append(
            GrantedProduct(
                toewijzing_number=str(int(_text(item, "{*}ToewijzingNummer"))),
                reference=_text(item, "{*}ReferentieAanbieder"),
                category=_text(item, "{*}Product/{*}Categorie"),
                product_code=_text(item, "{*}Product/{*}Code"),
                toewijzing_date=_date(_text(item, "{*}Toewijzingsdatum")),  # type: ignore[arg-type]
                start=_date(_text(item, "{*}Ingangsdatum")),  # type: ignore[arg-type]
                end=_date(_text(item, "{*}Einddatum")),
                volume=int(volume) if volume else None,
                unit=_text(item, "{*}Omvang/{*}Eenheid"),
                frequency=_text(item, "{*}Omvang/{*}Frequentie"),
                reason=_text(item, "{*}Commentaar") or _text(item, "{*}RedenWijziging"),
            )
        )
    return Wmo301(
        sender=_text(root, "{*}Header/{*}Afzender"),
        receiver=_text(root, "{*}Header/{*}Ontvanger"),
        bsn=_text(root, "{*}Client/{*}Bsn"),
        decided_on=_date(_text(root, "{*}Header/{*}BerichtIdentificatie/{*}Dagtekening")),  # type: ignore[arg-type]
        products=products,
    )


def may_import_for(actor: User, municipality_id: int) -> bool:
    """Only a Wmo consultant of the municipality the message names may import it."""
    return municipality_id in municipality_ids_for(actor)


def _sender_municipality(actor: User, sender: str) -> Municipality:
    municipality = Municipality.objects.filter(cbs_code=sender).first()
    if municipality is None or not may_import_for(actor, municipality.pk):
        raise PermissionDenied(
            _("Alleen een Wmo-consulent van de afzendende gemeente mag dit bericht inlezen.")
        )
    return municipality


def _refuse_non_consultants(actor: User) -> None:
    if not municipality_ids_for(actor):
        raise PermissionDenied(
            _("Alleen een Wmo-consulent van de gemeente mag iWmo-berichten inlezen.")
        )


def _kind_for(request: IndicationRequest, p: GrantedProduct, volume: int) -> str:
    asked = (request.volume, request.unit, request.frequency, request.start, request.end)
    if asked == (volume, p.unit, p.frequency, p.start, p.end):
        return DecisionKind.GRANTED
    covenant = (
        TEMPORARY_DEFAULTS["volume"],
        TEMPORARY_DEFAULTS["unit"],
        TEMPORARY_DEFAULTS["frequency"],
    )
    if (volume, p.unit, p.frequency) == covenant and p.end and p.end <= temporary_end(p.start):
        return DecisionKind.TEMPORARY
    return DecisionKind.GRANTED_CHANGED


@transaction.atomic
def import_wmo301(
    *,
    actor: User,
    xml: bytes,
    expected_request: IndicationRequest | None = None,
    now: dt.datetime | None = None,
) -> list[Decision]:
    """Create (or update) the decisions and indications a municipality's WMO301 carries.

    Only a Wmo consultant of the sending municipality may import (else PermissionDenied);
    the message is schema-checked and every product checked before anything is written;
    any error rolls the whole message back."""
    now = now or timezone.now()
    _refuse_non_consultants(actor)
    m = parse_wmo301(xml)
    municipality = _sender_municipality(actor, m.sender)
    decisions = []
    for product_msg in m.products:
        decisions.append(_import_product(m, product_msg, municipality, expected_request, now))
    _record_in(xml, "WMO301", municipality, actor, decisions[0].request.client_id)
    return decisions


def _record_in(
    xml: bytes, message: str, municipality: Municipality, actor: User, client_id: int | None
) -> None:
    """Keep a received message once (by its identification) as evidence of what came in."""
    root = parse(xml)
    ident = _text(root, "{*}Header/{*}BerichtIdentificatie/{*}Identificatie")
    IwmoMessage.objects.get_or_create(
        municipality=municipality,
        direction=MessageDirection.IN,
        message=message,
        identification=ident,
        defaults={
            "client_id": client_id,
            "xml": etree.tostring(root, encoding="unicode"),
            "created_by": actor,
        },
    )


def _request_for(
    p: GrantedProduct, municipality: Municipality, expected: IndicationRequest | None
) -> IndicationRequest | None:
    qs = IndicationRequest.objects.select_for_update(of=("self",)).select_related(
        "municipality", "client"
    )
    if p.reference:
        request = qs.filter(reference=p.reference).first()
    elif expected is not None:
        request = qs.filter(pk=expected.pk).first()
    else:
        request = None
    if request is not None and request.municipality_id != municipality.pk:
        return None
    if request is not None and expected is not None and expected.pk != request.pk:
        return None
    return request


def _import_product(
    m: Wmo301,
    p: GrantedProduct,
    municipality: Municipality,
    expected: IndicationRequest | None,
    now: dt.datetime,
) -> Decision:
    existing = (
        Indication.objects.filter(municipality=municipality, toewijzing_number=p.toewijzing_number)
        .select_related("decision__request__client")
        .first()
    )
    if existing is not None:
        if (existing.client.bsn or "") != m.bsn:
            raise ValidationError(_("Het BSN in het bericht hoort niet bij deze toewijzing."))
        return _update_existing(existing, p)
    request = _request_for(p, municipality, expected)
    if request is None:
        raise ValidationError(
            _("Het bericht hoort niet bij deze aanvraag (ReferentieAanbieder %(ref)s).")
            % {"ref": p.reference or "-"}
        )
    if (request.client.bsn or "") != m.bsn:
        raise ValidationError(_("Het BSN in het bericht hoort niet bij deze cliënt."))
    product = (
        MunicipalProduct.objects.filter(municipality=municipality, code=p.product_code).first()
        if p.product_code
        else MunicipalProduct.objects.filter(pk=request.product_id, category_id=p.category).first()
    )
    if product is None or product.category_id != p.category:
        raise ValidationError(
            _("Onbekende productcode %(code)s (categorie %(cat)s) voor gemeente %(name)s.")
            % {"code": p.product_code or "-", "cat": p.category, "name": municipality.name}
        )
    if product.pk != request.product_id:
        raise ValidationError(
            _(
                "Het toegewezen product verschilt van het gevraagde product; "
                "leg dit besluit vast in het systeem van de gemeente."
            )
        )
    if request.status == RequestStatus.CONCEPT:
        raise ValidationError(
            _("Een besluit kan pas worden genomen nadat de aanvraag is ingediend.")
        )
    if p.end is not None and p.end < p.start:
        raise ValidationError(_("De einddatum ligt vóór de ingangsdatum."))
    # Omvang is optional in iWmo (e.g. a lump sum); the product then takes what was asked.
    volume = p.volume if p.volume else request.volume
    unit = p.unit or request.unit
    frequency = p.frequency or request.frequency
    kind = _kind_for(request, p, volume) if p.volume else DecisionKind.GRANTED
    reason = p.reason or (
        _("Gewijzigd toegewezen door de gemeente (WMO301).")
        if kind == DecisionKind.GRANTED_CHANGED
        else ""
    )
    given = {"volume": volume, "unit": unit, "frequency": frequency, "start": p.start, "end": p.end}
    return decision_record(
        request=request,
        actor=None,
        kind=kind,
        reason=reason,
        given=given,
        today=p.toewijzing_date or m.decided_on,
        now=now,
        source=DecisionSource.IWMO,
        toewijzing_number=p.toewijzing_number,
    )


def _update_existing(indication: Indication, p: GrantedProduct) -> Decision:
    """A repeated or corrected WMO301 for the same toewijzing updates it in place."""
    if p.product_code and p.product_code != indication.product.code:
        raise ValidationError(_("Een toewijzing kan niet van product wisselen."))
    if p.end is not None and p.end < p.start:
        raise ValidationError(_("De einddatum ligt vóór de ingangsdatum."))
    indication.start, indication.end = p.start, p.end
    if p.volume:
        indication.volume = p.volume
        indication.unit = p.unit
        indication.frequency = p.frequency
    indication.save(update_fields=["volume", "unit", "frequency", "start", "end"])
    decision = indication.decision
    if p.reason and p.reason != decision.reason:
        decision.reason = p.reason
        decision.save(update_fields=["reason"])
    return decision


# --- reading WMO319 -----------------------------------------------------------------------


@transaction.atomic
def import_wmo319(*, actor: User, xml: bytes, now: dt.datetime | None = None) -> Decision:
    """The municipality's answer to a request: 'in onderzoek' or 'afgewezen' with a reason."""
    now = now or timezone.now()
    _refuse_non_consultants(actor)
    root = _read(xml, "WMO319")
    municipality = _sender_municipality(actor, _text(root, "{*}Header/{*}Afzender"))
    reference = _text(root, "{*}Antwoord/{*}ReferentieAanbieder")
    answer = _text(root, "{*}Antwoord/{*}VerzoekAntwoord")
    request = (
        IndicationRequest.objects.select_for_update(of=("self",))
        .filter(reference=reference, municipality=municipality)
        .first()
    )
    if request is None:
        raise ValidationError(
            _("Geen aanvraag met ReferentieAanbieder %(ref)s bij deze gemeente.")
            % {"ref": reference}
        )
    day = _date(_text(root, "{*}Header/{*}BerichtIdentificatie/{*}Dagtekening")) or now.date()
    if answer == RequestAnswer.IN_ONDERZOEK:
        _record_in(xml, "WMO319", municipality, actor, request.client_id)
        return decision_record(
            request=request,
            actor=None,
            kind=DecisionKind.IN_ONDERZOEK,
            today=day,
            now=now,
            source=DecisionSource.IWMO,
        )
    code = _text(root, "{*}Antwoord/{*}RedenAfwijzingVerzoek")
    reason = str(REJECTION_REASONS.get(code, _("Verzoek afgewezen door de gemeente (WMO319).")))
    _record_in(xml, "WMO319", municipality, actor, request.client_id)
    return decision_record(
        request=request,
        actor=None,
        kind=DecisionKind.REJECTED,
        reason=reason,
        today=day,
        now=now,
        source=DecisionSource.IWMO,
    )
