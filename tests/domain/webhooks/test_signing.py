"""Signatures as the Standard Webhooks specification has them, checked against its reference
library: what we sign, `standardwebhooks` verifies, and signs the same."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from domain.webhooks import signing

BODY = b'{"type":"BADGE_EARNED","timestamp":"2026-12-01T10:00:00Z","data":{"memberId":"ada"}}'


def test_a_secret_is_whsec_and_32_random_bytes_in_base64():
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32


def test_the_headers_verify_with_the_reference_library():
    secret = signing.new_secret()
    now = datetime.now(UTC)
    headers = signing.headers([secret], "msg_1", now, BODY)

    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert Webhook(secret).verify(BODY, headers)["data"] == {"memberId": "ada"}
    assert headers["webhook-signature"] == Webhook(secret).sign("msg_1", now, BODY)


def test_two_secrets_give_two_signatures_either_of_which_verifies():
    current, previous = signing.new_secret(), signing.new_secret()
    headers = signing.headers([current, previous], "msg_2", datetime.now(UTC), BODY)

    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(current).verify(BODY, headers)
    Webhook(previous).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


def test_a_changed_body_id_or_timestamp_does_not_verify():
    secret = signing.new_secret()
    headers = signing.headers([secret], "msg_3", datetime.now(UTC), BODY)
    for body, changed in [
        (BODY + b" ", headers),
        (BODY, headers | {"webhook-id": "msg_4"}),
        (BODY, headers | {"webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}),
    ]:
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(body, changed)
