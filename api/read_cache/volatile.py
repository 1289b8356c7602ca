"""Fields whose answers depend on other members' writes.

A member's cached answer is dropped by every write that changes what the member sees
(`domain.infra.read_versions`), but some fields show what OTHER members do: how many joined a
challenge, how much of a reward is left, a referrer's public profile, a member's rank. Those
writes do not touch this member's version, so a document that selects any of these fields is
kept at most `VOLATILE_TTL_S`, as the shared leaderboard pages are (`MicroCache`).

Matched by field name wherever it appears (an alias does not hide it): a name that is volatile
on one type makes the field short-lived on every type, which is only ever too careful.
"""

from __future__ import annotations

from datetime import timedelta

VOLATILE_FIELDS = frozenset(
    {
        "participants",  # Challenge: other members' enrolments
        "completions",  # Challenge: other members' completions
        "stock",  # Reward: other members' redemptions
        "referredBy",  # ReferralStatus: the referrer's public name and avatar
        "standings",  # Member: ranks move with every other member's score
    }
)
VOLATILE_TTL = timedelta(seconds=1)
