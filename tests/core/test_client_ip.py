"""The address the audit log records: X-Forwarded-For only from a configured proxy, read from the right."""

import pytest
from django.test import RequestFactory

from core.models import AuditEvent
from core.net import client_ip
from tests.conftest import PASSWORD, client_for
from tests.core.test_settings import _manage


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored():
    assert ip_of("203.0.113.7", "198.51.100.1") == "203.0.113.7"


@pytest.fixture
def behind_proxy(settings):
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::1"]


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    # The proxy appends the address it saw; what the client wrote further left is not believed.
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
    # Two of our proxies in a row: skipped from the right.
    ("10.0.0.2", "198.51.100.1, 10.0.0.3", "198.51.100.1"),
    ("2001:db8::1", "198.51.100.1", "198.51.100.1"),
    ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),
    # Not from a proxy: the header is anyone's.
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
    # Garbage stops the walk at the last address we trust.
    ("10.0.0.2", "not-an-ip", "10.0.0.2"),
    ("10.0.0.2", "198.51.100.1, x, 10.0.0.3", "10.0.0.3"),
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", None, "10.0.0.2"),
])
def test_behind_a_trusted_proxy_the_nearest_untrusted_address_is_the_client(behind_proxy, remote, forwarded,
                                                                            expected):
    assert ip_of(remote, forwarded) == expected


def test_no_usable_address_records_none():
    assert ip_of("") is None and client_ip(None) is None


def test_a_forged_header_does_not_reach_the_audit_log(caseworker):
    client_for(None).post("/akun/login/", {"username": caseworker.username, "password": PASSWORD},
                          REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert AuditEvent.objects.get(action="auth.login").ip_address == "203.0.113.7"


def test_behind_the_districts_proxy_the_audit_log_records_the_client(caseworker, behind_proxy):
    client_for(None).post("/akun/login/", {"username": caseworker.username, "password": "salah-sekali"},
                          REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-me, 198.51.100.66")
    assert AuditEvent.objects.get(action="auth.login_failed").ip_address == "198.51.100.66"


def test_a_misconfigured_proxy_list_stops_the_start_with_a_clear_message():
    result = _manage("check", SIMPUL_TRUSTED_PROXIES="10.0.0.0/8,proxy.local")
    assert result.returncode != 0
    assert "SIMPUL_TRUSTED_PROXIES: 'proxy.local' is not an IP address or network" in result.stderr
