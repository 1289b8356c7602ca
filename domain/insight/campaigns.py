"""Retention campaigns ("surprise rewards"): define, apply once per targeted member, measure.

A campaign targets members by segment, churn band and tier as of the latest insight refresh,
and by their latest answers to questionnaires (every non-empty list must match, every answer
condition hold). Who a target reaches is one set-based statement (`_reach`), whatever the
population: the latest refresh's rows filtered by segment and band, joined to `member` for the
tier, one correlated EXISTS per answer condition (`domain.offers`), and, when applying, NOT
EXISTS an earlier draw. `audience` counts it before launch.

While it runs, the `apply_campaigns` job draws each newly targeted member into the treated
group or the holdout (deterministically per member and campaign,
`gamification.campaigns.is_held_out`) and records the draw in `campaign_member`, unique per
campaign and member, in the same transaction that credits the treated member's bonus (reason
BONUS, source key `campaign:<key>:<member>`), awards the badge and emits the member event
carrying the message. So however often the job runs, or however many workers race, a member
is drawn once and credited once.

Results compare the groups after their draw: the share with an active day within 7 and 30
days after it, and the mean points credited since, the campaign's own bonus excluded, with
the uplift of the 30-day share and its 95 % interval (`gamification.campaigns.uplift`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.errors import DomainError, ErrorCode, invalid_input, not_found, utc_instant
from domain.infra.db import find_by_key, insert_rows, transaction
from domain.infra.settings import Settings
from domain.insight import reads as insight_reads
from domain.members.events import EventKind
from domain.models import (
    ActivityDay,
    Badge,
    Campaign,
    CampaignMember,
    LedgerEntry,
    LedgerReason,
    Member,
)
from domain.offers import conditions
from domain.offers.conditions import Parameters
from domain.pipeline.session import Session, load_program
from domain.pipeline.state import Demand
from domain.program import audit, definitions, tier_ladder
from domain.runtime import Runtime
from gamification import campaigns as rules
from gamification.actions import MAX_POINTS
from gamification.offers import AnswerCondition
from gamification.text import within
from gamification.tiers import BASE_TIER

log = logging.getLogger("plaudit.campaigns")

BATCH = 200  # members drawn and credited per transaction


@dataclass(frozen=True)
class CampaignSpec:
    key: str
    name: str
    message: str
    segments: tuple[str, ...]
    churn_risks: tuple[str, ...]
    tiers: tuple[str, ...]
    bonus_points: int
    badge_key: str | None
    starts_at: datetime
    ends_at: datetime
    holdout_percent: int
    answers: tuple[AnswerCondition, ...] = ()

    def as_target(self) -> rules.Target:
        return rules.Target(
            frozenset(self.segments),
            frozenset(self.churn_risks),
            frozenset(self.tiers),
            self.answers,
        )

    def target(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "segments": list(self.segments),
            "churnRisks": list(self.churn_risks),
            "tiers": list(self.tiers),
        }
        if self.answers:
            # Only when there are some: targets stored before answers existed compare equal.
            stored["answers"] = conditions.stored(self.answers)
        return stored


async def listing() -> list[Campaign]:
    """Every campaign, by start (the console's insight page)."""
    return list(await Campaign.all().order_by("starts_at", "id"))


def status(campaign: Campaign, now: datetime) -> str:
    if now < campaign.starts_at:
        return "SCHEDULED"
    return "RUNNING" if now < campaign.ends_at else "ENDED"


def target_of(campaign: Campaign) -> rules.Target:
    target: dict[str, Any] = campaign.target or {}
    return rules.Target(
        frozenset(target.get("segments", ())),
        frozenset(target.get("churnRisks", ())),
        frozenset(target.get("tiers", ())),
        conditions.of_stored(target.get("answers")),
    )


async def checked_target(
    target: rules.Target, connection: BaseDBAsyncClient | None = None
) -> rules.Target:
    """`target` with its answer conditions normalised, once its tiers exist (NOT_FOUND) and its
    conditions name existing questionnaires, questions and options of the right kinds
    (INVALID_INPUT)."""
    ladder = await tier_ladder.load_ladder(connection)
    known = set(ladder.rows) | {ladder.shown(BASE_TIER.key).key}
    unknown = sorted(key for key in target.tiers if key not in known)
    if unknown:
        raise not_found(f"no tier {unknown[0][:100]!r}", "target", "tiers")
    answers = await conditions.checked(target.answers, ("target", "answers"), connection)
    return replace(target, answers=answers)


def _validate(spec: CampaignSpec) -> CampaignSpec:
    """`spec` with its instants in UTC, once every rule holds: all of it is checked before
    anything is written (a naive date used to be stored, then fail the answer's status)."""
    spec = replace(
        spec,
        starts_at=utc_instant(spec.starts_at, "startsAt"),
        ends_at=utc_instant(spec.ends_at, "endsAt"),
    )
    if not spec.key or len(spec.key) > 100 or not spec.key.isprintable():
        raise invalid_input("a campaign key is 1 to 100 printable characters", "key")
    if not within(spec.name, 200):
        raise invalid_input("a campaign name is 1 to 200 characters", "name")
    if not within(spec.message, 500):
        raise invalid_input("a campaign message is 1 to 500 characters", "message")
    if spec.ends_at <= spec.starts_at:
        raise invalid_input("endsAt must be after startsAt", "endsAt")
    if not 0 <= spec.holdout_percent <= 50:
        raise invalid_input("holdoutPercent is 0 to 50", "holdoutPercent")
    if not 0 <= spec.bonus_points <= MAX_POINTS:
        raise invalid_input(f"bonusPoints is 0 to {MAX_POINTS}", "offer", "bonusPoints")
    if spec.bonus_points == 0 and spec.badge_key is None:
        raise invalid_input("an offer needs bonus points or a badge", "offer")
    return spec


async def upsert(actor: str, spec: CampaignSpec, now: datetime) -> Campaign:
    """Create or replace a campaign (audited). A started campaign's target and offer are
    fixed (TOO_LATE): changing them would make its groups incomparable."""
    spec = _validate(spec)
    async with transaction() as connection:
        if (
            spec.badge_key is not None
            and await find_by_key(Badge, spec.badge_key, connection) is None
        ):
            raise not_found(f"no badge {spec.badge_key[:100]!r}", "offer", "badgeKey")
        target = await checked_target(spec.as_target(), connection)
        spec = replace(spec, answers=target.answers)
        found = await Campaign.filter(key=spec.key).using_db(connection).select_for_update().first()
        before = _snapshot(found) if found else None
        if found is not None and found.starts_at <= now:
            fixed = (found.target, found.bonus_points, found.badge_key, found.starts_at)
            if fixed != (spec.target(), spec.bonus_points, spec.badge_key, spec.starts_at):
                raise DomainError(
                    ErrorCode.TOO_LATE,
                    "the campaign has started: its start, target and offer are fixed",
                    ["input"],
                )
        campaign = found or Campaign(key=spec.key, created_at=now)
        campaign.name = spec.name.strip()  # limits count what is stored (`within`)
        campaign.message = spec.message.strip()
        campaign.target = spec.target()
        campaign.bonus_points = spec.bonus_points
        campaign.badge_key = spec.badge_key
        campaign.starts_at = spec.starts_at
        campaign.ends_at = spec.ends_at
        campaign.holdout_percent = spec.holdout_percent
        campaign.updated_at = now
        await campaign.save(using_db=connection)
        await audit.record(
            connection, actor, "upsertCampaign", f"campaign:{spec.key}", before, _snapshot(campaign)
        )
    return campaign


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "message": campaign.message,
        "target": campaign.target,
        "bonusPoints": campaign.bonus_points,
        "badgeKey": campaign.badge_key,
        "startsAt": campaign.starts_at.isoformat(),
        "endsAt": campaign.ends_at.isoformat(),
        "holdoutPercent": campaign.holdout_percent,
    }


async def apply_running(runtime: Runtime, now: datetime) -> int:
    """Draw and treat every newly targeted member of every running campaign; how many were
    drawn. Idempotent: a member already drawn is skipped, and the unique draw row backs it."""
    drawn = 0
    for campaign in await Campaign.filter(starts_at__lte=now, ends_at__gt=now).order_by("id"):
        pending = await _targeted(campaign)
        for first in range(0, len(pending), BATCH):
            drawn += await _apply_batch(runtime, campaign, pending[first : first + BATCH], now)
        if pending:
            log.info("campaign %s: %d members drawn", campaign.key, len(pending))
    return drawn


async def _targeted(campaign: Campaign) -> list[str]:
    """Members matching the target on the latest refresh, not yet drawn, by id: one statement."""
    reach = await _reach(target_of(campaign), "mi.member_id", campaign.id)
    if reach is None:
        return []
    sql, values = reach
    rows = await connections.get("default").execute_query_dict(sql, values)
    # In Python's order, not the database collation's: batches lock members in id order.
    return sorted(str(row["member_id"]) for row in rows)


async def audience(target: rules.Target) -> int:
    """How many members `target` reaches now (the latest refresh, drawn or not): one statement.
    0 before the first refresh."""
    reach = await _reach(target, "COUNT(*) AS n", None)
    if reach is None:
        return 0
    sql, values = reach
    rows = await connections.get("default").execute_query_dict(sql, values)
    return int(rows[0]["n"])


async def _reach(
    target: rules.Target, select: str, undrawn_in: int | None
) -> tuple[str, list[object]] | None:
    """The statement selecting `select` over the members `target` reaches on the latest
    refresh (`mi` is their `member_insight` row), and its parameters; with `undrawn_in` (a
    campaign id), only those that campaign has not drawn yet. None when nobody can match (no
    refresh yet, tiers that no member can hold).

    Set-based at any population: `member_insight` by (as_of, segment) or (as_of, churn_risk),
    `member` by its key for the tier, each answer condition an index lookup (`domain.offers`),
    the earlier draws by the unique (campaign_id, member_id). The README states its cost."""
    latest = await insight_reads.latest_refresh()
    if latest is None:
        return None
    parameters = Parameters()
    where = [f"mi.as_of = {parameters.add(latest)}"]
    joins = ""
    if target.segments:
        where.append(f"mi.segment IN ({parameters.many(sorted(target.segments))})")
    if target.churn_risks:
        where.append(f"mi.churn_risk IN ({parameters.many(sorted(target.churn_risks))})")
    if target.tiers:
        # The tier a member is shown: their stored key, or the lowest rung for the built-in base
        # tier (stored as NULL), as `tier_ladder.Ladder.shown` says.
        ladder = await tier_ladder.load_ladder()
        stored = sorted(key for key in ladder.rows if ladder.shown(key).key in target.tiers)
        held = [f"m.tier_key IN ({parameters.many(stored)})"] if stored else []
        if ladder.shown(BASE_TIER.key).key in target.tiers:
            held.append("m.tier_key IS NULL")
        if not held:
            return None
        joins = " JOIN member m ON m.id = mi.member_id"
        where.append(f"({' OR '.join(held)})")
    where += conditions.exists_sql(target.answers, "mi.member_id", parameters)
    if undrawn_in is not None:
        where.append(
            "NOT EXISTS (SELECT 1 FROM campaign_member d "
            f"WHERE d.campaign_id = {parameters.add(undrawn_in)} AND d.member_id = mi.member_id)"
        )
    sql = f"SELECT {select} FROM member_insight mi{joins} WHERE {' AND '.join(where)}"
    return sql, parameters.values


async def _apply_batch(
    runtime: Runtime, campaign: Campaign, member_ids: list[str], now: datetime
) -> int:
    async with transaction() as connection:
        rows = [
            [campaign.id, m, rules.is_held_out(campaign.key, m, campaign.holdout_percent), now]
            for m in member_ids
        ]
        inserted = await insert_rows(
            connection,
            "campaign_member",
            DRAW_COLUMNS,
            rows,
            on_conflict="ON CONFLICT (campaign_id, member_id) DO NOTHING",
            returning="member_id, held_out",
        )
        treated = sorted(row["member_id"] for row in inserted if not row["held_out"])
        if treated:
            await _treat(connection, runtime, campaign, treated, now)
    return len(inserted)


DRAW_COLUMNS = {
    "campaign_id": "bigint",
    "member_id": "varchar",
    "held_out": "boolean",
    "decided_at": "timestamptz",
}


async def _treat(
    connection: BaseDBAsyncClient,
    runtime: Runtime,
    campaign: Campaign,
    member_ids: list[str],
    now: datetime,
) -> None:
    """Credit the bonus, award the badge and send the message, to members the caller just drew
    into the treated group, in its transaction (under their locks, in id order)."""
    members = list(
        await Member.filter(id__in=member_ids)
        .order_by("id")
        .select_for_update()
        .using_db(connection)
    )
    program = await load_program(connection, runtime.settings)
    badge = None
    if campaign.badge_key is not None:
        badge = (await definitions.cache.current()).badges.get(campaign.badge_key)
    demand = Demand(moments={now}, settle=badge is not None or campaign.bonus_points > 0)
    session = await Session.open(
        connection, program, runtime.leaderboards, members, demand, clock=lambda: now
    )
    for member in members:
        chain = session.chain(member.id)
        if campaign.bonus_points:
            chain.post(
                campaign.bonus_points,
                LedgerReason.BONUS,
                campaign.name,
                bonus_key(campaign.key, member.id),
                now,
            )
        if badge is not None:
            chain.earn(badge, f"campaign:{campaign.key}"[:200], now)
        chain.event(
            EventKind.CAMPAIGN_OFFER,
            campaign.message,
            points=campaign.bonus_points or None,
            subject=campaign.key,
        )
        chain.settle()
    await session.write()


def bonus_key(campaign_key: str, member_id: str) -> str:
    return f"campaign:{campaign_key}:{member_id}"[:200]


@dataclass(frozen=True)
class Group:
    members: int
    active_within_7_days: float
    active_within_30_days: float
    points_earned_per_member: float


@dataclass(frozen=True)
class Results:
    treated: Group
    holdout: Group
    uplift: rules.Uplift


async def results(settings: Settings, campaign: Campaign) -> Results:
    """Each group's return to activity and points since its draw (own bonus excluded)."""
    return (await results_of(settings, [campaign]))[campaign.id]


async def results_of(settings: Settings, many: Sequence[Campaign]) -> dict[int, Results]:
    """`results` of many campaigns (by id) with the statements of one: every draw in one query,
    then the drawn members' active days and credits since the earliest draw, one query of each
    per 5,000 members, however many campaigns there are (the console draws them all)."""
    if not many:
        return {}
    draws = await CampaignMember.filter(campaign_id__in=[c.id for c in many]).values_list(
        "campaign_id", "member_id", "held_out", "decided_at"
    )
    tz = settings.tz
    decided: dict[int, dict[str, tuple[bool, date, datetime]]] = {c.id: {} for c in many}
    for campaign_id, member_id, held_out, at in draws:
        decided[int(campaign_id)][str(member_id)] = (bool(held_out), at.astimezone(tz).date(), at)
    every = [draw for drawn in decided.values() for draw in drawn.values()]
    members = sorted({member_id for drawn in decided.values() for member_id in drawn})
    days = await _active_days(settings, members, min((d for _, d, _ in every), default=None))
    credits = await _credits(members, min((at for _, _, at in every), default=None))
    return {
        campaign.id: _results(
            decided[campaign.id],
            _returns(decided[campaign.id], days),
            _points_since(campaign, decided[campaign.id], credits),
        )
        for campaign in many
    }


def _results(
    decided: dict[str, tuple[bool, date, datetime]],
    returns: dict[str, int],
    points: dict[str, int],
) -> Results:
    groups: dict[bool, list[str]] = {True: [], False: []}
    for member_id, (held_out, _, _) in decided.items():
        groups[held_out].append(member_id)

    def summary(ids: list[str]) -> tuple[Group, int]:
        n = len(ids)
        within_7 = sum(1 for m in ids if returns.get(m, 10**6) <= 7)
        within_30 = sum(1 for m in ids if returns.get(m, 10**6) <= 30)
        earned = sum(points.get(m, 0) for m in ids)
        return (
            Group(
                n,
                within_7 / n if n else 0.0,
                within_30 / n if n else 0.0,
                earned / n if n else 0.0,
            ),
            within_30,
        )

    treated, treated_30 = summary(groups[False])
    holdout, holdout_30 = summary(groups[True])
    lift = rules.uplift(treated_30, treated.members, holdout_30, holdout.members)
    return Results(treated, holdout, lift)


async def _active_days(
    settings: Settings, member_ids: list[str], first_draw: date | None
) -> dict[str, list[date]]:
    """The members' active days after the day of the earliest draw (none before counts)."""
    actions = list(settings.insight_actions) or [""]
    found: dict[str, list[date]] = {}
    if first_draw is None:
        return found
    for first in range(0, len(member_ids), 5_000):
        chunk = member_ids[first : first + 5_000]
        rows = await ActivityDay.filter(
            member_id__in=chunk, action_key__in=actions, day__gt=first_draw.isoformat()
        ).values_list("member_id", "day")
        for member_id, day in rows:
            found.setdefault(str(member_id), []).append(date.fromisoformat(day))
    return found


def _returns(
    decided: dict[str, tuple[bool, date, datetime]], days: dict[str, list[date]]
) -> dict[str, int]:
    """Per member, how many days after the day of their draw their first active day came."""
    found: dict[str, int] = {}
    for member_id, (_, drawn_on, _) in decided.items():
        after = [(day - drawn_on).days for day in days.get(member_id, ())]
        later = [days_after for days_after in after if days_after >= 1]
        if later:
            found[member_id] = min(later)
    return found


Credit = tuple[int, datetime, str]  # amount, effective_at, source_key


async def _credits(member_ids: list[str], since: datetime | None) -> dict[str, list[Credit]]:
    """The members' credits earned since `since` (the earliest draw)."""
    found: dict[str, list[Credit]] = {}
    if since is None:
        return found
    for first in range(0, len(member_ids), 5_000):
        chunk = member_ids[first : first + 5_000]
        # By when the points were earned (an interaction's occurrence), not when credited.
        rows = await LedgerEntry.filter(
            member_id__in=chunk, amount__gt=0, effective_at__gte=since - timedelta(seconds=1)
        ).values_list("member_id", "amount", "effective_at", "source_key")
        for member_id, amount, effective_at, source_key in rows:
            found.setdefault(str(member_id), []).append(
                (int(amount), effective_at, str(source_key) if source_key is not None else "")
            )
    return found


def _points_since(
    campaign: Campaign,
    decided: dict[str, tuple[bool, date, datetime]],
    credits: dict[str, list[Credit]],
) -> dict[str, int]:
    """Points credited to each member since their draw, the campaign's own bonus excluded."""
    totals: dict[str, int] = {}
    for member_id, (_, _, drawn_at) in decided.items():
        bonus = bonus_key(campaign.key, member_id)
        earned = sum(
            amount
            for amount, effective_at, source_key in credits.get(member_id, ())
            if effective_at >= drawn_at and source_key != bonus
        )
        if earned:
            totals[member_id] = earned
    return totals
