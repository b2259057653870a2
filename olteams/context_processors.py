from __future__ import annotations

from django.http import HttpRequest

from olteams.access import request_roles
from olteams.constants import Role
from olteams.navigation import header_counts, nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": [], "unread_notifications": 0, "user_roles": []}
    roles = request_roles(request)
    unread, badges = header_counts(user)
    return {
        "nav_items": nav_for(roles, request.path, badges),
        "unread_notifications": unread,
        "user_roles": [Role(r).label for r in roles],
    }
