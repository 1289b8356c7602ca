"""User-generated content: what a valid submission is, what counts as a duplicate, and its score.

Members submit reviews, photos, videos, posts and answers; moderation approves or rejects them,
and an approval records an interaction of the action `content.<kind>` (e.g. `content.review`),
so the program's points, limits, badges and challenges apply to content as to any action. Only
moderation credits those actions: members cannot report them, and they cannot convert a
referral.

An exact duplicate (the same author, the same text once case and spacing are ignored) is
refused: the domain stores `body_fingerprint` under a unique (author, fingerprint) index.

How a piece of content is scored (0 to 100)
-------------------------------------------
The score mixes what the content is (its quality, 40%) with what other members think of it
(their votes, 60%):

    score = 100 * (0.4 * quality + 0.6 * vote confidence), rounded to 2 decimals

Quality (0 to 1) is fixed when the content is submitted:

    quality = 0.5 * length + 0.2 * media + 0.3 * originality

- length = 1 - e^(-characters / 400): each extra character counts for less; 400 characters
  give 0.63, 1,000 give 0.92, and length can never reach 1 on its own.
- media = photos or videos attached, counted up to 3, divided by 3.
- originality = 1 - the overlap with the most similar earlier content it is compared with,
  counting the runs of three consecutive words the two share (single words for texts shorter
  than three words), ignoring case and spacing; 1 with nothing earlier, 0 for a copy.

Vote confidence (0 to 1) is the lower bound of the 95% Wilson score interval of the share of
upvotes: "at least this share of readers find it helpful, with 95% confidence". It needs
evidence: 2 upvotes out of 2 give 0.34, while 36 out of 40 give 0.77; no votes give 0.

Content scoring at least 80 with at least 5 votes earns its author the helpfulness bonus.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from gamification.actions import Problem
from gamification.text import within

CONTENT_BOARD = "content"  # authors ranked by the scores of their approved content

CONTENT_ACTION_PREFIX = "content."

MAX_BODY = 10_000
MAX_MEDIA = 10
MAX_URL = 2_048
MAX_SUBJECT = 200
SUBMISSIONS_PER_HOUR = 20
VOTES_PER_HOUR = 100

HELPFUL_SCORE = 80.0
HELPFUL_VOTES = 5

REJECTION_REASONS = frozenset({"SPAM", "DUPLICATE", "OFF_TOPIC", "ABUSIVE", "LOW_QUALITY", "OTHER"})

MEDIA_SCHEMES = frozenset({"http", "https"})
SHINGLE_WORDS = 3  # originality compares runs of this many words
LENGTH_SCALE = 400  # characters at which length_part reaches 1 - 1/e
MEDIA_COUNTED = 3  # media beyond this many add nothing


class ContentKind(StrEnum):
    REVIEW = "REVIEW"
    PHOTO = "PHOTO"
    VIDEO = "VIDEO"
    POST = "POST"
    ANSWER = "ANSWER"


class ContentStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


_KINDS = frozenset(kind.value for kind in ContentKind)


def action_key_of(kind: ContentKind) -> str:
    """The action an approval of this kind records, e.g. `content.review`."""
    return f"{CONTENT_ACTION_PREFIX}{kind.value.lower()}"


_CONTENT_ACTIONS = frozenset(action_key_of(kind) for kind in ContentKind)


def is_content_action(action_key: str) -> bool:
    """Whether the action is credited by moderation rather than reported as an interaction:
    `content.<kind>` for the kinds of content there are. Other `content.` keys (a program's
    `content.shared`, say) are ordinary actions, as they were before content existed."""
    return action_key in _CONTENT_ACTIONS


# --- validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """What a member submits, as sent: `kind` is the raw string, validated here."""

    kind: str
    subject: str | None
    body: str
    media_urls: tuple[str, ...]


def validate_submission(submission: Submission) -> list[Problem]:
    """Every problem of a submission at once, each at its GraphQL input path, in the order kind,
    subject, body, mediaUrls. With more than MAX_MEDIA URLs only their number is reported."""
    problems: list[Problem] = []
    if submission.kind not in _KINDS:
        kinds = ", ".join(kind.value for kind in ContentKind)
        problems.append(Problem(("input", "kind"), f"kind must be one of {kinds}"))
    if submission.subject is not None:
        subject = submission.subject.strip()
        if not 1 <= len(subject) <= MAX_SUBJECT or not subject.isprintable():
            problems.append(
                Problem(
                    ("input", "subject"),
                    f"subject must be 1 to {MAX_SUBJECT} printable characters on one line",
                )
            )
    if not within(submission.body, MAX_BODY):
        problems.append(Problem(("input", "body"), f"body must be 1 to {MAX_BODY:,} characters"))
    if len(submission.media_urls) > MAX_MEDIA:
        problems.append(Problem(("input", "mediaUrls"), f"at most {MAX_MEDIA} media URLs"))
    else:
        for index, url in enumerate(submission.media_urls):
            if not is_media_url(url):
                problems.append(
                    Problem(
                        ("input", "mediaUrls", str(index)),
                        f"a media URL must be an http or https URL with a host, "
                        f"at most {MAX_URL:,} characters",
                    )
                )
    return problems


def is_media_url(url: str) -> bool:
    """An absolute http(s) URL with a host, at most MAX_URL characters, with no whitespace or
    control characters (clients render it as a link or an image source)."""
    if len(url) > MAX_URL or not url.isprintable() or " " in url:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme in MEDIA_SCHEMES and bool(parts.hostname)


# --- duplicates ---------------------------------------------------------------------------------


def normalized_body(body: str) -> str:
    """The body as "exact duplicate" compares it: case-folded, every run of whitespace one
    space, stripped."""
    return " ".join(body.casefold().split())


def body_fingerprint(body: str) -> str:
    """The sha256 hex digest of the normalized body: 64 characters, stored and unique per
    author."""
    # surrogatepass: total on any str (the input guard refuses lone surrogates before this).
    return hashlib.sha256(normalized_body(body).encode("utf-8", "surrogatepass")).hexdigest()


# --- score --------------------------------------------------------------------------------------


def length_part(chars: int) -> float:
    """1 - e^(-chars/400): 0 for no text, rising with diminishing returns, below 1 for any body
    the rules allow."""
    return -math.expm1(-max(chars, 0) / LENGTH_SCALE)


def media_part(count: int) -> float:
    """Attached media counted up to MEDIA_COUNTED, as a share of it."""
    return min(max(count, 0), MEDIA_COUNTED) / MEDIA_COUNTED


def originality(body: str, earlier: Sequence[str]) -> float:
    """1 minus the highest Jaccard similarity between `body` and any earlier body, in [0, 1].

    Bodies are compared as sets of word trigrams of their normalized text; when either of a
    pair has fewer than three words, as sets of words (a short text is compared by its words
    alone, so copying one is still caught). 1.0 with nothing earlier.
    """
    words = normalized_body(body).split()
    highest = 0.0
    for other in earlier:
        other_words = normalized_body(other).split()
        size = SHINGLE_WORDS if min(len(words), len(other_words)) >= SHINGLE_WORDS else 1
        highest = max(highest, _jaccard(_shingles(words, size), _shingles(other_words, size)))
        if highest >= 1.0:
            break
    return 1.0 - highest


def _shingles(words: Sequence[str], size: int) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def _jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """|a & b| / |a | b|; two empty texts are the same text (1.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def quality(chars: int, media_count: int, originality: float) -> float:
    """0.5 * length + 0.2 * media + 0.3 * originality, in [0, 1]. `chars` is the length of the
    stripped body; `originality` is clamped to [0, 1]."""
    value = 0.5 * length_part(chars) + 0.2 * media_part(media_count) + 0.3 * _unit(originality)
    return _unit(value)


def wilson_lower_bound(up: int, down: int, z: float = 1.96) -> float:
    """The lower bound of the Wilson score interval for the share up / (up + down), at the
    confidence `z` stands for (1.96: 95%). 0.0 with no upvotes (no votes included): negative
    counts count as none."""
    up, down = max(up, 0), max(down, 0)
    if up == 0:
        return 0.0
    n = up + down
    p = up / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    return _unit((centre - margin) / (1 + z2 / n))


def content_score(quality: float, up: int, down: int) -> float:
    """100 * (0.4 * quality + 0.6 * wilson_lower_bound(up, down)), rounded to 2 decimals, in
    [0, 100]."""
    value = 100 * (0.4 * _unit(quality) + 0.6 * wilson_lower_bound(up, down))
    return min(max(round(value, 2), 0.0), 100.0)


def earns_helpfulness_bonus(score: float, up: int, down: int) -> bool:
    """A score of at least HELPFUL_SCORE on at least HELPFUL_VOTES votes."""
    return score >= HELPFUL_SCORE and up + down >= HELPFUL_VOTES


def check_vote_value(value: int) -> bool:
    """A vote is -1 (down), 0 (no vote) or 1 (up); a bool is not a vote."""
    return not isinstance(value, bool) and value in (-1, 0, 1)


def _unit(value: float) -> float:
    """`value` clamped to [0, 1]; NaN counts as 0."""
    if math.isnan(value):
        return 0.0
    return min(max(value, 0.0), 1.0)
