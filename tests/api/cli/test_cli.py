"""The `plaudit` command line, run as a user runs it: a subprocess with an environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.auth import Role, TokenVerifier
from domain.infra.settings import Settings
from tests.conftest import SECRET

PLAUDIT = str(Path(sys.executable).with_name("plaudit"))


def plaudit(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAUDIT_")}
    return subprocess.run(
        [PLAUDIT, *args], env=clean | env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PLAUDIT_JWT_SECRET", "too-short"),
        ("PLAUDIT_TIMEZONE", "Mars/Olympus_Mons"),
        ("PLAUDIT_PORT", "eighty"),
        ("PLAUDIT_DATABASE_URL", "mysql://somewhere/db"),
        ("PLAUDIT_MEMBER_BACKDATE_HOURS", "-1"),
        ("PLAUDIT_RETENTION_DAYS", "30"),
        ("PLAUDIT_RETENTION_DAYS", "forever"),
        ("PLAUDIT_WEBHOOK_RETRY_SCHEDULE", "5 minutes"),
        ("PLAUDIT_WEBHOOKS_ALLOW_PRIVATE", "maybe"),
    ],
)
def test_an_invalid_setting_stops_with_one_line_naming_the_variable(tmp_path, variable, value):
    result = plaudit("schema", PLAUDIT_DATA_DIR=str(tmp_path), **{variable: value})
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"plaudit: invalid configuration: {variable}:")


def test_token_mints_a_token_the_api_accepts(tmp_path):
    result = plaudit(
        "token", "--role", "service", "--sub", "importer", "--ttl", "15m",
        PLAUDIT_DATA_DIR=str(tmp_path), PLAUDIT_JWT_SECRET=SECRET,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settings = Settings.from_env({"PLAUDIT_JWT_SECRET": SECRET, "PLAUDIT_DATA_DIR": str(tmp_path)})
    viewer = TokenVerifier(settings).verify(result.stdout.strip())
    assert (viewer.subject, viewer.role) == ("importer", Role.SERVICE)


@pytest.mark.parametrize("ttl", ["3000000d", "9999999d", "9" * 30 + "s"])
def test_token_refuses_a_lifetime_beyond_the_supported_years_in_one_line(tmp_path, ttl):
    result = plaudit("token", "--role", "admin", "--sub", "root", "--ttl", ttl,
                     PLAUDIT_DATA_DIR=str(tmp_path))  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "plaudit: invalid configuration: --ttl: too long: the token would expire after 8999"
    ]


def test_without_a_secret_a_dev_secret_is_generated_once_in_the_data_dir(tmp_path):
    first = plaudit("token", "--role", "admin", "--sub", "root", PLAUDIT_DATA_DIR=str(tmp_path))
    second = plaudit("token", "--role", "admin", "--sub", "root", PLAUDIT_DATA_DIR=str(tmp_path))
    assert first.returncode == second.returncode == 0
    settings = Settings.from_env({"PLAUDIT_DATA_DIR": str(tmp_path)})
    for result in (first, second):
        assert TokenVerifier(settings).verify(result.stdout.strip()).role is Role.ADMIN


def test_schema_prints_the_sdl(tmp_path):
    result = plaudit("schema", PLAUDIT_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "recordInteraction(input: RecordInteractionInput!)" in result.stdout
    assert "type Query {" in result.stdout


def test_badges_backfill_reports_progress_and_how_many_earned_it(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0

    result = plaudit("badges", "backfill", "regular", **env)

    assert result.returncode == 0, result.stderr
    assert "backfill regular: 100%" in result.stderr and "4/4" in result.stderr  # tqdm's bar
    # The demo's members earned it as they went: nobody is owed it.
    assert result.stdout.strip() == "0 member(s) earned regular"


def test_leaderboards_rebuild_reports_progress_and_every_board(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0

    result = plaudit("leaderboards", "rebuild", **env)

    assert result.returncode == 0, result.stderr
    assert "rebuild: 100%" in result.stderr  # tqdm's bar, like every long command
    assert result.stdout.splitlines()[-1].startswith("rebuilt ")


def test_leaderboards_rebuild_and_verify_take_one_board(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0

    rebuilt = plaudit("leaderboards", "rebuild", "--board", "referrals", **env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    boards = [line.split(":", 1)[0] for line in rebuilt.stdout.splitlines()[:-1]]
    assert boards and set(boards) == {"referrals"}
    verified = plaudit("leaderboards", "verify", "--board", "points", **env)
    assert verified.returncode == 0 and verified.stdout.splitlines()[-1] == "0 difference(s)"

    unknown = plaudit("leaderboards", "rebuild", "--board", "pionts", **env)
    assert unknown.returncode == 2 and "no leaderboard named 'pionts'" in unknown.stderr


def test_insight_refresh_scores_the_members_with_a_progress_bar(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0

    result = plaudit("insight", "refresh", "--as-of", "2026-11-30", **env)

    assert result.returncode == 0, result.stderr
    assert "insight: 100%" in result.stderr  # tqdm's bar
    lines = result.stdout.splitlines()
    assert lines[0].startswith("as of 2026-11-30: 4 member(s) scored in ")
    assert lines[1].startswith("churn model: r=")
    bad = plaudit("insight", "refresh", "--as-of", "yesterday", **env)
    assert bad.returncode == 2 and "expected YYYY-MM-DD" in bad.stderr


@pytest.mark.parametrize("as_of", ["0001-01-01", "1969-12-31", "9000-01-01", "9999-12-31"])
def test_insight_refresh_refuses_a_date_out_of_range_as_a_usage_error(tmp_path, as_of):
    result = plaudit("insight", "refresh", "--as-of", as_of, PLAUDIT_DATA_DIR=str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"plaudit insight refresh: error: argument --as-of: '{as_of}' is out of range: "
        "years 1970 to 8999"
    )


def test_badges_backfill_of_an_unknown_badge_fails_with_a_message(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("migrate", **env).returncode == 0

    result = plaudit("badges", "backfill", "nope", **env)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "no badge 'nope'" in result.stderr


def test_leaderboards_verify_exits_zero_when_redis_matches_the_database(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0
    assert plaudit("leaderboards", "rebuild", **env).returncode == 0

    result = plaudit("leaderboards", "verify", **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "0 difference(s)"


def test_leaderboards_verify_prints_each_difference_and_exits_one(tmp_path):
    import sqlite3

    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0
    with sqlite3.connect(tmp_path / "plaudit.sqlite3") as db:
        db.execute(
            "UPDATE leaderboard_score SET score = score + 7 "
            "WHERE member_id = 'demo-linus' AND board = 'points' AND period = 'ALL_TIME'"
        )

    result = plaudit("leaderboards", "verify", **env)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "demo-linus" in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert lines[0].startswith("points ALL_TIME lifetime demo-linus: expected ")
    assert result.stdout.splitlines()[-1] == "1 difference(s)"


def test_leaderboards_verify_reports_a_stale_profile_and_rebuild_repairs_it(tmp_path):
    import sqlite3

    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0
    with sqlite3.connect(tmp_path / "plaudit.sqlite3") as db:  # renamed behind Redis's back
        db.execute("UPDATE member SET display_name = 'Linus T.' WHERE id = 'demo-linus'")

    result = plaudit("leaderboards", "verify", **env)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "demo-linus" in line]
    assert lines and all(" demo-linus profile: expected 'Linus T.', found '" in x for x in lines)
    rebuilt = plaudit("leaderboards", "rebuild", **env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    verified = plaudit("leaderboards", "verify", **env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_leaderboards_archive_by_hand_archives_nothing_open_and_says_so(tmp_path):
    env = {"PLAUDIT_DATA_DIR": str(tmp_path), "PLAUDIT_JWT_SECRET": SECRET}
    assert plaudit("demo", **env).returncode == 0

    result = plaudit("leaderboards", "archive", **env)

    assert result.returncode == 0, result.stderr
    # The demo backdates app opens by days: those days have closed and are archived once.
    assert result.stdout.startswith("archived ")
    again = plaudit("leaderboards", "archive", **env)
    assert again.stdout.strip() == "archived 0 period(s)"
