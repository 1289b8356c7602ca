"""Referrals: members' codes, applying one, the program's rules, and a member's standing.

Applying a code (`apply_code`) runs in one transaction that every application in every process
takes in turn (PostgreSQL: a transaction-scoped advisory lock; SQLite: its write lock), so the
chain of referrers it reads cannot change under it: two members applying each other's codes at
once cannot both succeed and close a cycle. Inside it, under the viewer's row lock:

1. more than FAILED_ATTEMPTS_PER_HOUR failed attempts in the last hour → RATE_LIMITED, before
   anything about the code is looked at, so the answer says nothing about whether it exists;
2. the code is normalised and looked up (NOT_FOUND), then SELF_REFERRAL, ALREADY_REFERRED
   (applying the code of one's referrer again is not an error: nothing changes), TOO_LATE,
   and REFERRAL_CYCLE (the owner's chain of referrers, read with one recursive query);
3. a refusal counts as a failed attempt, written and committed in this same transaction, so
   concurrent guesses are counted exactly.

The referee is the referral's primary key: whatever races, a member has one referrer.

Reading a code never writes: enrolment stores every new member's code, and a member enrolled
before codes existed is shown the code derived from their id (`code_of`), which the first
application of such a code stores for all of them (`store_legacy_codes`), in step 2.
Conversion is the award pipeline's (`domain.pipeline.referrals`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from domain.community import attempts
from domain.community.attempts import AttemptKind
from domain.errors import DomainError, ErrorCode, reject_invalid
from domain.infra.db import dialect, param, touch_member, touch_members, transaction
from domain.members.members import lock_member
from domain.models import LedgerEntry, LedgerReason, Member, Referral, ReferralProgramRules
from domain.program import audit, definitions
from gamification.referrals import (
    FAILED_ATTEMPTS_PER_HOUR,
    LEGACY_CODE_LENGTH,
    MAX_CHAIN,
    ReferralRules,
    applies_in_time,
    closes_cycle,
    legacy_code,
    new_code,
    normalize_code,
    validate_rules,
)

# Any constant: every code application takes this PostgreSQL advisory lock in turn.
APPLY_LOCK = 0x52454652  # "REFR"


@dataclass(frozen=True)
class ReferralStanding:
    """A member's side of the referral program (`Member.referral`)."""

    member_id: str
    code: str
    referrer_id: str | None
    invited: int
    converted: int
    points_earned: int


async def rules() -> ReferralRules:
    return (await definitions.cache.current()).referral


async def update_rules(actor: str, changes: dict[str, Any]) -> ReferralRules:
    """Change some of the rules (audited); the rest stay as they are. `changes` maps
    `ReferralRules` field names to new values; `monthly_cap` None lifts the cap."""
    async with transaction() as connection:
        before = (await definitions.cache.current(connection)).referral
        after = replace(before, **changes)
        reject_invalid(validate_rules(after))
        await ReferralProgramRules.update_or_create(
            id=1,
            defaults={
                "referrer_points": after.referrer_points,
                "referee_points": after.referee_points,
                "conversion_action": after.conversion_action,
                "apply_within_days": after.apply_within_days,
                "monthly_cap": after.monthly_cap,
            },
            using_db=connection,
        )
        await definitions.changed(connection)
        await audit.record(
            connection,
            actor,
            "updateReferralProgram",
            "referral-program",
            _snapshot(before),
            _snapshot(after),
        )
    return after


def _snapshot(rules: ReferralRules) -> dict[str, Any]:
    return {
        "referrerPoints": rules.referrer_points,
        "refereePoints": rules.referee_points,
        "conversionAction": rules.conversion_action,
        "applyWithinDays": rules.apply_within_days,
        "monthlyCap": rules.monthly_cap,
    }


# --- codes ---------------------------------------------------------------------------------


def code_of(member: Member) -> str:
    """The member's code, read only: the stored one, or for a member enrolled before codes
    existed (enrolment stores one for everybody since), the one derived from their id, which
    `store_legacy_codes` stores as it is the first time somebody applies such a code."""
    return member.referral_code or legacy_code(member.id)


async def store_legacy_codes(connection: BaseDBAsyncClient, batch: int = 300) -> int:
    """Store the derived code of every member still without one, `batch` members a statement;
    returns how many. Runs inside `_apply`'s transaction, under its lock, so applications never
    race it; a row is updated only while its code is null, so enrolment (which always stores a
    code) cannot either. A derived code already taken (about 79 bits: no collision is expected
    among billions of members) is replaced by a drawn one rather than shared."""
    stored = 0
    while True:
        ids = [
            str(member_id)
            for member_id in await Member.filter(referral_code__isnull=True)
            .using_db(connection)
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        ]
        if not ids:
            return stored
        codes = {member_id: legacy_code(member_id) for member_id in ids}
        taken = {
            str(code)
            for code in await Member.filter(referral_code__in=list(codes.values()))
            .using_db(connection)
            .values_list("referral_code", flat=True)
        }
        for member_id, code in codes.items():
            codes[member_id] = new_code() if code in taken else code
            taken.add(codes[member_id])
        await _set_codes(connection, codes)
        stored += len(ids)


async def _set_codes(connection: BaseDBAsyncClient, codes: dict[str, str]) -> None:
    """One UPDATE giving each member its code, where the member has none yet."""
    cases = " ".join(f"WHEN {param(2 * i + 1)} THEN {param(2 * i + 2)}" for i in range(len(codes)))
    first = 2 * len(codes) + 1
    marks = ", ".join(param(first + i) for i in range(len(codes)))
    sql = (
        f"UPDATE member SET referral_code = CASE id {cases} END "
        f"WHERE id IN ({marks}) AND referral_code IS NULL"
    )
    touch_members(codes)  # a code taken by another is drawn anew: these members see it
    pairs = [value for member_id, code in codes.items() for value in (member_id, code)]
    await connection.execute_query(sql, [*pairs, *codes])


# --- applying a code -----------------------------------------------------------------------


def _limited() -> DomainError:
    return DomainError(
        ErrorCode.RATE_LIMITED,
        f"more than {FAILED_ATTEMPTS_PER_HOUR} failed attempts in the last hour; try again later",
        ("code",),
    )


async def apply_code(viewer_id: str, typed: str, now: datetime | None = None) -> None:
    """Make the owner of the code `typed` the viewer's referrer (the viewer exists)."""
    try:
        refusal = await _apply(viewer_id, typed, now or datetime.now(UTC))
    except IntegrityError:
        # Cannot happen under the lock; kept so that a second referrer can never be a 500.
        raise DomainError(ErrorCode.ALREADY_REFERRED, "you already have a referrer") from None
    if refusal is not None:
        raise refusal


async def _apply(viewer_id: str, typed: str, now: datetime) -> DomainError | None:
    """Apply the code, or count the failed attempt; returns the refusal once it committed."""
    kind = AttemptKind.REFERRAL_CODE_FAILED
    async with transaction() as connection:
        if dialect() == "postgres":
            lock = f"SELECT pg_advisory_xact_lock({param(1)})"
            await connection.execute_query(lock, [APPLY_LOCK])
        viewer = await lock_member(connection, viewer_id)
        if await attempts.recent(connection, viewer_id, kind, now) >= FAILED_ATTEMPTS_PER_HOUR:
            raise _limited()
        outcome = await _check(connection, viewer, typed, now)
        if isinstance(outcome, DomainError):
            await attempts.note(connection, viewer_id, kind, now)
            return outcome
        if outcome is not None:
            touch_member(outcome.id)  # the referrer's `invited` count
            await Referral.create(
                referee_id=viewer_id, referrer_id=outcome.id, created_at=now, using_db=connection
            )
    return None


async def _check(
    connection: BaseDBAsyncClient, viewer: Member, typed: str, now: datetime
) -> Member | DomainError | None:
    """The code's owner when the viewer may apply it now; the refusal when not; None when the
    owner already is the viewer's referrer (nothing to change, nothing refused)."""
    code = normalize_code(typed)
    owner = None
    if code is not None:
        owner = await Member.filter(referral_code=code).using_db(connection).first()
        # Perhaps a code shown to a member enrolled before codes existed: store those first.
        legacy = owner is None and len(code) == LEGACY_CODE_LENGTH
        if legacy and await store_legacy_codes(connection):
            owner = await Member.filter(referral_code=code).using_db(connection).first()
    if owner is None:
        return DomainError(ErrorCode.NOT_FOUND, "no member has this referral code", ("code",))
    if owner.id == viewer.id:
        return DomainError(ErrorCode.SELF_REFERRAL, "this is your own code", ("code",))
    existing = await Referral.filter(referee_id=viewer.id).using_db(connection).first()
    if existing is not None:
        if existing.referrer_id == owner.id:
            return None
        return DomainError(ErrorCode.ALREADY_REFERRED, "you already have a referrer", ("code",))
    program = (await definitions.cache.current(connection)).referral
    if not applies_in_time(viewer.joined_at, now, program.apply_within_days):
        return DomainError(
            ErrorCode.TOO_LATE,
            f"a code must be applied within {program.apply_within_days} days of joining",
            ("code",),
        )
    if closes_cycle(viewer.id, owner.id, await referrers_above(connection, owner.id)):
        return DomainError(
            ErrorCode.REFERRAL_CYCLE,
            "this member joined through you (directly or down a chain)",
            ("code",),
        )
    return owner


async def referrers_above(connection: BaseDBAsyncClient, member_id: str) -> list[str]:
    """The chain of referrers above the member, nearest first (at most MAX_CHAIN)."""
    sql = (
        "WITH RECURSIVE up (member_id, depth) AS ("
        f"SELECT referrer_id, 1 FROM referral WHERE referee_id = {param(1)} "
        "UNION ALL SELECT r.referrer_id, up.depth + 1 FROM referral r "
        f"JOIN up ON r.referee_id = up.member_id WHERE up.depth < {param(2)}"
        ") SELECT member_id FROM up ORDER BY depth"
    )
    rows = await connection.execute_query_dict(sql, [member_id, MAX_CHAIN])
    return [str(row["member_id"]) for row in rows]


# --- standing ------------------------------------------------------------------------------


async def standings(members: list[Member]) -> dict[str, ReferralStanding]:
    """Each member's standing, in four grouped reads whatever the number of members."""
    ids = [member.id for member in members]
    referrers = dict(
        await Referral.filter(referee_id__in=ids).values_list("referee_id", "referrer_id")
    )
    invited = await _referees_per_referrer(Referral.filter(referrer_id__in=ids))
    converted = await _referees_per_referrer(
        Referral.filter(referrer_id__in=ids, converted_at__isnull=False)
    )
    earned = dict(
        await LedgerEntry.filter(member_id__in=ids, reason=LedgerReason.REFERRAL)
        .annotate(total=Sum("amount"))
        .group_by("member_id")
        .values_list("member_id", "total")
    )
    return {
        member.id: ReferralStanding(
            member.id,
            code_of(member),
            referrers.get(member.id),
            invited.get(member.id, 0),
            converted.get(member.id, 0),
            int(earned.get(member.id) or 0),
        )
        for member in members
    }


async def _referees_per_referrer(query: QuerySet[Referral]) -> dict[str, int]:
    rows = (
        await query.annotate(n=Count("referee_id"))
        .group_by("referrer_id")
        .values_list("referrer_id", "n")
    )
    return {str(referrer_id): int(count) for referrer_id, count in rows}
