"""Import of a client-tracking spreadsheet (CSV or XLSX); columns in docs/import-clients.md.

Every row goes through ``client_register`` (and ``referral_create`` when it has a referral
date), so an imported client obeys exactly the rules of one typed in. The import runs in
two passes: a validation pass that always rolls back (its progress is visible to the page
polling the job), then — unless this is a dry run, or a row is invalid and the user did not
choose to skip invalid rows — the real import in one transaction: all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import services
from clients.constants import Gender, ImportStatus, ReferralSource
from clients.models import ImportJob
from olteams.constants import TeamRole
from olteams.models import Municipality

COLUMNS = {  # spreadsheet heading (lower case) → field
    "achternaam": "last_name",
    "roepnaam": "first_name",
    "tussenvoegsel": "name_prefix",
    "voorletters": "initials",
    "geboortedatum": "date_of_birth",
    "geslacht": "gender",
    "bsn": "bsn",
    "adres": "address",
    "postcode": "postcode",
    "woonplaats": "city",
    "wijk": "neighbourhood",
    "gemeente": "municipality",
    "telefoon": "phone",
    "e-mail": "email",
    "huisarts": "gp_name",
    "huisartsenpraktijk": "gp_practice",
    "aanmelddatum": "referred_on",
    "verwijzer": "source",
    "hulpvraag": "question",
}
REQUIRED = ("achternaam", "roepnaam")
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")
CHUNK = 100


class ImportFileError(Exception):
    """The file cannot be read at all (wrong format, missing columns)."""


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value.strip() if isinstance(value, str) else value


# Limits on what is read, not on the upload: rows, and bytes after decompression (an XLSX
# is a zip; 126 KB once inflated to 400,000 rows).
MAX_IMPORT_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
_DELIMITERS = ";,\t"


def uncompressed_size(content: bytes, filename: str) -> int:
    """Bytes the file holds once unpacked (an XLSX's zip members); raises ImportFileError."""
    if not filename.lower().endswith(".xlsx"):
        return len(content)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("Het XLSX-bestand kan niet worden gelezen.")) from exc


def _check_size(content: bytes, filename: str) -> None:
    if uncompressed_size(content, filename) > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _("Het bestand is uitgepakt groter dan %(mb)s MB; splits het in kleinere bestanden.")
            % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252; else a Dutch error."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        _(
            "De tekenset van het bestand is niet te herkennen. Sla het op als 'CSV UTF-8' "
            "of als XLSX en probeer het opnieuw."
        )
    )


def _dialect(text: str) -> Any:
    sample = text[:4096]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        if not counts[best]:
            raise ImportFileError(
                _("Het scheidingsteken is niet te herkennen; gebruik een puntkomma of komma.")
            ) from None

        class Detected(csv.excel):
            delimiter = best

        return Detected


def _table(content: bytes, filename: str) -> Iterator[Any]:
    _check_size(content, filename)
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportFileError(_("Het XLSX-bestand kan niet worden gelezen.")) from exc
        return iter(sheet.iter_rows(values_only=True))
    text = _decode(content)
    dialect = _dialect(text) if text.strip() else csv.excel
    return iter(csv.reader(io.StringIO(text), dialect))


def read_rows(content: bytes, filename: str) -> list[dict[str, Any]]:
    """The data rows as dicts keyed by our field names; raises ImportFileError (Dutch) on an
    unreadable file, an unknown encoding or delimiter, or more than the limits."""
    try:
        table = _table(content, filename)
        header = [str(h or "").strip().lower() for h in next(table, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ImportFileError(
                _("Verplichte kolommen ontbreken: %(cols)s.") % {"cols": ", ".join(missing)}
            )
        rows: list[dict[str, Any]] = []
        for values in table:  # streamed: stops at the limit, never reads the rest
            if values is None or all(v in (None, "") for v in values):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportFileError(
                    _("Het bestand heeft meer dan %(n)s rijen; splits het in kleinere bestanden.")
                    % {"n": f"{MAX_IMPORT_ROWS:,}".replace(",", ".")}
                )
            row = {
                COLUMNS[h]: _cell(v) for h, v in zip(header, values, strict=False) if h in COLUMNS
            }
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(
            _("Het CSV-bestand kan niet worden gelezen (regel %(n)s).")
            % {"n": getattr(exc, "line_num", "?")}
        ) from exc
    return rows


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value), fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValidationError({field: _("Onbekende datum '%(v)s'; gebruik DD-MM-JJJJ.") % {"v": value}})


def _choice(value: Any, choices: Any, field: str, label: str) -> str:
    if value in (None, ""):
        return ""
    text = str(value).strip().lower()
    for code, name in choices:
        if text in (str(code).lower(), str(name).lower()):
            return code
    raise ValidationError({field: _("Onbekende %(label)s '%(v)s'.") % {"label": label, "v": value}})


def _prepare(row: dict[str, Any], municipalities: dict[str, Municipality]) -> tuple[dict, dict]:
    """Parse one row into client fields and (optional) referral fields."""
    fields: dict[str, Any] = {
        k: ("" if v is None else str(v) if not isinstance(v, dt.date) else v)
        for k, v in row.items()
        if k not in ("referred_on", "source", "question", "municipality", "date_of_birth", "gender")
    }
    fields["bsn"] = fields.get("bsn") or None
    fields["date_of_birth"] = _date(row.get("date_of_birth"), "date_of_birth")
    fields["gender"] = _choice(row.get("gender"), Gender.choices, "gender", _("geslacht"))
    name = str(row.get("municipality") or "").strip().lower()
    if name and name not in municipalities:
        raise ValidationError({"municipality": _("Onbekende gemeente '%(v)s'.") % {"v": name}})
    fields["municipality"] = municipalities.get(name)
    referral = {}
    referred_on = _date(row.get("referred_on"), "referred_on")
    if referred_on:
        referral = {
            "referred_on": referred_on,
            "source": _choice(row.get("source"), ReferralSource.choices, "source", _("verwijzer"))
            or ReferralSource.OVERIG,
            "question": str(row.get("question") or "") or _("Overgenomen uit de cliëntenlijst."),
        }
    return fields, referral


def _import_row(job: ImportJob, row: dict[str, Any], municipalities: dict, today: dt.date) -> Any:
    fields, referral_fields = _prepare(row, municipalities)
    referral = None
    if referral_fields:
        referral = services.referral_create(
            actor=job.created_by,
            team=job.team,
            today=today,
            person_name=f"{fields.get('first_name', '')} {fields.get('last_name', '')}",
            **referral_fields,
        )
    return services.client_register(
        actor=job.created_by, team=job.team, referral=referral, today=today, **fields
    )


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
    return list(exc.messages)


def _validate(job: ImportJob, rows: list[dict], municipalities: dict, today: dt.date) -> list[dict]:
    """Pass 1: try every row (rolled back), committing progress between chunks."""
    results: list[dict] = []
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            for number, row in enumerate(rows[start : start + CHUNK], start=start + 2):
                try:
                    with transaction.atomic():
                        _import_row(job, row, municipalities, today)
                except ValidationError as exc:
                    results.append({"row": number, "ok": False, "errors": _messages(exc)})
                else:
                    results.append({"row": number, "ok": True, "errors": []})
            transaction.set_rollback(True)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(results))
    _flag_duplicates_within_file(rows, results)
    return results


def _flag_duplicates_within_file(rows: list[dict], results: list[dict]) -> None:
    seen: dict[str, int] = {}
    for row, result in zip(rows, results, strict=True):
        bsn = str(row.get("bsn") or "").replace(" ", "").replace(".", "")
        if not bsn:
            continue
        if bsn in seen:
            result["ok"] = False
            # The first copy was tried in the same pass: say so, not "already registered".
            result["errors"] = [e for e in result["errors"] if not e.startswith("bsn:")]
            result["errors"].append(
                _("bsn: Hetzelfde BSN staat ook in rij %(n)s.") % {"n": seen[bsn]}
            )
        else:
            seen[bsn] = result["row"]


def import_run(*, job_id: int, today: dt.date | None = None) -> ImportJob:
    """Run one import job (idempotent: a finished job is returned unchanged)."""
    day = today or timezone.localdate()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.RUNNING):
            return job
        job.status, job.progress_at = ImportStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "progress_at"])
    try:
        rows = read_rows(bytes(job.content), job.filename)
    except ImportFileError as exc:
        return _finish(job, status=ImportStatus.FAILED, error=str(exc))
    except Exception:  # never a 500 nor a job stuck at "bezig": a failed job with a reason
        logging.getLogger(__name__).exception("import unreadable job=%s", job.pk)
        return _finish(
            job, status=ImportStatus.FAILED, error=_("Het bestand kan niet worden gelezen.")
        )
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    municipalities = {m.name.lower(): m for m in Municipality.objects.all()}
    results = _validate(job, rows, municipalities, day)
    invalid = any(not r["ok"] for r in results)
    created = 0
    if not job.dry_run and (job.skip_invalid or not invalid):
        try:
            with transaction.atomic():
                for row, result in zip(rows, results, strict=True):
                    if result["ok"]:
                        number = result["row"]
                        _import_row(job, row, municipalities, day)
                        created += 1
        except ValidationError as exc:  # e.g. the same person twice, far apart in the file
            error = _("Rij %(n)s: %(e)s Er is niets geïmporteerd.") % {
                "n": number,
                "e": "; ".join(_messages(exc)),
            }
            return _finish(job, status=ImportStatus.FAILED, error=error, results=results)
    return _finish(job, results=results, created=created)


def _finish(
    job: ImportJob,
    *,
    status: str = ImportStatus.DONE,
    error: str = "",
    results: list | None = None,
    created: int = 0,
) -> ImportJob:
    job.refresh_from_db()
    job.status, job.error, job.created_count = status, error[:300], created
    job.results = results or []
    job.processed_rows = len(job.results)
    job.finished_at = timezone.now()
    job.save()
    return job


@transaction.atomic
def import_job_create(
    *, actor: Any, team: Any, filename: str, content: bytes, dry_run: bool, skip_invalid: bool
) -> ImportJob:
    """Store the upload; the caller starts ``import_run`` (inline or as a Celery task)."""
    from clients.services._common import require_team

    require_team(actor, team.pk, roles=(TeamRole.LEAD, TeamRole.SECRETARIAAT))
    return ImportJob.objects.create(
        team=team,
        created_by=actor,
        filename=filename[:200],
        content=content,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
