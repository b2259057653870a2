"""Reads of the clients app. Every query starts from ``olteams.access``."""

from clients.selectors.clients import (
    client_detail,
    client_list,
    clients_without_funding,
    open_episode_of,
    referral_get,
    referral_list,
    team_workers,
    waiting_list,
)

__all__ = [
    "client_detail",
    "client_list",
    "clients_without_funding",
    "open_episode_of",
    "referral_get",
    "referral_list",
    "team_workers",
    "waiting_list",
]
