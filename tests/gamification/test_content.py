"""Specification of user-generated content (`gamification.content`).

A submission has a known kind, a body of 1 to 10,000 characters, at most 10 http(s) media URLs
and an optional one-line subject. An exact duplicate is the same text once case and spacing
are ignored. The score (0 to 100) is 40% quality (length with diminishing returns, media,
originality) and 60% the Wilson lower bound of the share of upvotes, so a few votes count for
less than many; a high score on enough votes earns the helpfulness bonus.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gamification.actions import Problem
from gamification.content import (
    CONTENT_ACTION_PREFIX,
    HELPFUL_SCORE,
    HELPFUL_VOTES,
    MAX_BODY,
    MAX_MEDIA,
    MAX_SUBJECT,
    MAX_URL,
    REJECTION_REASONS,
    SUBMISSIONS_PER_HOUR,
    VOTES_PER_HOUR,
    ContentKind,
    ContentStatus,
    Submission,
    action_key_of,
    body_fingerprint,
    check_vote_value,
    content_score,
    earns_helpfulness_bonus,
    is_content_action,
    length_part,
    media_part,
    normalized_body,
    originality,
    quality,
    validate_submission,
    wilson_lower_bound,
)

KIND = ("input", "kind")
SUBJECT = ("input", "subject")
BODY = ("input", "body")
MEDIA = ("input", "mediaUrls")

MAX_VOTES = 10**6
unit = st.floats(min_value=0.0, max_value=1.0)
votes = st.integers(min_value=0, max_value=MAX_VOTES)
words = st.lists(st.sampled_from(["great", "coffee", "slow", "service", "the", "a", "b"]))


def submission(**changes: object) -> Submission:
    base: dict[str, object] = {
        "kind": "REVIEW",
        "subject": "Espresso bar",
        "body": "Great coffee, friendly staff.",
        "media_urls": ("https://cdn.example.com/p/1.jpg",),
    }
    base.update(changes)
    return Submission(**base)  # type: ignore[arg-type]


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


def test_the_contract_constants_are_what_the_api_promises() -> None:
    assert (MAX_BODY, MAX_MEDIA, MAX_URL, MAX_SUBJECT) == (10_000, 10, 2_048, 200)
    assert (SUBMISSIONS_PER_HOUR, VOTES_PER_HOUR) == (20, 100)
    assert (HELPFUL_SCORE, HELPFUL_VOTES) == (80.0, 5)
    assert sorted(REJECTION_REASONS) == [
        "ABUSIVE",
        "DUPLICATE",
        "LOW_QUALITY",
        "OFF_TOPIC",
        "OTHER",
        "SPAM",
    ]
    assert [s.value for s in ContentStatus] == ["PENDING", "APPROVED", "REJECTED"]


# --- kinds and their actions --------------------------------------------------------------------


def test_each_kind_is_credited_through_its_own_content_action() -> None:
    assert {kind.value: action_key_of(kind) for kind in ContentKind} == {
        "REVIEW": "content.review",
        "PHOTO": "content.photo",
        "VIDEO": "content.video",
        "POST": "content.post",
        "ANSWER": "content.answer",
    }


@pytest.mark.parametrize("kind", list(ContentKind))
def test_the_action_of_every_kind_is_a_content_action(kind: ContentKind) -> None:
    assert is_content_action(action_key_of(kind))
    assert action_key_of(kind).startswith(CONTENT_ACTION_PREFIX)


@pytest.mark.parametrize(
    "key",
    ["review.posted", "contents.review", "order.content.x", "content", "content.shared"],
)
def test_other_actions_are_not_content_actions(key: str) -> None:
    assert not is_content_action(key)


# --- validation ---------------------------------------------------------------------------------


def test_a_sensible_submission_has_no_problems() -> None:
    assert validate_submission(submission()) == []


@pytest.mark.parametrize(
    "changes",
    [
        *({"kind": kind.value} for kind in ContentKind),
        {"subject": None},
        {"subject": "x"},
        {"subject": "  Espresso bar  "},
        {"subject": "x" * MAX_SUBJECT},
        {"subject": "Café ☕ à Paris"},
        {"body": "x"},
        {"body": "x" * MAX_BODY},
        {"body": "  " + "x" * MAX_BODY + "\n\n"},  # counted after trimming
        {"body": "First line.\n\n\tSecond, indented."},
        {"media_urls": ()},
        {"media_urls": tuple(f"https://cdn.example.com/{i}.jpg" for i in range(MAX_MEDIA))},
        {"media_urls": ("http://example.com",)},
        {"media_urls": ("HTTPS://Example.COM/a.png",)},
        {"media_urls": ("https://cdn.example.com:8443/a.png?size=large#top",)},
        {"media_urls": ("https://[2001:db8::1]/a.png",)},
        {"media_urls": ("https://example.com/" + "a" * (MAX_URL - 20),)},
    ],
)
def test_submissions_at_the_edges_of_each_rule_are_valid(changes: dict[str, object]) -> None:
    assert validate_submission(submission(**changes)) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "ESSAY"}, KIND),
        ({"kind": "review"}, KIND),
        ({"kind": ""}, KIND),
        ({"subject": ""}, SUBJECT),
        ({"subject": "   "}, SUBJECT),
        ({"subject": "x" * (MAX_SUBJECT + 1)}, SUBJECT),
        ({"subject": "two\nlines"}, SUBJECT),
        ({"subject": "bell\x07"}, SUBJECT),
        ({"body": ""}, BODY),
        ({"body": " \n\t "}, BODY),
        ({"body": "x" * (MAX_BODY + 1)}, BODY),
        ({"media_urls": tuple(f"https://cdn.example.com/{i}.jpg" for i in range(11))}, MEDIA),
        ({"media_urls": ("ftp://files.example.com/a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("http://",)}, (*MEDIA, "0")),
        ({"media_urls": ("https:///a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("javascript:alert(1)",)}, (*MEDIA, "0")),
        ({"media_urls": ("data:image/png;base64,AAAA",)}, (*MEDIA, "0")),
        ({"media_urls": ("//cdn.example.com/a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("/a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://example.com/a b.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://example.com/a.jpg\n",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://exa\tmple.com/a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://example.com/\x00",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://example.com/\u202e",)}, (*MEDIA, "0")),  # bidi override
        ({"media_urls": ("https://[::1/a.jpg",)}, (*MEDIA, "0")),  # does not parse
        ({"media_urls": ("https://example.com:99999/a.jpg",)}, (*MEDIA, "0")),
        ({"media_urls": ("https://example.com/" + "a" * MAX_URL,)}, (*MEDIA, "0")),
    ],
)
def test_each_broken_rule_is_reported_at_its_input_field(
    changes: dict[str, object], field: tuple[str, ...]
) -> None:
    assert fields(validate_submission(submission(**changes))) == [field]


def test_each_bad_media_url_is_reported_at_its_own_index() -> None:
    urls = ("https://ok.example.com/1.jpg", "ftp://x.example.com/2.jpg", "ok", "https://a.b/4")
    assert fields(validate_submission(submission(media_urls=urls))) == [
        (*MEDIA, "1"),
        (*MEDIA, "2"),
    ]


def test_too_many_media_urls_are_reported_once_whatever_they_hold() -> None:
    urls = ("ftp://x",) * 1_000
    assert fields(validate_submission(submission(media_urls=urls))) == [MEDIA]


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    broken = Submission(kind="ESSAY", subject="", body=" ", media_urls=("javascript:x",))
    assert fields(validate_submission(broken)) == [KIND, SUBJECT, BODY, (*MEDIA, "0")]


# --- duplicates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "Great coffee, friendly staff.",
        "great coffee, friendly staff.",
        "GREAT COFFEE, FRIENDLY STAFF.",
        "  Great   coffee,\n\tfriendly staff.  ",
        "Great\u00a0coffee,\u2003friendly\r\nstaff.",
    ],
)
def test_case_and_whitespace_variants_are_the_same_body(variant: str) -> None:
    assert normalized_body(variant) == "great coffee, friendly staff."
    assert body_fingerprint(variant) == body_fingerprint("Great coffee, friendly staff.")


def test_case_folding_goes_beyond_lower_case() -> None:
    assert normalized_body("STRASSE") == normalized_body("straße")


@pytest.mark.parametrize(
    "other",
    [
        "Great coffee, friendly staff",  # punctuation counts
        "Great coffee friendly staff.",
        "Greatcoffee, friendly staff.",  # a space is not nothing
        "Great coffee, friendly staff!",
    ],
)
def test_any_other_difference_makes_another_body(other: str) -> None:
    assert normalized_body(other) != normalized_body("Great coffee, friendly staff.")
    assert body_fingerprint(other) != body_fingerprint("Great coffee, friendly staff.")


def test_a_fingerprint_is_the_sha256_hex_of_the_normalized_body() -> None:
    fingerprint = body_fingerprint("Hello")
    assert len(fingerprint) == 64
    assert set(fingerprint) <= set("0123456789abcdef")
    assert fingerprint == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


@settings(max_examples=200, deadline=None)
@given(body=st.text(), spacing=st.sampled_from([" ", "  ", "\n", "\t ", " \r\n "]))
def test_normalizing_is_idempotent_and_blind_to_case_and_spacing(body: str, spacing: str) -> None:
    normal = normalized_body(body)
    assert normalized_body(normal) == normal
    assert normalized_body(spacing + spacing.join(body.upper().split()) + spacing) == (
        normalized_body(body.upper())
    )
    assert body_fingerprint(body) == body_fingerprint(normal)


@settings(max_examples=200, deadline=None)
@given(a=st.text(), b=st.text())
def test_fingerprints_are_equal_exactly_when_normalized_bodies_are(a: str, b: str) -> None:
    assert (body_fingerprint(a) == body_fingerprint(b)) == (
        normalized_body(a) == normalized_body(b)
    )


# --- quality ------------------------------------------------------------------------------------


def test_length_has_diminishing_returns() -> None:
    assert length_part(0) == 0.0
    assert length_part(400) == pytest.approx(0.632, abs=1e-3)
    assert length_part(1_000) == pytest.approx(0.918, abs=1e-3)
    assert length_part(800) - length_part(400) < length_part(400) - length_part(0)


@settings(max_examples=300, deadline=None)
@given(chars=st.integers(min_value=0, max_value=MAX_BODY))
def test_length_never_falls_with_more_characters_and_stays_below_one(chars: int) -> None:
    assert 0.0 <= length_part(chars) <= length_part(chars + 1) < 1.0


def test_media_count_up_to_three() -> None:
    assert [media_part(n) for n in range(6)] == pytest.approx([0, 1 / 3, 2 / 3, 1, 1, 1])


def test_the_first_body_is_wholly_original() -> None:
    assert originality("Great coffee, friendly staff.", []) == 1.0
    assert originality("ok", []) == 1.0


@pytest.mark.parametrize(
    ("body", "copy"),
    [
        ("Great coffee, friendly staff.", "  GREAT coffee,\nfriendly   STAFF.  "),
        ("Nice", "nice"),
        ("Very nice", "very  NICE"),
    ],
)
def test_a_copy_after_case_and_space_changes_is_not_original_at_all(body: str, copy: str) -> None:
    assert originality(body, ["Something else entirely, in many words.", copy]) == 0.0


def test_originality_is_one_minus_the_closest_trigram_overlap() -> None:
    # Trigrams of "a b c d": {abc, bcd}; of "a b c e": {abc, bce}: Jaccard 1/3.
    assert originality("a b c d", ["a b c e"]) == pytest.approx(2 / 3)
    # The closest earlier body decides.
    assert originality("a b c d", ["x y z", "a b c e", "b c d"]) == pytest.approx(0.5)


def test_short_bodies_are_compared_by_their_words() -> None:
    assert originality("great coffee", ["coffee great"]) == 0.0
    assert originality("great coffee", ["great tea"]) == pytest.approx(2 / 3)
    # A short body beside a long one: still by words, so a two-word excerpt is not original.
    assert originality("great coffee", ["great coffee and friendly staff"]) == pytest.approx(0.6)


def test_word_order_matters_for_longer_bodies() -> None:
    assert originality("the coffee was great", ["great was coffee the"]) == 1.0


@settings(max_examples=200, deadline=None)
@given(body=words.map(" ".join), earlier=st.lists(words.map(" ".join), max_size=5))
def test_originality_is_always_between_zero_and_one(body: str, earlier: list[str]) -> None:
    assert 0.0 <= originality(body, earlier) <= 1.0
    assert originality(body, [*earlier, body.upper()]) == 0.0


@settings(max_examples=200, deadline=None)
@given(
    chars=st.integers(min_value=-10, max_value=10 * MAX_BODY),
    media=st.integers(min_value=-1, max_value=50),
    original=st.floats(min_value=-1.0, max_value=2.0),
)
def test_quality_is_always_between_zero_and_one(chars: int, media: int, original: float) -> None:
    assert 0.0 <= quality(chars, media, original) <= 1.0


def test_quality_weighs_length_media_and_originality() -> None:
    assert quality(0, 0, 0.0) == 0.0
    assert quality(0, 0, 1.0) == pytest.approx(0.3)
    assert quality(0, 3, 0.0) == pytest.approx(0.2)
    assert quality(400, 0, 0.0) == pytest.approx(0.5 * length_part(400))
    assert quality(MAX_BODY, 3, 1.0) == pytest.approx(1.0)


# --- votes and the score ------------------------------------------------------------------------


def test_no_votes_give_no_confidence() -> None:
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(0, 10) == 0.0


def test_the_wilson_bound_matches_its_textbook_values() -> None:
    assert wilson_lower_bound(2, 0) == pytest.approx(0.3424, abs=1e-4)
    assert wilson_lower_bound(36, 4) == pytest.approx(0.7695, abs=1e-4)
    assert wilson_lower_bound(50, 50) == pytest.approx(0.4038, abs=1e-4)
    assert wilson_lower_bound(1, 1, z=0.0) == pytest.approx(0.5)


@settings(max_examples=300, deadline=None)
@given(up=votes, down=votes)
def test_the_wilson_bound_is_a_share_below_the_observed_one(up: int, down: int) -> None:
    bound = wilson_lower_bound(up, down)
    assert 0.0 <= bound <= 1.0
    if up + down:
        assert bound <= up / (up + down)


@settings(max_examples=300, deadline=None)
@given(q=unit, up=votes, down=votes)
def test_the_score_is_always_between_0_and_100(q: float, up: int, down: int) -> None:
    score = content_score(q, up, down)
    assert 0.0 <= score <= 100.0
    assert score == round(score, 2)


def test_the_score_weighs_quality_and_votes() -> None:
    assert content_score(0.0, 0, 0) == 0.0
    assert content_score(1.0, 0, 0) == 40.0
    assert content_score(0.5, 36, 4) == round(100 * (0.2 + 0.6 * wilson_lower_bound(36, 4)), 2)
    assert content_score(1.0, MAX_VOTES, 0) == pytest.approx(100.0, abs=0.01)


@settings(max_examples=500, deadline=None)
@given(q=unit, up=votes, down=votes)
def test_one_more_upvote_never_lowers_the_score(q: float, up: int, down: int) -> None:
    assert content_score(q, up + 1, down) >= content_score(q, up, down)
    assert wilson_lower_bound(up + 1, down) >= wilson_lower_bound(up, down)


@settings(max_examples=500, deadline=None)
@given(q=unit, up=votes, down=votes)
def test_one_more_downvote_never_raises_the_score(q: float, up: int, down: int) -> None:
    assert content_score(q, up, down + 1) <= content_score(q, up, down)
    assert wilson_lower_bound(up, down + 1) <= wilson_lower_bound(up, down)


@settings(max_examples=200, deadline=None)
@given(q=unit)
def test_two_of_two_upvotes_score_lower_than_36_of_40_at_any_quality(q: float) -> None:
    assert content_score(q, 2, 0) < content_score(q, 36, 4)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(min_value=1, max_value=12))
def test_a_few_unanimous_upvotes_are_less_evidence_than_36_of_40(k: int) -> None:
    assert wilson_lower_bound(k, 0) < wilson_lower_bound(36, 4)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(min_value=1, max_value=MAX_VOTES))
def test_an_even_split_is_always_below_36_of_40(k: int) -> None:
    assert wilson_lower_bound(k, k) < wilson_lower_bound(36, 4)


@settings(max_examples=200, deadline=None)
@given(up=votes, down=votes)
def test_more_evidence_for_the_same_share_raises_the_bound(up: int, down: int) -> None:
    assume(0 < up + down <= MAX_VOTES // 2)
    assert wilson_lower_bound(2 * up, 2 * down) >= wilson_lower_bound(up, down)


# --- the helpfulness bonus ----------------------------------------------------------------------


def test_the_bonus_needs_a_high_score_on_enough_votes() -> None:
    assert earns_helpfulness_bonus(HELPFUL_SCORE, 5, 0)
    assert earns_helpfulness_bonus(95.0, 4, 1)
    assert not earns_helpfulness_bonus(79.99, 50, 0)
    assert not earns_helpfulness_bonus(99.0, 4, 0)
    assert not earns_helpfulness_bonus(99.0, 2, 2)


def test_a_score_from_few_votes_cannot_reach_the_bonus_anyway() -> None:
    assert content_score(1.0, 4, 0) < HELPFUL_SCORE
    assert content_score(1.0, 20, 0) >= HELPFUL_SCORE


# --- votes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1, 0, 1])
def test_a_vote_is_down_none_or_up(value: int) -> None:
    assert check_vote_value(value)


@pytest.mark.parametrize("value", [-2, 2, 5, -100, True, False])
def test_any_other_value_is_not_a_vote(value: int) -> None:
    assert not check_vote_value(value)
