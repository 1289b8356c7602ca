"""Referral conversions, detected while a batch is awarded.

A referral converts on the referee's first AWARDED interaction of the program's conversion
action: their first ever, so a member who had already done it before applying a code was not
brought to it by the referral. In the transaction that awards that interaction:

- the referee is credited `refereePoints` (reason REFERRAL, source `referral:<referee>:referee`);
- the referrer is credited `referrerPoints` (source `referral:<referee>:referrer`), unless they
  were already rewarded for `monthlyCap` conversions in that calendar month (program time
  zone): then their ledger gets a zero entry that says so; the conversion counts all the same;
- the conversion counts toward the referrer's REFERRALS_CONVERTED goals and adds one to their
  `referrals` board, and the referrer hears of it (REFERRAL_CONVERTED).

Exactly once: the referral's `converted_at` is set in the same transaction, with both members
locked (a batch locks the referrers of its referees with its own members, in id order), and the
unique source keys back it up, so replays, sweeps and racing workers cannot convert twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.members.events import EventKind
from domain.models import Interaction, InteractionStatus, LedgerReason, Referral
from domain.pipeline.state import Demand, ReadAgain
from gamification.goals import FactKind
from gamification.periods import Period, period_window
from gamification.referrals import REFERRALS_BOARD, ReferralRules, referrer_rewarded

if TYPE_CHECKING:
    from domain.pipeline.session import Session


def _converting(rules: ReferralRules, interactions: Iterable[Interaction]) -> set[str]:
    """Members with an interaction of the conversion action in the batch."""
    action = rules.conversion_action
    if not action:
        return set()
    return {i.member_id for i in interactions if i.action_key == action}


async def referrers_to_lock(
    connection: BaseDBAsyncClient, rules: ReferralRules, interactions: Iterable[Interaction]
) -> set[str]:
    """Before the batch takes its locks: the referrers a conversion in it may credit."""
    referees = _converting(rules, interactions)
    if not referees:
        return set()
    rows = (
        await Referral.filter(referee_id__in=sorted(referees), converted_at__isnull=True)
        .using_db(connection)
        .values_list("referrer_id", flat=True)
    )
    return {str(referrer_id) for referrer_id in rows}


@dataclass
class Conversions:
    """The batch's unconverted referrals and the referrers' rewarded conversions per month."""

    rules: ReferralRules
    tz: ZoneInfo
    pending: dict[str, Referral] = field(default_factory=dict)  # by referee
    rewarded: Counter[tuple[str, str]] = field(default_factory=Counter)  # (referrer, month key)

    @classmethod
    async def load(
        cls,
        connection: BaseDBAsyncClient,
        rules: ReferralRules,
        tz: ZoneInfo,
        interactions: list[Interaction],
        locked: set[str],
        demand: Demand,
    ) -> Conversions:
        """Under the batch's locks: read the pending referrals again (a referral applied since
        the first read may name a referrer the batch did not lock: then `ReadAgain`), and the
        referrers' rewarded conversions in the months the batch's interactions fall in."""
        conversions = cls(rules, tz)
        referees = _converting(rules, interactions)
        if not referees:
            return conversions
        for referral in await Referral.filter(
            referee_id__in=sorted(referees), converted_at__isnull=True
        ).using_db(connection):
            if referral.referrer_id not in locked:
                raise ReadAgain(f"referral of {referral.referee_id} appeared meanwhile")
            conversions.pending[referral.referee_id] = referral
        if not conversions.pending:
            return conversions
        action = rules.conversion_action
        for referee in conversions.pending:
            # "First ever" needs the referee's lifetime count of the action.
            demand.lifetime_pairs.add((referee, action))
        demand.boards.add(REFERRALS_BOARD)
        months = [
            period_window(Period.MONTH, i.occurred_at, tz)
            for i in interactions
            if i.member_id in conversions.pending and i.action_key == action
        ]
        start = min(w.start for w in months if w.start is not None)
        end = max(w.end for w in months if w.end is not None)
        referrers = sorted({r.referrer_id for r in conversions.pending.values()})
        for referrer_id, converted_at in (
            await Referral.filter(
                referrer_id__in=referrers,
                referrer_rewarded=True,
                converted_at__gte=start,
                converted_at__lt=end,
            )
            .using_db(connection)
            .values_list("referrer_id", "converted_at")
        ):
            month = period_window(Period.MONTH, converted_at, tz).key
            conversions.rewarded[(str(referrer_id), month)] += 1
        return conversions

    def after_award(self, session: Session, interaction: Interaction) -> None:
        """Convert the interaction's member's referral if this was their first AWARDED
        interaction of the conversion action."""
        referral = self.pending.get(interaction.member_id)
        if (
            referral is None
            or interaction.status is not InteractionStatus.AWARDED
            or interaction.action_key != self.rules.conversion_action
        ):
            return
        # Decided either way: converted now, or (not their first) never.
        del self.pending[referral.referee_id]
        awarded = session.loaded.states[referral.referee_id].awarded
        if awarded[self.rules.conversion_action].lifetime == 1:
            self._convert(session, referral, interaction.occurred_at)

    def _convert(self, session: Session, referral: Referral, at: datetime) -> None:
        rules = self.rules
        month = period_window(Period.MONTH, at, self.tz).key
        so_far = self.rewarded[(referral.referrer_id, month)]
        rewarded = referrer_rewarded(so_far, rules.monthly_cap)
        referee = session.chain(referral.referee_id)
        entry = referee.credit(
            rules.referee_points,
            LedgerReason.REFERRAL,
            "Welcome bonus: you joined through a referral",
            f"referral:{referral.referee_id}:referee",
            at,
        )
        referee.settle()
        referrer = session.chain(referral.referrer_id)
        who = referee.state.member.display_name
        source = f"referral:{referral.referee_id}:referrer"
        if rewarded:
            self.rewarded[(referral.referrer_id, month)] += 1
            given = referrer.credit(
                rules.referrer_points, LedgerReason.REFERRAL, f"Referral: {who} joined", source, at
            )
        else:
            # The conversion counts, but the cap leaves the referrer without points for it:
            # a zero entry tells them why (and holds the source key, like any credit).
            given = referrer.post(
                0,
                LedgerReason.REFERRAL,
                f"Referral: {who} joined; no points: the monthly cap of {rules.monthly_cap} "
                "rewarded referrals was reached",
                source,
                at,
            )
        referrer.count_community(FactKind.REFERRAL_CONVERTED, at)
        referrer.add_to_board(REFERRALS_BOARD, 1, at)
        points = given.amount if given is not None and given.amount else None
        referrer.event(
            EventKind.REFERRAL_CONVERTED,
            f"{who}, who joined through you, converted",
            points=points,
            subject=referral.referee_id,
        )
        referrer.settle()
        referral.converted_at = at
        referral.referrer_rewarded = rewarded
        referral.referrer_points = given.amount if given is not None else 0
        referral.referee_points = entry.amount if entry is not None else 0
        session.changes.referrals[referral.referee_id] = referral
