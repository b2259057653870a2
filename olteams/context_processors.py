from __future__ import annotations

from django.http import HttpRequest

from olteams.access import request_roles
from olteams.constants import Role
from olteams.navigation import MUNICIPALITY_ADMIN, header_counts, nav_for
from olteams.services.municipalities import can_manage_municipalities


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": [], "unread_notifications": 0, "user_roles": []}
    roles = request_roles(request)
    menu_roles = list(roles)
    if {Role.WMO_CONSULTANT, Role.WMO_LEAD} & set(roles) and can_manage_municipalities(user):
        menu_roles.append(MUNICIPALITY_ADMIN)
    unread, badges = header_counts(user)
    return {
        "nav_items": nav_for(menu_roles, request.path, badges),
        "unread_notifications": unread,
        "user_roles": [Role(r).label for r in roles],
    }
