"""Outgoing webhooks that cannot be turned against the inside of the network (SSRF).

A webhook's address is typed in by a manager (a messaging connector's outbound URL, an
automation rule's "call a webhook"); Frontline then POSTs to it from inside the installation's
network. Unchecked, that address could be ``http://169.254.169.254/`` (a cloud's metadata
service, credentials included), ``http://127.0.0.1:5432/``, or an intranet host. So:

- **On save** (:func:`url_problem`): only ``http`` and ``https``, a host, and a host that does not
  resolve to a refused address. A name that does not resolve now is accepted (it is checked again
  when used).
- **When sending** (:func:`post`): the host is resolved once, every address is checked, and the
  connection goes to a checked address (TLS still verifies the certificate for the host's name), so
  a name that resolves somewhere harmless on save and to 127.0.0.1 later (DNS rebinding) is
  refused. Redirects are not followed (a 3xx is the answer), and no proxy from the environment is
  used.

Refused: every address that is not globally routable — loopback, private (10/8, 172.16/12,
192.168/16, fc00::/7), link-local (169.254/16 with the metadata services, fe80::/10), carrier-grade
NAT, unspecified, reserved and documentation ranges — and multicast. IPv4 addresses written inside
IPv6 (``::ffff:127.0.0.1``) are checked as IPv4. An operator who needs an internal receiver sets
``WEBHOOK_ALLOW_PRIVATE`` (everything allowed) or names networks in ``WEBHOOK_ALLOWED_NETWORKS``
(``FRONTLINE_WEBHOOK_*``; docs/operators.md).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class BlockedAddress(OSError):
    """The webhook's host is, or resolves to, an address outgoing webhooks may not reach."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (TCP), as strings."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n.strip(), strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS if n.strip()]


def address_refused(address: str) -> bool:
    """Whether an outgoing webhook may not connect to ``address`` (an IP address as text)."""
    ip: Address = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: the zone is not part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if settings.WEBHOOK_ALLOW_PRIVATE or any(ip in net for net in _allowed_networks()):
        return False
    return not ip.is_global or ip.is_multicast


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Give an http or https address with a host.")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def checked_addresses(host: str, port: int, *, resolver: Resolver | None = None) -> list[str]:
    """``host``'s addresses, all of them allowed; :class:`BlockedAddress` if any is refused (or none is found)."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = (resolver or resolve)(host, port)  # socket.gaierror (an OSError) when it does not resolve
    if not addresses:
        raise BlockedAddress(f"{host} does not resolve.")
    refused = [a for a in addresses if address_refused(a)]
    if refused:
        raise BlockedAddress(f"{host} is a loopback, private, link-local or otherwise internal address ({refused[0]}); "
                             "outgoing webhooks may not reach it.")
    return addresses


def url_problem(url: str, *, resolver: Resolver | None = None) -> str | None:
    """Why ``url`` cannot be a webhook's target, or None. A host that does not resolve (yet) is not a problem here."""
    try:
        host, port = _host_port(url)
    except ValueError as exc:
        return str(exc)
    try:
        checked_addresses(host, port, resolver=resolver)
    except BlockedAddress as exc:
        return f"{exc} An operator can allow internal receivers (FRONTLINE_WEBHOOK_ALLOW_PRIVATE)."
    except OSError:
        return None
    return None


class _CheckedConnectionMixin:
    """Connects to an address checked just now, whatever the name resolves to a moment later."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._create_connection = self._checked_connection  # http.client sets socket.create_connection here

    def _checked_connection(self, address, timeout, source_address=None):  # type: ignore[no-untyped-def]
        host, port = address
        last: OSError | None = None
        for ip in checked_addresses(host, port):
            try:
                return socket.create_connection((ip, port), timeout, source_address)
            except OSError as exc:
                last = exc
        raise last or OSError(f"{host}: no address")


class _HTTPConnection(_CheckedConnectionMixin, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_CheckedConnectionMixin, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # the 3xx becomes an HTTPError: a webhook answers where it was sent


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirect)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to ``url`` through the checks above; the response's status code (4xx/5xx/3xx included).

    Raises :class:`BlockedAddress` for a refused address, another ``OSError`` for a network
    failure (refused, DNS, TLS, timeout) and ``ValueError`` for an address that is not http(s).
    """
    _host_port(url)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, OSError):
            raise exc.reason from exc
        raise
