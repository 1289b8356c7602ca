"""Deciding one claimed interaction inside a batch: limits, cooldown, points, then the chain.

The counts a decision needs (awarded interactions of the action in each limited period, the
nearest awarded ones in time, the nth award of a schedule's period) come from the member's
`AwardedTimes`, which the batch loaded and which every award in the batch extends, so the
decision equals the one a lone interaction would get after its predecessors were committed.
"""

from __future__ import annotations

from domain.models import Action, Interaction, InteractionStatus, LedgerReason
from domain.pipeline.budgets import Budgets
from domain.pipeline.chain import Chain
from domain.pipeline.state import AwardedTimes
from domain.program.actions import limits_of, schedule_of
from gamification.content import is_content_action
from gamification.goals import FactKind
from gamification.limits import INACTIVE_ACTION, UNKNOWN_ACTION, Decision, decide
from gamification.partners import PARTNER_BUDGET
from gamification.periods import local_date, period_window
from gamification.schedules import points_for
from gamification.tiers import multiply


def award_interaction(
    chain: Chain, interaction: Interaction, budgets: Budgets | None = None
) -> None:
    """Decide `interaction` and, when awarded, credit it and settle what it moves. One recorded
    by a partner's token is awarded only when its points fit the partner's budget for the
    month (`budgets`, locked by the batch): otherwise it is REJECTED, PARTNER_BUDGET, whole."""
    program, state = chain.program, chain.state
    action = program.actions.get(interaction.action_key)
    if action is None or not action.active:
        decision = UNKNOWN_ACTION if action is None else INACTIVE_ACTION
    else:
        decision = _decide(chain, interaction, action)
    points = 0
    budget = budgets.month_of(interaction) if budgets is not None else None
    if decision.awarded and action is not None:
        points = multiply(
            _points(chain, interaction, action), program.ladder.multiplier(state.member)
        )
        if budgets is not None and budget is not None and not budgets.fits(budget, points):
            decision = PARTNER_BUDGET
    interaction.status = InteractionStatus(decision.outcome)
    interaction.reason = decision.reason
    interaction.processed_at = chain.now
    chain.changes.interactions[interaction.id] = interaction
    if not decision.awarded or action is None:
        return
    at = interaction.occurred_at
    if action.key in state.awarded:
        state.awarded[action.key].add(at)
    streaks = chain.count_activity(action.key, local_date(at, program.tz))
    chain.pending.append(chain.fact(FactKind.INTERACTION, at, action=action.key))
    # Content actions are credited by moderation (`domain.community.content.moderation`): their
    # points are CONTENT.
    reason = LedgerReason.CONTENT if is_content_action(action.key) else LedgerReason.ACTION
    entry = chain.credit(points, reason, action.name, f"interaction:{interaction.id}", at)
    interaction.points_awarded = 0 if entry is None else entry.amount  # capped at the maximum
    if entry is not None and budgets is not None and budget is not None:
        entry.partner_key = interaction.partner_key
        budgets.spend(budget, entry.amount)
    chain.announce_streaks(action, streaks)
    chain.settle()


def _awarded(chain: Chain, action: Action) -> AwardedTimes:
    try:
        return chain.state.awarded[action.key]
    except KeyError:
        raise RuntimeError(f"awarded {action.key!r} of {chain.member_id} not loaded") from None


def _decide(chain: Chain, interaction: Interaction, action: Action) -> Decision:
    tz, at = chain.program.tz, interaction.occurred_at
    limits = limits_of(action)
    counts = {}
    for limit in limits:
        window = period_window(limit.period, at, tz)
        counts[limit.period] = _awarded(chain, action).count_between(window.start, window.end)
    previous = following = None
    if action.cooldown_seconds > 0:
        previous, following = _awarded(chain, action).nearest(at)
    return decide(limits, action.cooldown_seconds, at, counts, previous, following)


def _points(chain: Chain, interaction: Interaction, action: Action) -> int:
    """The action's points before the tier multiplier: flat, or by the schedule's step for the
    nth award in the schedule's period (n = 1 + the member's awarded ones in that window)."""
    schedule = schedule_of(action)
    if schedule is None:
        return action.points
    window = period_window(schedule.period, interaction.occurred_at, chain.program.tz)
    return points_for(schedule, _awarded(chain, action).count_between(window.start, window.end) + 1)
