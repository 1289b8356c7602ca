"""Partners' pure rules: a valid definition, the budget's month, and what fits a budget."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from gamification.partners import (
    MAX_BUDGET,
    PartnerDefinition,
    budget_month,
    fits,
    unknown_actions,
    validate_partner,
    validate_token_days,
)

BUDGETS = st.one_of(st.none(), st.integers(0, MAX_BUDGET))


def fields_of(definition: PartnerDefinition) -> list[tuple[str, ...]]:
    return [problem.field for problem in validate_partner(definition)]


def test_a_valid_partner_has_no_problem_and_each_fault_names_its_field():
    good = PartnerDefinition("bikes.north", "North Bikes", ("bikes.service",), 5_000)
    assert validate_partner(good) == []
    assert fields_of(PartnerDefinition("Bikes", "B", ("a",), None)) == [("input", "key")]
    assert fields_of(PartnerDefinition("b", "  ", ("a",), None)) == [("input", "name")]
    assert fields_of(PartnerDefinition("b", "B", (), None)) == [("input", "actions")]
    assert fields_of(PartnerDefinition("b", "B", ("a", "a"), None)) == [("input", "actions")]
    assert fields_of(PartnerDefinition("b", "B", ("a",), -1)) == [("input", "monthlyBudget")]
    assert validate_token_days(0) and validate_token_days(3_661)
    assert validate_token_days(1) == validate_token_days(3_660) == []
    assert unknown_actions(["a", "b", "c"], {"a"})[0].message == "no action has the key 'b'"


def test_the_month_is_the_program_time_zones():
    new_york = ZoneInfo("America/New_York")
    # 03:00 UTC on the 1st of December is still November in New York.
    moment = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert budget_month(moment, UTC) == "2026-12"
    assert budget_month(moment, new_york) == "2026-11"


@given(budget=BUDGETS, awarded=st.integers(0, MAX_BUDGET), points=st.integers(0, 10_000))
def test_an_award_fits_whole_or_not_at_all(budget, awarded, points):
    if fits(budget, awarded, points):
        assert budget is None or points == 0 or awarded + points <= budget
    else:
        assert budget is not None and points > 0 and awarded + points > budget


@given(budget=st.integers(0, 10_000), awards=st.lists(st.integers(0, 500), max_size=60))
def test_spending_what_fits_never_passes_the_budget(budget, awards):
    spent = 0
    for points in awards:
        if fits(budget, spent, points):
            spent += points
    assert spent <= budget
