"""``{% client_frame_header %}``: the header and tabs of the client frame."""

from __future__ import annotations

from typing import Any

from django import template

from olteams.client_frame import client_age, client_home_url, frame_for

register = template.Library()


@register.inclusion_tag("olteams/_client_frame_header.html", takes_context=True)
def client_frame_header(context: Any) -> dict[str, Any]:
    request = context["request"]
    client = context["client"]
    match = getattr(request, "resolver_match", None)
    frame = frame_for(user=request.user, client=client, view_name=match.view_name if match else "")
    return {
        "client": client,
        "age": client_age(client.date_of_birth, frame["today"]),
        **frame,
    }


@register.simple_tag(name="client_home_url")
def client_home_url_tag(client_id: int) -> str:
    """``{% client_home_url c.pk %}``: the landing page of the client frame (the dossier)."""
    return client_home_url(client_id)
