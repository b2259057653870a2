"""Reads of the clients app. Every query starts from ``olteams.access``."""

from clients.selectors.clients import (
    care_team_worker_ids,
    client_detail,
    client_list,
    client_staff_choices,
    client_staff_scope,
    clients_without_funding,
    open_episode_of,
    other_team_workers,
    referral_get,
    referral_list,
    team_workers,
    waiting_list,
)

__all__ = [
    "care_team_worker_ids",
    "client_detail",
    "client_list",
    "client_staff_choices",
    "client_staff_scope",
    "clients_without_funding",
    "open_episode_of",
    "other_team_workers",
    "referral_get",
    "referral_list",
    "team_workers",
    "waiting_list",
]
