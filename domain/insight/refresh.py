"""Insight: every member's RFM scores, segment and churn risk as of a date, from the database.

A refresh as of date D (program time zone, the whole day included) reads each member's active
days from the activity counters (`activity_day`: a day with at least one AWARDED interaction of
the program's engagement actions, `PLAUDIT_INSIGHT_ACTIONS`, all actions unless configured),
their points credited (or the configured property summed) over the 90 days up to D, scores R,
F and M by quintile (`gamification.rfm`), fits BG/NBD to everybody's history
(`gamification.churn`) and stores one `member_insight` row per member and date plus the
`churn_fit` of that date. A member's history starts on their first active day, not on
enrolment. Refreshing the same date again replaces that date's rows.

The reads go member by member in key order, `batch` members per statement, so a million
members never sit in one result; the scores and the fit need the whole population at once and
are computed on numpy arrays (a few tens of bytes per member).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from tortoise import connections

from domain.infra.db import dialect, insert_rows, param, raw_timestamp, touch_program, transaction
from domain.infra.settings import Settings
from domain.models import ANY_ACTION, ChurnFit, Member, MemberInsight
from gamification import churn, rfm

log = logging.getLogger("plaudit.insight")

WINDOW_DAYS = 90  # frequency and monetary count the 90 days up to the refresh date
Progress = Callable[[int, int], None]  # (done, total) members, for the CLI's bar


@dataclass
class Histories:
    """Per member with at least one active day on or before the date: days as ordinals."""

    member_ids: list[str] = field(default_factory=list)
    first: list[int] = field(default_factory=list)
    last: list[int] = field(default_factory=list)
    active_days: list[int] = field(default_factory=list)
    recent_days: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.member_ids)


@dataclass(frozen=True)
class Refreshed:
    as_of: date
    members: int
    fit: churn.BgNbdFit | None
    seconds: float
    # Where the time went: reading histories and monetary, scoring and fitting, writing rows.
    read_s: float = 0.0
    fit_s: float = 0.0
    write_s: float = 0.0


def _day_filter(settings: Settings, start: int) -> tuple[str, list[object]]:
    """The activity rows of engagement actions, and their parameters from `start` on."""
    actions = settings.insight_actions or (ANY_ACTION,)
    marks = ", ".join(param(start + i) for i in range(len(actions)))
    return f"action_key IN ({marks})", list(actions)


async def histories(settings: Settings, as_of: date, *, batch: int = 20_000) -> Histories:
    """Every member's active days on or before `as_of`: first, last, how many, and how many
    in the 90 days up to `as_of` (distinct days, whichever engagement action made them).
    Members are taken `batch` at a time by id from the member table, and each batch's days
    are aggregated over that id range (the activity index leads with the member)."""
    connection = connections.get("default")
    found = Histories()
    window_start = (as_of - timedelta(days=WINDOW_DAYS - 1)).isoformat()
    actions, action_params = _day_filter(settings, 5)
    after = ""
    while True:
        ids = (
            await Member.filter(id__gt=after)
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return found
        params: list[object] = [window_start, as_of.isoformat(), after, ids[-1], *action_params]
        sql = (
            "SELECT member_id, MIN(day) AS first, MAX(day) AS last, COUNT(DISTINCT day) AS days, "
            f"COUNT(DISTINCT CASE WHEN day >= {param(1)} THEN day END) AS recent "
            f"FROM activity_day WHERE day <= {param(2)} AND member_id > {param(3)} "
            f"AND member_id <= {param(4)} AND {actions} GROUP BY member_id ORDER BY member_id"
        )
        for row in await connection.execute_query_dict(sql, params):
            found.member_ids.append(row["member_id"])
            found.first.append(date.fromisoformat(row["first"]).toordinal())
            found.last.append(date.fromisoformat(row["last"]).toordinal())
            found.active_days.append(int(row["days"]))
            found.recent_days.append(int(row["recent"] or 0))
        after = str(ids[-1])


async def monetary(settings: Settings, members: Histories, as_of: date) -> NDArray[np.int64]:
    """Points credited over the 90 days up to `as_of` (credits only: spending and reversals do
    not lower it), or the configured numeric interaction property summed over the configured
    actions' AWARDED interactions in those days."""
    tz = settings.tz
    start = datetime.combine(as_of - timedelta(days=WINDOW_DAYS - 1), datetime.min.time(), tz)
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tz)
    position = {member_id: index for index, member_id in enumerate(members.member_ids)}
    totals = np.zeros(len(members), dtype=np.int64)
    connection = connections.get("default")
    for first in range(0, len(members), 20_000):
        ids = members.member_ids[first : first + 20_000]
        bounds = [ids[0], ids[-1], raw_timestamp(start), raw_timestamp(end)]
        sql, params = _monetary_sql(settings, bounds)
        for row in await connection.execute_query_dict(sql, params):
            index = position.get(row["member_id"])
            if index is not None and row["total"] is not None:
                totals[index] = round(float(row["total"]))
    return totals


def _monetary_sql(settings: Settings, bounds: list[object]) -> tuple[str, list[object]]:
    members = f"member_id >= {param(1)} AND member_id <= {param(2)}"
    if settings.insight_monetary_property is None:
        return (
            "SELECT member_id, SUM(amount) AS total FROM ledger_entry "
            f"WHERE {members} AND amount > 0 "
            f"AND effective_at >= {param(3)} AND effective_at < {param(4)} GROUP BY member_id",
            bounds,
        )
    name = settings.insight_monetary_property  # letters, digits and _ only (settings check)
    actions = settings.insight_monetary_actions
    marks = ", ".join(param(5 + i) for i in range(len(actions)))
    action_filter = f"AND action_key IN ({marks})" if actions else ""
    if dialect() == "postgres":
        value = (
            f"CASE WHEN jsonb_typeof(properties -> '{name}') = 'number' "
            f"THEN (properties ->> '{name}')::double precision END"
        )
    else:
        value = (
            f"CASE WHEN json_type(properties, '$.{name}') IN ('integer', 'real') "
            f"THEN json_extract(properties, '$.{name}') END"
        )
    return (
        f"SELECT member_id, SUM({value}) AS total FROM interaction "
        f"WHERE {members} AND status = 'AWARDED' "
        f"AND occurred_at >= {param(3)} AND occurred_at < {param(4)} {action_filter} "
        "GROUP BY member_id",
        [*bounds, *actions],
    )


def thresholds(settings: Settings) -> churn.RiskThresholds:
    return churn.RiskThresholds(
        high_below=settings.churn_high_below_percent / 100,
        medium_below=settings.churn_medium_below_percent / 100,
    )


async def refresh(
    settings: Settings,
    as_of: date,
    *,
    progress: Progress | None = None,
    batch: int = 5_000,
) -> Refreshed:
    """Recompute every member's insight as of `as_of` and store it (replacing that date's)."""
    started = time.perf_counter()
    found = await histories(settings, as_of)
    log.info("insight %s: %d members with an active day", as_of, len(found))
    day = as_of.toordinal()
    first = np.asarray(found.first, dtype=np.int64)
    last = np.asarray(found.last, dtype=np.int64)
    recency = day - last
    frequency = np.asarray(found.recent_days, dtype=np.int64)
    money = await monetary(settings, found, as_of)
    read_s = time.perf_counter() - started
    r = rfm.score_population(recency.tolist(), higher_is_better=False)
    f = rfm.score_population(frequency.tolist(), higher_is_better=True)
    m = rfm.score_population(money.tolist(), higher_is_better=True)
    x = np.asarray(found.active_days, dtype=np.float64) - 1
    t_x = (last - first) / 7.0
    big_t = (day - first) / 7.0
    fit = _fit(x, t_x, big_t)
    alive = churn.p_alive(fit, x, t_x, big_t) if fit is not None else None
    limits = thresholds(settings)
    key = as_of.isoformat()
    fit_s = time.perf_counter() - started - read_s
    async with transaction() as connection:
        # Every member's insight is new: rather than a million versions, the program's (once a
        # night, every cached answer recomputed at its next read).
        touch_program()
        await MemberInsight.filter(as_of=key).using_db(connection).delete()
        for start in range(0, len(found), batch):
            rows: list[list[object]] = []
            for i in range(start, min(len(found), start + batch)):
                p = float(alive[i]) if alive is not None else None
                rows.append(
                    [
                        found.member_ids[i],
                        key,
                        int(recency[i]),
                        int(frequency[i]),
                        int(money[i]),
                        r[i],
                        f[i],
                        m[i],
                        rfm.segment_of(r[i], f[i]).value,
                        int(x[i]),
                        float(t_x[i]),
                        float(big_t[i]),
                        p,
                        churn.risk_band(p, limits).value if p is not None else None,
                    ]
                )
            await insert_rows(connection, "member_insight", INSIGHT_COLUMNS, rows)
            done = min(len(found), start + batch)
            if progress is not None:
                progress(done, len(found))
            elif (start // batch) % 20 == 19 or done == len(found):
                log.info("insight %s: %d of %d members stored", as_of, done, len(found))
        await ChurnFit.filter(as_of=key).using_db(connection).delete()
        if fit is not None:
            await ChurnFit.create(
                as_of=key,
                r=fit.r,
                alpha=fit.alpha,
                a=fit.a,
                b=fit.b,
                log_likelihood=fit.log_likelihood,
                members=fit.members,
                fitted_at=datetime.now(UTC),
                using_db=connection,
            )
    seconds = time.perf_counter() - started
    write_s = seconds - read_s - fit_s
    log.info(
        "insight %s refreshed: %d members in %.1fs (read %.1fs, score and fit %.1fs, write %.1fs)",
        as_of,
        len(found),
        seconds,
        read_s,
        fit_s,
        write_s,
    )
    return Refreshed(as_of, len(found), fit, seconds, read_s, fit_s, write_s)


INSIGHT_COLUMNS = {
    "member_id": "varchar",
    "as_of": "varchar",
    "recency": "integer",
    "frequency": "integer",
    "monetary": "bigint",
    "r": "smallint",
    "f": "smallint",
    "m": "smallint",
    "segment": "varchar",
    "repeat_days": "integer",
    "weeks_to_last": "double precision",
    "weeks_observed": "double precision",
    "p_alive": "double precision",
    "churn_risk": "varchar",
}


def _fit(
    x: NDArray[np.float64], t_x: NDArray[np.float64], big_t: NDArray[np.float64]
) -> churn.BgNbdFit | None:
    """The population's BG/NBD fit, or None when it has none (nobody yet, or nobody back)."""
    if len(x) == 0:
        return None
    try:
        return churn.fit_bgnbd(x, t_x, big_t)
    except ValueError as exc:
        log.warning("no churn model: %s", exc)
        return None
