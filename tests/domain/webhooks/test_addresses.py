"""Where webhooks may go: public addresses only (unless the operator allows private ones),
checked when an endpoint is saved and again at every attempt, which connects to the very
address it checked: a host that resolves elsewhere later (DNS rebinding) is refused then."""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from domain.models import WebhookDelivery, WebhookEndpoint
from domain.webhooks import addresses
from tests.api.webhooks.common import (
    Clock,
    adjust,
    allow_local_webhooks,
    create_endpoint,
    deliver,
)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.31.255.255", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("224.0.0.251", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert addresses.is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://8.8.8.8/", "https://"),
        ("http://8.8.8.8/", "https://"),
        ("https://", "no host"),
        ("https://a:b@8.8.8.8/", "credentials"),
        ("https://8.8.8.8/#x", "fragment"),
        ("https://8.8.8.8:0x50/", "not valid"),
        ("https://8.8.8.8/\n", "control"),
    ],
)
def test_urls_refused_before_any_lookup(url, why):
    with pytest.raises(addresses.AddressRefused, match=why):
        addresses.parse(url, allow_http=False)


async def test_plain_http_is_for_private_networks_only():
    assert addresses.parse("http://8.8.8.8/", allow_http=True).scheme == "http"
    target = await addresses.check("http://127.0.0.1:9/x?a=1", allow_private=True, allow_http=False)
    assert target.connect_url() == "http://127.0.0.1:9/x?a=1"
    assert target.host_header() == "127.0.0.1:9"


async def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    async def resolve(host, port):
        return [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.7")]

    monkeypatch.setattr(addresses, "resolve", resolve)
    with pytest.raises(addresses.AddressRefused, match=r"10\.0\.0\.7"):
        await addresses.check("https://hooks.example/", allow_private=False, allow_http=False)


async def test_an_unknown_host_is_refused():
    with pytest.raises(addresses.AddressRefused, match="does not resolve"):
        await addresses.check("https://no-such-host.invalid/", allow_private=True, allow_http=False)


async def test_an_attempt_connects_to_the_address_it_checked(gql, runtime, receiver, monkeypatch):
    """The host name stays in the Host header; the connection goes to the checked address."""
    allow_local_webhooks(monkeypatch, runtime)
    resolved = []

    async def resolve(host, port):
        resolved.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(addresses, "resolve", resolve)
    url = f"http://hooks.example:{receiver.port}/hooks"
    await create_endpoint(gql, url, ["POINTS_CHANGED"])
    await adjust(gql, "ada", 25, "a1")
    await deliver(runtime)

    [received] = receiver.received
    assert received.headers["host"] == f"hooks.example:{receiver.port}"
    assert resolved == ["hooks.example", "hooks.example"]  # when saved, and when sent


async def test_a_host_that_resolves_to_a_private_address_at_delivery_is_not_called(
    gql, runtime, receiver, monkeypatch
):
    """Public when the endpoint was saved, private when the attempt is made (rebinding)."""
    allow_local_webhooks(monkeypatch, runtime)
    answers = iter(["8.8.8.8", "127.0.0.1"])

    async def resolve(host, port):
        return [ipaddress.ip_address(next(answers))]

    monkeypatch.setattr(addresses, "resolve", resolve)
    monkeypatch.setattr(
        runtime, "settings", dataclasses.replace(runtime.settings, webhooks_allow_private=False)
    )
    endpoint, _ = await create_endpoint(gql, f"https://hooks.example:{receiver.port}/hooks")
    await adjust(gql, "ada", 25, "a1")
    assert await deliver(runtime, Clock()) == 1

    assert receiver.received == []
    [delivery] = await WebhookDelivery.all()
    assert delivery.status.value == "PENDING" and delivery.last_status_code is None
    assert delivery.last_error == (
        "refused: hooks.example resolves to a private, loopback or link-local address (127.0.0.1)"
    )
    assert (await WebhookEndpoint.get(id=int(endpoint["id"]))).failing_since is not None
