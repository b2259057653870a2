"""Writes of the clients app: the only code that changes clients, referrals and episodes.

Every function is keyword-only, takes the acting user, owns its transaction and raises
``ValidationError`` with Dutch field errors (or ``PermissionDenied``) on bad input, so the
browser, the API, the import and the demo seed all behave the same.
"""

from clients.services.care_team import (
    assignment_end,
    assignment_set,
    can_grant_care_team,
    can_grant_other_team,
    consent_give,
    consent_withdraw,
    external_party_add,
    external_party_end,
    external_party_update,
    involved_organisation_add,
    involved_organisation_end,
    naaste_add,
    naaste_update,
)
from clients.services.episodes import (
    episode_outflow,
    episode_reenter,
    episode_start,
    episode_transition,
    episode_voorzorg_contact,
    intake_complete,
    intake_letter_generated,
    intake_plan,
)
from clients.services.identity import (
    DuplicateClientError,
    clean_bsn,
    client_merge,
    client_register,
    client_register_at_wmo_desk,
    client_update,
)
from clients.services.referrals import referral_create, referral_decide

__all__ = [
    "DuplicateClientError",
    "assignment_end",
    "assignment_set",
    "can_grant_care_team",
    "can_grant_other_team",
    "clean_bsn",
    "client_merge",
    "client_register",
    "client_register_at_wmo_desk",
    "client_update",
    "consent_give",
    "consent_withdraw",
    "episode_outflow",
    "episode_reenter",
    "episode_start",
    "episode_transition",
    "episode_voorzorg_contact",
    "external_party_add",
    "external_party_end",
    "external_party_update",
    "intake_complete",
    "intake_letter_generated",
    "intake_plan",
    "involved_organisation_add",
    "involved_organisation_end",
    "naaste_add",
    "naaste_update",
    "referral_create",
    "referral_decide",
]
