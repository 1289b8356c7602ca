"""Webhook endpoints over GraphQL: admins create, list, change, rotate and delete them; the secret
is shown once and nowhere else; URLs that could reach the inside of the network are refused."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from domain.models import AuditRecord, WebhookEndpoint
from tests.api.webhooks.common import (
    ALL_EVENTS,
    CREATE,
    DELETE,
    ROTATE,
    UPDATE,
    admin,
    allow_local_webhooks,
    create_endpoint,
    endpoints,
)
from tests.conftest import member
from tests.helpers import codes


@pytest.fixture(autouse=True)
def local_webhooks(monkeypatch, runtime):
    allow_local_webhooks(monkeypatch, runtime)


async def test_an_admin_creates_an_endpoint_and_sees_its_secret_this_once(gql, receiver, caplog):
    caplog.set_level(logging.DEBUG, logger="plaudit")  # every line of ours, even at DEBUG
    endpoint, secret = await create_endpoint(
        gql, receiver.url, ["BADGE_EARNED", "TIER_CHANGED", "BADGE_EARNED"], "CRM"
    )

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert endpoint["url"] == receiver.url
    assert endpoint["description"] == "CRM"
    assert endpoint["events"] == ["BADGE_EARNED", "TIER_CHANGED"]  # each once
    assert endpoint["enabled"] is True and endpoint["disabledReason"] is None
    [listed] = await endpoints(gql)
    assert listed["id"] == endpoint["id"] and listed["deliveries"]["edges"] == []
    # Never again: the type has no field for it, the audit log and the log lines do not hold it.
    fields = await gql('{ __type(name: "WebhookEndpoint") { fields { name } } }')
    assert "secret" not in str(fields)
    audit = [json.dumps([r.before, r.after]) for r in await AuditRecord.all()]
    assert len(audit) == 1 and secret not in audit[0] and receiver.url in audit[0]
    key = secret.removeprefix("whsec_")
    assert not any(key in record.getMessage() for record in caplog.records)


async def test_the_api_never_shows_a_secret_again(gql, receiver):
    endpoint, _ = await create_endpoint(gql, receiver.url)
    changed = await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "description": "x"}})
    assert changed["secret"] is None and changed["errors"] == []
    deleted = await admin(gql, DELETE, {"id": endpoint["id"]})
    assert deleted["secret"] is None


async def test_only_admins_manage_endpoints(gql, receiver):
    body = await gql("{ webhookEndpoints { id } }", as_=member("ada"))
    assert codes(body) == ["FORBIDDEN"]
    variables = {"input": {"url": receiver.url, "events": ALL_EVENTS}}
    body = await gql(CREATE, variables, as_=member("ada"))
    assert codes(body) == ["FORBIDDEN"]
    assert codes(await gql("{ webhookEndpoints { id } }")) == ["UNAUTHENTICATED"]
    assert await WebhookEndpoint.all().count() == 0


async def test_an_endpoint_is_changed_disabled_enabled_and_deleted(gql, receiver, receivers):
    endpoint, _ = await create_endpoint(gql, receiver.url, ["POINTS_CHANGED"])
    other = await receivers()
    changes = {"id": endpoint["id"], "url": other.url, "events": [], "description": "  ERP "}
    payload = await admin(gql, UPDATE, {"input": changes})
    assert payload["errors"] == []
    assert payload["endpoint"]["url"] == other.url
    assert payload["endpoint"]["events"] == []  # empty: none
    assert payload["endpoint"]["description"] == "ERP"

    off = await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "enabled": False}})
    assert off["endpoint"]["enabled"] is False
    assert off["endpoint"]["disabledReason"] == "endpoint disabled by an admin"
    on = await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "enabled": True}})
    assert on["endpoint"]["enabled"] is True and on["endpoint"]["disabledReason"] is None

    deleted = await admin(gql, DELETE, {"id": endpoint["id"]})
    assert deleted["errors"] == [] and deleted["endpoint"]["enabled"] is False
    assert await endpoints(gql) == []
    assert await WebhookEndpoint.filter(id=int(endpoint["id"])).exists()  # history kept
    again = await admin(gql, DELETE, {"id": endpoint["id"]})
    assert [e["code"] for e in again["errors"]] == ["NOT_FOUND"]
    operations = [r.operation for r in await AuditRecord.all().order_by("id")]
    assert operations == [
        "createWebhookEndpoint",
        "updateWebhookEndpoint",
        "updateWebhookEndpoint",
        "updateWebhookEndpoint",
        "deleteWebhookEndpoint",
    ]


@pytest.mark.parametrize("document", [UPDATE, ROTATE, DELETE])
async def test_an_unknown_endpoint_is_not_found(gql, document):
    for unknown in ("12345", "not-an-id", "²"):
        variables = {"input": {"id": unknown}} if document is UPDATE else {"id": unknown}
        payload = await admin(gql, document, variables)
        assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"], payload
        assert payload["endpoint"] is None


async def test_rotation_returns_a_new_secret_once(gql, receiver):
    endpoint, first = await create_endpoint(gql, receiver.url)
    payload = await admin(gql, ROTATE, {"id": endpoint["id"]})
    assert payload["errors"] == []
    assert payload["secret"].startswith("whsec_") and payload["secret"] != first
    stored = await WebhookEndpoint.get(id=int(endpoint["id"]))
    assert (stored.secret, stored.previous_secret) == (payload["secret"], first)


# --- refusals -----------------------------------------------------------------------------------

PRIVATE = [
    "https://127.0.0.1/hooks",
    "https://127.1/hooks",  # another spelling of loopback
    "https://2130706433/hooks",  # and another
    "https://localhost:8443/hooks",
    "https://10.1.2.3/hooks",
    "https://172.16.0.9/hooks",
    "https://192.168.1.20/hooks",
    "https://100.64.0.1/hooks",  # shared address space (CGNAT)
    "https://169.254.169.254/latest/meta-data",  # link-local: the cloud's metadata service
    "https://0.0.0.0/hooks",
    "https://[::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[fd00::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",  # IPv4-mapped loopback
    "https://224.0.0.1/hooks",  # multicast
]
MALFORMED = [
    "ftp://203.0.113.9/hooks",
    "file:///etc/passwd",
    "gopher://203.0.113.9/",
    "//203.0.113.9/hooks",
    "hooks.example.com/path",
    "https:///nohost",
    "https://user:secret@8.8.8.8/hooks",
    "https://8.8.8.8/hooks#fragment",
    "https://8.8.8.8:99999/hooks",
    "https://8.8.8.8/ho oks",
    "https://" + "a" * 2000 + ".com/",
    "",
]


async def refused(gql, url: str) -> dict:
    body = await gql(CREATE, {"input": {"url": url, "events": ALL_EVENTS}}, as_=("root", "admin"))
    assert "errors" not in body, body
    payload: dict = body["data"]["createWebhookEndpoint"]
    assert payload["endpoint"] is None and payload["secret"] is None, (url, payload)
    [error] = payload["errors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["input", "url"]), (url, error)
    return error


async def test_private_loopback_and_link_local_addresses_are_refused(gql, runtime, monkeypatch):
    allow_local_webhooks(monkeypatch, runtime, webhooks_allow_private=False)
    for url in PRIVATE:
        error = await refused(gql, url)
        assert "private, loopback or link-local" in error["message"], (url, error)
    assert await WebhookEndpoint.all().count() == 0
    assert await AuditRecord.all().count() == 0


async def test_only_https_urls_with_a_host_and_no_credentials_are_accepted(
    gql, runtime, monkeypatch
):
    allow_local_webhooks(monkeypatch, runtime, webhooks_allow_private=False)
    for url in [*MALFORMED, "http://8.8.8.8/hooks"]:
        await refused(gql, url)
    error = await refused(gql, "http://8.8.8.8/hooks")
    assert "https://" in error["message"]
    assert await WebhookEndpoint.all().count() == 0


async def test_an_update_to_a_private_url_is_refused_and_changes_nothing(
    gql, receiver, runtime, monkeypatch
):
    endpoint, _ = await create_endpoint(gql, receiver.url)
    allow_local_webhooks(monkeypatch, runtime, webhooks_allow_private=False)
    payload = await admin(gql, UPDATE, {"input": {"id": endpoint["id"], "url": receiver.url}})
    errors = [(e["code"], e["field"]) for e in payload["errors"]]
    assert errors == [("INVALID_INPUT", ["input", "url"])]
    assert (await WebhookEndpoint.get(id=int(endpoint["id"]))).url == receiver.url
