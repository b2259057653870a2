"""What an uploaded document really is, read from its content (never from its name or the
browser's Content-Type), and the optional virus scan by clamd.

The kinds the client file accepts are few, so the check is written out here instead of a
library: PDF, PNG and JPEG by their signatures; Office Open XML (docx, xlsx, pptx) and
OpenDocument (odt, ods, odp) as zip archives with the parts that make them that kind; the
old binary Office files (doc, xls) by the OLE2 signature. A file whose content does not
match its extension is refused.
"""

from __future__ import annotations

import socket
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    name: str  # what we call it to the user
    content_type: str
    inline: bool = False  # shown in the browser (PDF, images), else downloaded


PDF = Kind("PDF", "application/pdf", inline=True)
PNG = Kind("PNG", "image/png", inline=True)
JPEG = Kind("JPEG", "image/jpeg", inline=True)
DOCX = Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind(
    "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
ODT = Kind("OpenDocument-tekst", "application/vnd.oasis.opendocument.text")
ODS = Kind("OpenDocument-rekenblad", "application/vnd.oasis.opendocument.spreadsheet")
ODP = Kind("OpenDocument-presentatie", "application/vnd.oasis.opendocument.presentation")
DOC = Kind("Word (oud)", "application/msword")
XLS = Kind("Excel (oud)", "application/vnd.ms-excel")

KIND_BY_EXTENSION: dict[str, Kind] = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "ods": ODS,
    "odp": ODP,
    "doc": DOC,
    "xls": XLS,
}
_OOXML_PART = {DOCX: "word/", XLSX: "xl/", PPTX: "ppt/"}
_ODF = {ODT, ODS, ODP}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefused(Exception):
    """The file is not stored; ``message`` says why, in Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_extensions() -> str:
    return ", ".join(f".{ext}" for ext in KIND_BY_EXTENSION)


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _zip_matches(file: IO[bytes], kind: Kind) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if kind in _OOXML_PART:
                part = _OOXML_PART[kind]
                return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").strip() == kind.content_type.encode()
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return False


def content_matches(file: IO[bytes], kind: Kind) -> bool:
    """Whether the bytes of ``file`` are a ``kind`` (the file is read from the start and
    rewound afterwards)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        if kind is PDF:
            return head.startswith(b"%PDF-")
        if kind is PNG:
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if kind is JPEG:
            return head.startswith(b"\xff\xd8\xff")
        if kind in (DOC, XLS):
            return head.startswith(_OLE2)
        if kind in _OOXML_PART or kind in _ODF:
            return head.startswith(b"PK\x03\x04") and _zip_matches(file, kind)
        return False
    finally:
        file.seek(0)


def check_file(file: IO[bytes], *, filename: str, size: int) -> Kind:
    """The kind of an upload, or ``FileRefused``: empty, too large, a kind we do not keep,
    or content that is not what the extension says."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if size <= 0:
        raise FileRefused(_("Het bestand is leeg."))
    if size > limit:
        raise FileRefused(
            _("Het bestand is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(limit)}
        )
    kind = KIND_BY_EXTENSION.get(extension_of(filename))
    if kind is None:
        raise FileRefused(
            _("Dit soort bestand wordt niet opgeslagen. Toegestaan zijn: %(allowed)s.")
            % {"allowed": allowed_extensions()}
        )
    if not content_matches(file, kind):
        raise FileRefused(
            _(
                "De inhoud van het bestand is geen %(kind)s, terwijl de naam eindigt op "
                ".%(ext)s. Het bestand is niet opgeslagen."
            )
            % {"kind": kind.name, "ext": extension_of(filename)}
        )
    return kind


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


# --- the virus scan ---------------------------------------------------------------------


def scan_configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(settings.CLAMAV_SOCKET)
        return sock
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout)


def _chunks(file: IO[bytes], size: int = 64 * 1024) -> Iterable[bytes]:
    file.seek(0)
    while chunk := file.read(size):
        yield chunk
    file.seek(0)


def scan_file(file: IO[bytes]) -> None:
    """Send the file to clamd (INSTREAM) when a scanner is configured. A virus, or a scanner
    that cannot be reached or answers otherwise, refuses the upload: an unscanned file is
    never stored while scanning is switched on."""
    if not scan_configured():
        return
    unavailable = FileRefused(
        _(
            "De virusscan is niet beschikbaar, daarom is het bestand niet opgeslagen. "
            "Probeer het later opnieuw."
        )
    )
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in _chunks(file):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError:
        raise unavailable from None
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        name = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        raise FileRefused(
            _("Het bestand bevat een virus (%(name)s) en is niet opgeslagen.") % {"name": name}
        )
    if not answer.endswith("OK"):
        raise unavailable
