"""Reading the portal's PDFs back in tests: their text and pages (poppler's pdftotext)."""

from __future__ import annotations

import subprocess


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    return [page for page in pdf_text(content).split("\f") if page.strip()]
