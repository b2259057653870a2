"""The audit log's access point behind a reverse proxy: X-Forwarded-For is believed only from a
trusted proxy (settings.TRUSTED_PROXIES, addresses or CIDRs), and then only its right-most
address that is not itself a trusted proxy; a spoofed header from anyone else is ignored."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from olteams.audit import audit_record, client_ip
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.conftest import verified_client


def _request(peer: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        # no proxies configured: the header is never read
        ([], "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # a spoofed header from an untrusted peer is ignored
        (["10.0.0.0/8"], "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        (["10.0.0.1"], "10.0.0.2", "203.0.113.9", "10.0.0.2"),
        # from the trusted proxy: the address it saw
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/8"], "10.1.2.3", "203.0.113.9", "203.0.113.9"),
        # the client forged a left-hand entry: the right-most untrusted address wins
        (["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # two proxies in a row: skip the trusted ones from the right
        (["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        # IPv6 and a port
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::1, [2a00::7]:443", "2a00::7"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9:51000", "203.0.113.9"),
        # a trusted proxy without the header: the proxy itself
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
        # garbage in the header ends the walk: never a made-up address
        (["10.0.0.1"], "10.0.0.1", "evil, not-an-ip", "10.0.0.1"),
    ],
)
def test_client_ip(proxies, peer, forwarded, expected):
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_ip(_request(peer, forwarded)) == expected


def test_no_request_no_address():
    assert client_ip(None) is None


@pytest.mark.django_db
def test_the_audit_event_records_the_address_behind_the_trusted_proxy(member):
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        event = audit_record(
            user=member,
            event_type=AuditEventType.READ,
            request=_request("10.0.0.1", "203.0.113.9"),
        )
        spoofed = audit_record(
            user=member,
            event_type=AuditEventType.READ,
            request=_request("198.51.100.7", "203.0.113.9"),
        )
    assert AuditEvent.objects.get(pk=event.pk).ip_address == "203.0.113.9"
    assert AuditEvent.objects.get(pk=spoofed.pk).ip_address == "198.51.100.7"


@pytest.mark.django_db
def test_a_page_view_through_the_proxy_logs_the_forwarded_address(member):
    http = verified_client(member)
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        http.get(reverse("clients:client-list"), HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    with override_settings(TRUSTED_PROXIES=[]):
        http.get(reverse("clients:client-list"), HTTP_X_FORWARDED_FOR="203.0.113.51")
    addresses = list(
        AuditEvent.objects.filter(user=member, detail="cliëntenlijst")
        .order_by("seq")
        .values_list("ip_address", flat=True)
    )
    assert addresses == ["203.0.113.50", "127.0.0.1"]
