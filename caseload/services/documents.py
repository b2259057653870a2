"""Documents in the client file: upload (type checked on content, size limit, optional virus
scan) and logical delete with a reason. Reading is the download view's work (audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.constants import CLINICAL_DOCUMENT_CATEGORIES, DocumentCategory
from caseload.models import Document
from caseload.services._filecheck import FileRefused, check_file, scan_file
from clients.models import Client
from olteams.access import ClientAction, can, require_client
from olteams.models import User

logger = logging.getLogger(__name__)


def document_action(category: str, *, change: bool) -> str:
    """The access action a document of ``category`` needs: clinical categories need
    clinical access, the others the client's ordinary access."""
    if category in CLINICAL_DOCUMENT_CATEGORIES:
        return ClientAction.CHANGE_CLINICAL if change else ClientAction.VIEW_CLINICAL
    return ClientAction.CHANGE if change else ClientAction.VIEW


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _clean_metadata(
    *, category: str, title: str, document_date: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if category not in DocumentCategory.values:
        errors["category"] = [_("Kies de soort document.")]
    if not (title or "").strip():
        errors["title"] = [_("Geef het document een titel.")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("De titel is hoogstens 200 tekens.")]
    if document_date is None:
        errors["document_date"] = [_("Vul de datum van het document in.")]
    elif document_date > today:
        errors["document_date"] = [_("De datum van het document mag niet in de toekomst liggen.")]
    return errors


def document_upload(
    *,
    actor: User,
    client: Client,
    file: Any,
    category: str,
    title: str,
    document_date: dt.date | None,
    author: str = "",
    today: dt.date | None = None,
) -> Document:
    """Store an uploaded file in the client file. ``file`` is an uploaded file (name, size,
    read/seek). Refused with a Dutch field error, nothing stored: a missing file, an empty or
    too large one, a kind we do not keep, content that does not match the extension, a virus
    or an unreachable virus scanner (when scanning is configured)."""
    day = today or timezone.localdate()
    require_client(actor, client, ClientAction.CHANGE)
    errors = _clean_metadata(category=category, title=title, document_date=document_date, today=day)
    if category in CLINICAL_DOCUMENT_CATEGORIES and not can(
        actor, client, ClientAction.CHANGE_CLINICAL
    ):
        errors["category"] = [
            _("Alleen medewerkers met toegang tot de behandeling voegen dit soort document toe.")
        ]
    kind = None
    if file is None:
        errors["file"] = [_("Kies een bestand.")]
    else:
        try:
            kind = check_file(file, filename=file.name or "", size=file.size or 0)
            scan_file(file)
        except FileRefused as exc:
            errors["file"] = [exc.message]
    if errors:
        raise ValidationError(errors)
    assert kind is not None and document_date is not None  # else an error was raised above
    return _store(actor, client, file, kind.content_type, category, title, document_date, author)


def _store(
    actor: User,
    client: Client,
    file: Any,
    content_type: str,
    category: str,
    title: str,
    document_date: dt.date,
    author: str,
) -> Document:
    document = Document(
        client=client,
        category=category,
        title=title.strip(),
        document_date=document_date,
        author=(author or "").strip()[:200],
        original_filename=(file.name or "")[-255:],
        size=file.size,
        content_type=content_type,
        sha256=_sha256(file),
        uploaded_by=actor,
    )
    # The file is written first; a failing insert removes it again (no orphan left behind).
    document.file.save(file.name, file, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    logger.info(
        "document stored document_id=%s client_id=%s size=%s", document.pk, client.pk, file.size
    )
    return document


@transaction.atomic
def document_delete(
    *, actor: User, document: Document, reason: str, now: dt.datetime | None = None
) -> Document:
    """Delete a document logically: it leaves the client file's list, and stays stored with
    who deleted it, when and why (the functional administrator can still see it)."""
    locked = Document.objects.select_for_update().select_related("client").get(pk=document.pk)
    if not can(actor, locked.client, document_action(locked.category, change=True)):
        raise PermissionDenied(_("U mag dit document niet verwijderen."))
    if locked.is_deleted:
        raise ValidationError({"document": _("Dit document is al verwijderd.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Vul de reden in waarom het document weg moet.")]})
    locked.deleted_at = now or timezone.now()
    locked.deleted_by = actor
    locked.deletion_reason = reason
    locked.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    logger.info("document deleted document_id=%s client_id=%s", locked.pk, locked.client_id)
    return locked
