"""The read versions' protocol on a real Redis: a transaction that touches a member marks them
before it commits and replaces their version after, committed or rolled back; concurrent
writers' marks add up; nothing spans two members' keys."""

from __future__ import annotations

import pytest

from domain.infra import db
from domain.infra.db import touch_member, touch_program, transaction
from domain.infra.read_versions import WRITING_TTL_MS, member_tag
from domain.models import Member
from domain.runtime import Runtime


def test_a_member_id_is_its_own_tag_when_it_can_be():
    assert member_tag("ada") == "ada"
    assert member_tag("user-42@example.com") == "user-42@example.com"
    for awkward in ("a}b", "with space", "a:b", "{x}", "é", "x" * 65):
        tag = member_tag(awkward)
        assert tag.startswith("#") and len(tag) == 33
        assert member_tag(awkward) == tag  # the same every time
    assert member_tag("a}b") != member_tag("a{b")


def test_touching_outside_a_transaction_is_a_mistake():
    with pytest.raises(RuntimeError, match="needs an open transaction"):
        touch_member("ada")
    with pytest.raises(RuntimeError, match="needs an open transaction"):
        touch_program()


async def state(runtime: Runtime, member_id: str) -> tuple[bytes | None, bytes | None]:
    assert runtime.read_versions is not None
    keys = runtime.read_versions.keys_of(member_id)
    return await runtime.redis.get(keys.version), await runtime.redis.get(keys.writing)


async def test_a_commit_marks_before_and_replaces_the_version_after(runtime, server):
    assert db.read_versions.sink is runtime.read_versions
    await Member.create(id="ada", display_name="Ada")
    before, _ = await state(runtime, "ada")
    seen = {}
    async with transaction():
        touch_member("ada")
        await Member.filter(id="ada").update(display_name="Ada L.")
        seen["inside"] = await state(runtime, "ada")  # not marked yet: only at the commit
    after, writing = await state(runtime, "ada")
    assert seen["inside"] == (before, None)
    assert after is not None and after != before and writing is None


async def test_the_mark_is_held_until_the_commit_has_been_told(runtime, server):
    versions = runtime.read_versions
    assert versions is not None
    await Member.create(id="ada", display_name="Ada")
    marked: dict[str, object] = {}
    real_done = versions.done

    async def done(members, program):
        marked["version"], marked["writing"] = await state(runtime, "ada")
        marked["ttl"] = await runtime.redis.pttl(versions.keys_of("ada").writing)
        await real_done(members, program)

    versions.done = done  # type: ignore[method-assign]
    try:
        async with transaction():
            touch_member("ada")
    finally:
        del versions.done
    assert marked["writing"] == b"1"
    assert 0 < int(marked["ttl"]) <= WRITING_TTL_MS  # a dead writer's mark expires
    version, writing = await state(runtime, "ada")
    assert writing is None and version != marked["version"]


async def test_a_rollback_takes_the_mark_back_and_drops_the_answers(runtime, server):
    await Member.create(id="ada", display_name="Ada")
    async with transaction():
        touch_member("ada")
    before, _ = await state(runtime, "ada")
    with pytest.raises(ZeroDivisionError):
        async with transaction():
            touch_member("ada")
            1 / 0  # noqa: B018 - fails before the commit: nothing marked
    assert await state(runtime, "ada") == (before, None)

    class Refused(Exception):
        pass

    versions = runtime.read_versions
    assert versions is not None
    real_mark = versions.mark

    async def mark_then_fail(members, program):
        await real_mark(members, program)
        raise Refused  # the commit never happens

    versions.mark = mark_then_fail  # type: ignore[method-assign]
    try:
        with pytest.raises(Refused):
            async with transaction():
                touch_member("ada")
    finally:
        del versions.mark
    version, writing = await state(runtime, "ada")
    assert writing is None and version != before


async def test_writers_marks_add_up_and_never_go_below_zero(runtime, server):
    versions = runtime.read_versions
    assert versions is not None
    await versions.mark(["ada"], False)
    await versions.mark(["ada"], False)
    assert (await state(runtime, "ada"))[1] == b"2"
    await versions.done(["ada"], False)
    assert (await state(runtime, "ada"))[1] == b"1"
    await versions.done(["ada"], False)
    await versions.done(["ada"], False)  # a mark that expired is not taken back twice
    assert (await state(runtime, "ada"))[1] is None
    await versions.mark(["ada"], False)
    assert (await state(runtime, "ada"))[1] == b"1"


async def test_the_program_touch_replaces_the_program_version(runtime, server):
    versions = runtime.read_versions
    assert versions is not None
    before = await runtime.redis.get(versions.program.version)
    async with transaction():
        touch_program()
    after = await runtime.redis.get(versions.program.version)
    assert after is not None and after != before
    assert await runtime.redis.ttl(versions.program.version) == -1  # never expires
