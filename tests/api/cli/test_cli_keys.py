"""A command given a key or board name longer than any key answers as for an unknown one: the
same one line and exit code, never a traceback (the rule of `tests/api/guards/test_hostile_keys`,
through `plaudit`, on the test server's database and Redis)."""

from __future__ import annotations

import re

import pytest

from gamification.actions import MAX_KEY_LENGTH
from tests.helpers import cli_env, run_plaudit

LONG = "k" * (MAX_KEY_LENGTH + 1)
QUOTED = re.compile(r"'[^']*'")


@pytest.mark.parametrize(
    "command",
    [
        ("badges", "backfill", "{}"),
        ("leaderboards", "verify", "--board", "{}"),
        ("leaderboards", "rebuild", "--board", "{}"),
        ("leaderboards", "verify", "--board", "challenge:{}"),
    ],
    ids=lambda command: " ".join(command),
)
async def test_an_over_long_key_is_answered_like_an_unknown_one(settings, server, command):
    env = cli_env(settings)
    answers = []
    for key in ("nope.unknown", LONG):
        code, stdout, stderr = await run_plaudit(*(a.format(key) for a in command), env=env)
        assert "Traceback" not in stderr, stderr
        answers.append((code, QUOTED.sub("'…'", stdout), QUOTED.sub("'…'", stderr)))

    unknown, long = answers
    assert long == unknown
    assert unknown[0] != 0 and unknown[2].startswith("error: no ")
