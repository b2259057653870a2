"""The consent gate of pages and endpoints that show one kind of clinical record.

A view sets ``record_kind`` (an ``olteams.constants.RecordKind``); once the client is read
through the access policy (``ClientScopedMixin`` / ``ClientScopedApiMixin``), a worker whose
organisation lacks the client's consent for that kind's category gets the short Dutch
explanation instead of the record (403), never the record and never a 500. The check uses
the request's cached access facts and consent categories (``categories_visible_to``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from olteams.access import record_visible, withheld_message

WITHHELD_TEMPLATE = "olteams/withheld.html"


def render_withheld(
    request: HttpRequest, client: Any, kind: str, section: str = ""
) -> HttpResponse:
    """The client frame with only the explanation of what is withheld (status 403)."""
    return render(
        request,
        WITHHELD_TEMPLATE,
        {"client": client, "section": section, "message": withheld_message(kind)},
        status=403,
    )


class RecordConsentMixin:
    """For class-based views after ``ClientScopedMixin`` in the bases (it sets ``client``)."""

    record_kind: str | None = None
    section = ""
    client: Any
    request: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        kind = self.record_kind
        user: Any = request.user
        if (
            kind is not None
            and user.is_authenticated
            and not record_visible(user, self.client, kind)
        ):
            return render_withheld(request, self.client, kind, self.section)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class RecordConsentApiMixin:
    """For DRF views, before ``ClientScopedApiMixin`` in the bases (its ``initial`` reads the
    client first): 403 with the explanation as detail."""

    record_kind: str | None = None
    client: Any

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        kind = self.record_kind
        if kind is not None and not record_visible(request.user, self.client, kind):
            raise ApiPermissionDenied(withheld_message(kind))
