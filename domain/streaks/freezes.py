"""Streak freezes, admin side: the policy (`setStreakFreezePolicy`) and grants by hand
(`grantStreakFreezes`), both audited. The rules are `gamification.streaks`'.

A member's freezes live on their any-action `ActivityStats` row (`streak_freezes`), the days
they covered in `StreakFrozenDay`; the policy in the one `StreakFreezeRules` row, read with the
program's definitions (so the pipeline reads it with no query of its own).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import invalid_input
from domain.infra.db import transaction
from domain.members.members import lock_member
from domain.models import ANY_ACTION, ActivityStats, StreakFreezeRules, StreakFrozenDay
from domain.pipeline.activity import streak_of
from domain.program import audit, definitions
from gamification.periods import local_date
from gamification.streaks import MAX_HELD, FreezePolicy, Streak, grant, policy_errors

# What one grant may ask for: far above any cap, well inside an Int.
MAX_GRANT = MAX_HELD


async def policy() -> FreezePolicy:
    return (await definitions.cache.current()).freeze_policy


async def set_policy(actor: str, after: FreezePolicy) -> FreezePolicy:
    """Replace the policy (audited). Freezes held above a lowered cap are kept; new ones are
    earned and granted within it."""
    errors = policy_errors(after)
    if errors:
        field, message = errors[0]
        raise invalid_input(f"{field} {message}", "input", field)
    async with transaction() as connection:
        before = (await definitions.cache.current(connection)).freeze_policy
        await StreakFreezeRules.update_or_create(
            id=1,
            defaults={"earn_every_days": after.earn_every_days, "max_held": after.max_held},
            using_db=connection,
        )
        await definitions.changed(connection)
        await audit.record(
            connection,
            actor,
            "setStreakFreezePolicy",
            "streak-freeze-policy",
            _snapshot(before),
            _snapshot(after),
        )
    return after


async def grant_freezes(
    actor: str, member_id: str, count: int, now: datetime, tz: ZoneInfo
) -> Streak:
    """Grant `count` freezes to a member by hand, within the policy's `maxHeld` (audited);
    the member's any-action streak after it. `now` is the request's moment: a streak the
    missed days up to today already broke is settled first (`gamification.streaks.grant`)."""
    if count <= 0 or count > MAX_GRANT:
        raise invalid_input(f"count must be between 1 and {MAX_GRANT}", "count")
    async with transaction() as connection:
        member = await lock_member(connection, member_id)  # NOT_FOUND when there is none
        rules = (await definitions.cache.current(connection)).freeze_policy
        row = await (
            ActivityStats.filter(member_id=member.id, action_key=ANY_ACTION)
            .using_db(connection)
            .first()
        )
        if row is None:
            row = ActivityStats(member_id=member.id, action_key=ANY_ACTION)
        before = streak_of(row)
        step = grant(before, local_date(now, tz), count, rules)
        after = step.streak
        row.streak_run, row.streak_freezes = after.run, after.freezes
        await row.save(using_db=connection)
        if step.frozen:
            await StreakFrozenDay.bulk_create(
                [
                    StreakFrozenDay(member_id=member.id, day=day.isoformat(), created_at=now)
                    for day in step.frozen
                ],
                ignore_conflicts=True,
                using_db=connection,
            )
        await audit.record(
            connection,
            actor,
            "grantStreakFreezes",
            f"streak_freezes:{member.id}",
            {"member": member.id, "freezes": before.freezes, "run": before.run},
            {
                "member": member.id,
                "freezes": after.freezes,
                "run": after.run,
                "asked": count,
                "granted": step.earned,
            },
        )
    return after


def _snapshot(rules: FreezePolicy) -> dict[str, Any]:
    names = {"earn_every_days": "earnEveryDays", "max_held": "maxHeld"}
    return {names[key]: value for key, value in asdict(rules).items()}
