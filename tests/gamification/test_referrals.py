"""Specification of the referral rules (`gamification.referrals`).

A code is CODE_LENGTH characters of an alphabet without look-alikes (0/O, 1/I/L). What a member
types is normalised (case, spaces, hyphens) before a lookup, and a string that cannot be a code
is refused without one. A member may not apply their own code, nor a code whose owner they
referred (directly or down a chain). Codes apply within a number of days of joining; the
referrer's reward is capped per month, the referee's never is.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gamification.actions import MAX_KEY_LENGTH, Problem
from gamification.referrals import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_RULES,
    FAILED_ATTEMPTS_PER_HOUR,
    MAX_CHAIN,
    ReferralRules,
    applies_in_time,
    closes_cycle,
    new_code,
    normalize_code,
    referrer_rewarded,
    validate_rules,
)

JOINED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def fields(problems: list[Problem]) -> list[tuple[str, ...]]:
    return [problem.field for problem in problems]


def rules(**changes: object) -> ReferralRules:
    base: dict[str, object] = {
        "referrer_points": 100,
        "referee_points": 50,
        "conversion_action": "order.placed",
        "apply_within_days": 30,
        "monthly_cap": 10,
    }
    base.update(changes)
    return ReferralRules(**base)  # type: ignore[arg-type]


codes = st.text(alphabet=CODE_ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)


def test_the_contract_constants_are_what_the_api_promises() -> None:
    assert CODE_ALPHABET == "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    assert CODE_LENGTH == 10
    assert MAX_CHAIN == 1000
    assert FAILED_ATTEMPTS_PER_HOUR == 10


def test_the_alphabet_has_no_look_alikes_and_no_repeats() -> None:
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)


# --- new codes ----------------------------------------------------------------------------------


def test_a_new_code_is_code_length_characters_of_the_alphabet() -> None:
    for _ in range(200):
        code = new_code()
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)


def test_a_new_code_draws_every_character_from_the_given_choice() -> None:
    drawn: list[str] = []

    def first(alphabet: str) -> str:
        drawn.append(alphabet)
        return alphabet[0]

    assert new_code(first) == "A" * CODE_LENGTH
    assert drawn == [CODE_ALPHABET] * CODE_LENGTH


def test_new_codes_are_random_by_default() -> None:
    assert len({new_code() for _ in range(100)}) == 100


def test_a_seeded_choice_makes_codes_reproducible() -> None:
    assert new_code(random.Random(7).choice) == new_code(random.Random(7).choice)


# --- typed codes --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(code=st.builds(new_code, st.randoms(use_true_random=False).map(lambda r: r.choice)))
def test_a_new_code_normalizes_to_itself(code: str) -> None:
    assert normalize_code(code) == code


@settings(max_examples=200, deadline=None)
@given(
    code=codes,
    lower=st.lists(st.booleans(), min_size=CODE_LENGTH, max_size=CODE_LENGTH),
    separators=st.lists(
        st.sampled_from(["", "", "-", " ", "--", " - ", "\t"]),
        min_size=CODE_LENGTH + 1,
        max_size=CODE_LENGTH + 1,
    ),
)
def test_a_code_typed_in_any_case_with_hyphens_and_spaces_finds_the_same_code(
    code: str, lower: list[bool], separators: list[str]
) -> None:
    cased = [ch.lower() if low else ch for ch, low in zip(code, lower, strict=True)]
    typed = separators[0] + "".join(ch + sep for ch, sep in zip(cased, separators[1:], strict=True))
    assert normalize_code(typed) == code


def test_codes_are_case_insensitive() -> None:
    assert normalize_code("abcd-efgh-jk") == "ABCDEFGHJK"
    assert normalize_code("  ABCD EFGH JK \n") == "ABCDEFGHJK"


@pytest.mark.parametrize("look_alike", ["0", "O", "o", "1", "I", "i", "L", "l"])
def test_a_code_with_a_look_alike_character_cannot_exist(look_alike: str) -> None:
    assert normalize_code("ABCDEFGHJ" + look_alike) is None


@pytest.mark.parametrize(
    "typed",
    ["ABCDEFGH", "ABCDEFGHJK", "A" * 32, "ABCD-EFGH", "-".join("A" * 32)],
)
def test_codes_of_8_to_32_characters_are_looked_up(typed: str) -> None:
    assert normalize_code(typed) is not None


@pytest.mark.parametrize("typed", ["", "   ", "----", "ABCDEFG", "A" * 33, "ABCD-EFG"])
def test_codes_shorter_than_8_or_longer_than_32_characters_cannot_exist(typed: str) -> None:
    assert normalize_code(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "ABCDEFGHJ!",
        "ABCDEFGHJ_",
        "ABCDEFGHJ.",
        "ABCDEFGHJ\x00",
        "ABCDEFGHJÄ",
        "ABCDEFGHJ\u017f",  # the long s, which str.upper() turns into S
        "".join(chr(0xFF21 + ord(ch) - ord("A")) for ch in "ABCDEFGHJK"),  # full-width
    ],
)
def test_codes_with_other_characters_cannot_exist(typed: str) -> None:
    assert normalize_code(typed) is None


@settings(max_examples=300, deadline=None)
@given(typed=st.text(max_size=40))
def test_whatever_is_typed_a_normalized_code_is_8_to_32_characters_of_the_alphabet(
    typed: str,
) -> None:
    code = normalize_code(typed)
    if code is not None:
        assert 8 <= len(code) <= 32
        assert set(code) <= set(CODE_ALPHABET)
        assert normalize_code(code) == code


# --- cycles -------------------------------------------------------------------------------------

# A referred B, B referred C: the chain above C is [B, A].
ABOVE_C = ["B", "A"]


def test_the_member_at_the_top_of_a_chain_may_not_apply_the_code_of_one_they_referred() -> None:
    assert closes_cycle("A", "C", ABOVE_C)


def test_the_direct_referrer_may_not_apply_the_code_of_the_member_they_referred() -> None:
    assert closes_cycle("B", "C", ABOVE_C)


def test_a_member_outside_the_chain_may_apply_the_code() -> None:
    assert not closes_cycle("D", "C", ABOVE_C)


def test_a_member_below_the_owner_is_not_a_cycle_here() -> None:
    # C applying A's code: C already has a referrer, which the domain refuses on its own.
    assert not closes_cycle("C", "A", [])


def test_the_code_of_a_member_nobody_referred_closes_no_cycle() -> None:
    assert not closes_cycle("A", "B", [])


def test_self_referral_is_a_separate_check() -> None:
    assert not closes_cycle("A", "A", [])


def test_a_cycle_is_found_at_the_far_end_of_the_longest_chain() -> None:
    chain = [f"m{i}" for i in range(MAX_CHAIN)]
    assert closes_cycle(chain[-1], "owner", chain)
    assert not closes_cycle("outsider", "owner", chain)


# --- the referrer's monthly cap -----------------------------------------------------------------


@pytest.mark.parametrize("rewarded", [0, 1, 3, 10_000])
def test_without_a_cap_every_conversion_rewards_the_referrer(rewarded: int) -> None:
    assert referrer_rewarded(rewarded, None)


@pytest.mark.parametrize("rewarded", [0, 1, 5])
def test_a_cap_of_zero_never_rewards_the_referrer(rewarded: int) -> None:
    assert not referrer_rewarded(rewarded, 0)


def test_a_cap_of_three_rewards_the_first_three_conversions_of_the_month() -> None:
    assert [referrer_rewarded(n, 3) for n in range(6)] == [True, True, True, False, False, False]


# --- the window to apply a code -----------------------------------------------------------------


def test_a_code_applies_up_to_the_last_instant_of_the_window() -> None:
    assert applies_in_time(JOINED, JOINED, 30)
    assert applies_in_time(JOINED, JOINED + timedelta(days=30), 30)


def test_a_code_no_longer_applies_just_after_the_window() -> None:
    assert not applies_in_time(JOINED, JOINED + timedelta(days=30, microseconds=1), 30)
    assert not applies_in_time(JOINED, JOINED + timedelta(days=31), 30)


def test_a_one_day_window_is_twenty_four_hours_not_a_calendar_day() -> None:
    assert applies_in_time(JOINED, JOINED + timedelta(hours=24), 1)
    assert not applies_in_time(JOINED, JOINED + timedelta(hours=24, seconds=1), 1)


# --- the program's rules ------------------------------------------------------------------------


def test_sensible_rules_have_no_problems() -> None:
    assert validate_rules(rules()) == []
    assert validate_rules(rules(monthly_cap=None)) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"referrer_points": 0, "referee_points": 0},
        {"referrer_points": 1_000_000, "referee_points": 1_000_000},
        {"apply_within_days": 1},
        {"apply_within_days": 3650},
        {"monthly_cap": 0},
        {"monthly_cap": 100_000},
        {"conversion_action": "a"},
        {"conversion_action": "x" * MAX_KEY_LENGTH},
        {"conversion_action": "contents.posted"},  # only the content. prefix is reserved
        {"conversion_action": "order.content.posted"},
    ],
)
def test_rules_at_the_edges_of_their_ranges_are_valid(changes: dict[str, object]) -> None:
    assert validate_rules(rules(**changes)) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"referrer_points": -1}, ("input", "referrerPoints")),
        ({"referrer_points": 1_000_001}, ("input", "referrerPoints")),
        ({"referee_points": -1}, ("input", "refereePoints")),
        ({"referee_points": 1_000_001}, ("input", "refereePoints")),
        ({"apply_within_days": 0}, ("input", "applyWithinDays")),
        ({"apply_within_days": 3651}, ("input", "applyWithinDays")),
        ({"monthly_cap": -1}, ("input", "monthlyCap")),
        ({"monthly_cap": 100_001}, ("input", "monthlyCap")),
        ({"conversion_action": "Order.Placed"}, ("input", "conversionAction")),
        ({"conversion_action": "order..placed"}, ("input", "conversionAction")),
        ({"conversion_action": "x" * (MAX_KEY_LENGTH + 1)}, ("input", "conversionAction")),
        ({"conversion_action": "content.review"}, ("input", "conversionAction")),
        ({"conversion_action": "content.video"}, ("input", "conversionAction")),
    ],
)
def test_each_rule_out_of_range_is_reported_at_its_input_field(
    changes: dict[str, object], field: tuple[str, ...]
) -> None:
    assert fields(validate_rules(rules(**changes))) == [field]


def test_no_conversion_action_is_valid_and_means_nothing_converts_yet() -> None:
    assert validate_rules(rules(conversion_action="")) == []
    assert DEFAULT_RULES.conversion_action == ""


def test_a_content_action_is_refused_because_it_can_never_convert() -> None:
    [problem] = validate_rules(rules(conversion_action="content.review"))
    assert "content" in problem.message


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    problems = validate_rules(
        ReferralRules(
            referrer_points=-1,
            referee_points=-1,
            conversion_action="content.post",
            apply_within_days=0,
            monthly_cap=-1,
        )
    )
    assert fields(problems) == [
        ("input", "referrerPoints"),
        ("input", "refereePoints"),
        ("input", "conversionAction"),
        ("input", "applyWithinDays"),
        ("input", "monthlyCap"),
    ]
