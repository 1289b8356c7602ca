"""The webhook settings: a retry schedule in plain words, bounded timeouts and days, and a
refusal that names the variable."""

from __future__ import annotations

import pytest

from domain.infra.settings import Settings, SettingsError


def test_the_defaults_retry_for_more_than_a_day():
    settings = Settings.from_env({})
    assert settings.webhook_retry_schedule == (5, 300, 1800, 7200, 18000, 36000, 36000)
    assert sum(settings.webhook_retry_schedule) > 24 * 3600
    assert settings.webhook_timeout_seconds == 10
    assert settings.webhook_disable_after_days == 5
    assert settings.webhook_history_days == 30
    assert settings.webhooks_allow_private is False


def test_a_schedule_is_read_in_seconds_minutes_hours_and_days():
    read = Settings.from_env({"PLAUDIT_WEBHOOK_RETRY_SCHEDULE": " 1s, 2m,3h ,1d"})
    assert read.webhook_retry_schedule == (1, 120, 10800, 86400)
    allowed = Settings.from_env({"PLAUDIT_WEBHOOKS_ALLOW_PRIVATE": "true"})
    assert allowed.webhooks_allow_private is True


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "5", "expected delays such as 5s,5m,30m,2h,1d"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "1s,,2s", "expected delays"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "-1s", "expected delays"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "0s", "1s to 7d"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "8d", "1s to 7d"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", ",".join(["1s"] * 21), "at most 20"),
        ("PLAUDIT_WEBHOOK_TIMEOUT_SECONDS", "0", "between 1 and 30"),
        ("PLAUDIT_WEBHOOK_TIMEOUT_SECONDS", "60", "between 1 and 30"),
        ("PLAUDIT_WEBHOOK_DISABLE_AFTER_DAYS", "0", "between 1 and 365"),
        ("PLAUDIT_WEBHOOK_HISTORY_DAYS", "a month", "whole number"),
        ("PLAUDIT_WEBHOOKS_ALLOW_PRIVATE", "maybe", "true or false"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(variable, value, says):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({variable: value})
    assert refused.value.variable == variable
    assert says in str(refused.value)
