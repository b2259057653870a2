"""Reads of the client file's documents: what this reader may see, never the deleted ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from caseload.constants import CLINICAL_DOCUMENT_CATEGORIES, DocumentCategory
from caseload.models import Document
from clients.models import Client
from olteams.access import ClientAction


def document_categories_visible(actions: Iterable[str]) -> list[str]:
    """The categories a reader with ``actions`` on the client sees: clinical ones only with
    clinical access."""
    clinical = ClientAction.VIEW_CLINICAL in set(actions)
    return [c for c in DocumentCategory.values if clinical or c not in CLINICAL_DOCUMENT_CATEGORIES]


def document_list(*, client: Client, actions: Iterable[str]) -> QuerySet[Document]:
    """The client's documents that this reader may see, newest first; deleted ones left out."""
    return (
        Document.objects.filter(
            client=client,
            deleted_at__isnull=True,
            category__in=document_categories_visible(actions),
        )
        .select_related("uploaded_by")
        .order_by("-document_date", "-id")
    )


def document_get(*, client: Client, document_id: int | str, actions: Iterable[str]) -> Document:
    """One visible document of this client; missing, deleted, another client's or not for
    this reader all answer 404 alike."""
    found = (
        document_list(client=client, actions=actions).filter(pk=document_id).first()
        if str(document_id).isdigit()
        else None
    )
    if found is None:
        raise Http404
    return found
