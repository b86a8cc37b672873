"""frontline.core.outbound: outgoing webhooks refuse internal addresses on save and when sending.

DNS for made-up names cannot run offline, so the tests that need a name resolving somewhere give
the module a resolver (``monkeypatch`` on ``outbound.resolve``); ``localhost`` is resolved for real.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from frontline.core import outbound

REFUSED = ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
           "0.0.0.0", "::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "fe80::1", "fc00::1", "fd00:ec2::254",
           "224.0.0.1", "192.0.2.10"]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"]


@pytest.mark.parametrize("address", REFUSED)
def test_internal_addresses_are_refused_by_default(address: str) -> None:
    assert outbound.address_refused(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not outbound.address_refused(address)


@pytest.mark.parametrize("address", REFUSED)
def test_the_operator_can_allow_internal_addresses(settings, address: str) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert not outbound.address_refused(address)


def test_allowed_networks_open_only_those_networks(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.0.5.0/24", "fd00:5::/64"]
    assert [outbound.address_refused(a) for a in ("10.0.5.7", "fd00:5::9", "10.0.6.1", "127.0.0.1", "169.254.169.254")] \
        == [False, False, True, True, True]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9000/",
    "https://[::ffff:10.0.0.1]/x", "http://localhost:5432/", "http://0.0.0.0/",
])
def test_saving_an_internal_address_is_refused_saying_why(url: str) -> None:
    problem = outbound.url_problem(url)
    assert problem is not None and "internal address" in problem and "FRONTLINE_WEBHOOK_ALLOW_PRIVATE" in problem


@pytest.mark.parametrize("url", ["ftp://files.example/x", "file:///etc/passwd", "gopher://x/", "http:///nohost", "javascript:alert(1)"])
def test_only_http_and_https_with_a_host_are_accepted(url: str) -> None:
    assert outbound.url_problem(url) == "Give an http or https address with a host."


@pytest.mark.parametrize("addresses", [["10.9.8.7"], ["93.184.215.14", "127.0.0.1"], ["169.254.169.254"], ["::1"]])
def test_a_name_resolving_to_any_internal_address_is_refused(monkeypatch, addresses: list[str]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(outbound, "resolve", lambda host, port: addresses)
    assert outbound.url_problem("https://hooks.partner.example/x") is not None


def test_a_name_resolving_to_public_addresses_or_not_yet_resolving_is_accepted_on_save(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["93.184.215.14"])
    assert outbound.url_problem("https://hooks.partner.example/x") is None

    def nowhere(host: str, port: int) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(outbound, "resolve", nowhere)
    assert outbound.url_problem("https://not-yet.partner.example/x") is None


class _Receiver(BaseHTTPRequestHandler):
    hits: list[str] = []
    status = 200

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.hits.append(self.path)
        self.send_response(_Receiver.status)
        if _Receiver.status in (301, 302, 307):
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[int]:
    _Receiver.hits, _Receiver.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def _post(url: str) -> int:
    return outbound.post(url, body=b"{}", headers={"Content-Type": "application/json"}, timeout=5)


def test_sending_to_loopback_is_refused_by_default_and_nothing_arrives(receiver: int) -> None:
    with pytest.raises(outbound.BlockedAddress):
        _post(f"http://127.0.0.1:{receiver}/hook")
    with pytest.raises(outbound.BlockedAddress):
        _post(f"http://localhost:{receiver}/hook")
    assert _Receiver.hits == []


def test_sending_to_loopback_works_when_the_operator_allows_it(settings, receiver: int) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert _post(f"http://127.0.0.1:{receiver}/hook") == 200
    assert _Receiver.hits == ["/hook"]


def test_dns_rebinding_is_caught_when_sending(monkeypatch, receiver: int) -> None:  # type: ignore[no-untyped-def]
    """Public when the URL was saved, 127.0.0.1 when the webhook fires: refused, nothing arrives."""
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["93.184.215.14"])
    url = f"http://rebind.partner.example:{receiver}/hook"
    assert outbound.url_problem(url) is None
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["127.0.0.1"])
    with pytest.raises(outbound.BlockedAddress):
        _post(url)
    assert _Receiver.hits == []


def test_the_connection_goes_to_the_address_that_was_checked(settings, monkeypatch, receiver: int) -> None:  # type: ignore[no-untyped-def]
    """The name is resolved once, by the check; the socket connects to that address (no second lookup to rebind)."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(outbound, "resolve", resolver)
    assert _post(f"http://crm.partner.example:{receiver}/hook") == 200
    assert lookups == ["crm.partner.example"] and _Receiver.hits == ["/hook"]


def test_redirects_are_not_followed(settings, receiver: int) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE = True
    _Receiver.status = 302
    assert _post(f"http://127.0.0.1:{receiver}/hook") == 302
    assert _Receiver.hits == ["/hook"]


def test_error_statuses_are_returned_not_raised(settings, receiver: int) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE = True
    _Receiver.status = 503
    assert _post(f"http://127.0.0.1:{receiver}/hook") == 503
