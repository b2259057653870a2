"""Display helpers for the clients templates (labels only, no rules)."""

from django import template

from clients.constants import Phase

register = template.Library()


@register.filter
def phase_label(value: str | None) -> str:
    return str(Phase(value).label) if value in Phase.values else ""
