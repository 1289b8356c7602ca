"""Where a webhook may go: URLs and the addresses they resolve to (SSRF safety).

A URL is `https://` (plain `http://` only where private addresses are allowed, or in
development), with a host and without credentials. Its host must resolve to public addresses
only: private, loopback, link-local, shared, reserved, multicast and unspecified ones are
refused, unless the operator allows them (`PLAUDIT_WEBHOOKS_ALLOW_PRIVATE=true`, for tests and
private networks). The check runs when an endpoint is saved and again before every attempt,
which then connects to the very address it checked (DNS may change in between: rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL = 2000
RESOLVE_SECONDS = 5.0


class AddressRefused(ValueError):
    """The URL, or what its host resolves to, may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL: its parts, and the address an attempt connects to."""

    url: SplitResult
    address: IPAddress

    @property
    def host(self) -> str:
        return self.url.hostname or ""

    @property
    def port(self) -> int:
        return self.url.port or (443 if self.url.scheme == "https" else 80)

    def connect_url(self) -> str:
        """The URL with the checked address in place of the host name (the `Host` header and
        TLS's server name keep the name)."""
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        path = self.url.path or "/"
        query = f"?{self.url.query}" if self.url.query else ""
        return f"{self.url.scheme}://{literal}:{self.port}{path}{query}"

    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.url.port is None else f"{host}:{self.url.port}"


def host_of(url: str) -> str:
    """The URL's host name, for logs (a path or query may hold a receiver's token)."""
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


def is_public(address: IPAddress) -> bool:
    """Reachable on the public internet: not private, loopback, link-local, shared (CGNAT),
    documentation, reserved, unspecified or multicast (an IPv4-mapped IPv6 address is judged
    by its IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def parse(url: str, *, allow_http: bool) -> SplitResult:
    """The URL's parts, or AddressRefused saying what is wrong with it."""
    if len(url) > MAX_URL:
        raise AddressRefused(f"the URL is longer than {MAX_URL} characters")
    if not url.isprintable() or any(c.isspace() for c in url):
        raise AddressRefused("the URL holds spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise AddressRefused("the URL is not valid") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("the URL must start with https://")
    if parts.scheme == "http" and not allow_http:
        raise AddressRefused("the URL must use https:// (plain http:// is for private networks)")
    if not parts.hostname:
        raise AddressRefused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("the URL must not hold credentials (the signature authenticates)")
    if parts.fragment:
        raise AddressRefused("the URL must not have a #fragment")
    return parts


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal resolves to itself)."""
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_SECONDS
        )
    except (OSError, TimeoutError, UnicodeError):
        raise AddressRefused(f"{host} does not resolve") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused(f"{host} does not resolve")
    return addresses


async def check(url: str, *, allow_private: bool, allow_http: bool) -> Target:
    """The URL checked and resolved: AddressRefused when it may not receive webhooks. Every
    address of its host must be public unless private ones are allowed: one private address
    among public ones is refused too (a rebinding attacker needs only one)."""
    parts = parse(url, allow_http=allow_http or allow_private)
    host = parts.hostname or ""
    addresses = await resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    if not allow_private:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise AddressRefused(
                f"{host} resolves to a private, loopback or link-local address ({refused[0]})"
            )
    return Target(parts, addresses[0])
