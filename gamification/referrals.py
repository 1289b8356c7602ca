"""Referrals: the shape of a referral code and whether a member may apply one.

A member shares a code; a newcomer applies it within `apply_within_days` of joining, and the
referral converts on the newcomer's first awarded interaction of the program's conversion
action. The domain layer loads the facts (the code's owner, the chain of referrers above them,
how many conversions the referrer was rewarded for this month) and these functions decide.

Codes are read aloud and typed by hand, so the alphabet leaves out the look-alikes 0/O and
1/I/L, and what a member types is normalised (case, spaces, hyphens) before any lookup. A typed
string that cannot be a code is refused without a lookup, yet still counts as a failed attempt
(`FAILED_ATTEMPTS_PER_HOUR`), so guessing codes costs the same either way.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from gamification.actions import ACTION_KEY, MAX_KEY_LENGTH, Problem
from gamification.content import CONTENT_ACTION_PREFIX, is_content_action

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
# Codes derived for members enrolled before codes existed (`legacy_code`): about 79 bits.
LEGACY_CODE_LENGTH = 16
# What `normalize_code` accepts: codes issued today are CODE_LENGTH long; the range leaves room
# to lengthen (or hand-pick) codes later without refusing the ones already shared.
MIN_TYPED_CODE = 8
MAX_TYPED_CODE = 32
MAX_CHAIN = 1000  # the longest chain of referrers the domain walks
FAILED_ATTEMPTS_PER_HOUR = 10
REFERRALS_BOARD = "referrals"  # the leaderboard of conversions, one point per converted referee

MAX_REFERRAL_POINTS = 1_000_000
MAX_APPLY_WITHIN_DAYS = 3650
MAX_MONTHLY_CAP = 100_000

_ALPHABET_SET = frozenset(CODE_ALPHABET)
_SEPARATORS = frozenset("-")


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh code of CODE_LENGTH characters of the alphabet (about 50 bits with `secrets`).
    Uniqueness is the database's: the domain retries on a collision."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def legacy_code(member_id: str) -> str:
    """The code of a member enrolled before codes existed, derived from their id: the same on
    every read, so it can be shown before it is stored (the domain stores it on the first
    application that needs it), and LEGACY_CODE_LENGTH long, so it never equals a drawn code.

    Not secret: anyone who knows a member's id could compute it, as anyone they shared it with
    knows it; applying it only makes that member one's referrer, as sharing it is meant to.
    """
    digest = int.from_bytes(hashlib.sha256(f"referral-code:{member_id}".encode()).digest())
    letters = []
    for _ in range(LEGACY_CODE_LENGTH):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def normalize_code(raw: str) -> str | None:
    """The code as stored, from what a member typed: whitespace and hyphens dropped, upper-cased.
    None when the result cannot be a code (not MIN_TYPED_CODE to MAX_TYPED_CODE characters, or
    a character outside the alphabet): the caller answers NOT_FOUND without a lookup.

    Only ASCII is accepted: `str.upper` maps some other letters onto the alphabet (the long s
    U+017F becomes "S"), and a code must have one spelling.
    """
    cleaned = "".join(ch for ch in raw if not ch.isspace() and ch not in _SEPARATORS)
    if not cleaned.isascii() or not MIN_TYPED_CODE <= len(cleaned) <= MAX_TYPED_CODE:
        return None
    code = cleaned.upper()
    return code if _ALPHABET_SET.issuperset(code) else None


def closes_cycle(viewer: str, owner: str, owner_ancestors: Sequence[str]) -> bool:
    """Whether the viewer applying the owner's code would close a loop: the viewer already
    referred the owner, directly or down a chain. `owner_ancestors` is the chain above the
    owner (the owner's referrer first), at most MAX_CHAIN long. Applying one's own code
    (`viewer == owner`) is a separate check with its own error."""
    return viewer in owner_ancestors


def referrer_rewarded(rewarded_this_month: int, monthly_cap: int | None) -> bool:
    """Whether one more conversion still earns the referrer points this month: always with no
    cap (None), never with a cap of 0. The referee is rewarded either way."""
    return monthly_cap is None or rewarded_this_month < monthly_cap


def applies_in_time(joined_at: datetime, now: datetime, apply_within_days: int) -> bool:
    """Whether a member who joined at `joined_at` may still apply a code at `now`: at most
    `apply_within_days` days after joining, the last instant included."""
    return now - joined_at <= timedelta(days=apply_within_days)


@dataclass(frozen=True)
class ReferralRules:
    """The program's referral rules (`updateReferralProgram`)."""

    referrer_points: int
    referee_points: int
    conversion_action: str  # the action key whose first awarded interaction converts
    apply_within_days: int
    monthly_cap: int | None  # conversions a referrer is rewarded for per month; None = no cap


# Until an admin sets them: no conversion action means nothing converts yet (codes can still be
# shared and applied; the referrals convert once the action is set).
DEFAULT_RULES = ReferralRules(
    referrer_points=100,
    referee_points=50,
    conversion_action="",
    apply_within_days=30,
    monthly_cap=None,
)


def validate_rules(rules: ReferralRules) -> list[Problem]:
    """Every problem of `rules` at once, in field order, each at its GraphQL input path."""
    problems: list[Problem] = []
    for name, points in (
        ("referrerPoints", rules.referrer_points),
        ("refereePoints", rules.referee_points),
    ):
        if not 0 <= points <= MAX_REFERRAL_POINTS:
            problems.append(Problem(("input", name), f"{name} must be 0 to {MAX_REFERRAL_POINTS}"))
    problems.extend(_conversion_action_problems(rules.conversion_action))
    if not 1 <= rules.apply_within_days <= MAX_APPLY_WITHIN_DAYS:
        problems.append(
            Problem(
                ("input", "applyWithinDays"),
                f"applyWithinDays must be 1 to {MAX_APPLY_WITHIN_DAYS}",
            )
        )
    if rules.monthly_cap is not None and not 0 <= rules.monthly_cap <= MAX_MONTHLY_CAP:
        problems.append(
            Problem(
                ("input", "monthlyCap"),
                f"monthlyCap must be empty (no cap) or 0 to {MAX_MONTHLY_CAP}",
            )
        )
    return problems


def _conversion_action_problems(action: str) -> list[Problem]:
    path = ("input", "conversionAction")
    if action == "":
        return []  # no conversion action: referrals are applied but do not convert (yet)
    if len(action) > MAX_KEY_LENGTH or not ACTION_KEY.fullmatch(action):
        return [
            Problem(
                path,
                "conversionAction must be an action key, e.g. order.placed "
                f"(at most {MAX_KEY_LENGTH} characters)",
            )
        ]
    if is_content_action(action):
        # Content actions are credited by moderation, never by an interaction, so they
        # could never convert a referral.
        return [
            Problem(
                path,
                f"conversionAction cannot be a content action ({CONTENT_ACTION_PREFIX}<kind>)",
            )
        ]
    return []
