"""Erasing a member (GDPR Art. 17): irreversible, idempotent, one transaction.

Everything that names the member is deleted or anonymised as `holdings.HOLDINGS` says. What the
program's totals are made of (ledger entries, interactions, redemptions, badges earned, votes)
stays, under a fresh anonymous id (`erased:<random>`, a member row of its own holding only the
totals of those rows, so that every member's entries still sum to their balance), with the
member's own words taken out. Nothing links that id to the person any more: the audit record of
the erasure keeps a salted digest of the former id (to re-apply erasures after restoring a
backup, `replay`), never the id, their name or their data.

Under the member's row lock (and, first, the lock of their PENDING interactions, which a worker
takes before it locks members: the same order, so the two never deadlock), the whole database
side commits at once, with the MEMBER_ERASED webhook message (`domain.outbox`). After the commit
the member leaves Redis (every board and period, rate-limit counters) and this process's caches,
and the other processes are told to forget the id. A token with the same subject afterwards is
a brand-new member. Erasing again finds nothing and changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from domain import outbox
from domain.errors import invalid_input
from domain.infra.db import after_commit, fitted, param, touch_member, transaction, update_rows
from domain.infra.redis import literal_pattern
from domain.members import profiles
from domain.members.events import EventKind
from domain.members.members import (
    MAX_MEMBER_ID,
    default_display_name,
    erasures_key,
    is_erased,
    recently_enrolled,
)
from domain.models import (
    ActivityDay,
    ActivityStats,
    AuditRecord,
    CampaignMember,
    ChallengeParticipant,
    Content,
    ContentStatus,
    ContentVote,
    Interaction,
    InteractionStatus,
    LeaderboardArchive,
    LeaderboardScore,
    LedgerEntry,
    LedgerReason,
    Member,
    MemberAttempt,
    MemberBadge,
    MemberEvent,
    MemberInsight,
    QuestionnaireAnswer,
    QuestionnaireAnswerChoice,
    QuestionnaireSubmission,
    Redemption,
    Referral,
    StreakFrozenDay,
)
from domain.models.members import ERASED_PREFIX
from domain.privacy import mentions
from domain.privacy.export import audit_targets
from domain.program import audit
from domain.runtime import Runtime

# The anonymous row's public name (leaderboard archives, a referee's `referredBy`).
ERASED_NAME = "Erased member"
# What a referrer's history says instead of the erased referee's name.
FORMER_MEMBER = "a former member"
# Text an erasure took out of an audit snapshot.
REMOVED = "[erased]"
OPERATION = "eraseMember"

# Source keys that name their cause by its own id (`interaction:42`): nothing of the member.
_BY_ID = re.compile(r"[a-z-]+:[0-9]+")
# Descriptions that may carry words about the member (an admin's reason, a referee's name).
_GENERIC_DESCRIPTION = {
    LedgerReason.ADJUSTMENT: "Adjustment",
    LedgerReason.REFERRAL: "Referral",
    LedgerReason.REVERSAL: "Reversal",
}
# Audit snapshot fields that hold codes, ids and keys of the program, never a person's words.
_CODE_FIELDS = frozenset(
    {"id", "kind", "status", "reward", "badge", "rejectionReason", "entryId", "decision"}
)
_CONVERTED_SUFFIX = ", who joined through you, converted"
_REFERRAL_CREDIT = re.compile(r"Referral: .* joined")
_FORMER_CREDIT = f"Referral: {FORMER_MEMBER} joined"


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: `anonymous_id` is None when nothing was held under the id."""

    member_id: str
    anonymous_id: str | None = None
    rows: dict[str, int] = field(default_factory=dict)


def id_digest(member_id: str, salt: str | None = None) -> str:
    """`sha256:<salt>:<digest of salt and id>`: what the audit log keeps of an erased id. It
    tells whether a given id was erased (to erase it again after a restore), and nothing more:
    the salt differs per erasure, so digests cannot be looked up in a table."""
    salt = salt or secrets.token_hex(8)
    return f"sha256:{salt}:{hashlib.sha256(f'{salt}:{member_id}'.encode()).hexdigest()}"


def check_erasable(member_id: str) -> None:
    if not 1 <= len(member_id) <= MAX_MEMBER_ID or not member_id.isprintable():
        raise invalid_input(f"a member id is 1 to {MAX_MEMBER_ID} printable characters", "memberId")


async def erase(
    runtime: Runtime, member_id: str, actor: str, *, now: datetime | None = None
) -> Erasure:
    """Erase the member; the same answer shape whether they existed, were erased before or never
    were (an anonymous id is already erased)."""
    check_erasable(member_id)
    if is_erased(member_id):
        return Erasure(member_id)
    now = now or datetime.now(UTC)
    async with transaction() as connection:
        # Also when nothing is found: a repeated erasure repairs what Redis missed the first time.
        for hook in _after_commit_hooks(runtime, member_id):
            after_commit(hook)
        # The order a worker locks in: the interactions it claims, then their members.
        await (
            Interaction.filter(member_id=member_id, status=InteractionStatus.PENDING)
            .using_db(connection)
            .select_for_update()
            .values_list("id", flat=True)
        )
        member = await Member.select_for_update().using_db(connection).get_or_none(id=member_id)
        if member is None:
            return Erasure(member_id)
        touch_member(member_id)  # answers cached for the subject are dropped with their rows
        anonymous_id = ERASED_PREFIX + secrets.token_urlsafe(16)
        rows = await _erase_rows(connection, member, anonymous_id, now)
        rows["webhook messages and deliveries"] = await outbox.forget_member(connection, member_id)
        await outbox.emit(
            connection, outbox.EventType.MEMBER_ERASED, {"memberId": member_id}, at=now
        )
        await audit.record(
            connection,
            actor,
            OPERATION,
            f"member:{anonymous_id}",
            None,
            {"anonymousId": anonymous_id, "memberIdDigest": id_digest(member_id), "rows": rows},
        )
    return Erasure(member_id, anonymous_id, rows)


# --- the database ------------------------------------------------------------------------------


async def _erase_rows(
    connection: BaseDBAsyncClient, member: Member, anonymous_id: str, now: datetime
) -> dict[str, int]:
    """Every row that names the member, deleted or moved to `anonymous_id`: row counts."""
    m, anon = member.id, anonymous_id
    rows: dict[str, int] = {}
    # Collected before the rows they come from change hands.
    badges = [
        str(key)
        for key in await MemberBadge.filter(member_id=m)
        .using_db(connection)
        .values_list("badge_id", flat=True)
    ]
    contents = await _ids(Content.filter(author_id=m).using_db(connection))
    redemptions = await _ids(Redemption.filter(member_id=m).using_db(connection))

    await Member.create(
        id=anon,
        display_name=ERASED_NAME,
        avatar_url=None,
        joined_at=member.joined_at,
        balance=member.balance,
        lifetime=member.lifetime,
        # Unreachable: typed codes are normalised to capitals and digits.
        referral_code=anon,
        referrals_converted=member.referrals_converted,
        content_approved=member.content_approved,
        using_db=connection,
    )

    rows["referrers' member_event"], rows["referrers' ledger_entry"] = await _referrers(
        connection, member, anon
    )

    pending = Interaction.filter(member_id=m, status=InteractionStatus.PENDING)
    rows["PENDING interaction deleted"] = await pending.using_db(connection).delete()
    rows["interaction"] = (
        await Interaction.filter(member_id=m)
        .using_db(connection)
        .update(member_id=anon, properties=None)
    )
    await _keyed_by_id(connection, "interaction", "member_id", anon, "idempotency_key")

    rows["ledger_entry"] = await _ledger(connection, m, anon)

    rows["redemption"] = (
        await Redemption.filter(member_id=m)
        .using_db(connection)
        .update(member_id=anon, cancel_reason=None)
    )
    await _keyed_by_id(connection, "redemption", "member_id", anon, "idempotency_key")

    moved: tuple[tuple[type[Model], str], ...] = (
        (MemberBadge, "member_id"),
        (ChallengeParticipant, "member_id"),
        (CampaignMember, "member_id"),
        (ContentVote, "voter_id"),
    )
    for model, column in moved:
        query = model.filter(**{column: m}).using_db(connection)
        rows[model._meta.db_table] = await query.update(**{column: anon})

    # Withdrawn from every list (members and visitors see APPROVED pieces only; votes need
    # one), the vote counts and score kept.
    await (
        Content.filter(author_id=m)
        .exclude(status=ContentStatus.REJECTED)
        .using_db(connection)
        .update(status=ContentStatus.REJECTED, rejection_reason="OTHER", moderated_at=now)
    )
    rows["content"] = (
        await Content.filter(author_id=m)
        .using_db(connection)
        .update(author_id=anon, body="", subject=None, media_urls=[])
    )
    await _keyed_by_id(connection, "content", "author_id", anon, "idempotency_key", "fingerprint")

    rows["questionnaire_submission"] = await _questionnaires(connection, m, anon)

    rows["referral"] = await _referrals(connection, m, anon)

    deleted: tuple[type[Model], ...] = (
        ActivityDay,
        ActivityStats,
        StreakFrozenDay,
        MemberEvent,
        MemberInsight,
        MemberAttempt,
        LeaderboardScore,
    )
    for doomed in deleted:
        rows[f"{doomed._meta.db_table} deleted"] = (
            await doomed.filter(member_id=m).using_db(connection).delete()
        )
    rows["leaderboard_archive"] = await _archives(connection, m, anon)
    rows["audit_record"] = await _audit_records(connection, m, anon, badges, contents, redemptions)
    await Member.filter(id=m).using_db(connection).delete()
    return {name: count for name, count in rows.items() if count}


async def _questionnaires(connection: BaseDBAsyncClient, member_id: str, anonymous_id: str) -> int:
    """Answers stay for the results (counts, means, NPS), as votes do, under the anonymous id;
    TEXT answers lose their text (the member's own words), and submissions their idempotency
    keys. Choice and scale answers are the program's options, not the member's words."""
    await (
        QuestionnaireAnswer.filter(member_id=member_id)
        .using_db(connection)
        .update(member_id=anonymous_id, text=None)
    )
    await (
        QuestionnaireAnswerChoice.filter(member_id=member_id)
        .using_db(connection)
        .update(member_id=anonymous_id)
    )
    moved = (
        await QuestionnaireSubmission.filter(member_id=member_id)
        .using_db(connection)
        .update(member_id=anonymous_id)
    )
    await _keyed_by_id(
        connection, "questionnaire_submission", "member_id", anonymous_id, "idempotency_key"
    )
    return int(moved)


async def _ids(query: Any) -> list[int]:
    return [int(value) for value in await query.values_list("id", flat=True)]


async def _keyed_by_id(
    connection: BaseDBAsyncClient, table: str, owner: str, anonymous_id: str, *columns: str
) -> None:
    """Replace keys the member chose (idempotency keys, content fingerprints) by `erased:<id>`:
    unique as they were, and free for whoever uses the same subject next."""
    sets = ", ".join(f"{column} = 'erased:' || CAST(id AS TEXT)" for column in columns)
    await connection.execute_query(
        f"UPDATE {table} SET {sets} WHERE {owner} = {param(1)}", [anonymous_id]
    )


def anonymous_source(source_key: str, member_id: str, anonymous_id: str, entry_id: int) -> str:
    """A ledger entry's source key without the member: keys named by their cause's own id, or
    by someone else, stay; keys naming the member (`badge:<key>:<member>`,
    `referral:<member>:referee`) name the anonymous id instead, so the campaign and referral
    reads still find them; any other that may hold them (an adjustment's idempotency key, a
    digest of a name too long for the column) becomes `<anonymous id>:<entry id>`."""
    if _BY_ID.fullmatch(source_key):
        return source_key
    if member_id not in source_key and "#" not in source_key:
        return source_key
    for prefix in ("referral:", "expiry:"):
        head = f"{prefix}{member_id}:"
        if source_key.startswith(head):
            name = f"{prefix}{anonymous_id}:{source_key[len(head) :]}"
            return fitted(LedgerEntry, "source_key", name)
    if source_key.startswith(("badge:", "challenge:", "campaign:")) and source_key.endswith(
        f":{member_id}"
    ):
        name = source_key[: -len(member_id)] + anonymous_id
        return fitted(LedgerEntry, "source_key", name)
    return f"{anonymous_id}:{entry_id}"


async def _ledger(connection: BaseDBAsyncClient, member_id: str, anonymous_id: str) -> int:
    moved = (
        await LedgerEntry.filter(member_id=member_id)
        .using_db(connection)
        .update(member_id=anonymous_id)
    )
    changed: list[list[object]] = []
    for entry_id, reason, source_key, description in (
        await LedgerEntry.filter(member_id=anonymous_id)
        .using_db(connection)
        .values_list("id", "reason", "source_key", "description")
    ):
        source = anonymous_source(str(source_key), member_id, anonymous_id, int(entry_id))
        text = _GENERIC_DESCRIPTION.get(LedgerReason(reason), str(description))
        if source != source_key or text != description:
            changed.append([int(entry_id), source, text])
    columns = {"id": "bigint", "source_key": "varchar", "description": "varchar"}
    await update_rows(connection, "ledger_entry", "id", columns, changed)
    return int(moved)


async def _referrers(
    connection: BaseDBAsyncClient, member: Member, anonymous_id: str
) -> tuple[int, int]:
    """Referrers' history of the member's conversion names them: their REFERRAL_CONVERTED
    event (by id and name), the credit's event and ledger entry (by name, as it was then)."""
    names = {member.display_name, default_display_name(member.id)}
    events = 0
    converted = await MemberEvent.filter(
        kind=EventKind.REFERRAL_CONVERTED.value, subject=member.id
    ).using_db(connection)
    for event in converted:
        touch_member(event.member_id)  # the referrer's events change
        if event.message.endswith(_CONVERTED_SUFFIX):
            names.add(event.message.removesuffix(_CONVERTED_SUFFIX))
        event.message = FORMER_MEMBER.capitalize() + _CONVERTED_SUFFIX
        event.subject = anonymous_id
        await event.save(using_db=connection, update_fields=["message", "subject"])
        events += 1
        credits = await MemberEvent.filter(
            member_id=event.member_id,
            occurred_at=event.occurred_at,
            kind=EventKind.POINTS_CREDITED.value,
            message__contains="Referral: ",
        ).using_db(connection)
        for credit in credits:
            credit.message = _REFERRAL_CREDIT.sub(_FORMER_CREDIT, credit.message)
            await credit.save(using_db=connection, update_fields=["message"])
            events += 1
    entries = 0
    source = fitted(LedgerEntry, "source_key", f"referral:{member.id}:referrer")
    for entry in await LedgerEntry.filter(source_key=source).using_db(connection):
        touch_member(entry.member_id)  # the referrer's history changes
        entry.source_key = fitted(LedgerEntry, "source_key", f"referral:{anonymous_id}:referrer")
        entry.description = _without(entry.description, names)
        entry.description = _REFERRAL_CREDIT.sub(_FORMER_CREDIT, entry.description)
        await entry.save(using_db=connection, update_fields=["source_key", "description"])
        entries += 1
    return events, entries


def _without(text: str, names: set[str]) -> str:
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, FORMER_MEMBER)
    return text


async def _referrals(connection: BaseDBAsyncClient, member_id: str, anonymous_id: str) -> int:
    """The member's own referral (as referee) and their converted referrals (as referrer) stay
    for the counts, under the anonymous id; a referral of theirs that has not converted yet is
    deleted, so that nobody's conversion credits or ranks an erased member later."""
    deleted = (
        await Referral.filter(referrer_id=member_id, converted_at__isnull=True)
        .using_db(connection)
        .delete()
    )
    moved = 0
    for column in ("referrer_id", "referee_id"):
        count, _ = await connection.execute_query(
            f"UPDATE referral SET {column} = {param(1)} WHERE {column} = {param(2)}",
            [anonymous_id, member_id],
        )
        moved += int(count or 0)
    return int(deleted) + moved


async def _archives(connection: BaseDBAsyncClient, member_id: str, anonymous_id: str) -> int:
    """Closed periods' tops keep the member's rank and score under the anonymous id."""
    changed = 0
    for row in await mentions.rows_mentioning(
        connection, "leaderboard_archive", ["entries"], member_id, "id, entries"
    ):
        entries = mentions.loaded(row["entries"])
        if not mentions.mentions(entries, member_id):
            continue
        rewritten = [
            {**entry, "memberId": anonymous_id} if entry.get("memberId") == member_id else entry
            for entry in entries
        ]
        await LeaderboardArchive.filter(id=row["id"]).using_db(connection).update(entries=rewritten)
        changed += 1
    return changed


def _scrubbed(value: Any, member_id: str, anonymous_id: str, name: str | None = None) -> Any:
    """An audit snapshot about the member: their id replaced, numbers and the program's codes
    kept, every other text (a reason, an idempotency key) removed."""
    if isinstance(value, str):
        if value == member_id:
            return anonymous_id
        return value if name in _CODE_FIELDS else REMOVED
    if isinstance(value, dict):
        return {key: _scrubbed(item, member_id, anonymous_id, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, member_id, anonymous_id, name) for item in value]
    return value


async def _audit_records(
    connection: BaseDBAsyncClient,
    member_id: str,
    anonymous_id: str,
    badges: list[str],
    contents: list[int],
    redemptions: list[int],
) -> int:
    """Records about the member (adjustments, badges awarded by hand, their redemptions and
    content) are scrubbed; any other record naming them gets the anonymous id instead."""
    named = audit_targets(member_id, badges)
    renamed = dict(zip(named, audit_targets(anonymous_id, badges), strict=True))
    own = {
        *named,
        *(f"content:{content_id}" for content_id in contents),
        *(f"redemption:{redemption_id}" for redemption_id in redemptions),
    }
    changed = 0
    for record in await AuditRecord.filter(target__in=list(own)).using_db(connection):
        record.target = renamed.get(record.target, record.target)
        record.before = _scrubbed(record.before, member_id, anonymous_id)
        record.after = _scrubbed(record.after, member_id, anonymous_id)
        await record.save(using_db=connection, update_fields=["target", "before", "after"])
        changed += 1
    for row in await mentions.rows_mentioning(
        connection, "audit_record", ["before", "after"], member_id, "id"
    ):
        found = await AuditRecord.filter(id=row["id"]).using_db(connection).first()
        if found is None or found.target in own:
            continue
        before = mentions.replaced(found.before, member_id, anonymous_id)
        after = mentions.replaced(found.after, member_id, anonymous_id)
        if before != found.before or after != found.after:
            found.before, found.after = before, after
            await found.save(using_db=connection, update_fields=["before", "after"])
            changed += 1
    return changed


# --- after the commit ----------------------------------------------------------------------------


def _after_commit_hooks(runtime: Runtime, member_id: str) -> list[Callable[[], Awaitable[object]]]:
    """Each its own hook: one that fails (Redis away) does not stop the others."""

    async def caches() -> None:
        recently_enrolled.discard(member_id)
        profiles.cache.forget(member_id)

    async def other_processes() -> None:
        # Their recently-enrolled caches forget every id when this counter moves.
        await runtime.redis.incr(erasures_key(runtime.settings.redis_namespace))

    async def boards() -> None:
        await runtime.leaderboards.remove_member(member_id)

    async def rate_limits() -> None:
        await forget_rate_limits(runtime, member_id)

    async def read_cache() -> None:
        # The member's cached answers hold their data (`api.read_cache`).
        if runtime.read_versions is not None:
            await runtime.read_versions.forget(member_id)

    return [caches, other_processes, boards, rate_limits, read_cache]


async def forget_rate_limits(runtime: Runtime, member_id: str) -> int:
    """Delete the member's rate-limit counters (their keys hold the token's subject)."""
    prefix = f"{runtime.settings.redis_namespace}:ratelimit"
    marker = f"/sub:{member_id}/"
    doomed = []
    async for raw in runtime.redis.scan_iter(match=f"{literal_pattern(prefix)}*", count=1000):
        key = raw.decode() if isinstance(raw, bytes) else str(raw)
        if marker in key:
            doomed.append(key)
    if doomed:
        await runtime.redis.delete(*doomed)
    return len(doomed)


# --- after restoring a backup ------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    """One erasure in the audit log: when, and the digest of the former id."""

    at: datetime
    digest: str


async def logged_erasures() -> list[Logged]:
    """Every erasure the audit log holds, oldest first: the list to keep outside the database's
    backups, and to `replay` after restoring one."""
    found = []
    for record in await AuditRecord.filter(operation=OPERATION).order_by("id"):
        digest = (record.after or {}).get("memberIdDigest")
        if isinstance(digest, str):
            found.append(Logged(record.created_at, digest))
    return found


async def replay(
    runtime: Runtime,
    digests: list[str],
    actor: str,
    *,
    batch: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Erase again every member whose id matches one of `digests` (a restored backup brought
    them back); returns how many were erased. Reads every member once, by id."""
    wanted = {digest for digest in digests if digest.startswith("sha256:")}
    salts = {digest.split(":")[1] for digest in wanted}
    total = await Member.all().count()
    seen = erased = 0
    after = ""
    while wanted:
        page: list[Any] = (
            await Member.filter(id__gt=after)
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not page:
            break
        for member_id in map(str, page):
            if is_erased(member_id):
                continue
            mine = {id_digest(member_id, salt) for salt in salts} & wanted
            if mine:
                await erase(runtime, member_id, actor)
                wanted -= mine  # erased more than once before the restore: several digests
                erased += 1
        seen += len(page)
        after = str(page[-1])
        if progress is not None:
            progress(seen, total)
    return erased
