"""Partners: what a valid partner definition is, and whether an award fits its monthly budget.

A partner (a retailer, a co-brand) records interactions of its own actions with a SERVICE token
scoped to it. What it awards counts against its budget for the calendar month (program time
zone) of the interaction's `occurredAt`, the month every other calendar rule would use
(`gamification.periods`). An award that does not fit whole is refused whole (REJECTED,
PARTNER_BUDGET): a partner's points are a price it pays, and a trimmed award would credit the
member less than the partner's action promises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem
from gamification.limits import Decision, Outcome
from gamification.periods import Period, period_window
from gamification.reasons import InteractionReason
from gamification.text import within

PARTNER_BUDGET = Decision(Outcome.REJECTED, InteractionReason.PARTNER_BUDGET)
MAX_ACTIONS = 100
# A budget is points per month: GraphQL's Int holds it, and no total of it can overflow one.
MAX_BUDGET = 2**31 - 1
MIN_TOKEN_DAYS = 1
MAX_TOKEN_DAYS = 3_660  # ten years: a token longer-lived than that is a password


@dataclass(frozen=True)
class PartnerDefinition:
    key: str
    name: str
    actions: tuple[str, ...]
    monthly_budget: int | None  # None: unlimited
    active: bool = True


def validate_partner(partner: PartnerDefinition) -> list[Problem]:
    """The definition's problems, each naming its field (`input.<field>`), in field order.
    Whether each action exists is the domain's to check (it needs the actions table)."""
    problems: list[Problem] = []
    if len(partner.key) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(partner.key):
        problems.append(
            Problem(
                ("input", "key"),
                "key must be lowercase dot-separated words, e.g. acme or bikes.north "
                f"(at most {MAX_KEY_LENGTH} characters)",
            )
        )
    if not within(partner.name, 200):
        problems.append(Problem(("input", "name"), "name must be 1 to 200 characters"))
    if not partner.actions:
        problems.append(Problem(("input", "actions"), "a partner needs at least one action"))
    elif len(partner.actions) > MAX_ACTIONS:
        problems.append(
            Problem(("input", "actions"), f"a partner may have at most {MAX_ACTIONS} actions")
        )
    elif len(set(partner.actions)) != len(partner.actions):
        problems.append(Problem(("input", "actions"), "actions must not repeat"))
    budget = partner.monthly_budget
    if budget is not None and not 0 <= budget <= MAX_BUDGET:
        problems.append(
            Problem(
                ("input", "monthlyBudget"),
                f"monthlyBudget must be 0 to {MAX_BUDGET:,} points, or null for no budget",
            )
        )
    return problems


def validate_token_days(days: int) -> list[Problem]:
    if not MIN_TOKEN_DAYS <= days <= MAX_TOKEN_DAYS:
        return [
            Problem(
                ("tokenDays",),
                f"tokenDays must be {MIN_TOKEN_DAYS} to {MAX_TOKEN_DAYS:,} days",
            )
        ]
    return []


def unknown_actions(actions: Sequence[str], defined: set[str]) -> list[Problem]:
    """A problem naming the first action of `actions` that is not in `defined`, if any (on
    the field `actions`, the message naming the key: a form shows it beside the list)."""
    for action in actions:
        if action not in defined:
            return [
                Problem(("input", "actions"), f"no action has the key {action[:MAX_KEY_LENGTH]!r}")
            ]
    return []


def budget_month(moment: datetime, tz: ZoneInfo) -> str:
    """The calendar month (`YYYY-MM`, program time zone) whose budget an award at `moment`
    counts against."""
    return period_window(Period.MONTH, moment, tz).key


def fits(budget: int | None, awarded: int, points: int) -> bool:
    """Whether `points` more fit a month's `budget` of which `awarded` is used (None: no
    budget). Zero points always fit: they cost the partner nothing."""
    return budget is None or points <= 0 or awarded + points <= budget
