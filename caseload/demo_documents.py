"""Demo documents in the client file: a GP letter and a signed plan (small PDFs built here at
seed time, never committed as files) for a few clients in care of every team. Synthetic
only; idempotent (a team whose clients already have documents is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from caseload.constants import DocumentCategory
from caseload.models import Document
from caseload.services.documents import document_upload
from clients.constants import AssignmentRole
from clients.models import Assignment
from olteams.models import Team

CLIENTS_PER_TEAM = 3
LETTERS = [
    "Geachte collega, hierbij verwijs ik mijn patient naar uw team voor ondersteuning.",
    "Graag uw aandacht voor de medicatie; de bloedwaarden zijn goed.",
    "Terugrapportage na het consult: het gaat beter, we zien elkaar over drie maanden.",
]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF with a few lines of Helvetica text (ASCII), offsets computed."""
    text = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({_escape(line)}) Tj T*" for line in lines)
    stream = text.encode("latin-1") + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _seed_team(team: Team, today: dt.date, rng: random.Random) -> None:
    if Document.objects.filter(client__team=team).exists():
        return
    rows = (
        Assignment.objects.filter(
            client__team=team,
            role=AssignmentRole.CASEMANAGER,
            start_date__lte=today,
            end_date__isnull=True,
        )
        .select_related("client", "worker")
        .order_by("client_id")[:CLIENTS_PER_TEAM]
    )
    for row in rows:
        day = today - dt.timedelta(days=rng.randint(5, 120))
        letter = minimal_pdf(
            ["Huisartsenpraktijk De Brink", f"Datum: {day:%d-%m-%Y}", rng.choice(LETTERS)]
        )
        document_upload(
            actor=row.worker,
            client=row.client,
            file=SimpleUploadedFile("brief-huisarts.pdf", letter),
            category=DocumentCategory.GP_LETTER,
            title="Brief van de huisarts",
            document_date=day,
            author="Huisarts De Brink",
            today=today,
        )
        signed = minimal_pdf(["Herstelplan", "Voor akkoord getekend door de client."])
        document_upload(
            actor=row.worker,
            client=row.client,
            file=SimpleUploadedFile("herstelplan-getekend.pdf", signed),
            category=DocumentCategory.SIGNED_PLAN,
            title="Herstelplan, getekend",
            document_date=min(today, day + dt.timedelta(days=7)),
            author=row.worker.get_full_name(),
            today=today,
        )


def seed(*, today: dt.date, rng: random.Random) -> None:
    for team in Team.objects.order_by("slug"):
        _seed_team(team, today, rng)
