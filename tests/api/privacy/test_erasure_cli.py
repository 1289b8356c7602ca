"""Erasure from the command line: `plaudit members erase ID` does what `eraseMember` does,
`plaudit members erasures` lists the erasures of the audit log, and `plaudit members erase
--replay FILE` erases them again once a restored backup has brought the members back."""

from __future__ import annotations

from pathlib import Path

from domain.members.members import recently_enrolled
from domain.models import AuditRecord, LeaderboardScore, Member
from tests.api.privacy.test_erasure import left_in_redis, left_in_tables
from tests.api.privacy.world import ADA, rich_member
from tests.conftest import member
from tests.helpers import cli_env, define, record, run_plaudit


async def test_the_command_line_erases_a_member_everywhere(
    gql, drain, runtime, monkeypatch, settings
):
    world = await rich_member(gql, drain, runtime, monkeypatch)
    env = cli_env(settings)
    code, out, err = await run_plaudit("members", "erase", ADA, env=env)
    assert code == 0, err
    assert out.startswith(f"{ADA!r}: erased (") and "row(s)" in out
    assert await left_in_tables([ADA, *world.names]) == []
    assert await left_in_redis(runtime, [ADA, *world.names]) == []
    [logged] = await AuditRecord.filter(operation="eraseMember")
    assert logged.actor == "plaudit-cli"

    code, out, err = await run_plaudit("members", "erase", ADA, env=env)
    assert (code, out.strip()) == (0, f"{ADA!r}: nothing held (never a member, or erased before)")
    assert await AuditRecord.filter(operation="eraseMember").count() == 1


async def test_the_api_processes_forget_a_member_another_process_erased(
    gql, drain, runtime, monkeypatch, settings
):
    """The server remembers the members it enrolled; an erasure elsewhere (here the command
    line) makes it forget them within a second, so the returning subject is enrolled anew."""
    await define(gql, "review.posted", 10)
    await record(gql, member(ADA), action="review.posted", key="r1")
    await drain()
    assert ADA in recently_enrolled
    code, _, err = await run_plaudit("members", "erase", ADA, env=cli_env(settings))
    assert code == 0, err
    later = recently_enrolled.clock() + recently_enrolled.check_every_s
    monkeypatch.setattr(recently_enrolled, "clock", lambda: later)
    body = await gql("{ me { id points { balance } } }", as_=member(ADA))
    assert body == {"data": {"me": {"id": ADA, "points": {"balance": 0}}}}
    again = await record(gql, member(ADA), action="review.posted", key="r1")
    assert again["interaction"]["status"] == "PENDING"


async def test_a_bad_id_is_a_usage_error(settings):
    code, out, err = await run_plaudit("members", "erase", "x" * 129, env=cli_env(settings))
    assert (code, out) == (2, "")
    assert err.strip() == "error: a member id is 1 to 128 printable characters"


async def test_erasures_are_listed_and_replayed_after_a_restore(
    gql, drain, runtime, settings, tmp_path: Path
):
    env = cli_env(settings)
    await define(gql, "review.posted", 10)
    for who in (ADA, "bob-z3m8w"):
        await record(gql, member(who), action="review.posted", key="r1")
    await drain()
    code, _, err = await run_plaudit("members", "erase", ADA, env=env)
    assert code == 0, err

    code, out, err = await run_plaudit("members", "erasures", env=env)
    assert code == 0, err
    [line] = out.splitlines()
    assert ADA not in line and " sha256:" in line
    listed = tmp_path / "erasures.txt"
    listed.write_text(out)

    # A backup from before the erasure is restored: the member is back, with their data.
    await record(gql, member(ADA), action="review.posted", key="r1")
    await drain()
    assert await LeaderboardScore.filter(member_id=ADA).exists()
    code, out, err = await run_plaudit("members", "erase", "--replay", str(listed), env=env)
    assert code == 0, err
    assert out.strip() == "1 erasure(s) listed: 1 member(s) erased again"
    assert not await Member.filter(id=ADA).exists()
    assert await Member.filter(id="bob-z3m8w").exists()
    assert await left_in_tables([ADA]) == []
