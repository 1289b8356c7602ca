"""Specification of the BG/NBD churn model (`gamification.churn`).

The model is Fader, Hardie and Lee (2005), "Counting your customers the easy way". These tests
pin it down four ways:

1. Against the paper, on its own data: the CDNOW sample (`tests/data/cdnow/`, SOURCE.md), with
   a day's purchases counted as one active day and the calibration period ending on
   1997-09-30, reproduces the paper's parameters and log-likelihood, and the paper's worked
   example of a conditional expectation.
2. Against the equations written out naively here (equations 6, 7, 10 and 11), where the
   naive form is still computable in doubles.
3. By the properties the model has and a reader should expect of it, stated precisely:
   P(alive) is 1 before a repeat day; falls as silence grows; and, at the same silence, falls
   with frequency once the silence is long enough (a regular gone quiet is more suspicious than
   an occasional visitor gone quiet for as long).
4. On synthetic populations drawn from the model (the fit recovers the parameters, the
   expectations match simulation) and from a planted story (members who stop for good).

Time is in weeks throughout: whole calendar days divided by 7.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import astuple
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import special

from gamification.churn import (
    DEFAULT_THRESHOLDS,
    BgNbdFit,
    BgNbdParams,
    ChurnRisk,
    History,
    RiskThresholds,
    bgnbd_log_likelihood,
    expected_transactions,
    fit_bgnbd,
    history,
    member_log_likelihoods,
    p_alive,
    risk_band,
)

CDNOW = Path(__file__).parent.parent / "data" / "cdnow" / "CDNOW_sample.txt"
SOURCE = CDNOW.parent / "SOURCE.md"
# Table 1 of the paper (BG/NBD column): the maximum-likelihood estimates and log-likelihood.
PAPER = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
PAPER_LL = -9582.4
# The end of the paper's calibration period: week 39 of 1997.
CALIBRATION_END = date(1997, 9, 30)

fast = settings(max_examples=40, deadline=None)
# Parameters over the range real fits take (CDNOW's are inside it), and histories to match.
positive = st.floats(min_value=0.05, max_value=20.0)
params = st.builds(BgNbdParams, r=positive, alpha=positive, a=positive, b=positive)
# Equation 10 as printed is 0 / 0 at a = 1, and inexact close to it.
away_from_1 = st.floats(min_value=0.05, max_value=0.95) | st.floats(min_value=1.05, max_value=20.0)
params_away_from_a_1 = st.builds(BgNbdParams, r=positive, alpha=positive, a=away_from_1, b=positive)
repeat_days = st.integers(min_value=1, max_value=60)
weeks = st.floats(min_value=0.0, max_value=104.0)


@st.composite
def histories(draw: st.DrawFn, min_x: int = 0, max_x: int = 60) -> History:
    x = draw(st.integers(min_value=min_x, max_value=max_x))
    t_x = draw(weeks) if x > 0 else 0.0
    return History(x, t_x, t_x + draw(weeks))


# --- the CDNOW sample --------------------------------------------------------------------------


def cdnow_days() -> dict[str, set[date]]:
    """Customer -> the days they bought on (several purchases on a day: one active day)."""
    days: dict[str, set[date]] = {}
    for line in CDNOW.read_text().splitlines():
        customer, _, raw, _, _ = line.split()
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        days.setdefault(customer, set()).add(day)
    return days


def cdnow_histories(as_of: date) -> tuple[list[int], list[float], list[float]]:
    """Per customer (x, t_x, T) from the days up to and including the calibration end, with T
    measured to `as_of`."""
    found = [
        history({day for day in days if day <= CALIBRATION_END}, as_of)
        for days in cdnow_days().values()
    ]
    x, t_x, big_t = zip(*(h for h in found if h is not None), strict=True)
    return list(x), list(t_x), list(big_t)


@pytest.fixture(scope="module")
def cdnow() -> tuple[list[int], list[float], list[float]]:
    return cdnow_histories(CALIBRATION_END)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow: tuple[list[int], list[float], list[float]]) -> BgNbdFit:
    return fit_bgnbd(*cdnow)


def test_the_cdnow_file_is_the_one_source_md_describes() -> None:
    digest = hashlib.sha256(CDNOW.read_bytes()).hexdigest()
    assert digest in SOURCE.read_text()
    lines = CDNOW.read_text().splitlines()
    assert len(lines) == 6919
    for line in lines:
        customer, sample_id, day, cds, dollars = line.split()
        assert re.fullmatch(r"\d{5}", customer) and re.fullmatch(r"\d{4}", sample_id)
        assert "19970101" <= day <= "19980630" and int(cds) >= 1 and float(dollars) >= 0
    days = cdnow_days()
    assert len(days) == 2357
    # The cohort: first purchase in the first 12 weeks of 1997.
    assert all(date(1997, 1, 1) <= min(d) <= date(1997, 3, 25) for d in days.values())


def test_the_fit_on_cdnow_reproduces_the_paper(cdnow_fit: BgNbdFit) -> None:
    """Within 1 % of every figure of the paper, and in fact equal to it at the paper's
    precision: r = 0.2426, alpha = 4.4136, a = 0.7929, b = 2.4259, LL = -9,582.43."""
    fit = cdnow_fit
    assert fit.members == 2357
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit, name) == pytest.approx(getattr(PAPER, name), rel=0.01), name
    assert fit.log_likelihood == pytest.approx(PAPER_LL, rel=0.01)
    rounded = (round(fit.r, 3), round(fit.alpha, 3), round(fit.a, 3), round(fit.b, 3))
    assert rounded == (PAPER.r, PAPER.alpha, PAPER.a, PAPER.b)
    assert round(fit.log_likelihood, 1) == PAPER_LL


def test_t_is_measured_to_the_last_day_of_the_calibration_period() -> None:
    """The convention that reproduces the paper: T = (1997-09-30 - first day) / 7, so a
    customer who first bought on 1 January has T = 272 / 7 = 38.86 weeks (the paper's
    38.86). Measured to the day after, 1997-10-01, a is 2.7 % off and the fit fails."""
    x, t_x, big_t = cdnow_histories(date(1997, 10, 1))
    day_after = fit_bgnbd(x, t_x, big_t)
    assert day_after.a != pytest.approx(PAPER.a, rel=0.01)
    assert history([date(1997, 1, 1)], CALIBRATION_END) == History(0, 0.0, 272 / 7)
    assert round(272 / 7, 2) == 38.86


def test_the_fit_is_the_maximum_of_the_likelihood(
    cdnow: tuple[list[int], list[float], list[float]], cdnow_fit: BgNbdFit
) -> None:
    """No better point than the fit's: not the paper's rounded parameters, and not a small step
    in any direction (the gradient is 0 to within 1e-3 of a log-likelihood unit)."""
    fit = cdnow_fit
    assert fit.log_likelihood == pytest.approx(bgnbd_log_likelihood(fit, *cdnow), abs=1e-9)
    assert fit.log_likelihood >= bgnbd_log_likelihood(PAPER, *cdnow)
    base = np.log([fit.r, fit.alpha, fit.a, fit.b])
    for step in np.eye(4) * 1e-5:
        up = bgnbd_log_likelihood(tuple(np.exp(base + step)), *cdnow)
        down = bgnbd_log_likelihood(tuple(np.exp(base - step)), *cdnow)
        assert abs(up - down) / 2e-5 < 1e-3
        assert up <= fit.log_likelihood + 1e-9 and down <= fit.log_likelihood + 1e-9


def test_the_likelihood_at_the_papers_parameters_is_the_papers(
    cdnow: tuple[list[int], list[float], list[float]],
) -> None:
    assert bgnbd_log_likelihood(PAPER, *cdnow) == pytest.approx(PAPER_LL, abs=0.05)


def test_the_papers_worked_example_of_a_conditional_expectation() -> None:
    """Fader, Hardie and Lee's example (also in their note on implementing BG/NBD in Excel):
    x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks."""
    assert float(expected_transactions(PAPER, 39, 2, 30.43, 38.86)) == pytest.approx(
        1.226, abs=5e-4
    )


def test_the_fit_is_deterministic_and_ignores_the_order_of_members(
    cdnow: tuple[list[int], list[float], list[float]], cdnow_fit: BgNbdFit
) -> None:
    members = list(zip(*cdnow, strict=True))
    random.Random(3).shuffle(members)
    x, t_x, big_t = (list(column) for column in zip(*members, strict=True))
    assert fit_bgnbd(x, t_x, big_t) == cdnow_fit


# --- histories ---------------------------------------------------------------------------------


def test_a_history_counts_repeat_days_and_weeks_from_the_first_day() -> None:
    days = [date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 22)]
    assert history(days, date(2026, 1, 29)) == History(x=2, t_x=3.0, T=4.0)
    assert history(days, date(2026, 1, 10)) == (1, 1.0, 9 / 7)  # later days not known yet
    assert history(days, date(2026, 1, 1)) == (0, 0.0, 0.0)  # first seen today
    assert history(days, date(2025, 12, 31)) is None  # before the first active day: not fitted
    assert history([], date(2026, 1, 1)) is None


def test_a_history_takes_days_in_any_order_and_a_day_once() -> None:
    days = [date(2026, 1, 22), date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 8)]
    assert history(days, date(2026, 1, 29)) == (2, 3.0, 4.0)
    assert history(iter(days), date(2026, 1, 29)) == (2, 3.0, 4.0)


@fast
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=40),
    as_of=st.integers(min_value=0, max_value=3000),
)
def test_a_history_is_in_whole_days_with_t_x_within_t(offsets: list[int], as_of: int) -> None:
    start = date(2020, 1, 1)
    found = history([start + timedelta(days=d) for d in offsets], start + timedelta(days=as_of))
    known = {d for d in offsets if d <= as_of}
    if not known:
        assert found is None
        return
    assert found is not None
    assert found.x == len(known) - 1
    assert 0 <= found.t_x <= found.T
    assert found.t_x * 7 == pytest.approx(max(known) - min(known))
    assert pytest.approx(as_of - min(known)) == found.T * 7


# --- the likelihood ----------------------------------------------------------------------------


def naive_likelihood(p: BgNbdParams, x: int, t_x: float, big_t: float) -> float:
    """Equation 6 of the paper as printed (not in logs): fine for small x."""
    r, alpha, a, b = p.r, p.alpha, p.a, p.b
    rate = math.exp(math.lgamma(r + x) - math.lgamma(r)) * alpha**r

    def beta(u: float, v: float) -> float:
        return math.exp(math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v))

    alive: float = beta(a, b + x) / beta(a, b) * rate / (alpha + big_t) ** (r + x)
    if x == 0:
        return alive
    gone: float = beta(a + 1, b + x - 1) / beta(a, b) * rate / (alpha + t_x) ** (r + x)
    return alive + gone


@fast
@given(p=params, h=histories(max_x=25))  # the naive form overflows beyond
def test_the_likelihood_is_equation_6(p: BgNbdParams, h: History) -> None:
    expected = math.log(naive_likelihood(p, *h))
    assert float(member_log_likelihoods(p, *h)) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@fast
@given(p=params, population=st.lists(histories(), min_size=1, max_size=15))
def test_the_population_likelihood_is_the_sum_of_its_members(
    p: BgNbdParams, population: list[History]
) -> None:
    x, t_x, big_t = zip(*population, strict=True)
    each = [float(member_log_likelihoods(p, *h)) for h in population]
    assert bgnbd_log_likelihood(p, x, t_x, big_t) == pytest.approx(sum(each), rel=1e-12)
    as_tuple = (p.r, p.alpha, p.a, p.b)
    assert bgnbd_log_likelihood(as_tuple, x, t_x, big_t) == bgnbd_log_likelihood(p, x, t_x, big_t)


def test_a_member_with_thousands_of_repeat_days_has_a_finite_likelihood() -> None:
    # (A density in t_x, so its logarithm may well be positive.)
    assert math.isfinite(float(member_log_likelihoods(PAPER, 5000, 500.0, 520.0)))
    assert math.isfinite(float(member_log_likelihoods(PAPER, 5000, 100.0, 520.0)))


@pytest.mark.parametrize(
    ("x", "t_x", "big_t"),
    [
        ([1, 2], [1.0], [1.0, 2.0, 3.0]),  # not one value per member
        ([-1], [0.0], [1.0]),  # negative repeat days
        ([1.5], [1.0], [2.0]),  # half a day
        ([1], [3.0], [2.0]),  # last active day after as-of
        ([1], [-1.0], [2.0]),
        ([1], [float("nan")], [2.0]),
        ([1], [1.0], [float("inf")]),
    ],
)
def test_impossible_histories_are_refused(
    x: list[float], t_x: list[float], big_t: list[float]
) -> None:
    with pytest.raises(ValueError):
        bgnbd_log_likelihood(PAPER, x, t_x, big_t)
    with pytest.raises(ValueError):
        p_alive(PAPER, x, t_x, big_t)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_parameters_are_positive_and_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        BgNbdParams(bad, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        BgNbdFit(1.0, 1.0, 1.0, bad, -1.0, 1)
    with pytest.raises(ValueError):
        bgnbd_log_likelihood((1.0, bad, 1.0, 1.0), [1], [1.0], [2.0])


# --- the fit -----------------------------------------------------------------------------------


def simulate(p: BgNbdParams, members: int, horizon: float, seed: int) -> list[History]:
    """Members drawn from BG/NBD itself, each first active at 0 and observed for `horizon`
    weeks: a rate from gamma(r, alpha), a dropout probability from beta(a, b); active days
    at that rate, and after each repeat one a coin with that probability for leaving."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(p.r, 1 / p.alpha, members)
    dropouts = rng.beta(p.a, p.b, members)
    found = []
    for rate, dropout in zip(rates, dropouts, strict=True):
        x, last, now = 0, 0.0, 0.0
        while True:
            now += rng.exponential(1 / rate) if rate > 0 else math.inf
            if now > horizon:
                break
            x, last = x + 1, now
            if rng.random() < dropout:
                break
        found.append(History(x, last, horizon))
    return found


def test_the_fit_recovers_the_parameters_of_a_population_drawn_from_the_model() -> None:
    truth = BgNbdParams(r=0.5, alpha=4.0, a=0.8, b=3.0)
    population = simulate(truth, 6000, 52.0, seed=5)
    x, t_x, big_t = zip(*population, strict=True)
    fit = fit_bgnbd(x, t_x, big_t)
    assert fit.members == 6000
    assert fit.r == pytest.approx(truth.r, rel=0.1)
    assert fit.alpha == pytest.approx(truth.alpha, rel=0.15)
    assert fit.a == pytest.approx(truth.a, rel=0.25)
    assert fit.b == pytest.approx(truth.b, rel=0.3)
    # The fit explains its data at least as well as the truth does.
    assert fit.log_likelihood >= bgnbd_log_likelihood(truth, x, t_x, big_t)


def test_fitting_nobody_or_nobody_who_came_back_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        fit_bgnbd([], [], [])
    with pytest.raises(ValueError, match="repeat"):
        fit_bgnbd([0, 0], [0, 0], [3, 4])


def test_a_population_without_spread_still_fits_at_the_bounds() -> None:
    """Ten members with one rhythm, and twenty in a line: the likelihood's maximum runs off to
    infinity in some directions; the fit stops at the bounds and everything stays usable."""
    for x, t_x, big_t in (([5] * 10, [5.0] * 10, [5.0] * 10), (range(20), range(20), [30] * 20)):
        fit = fit_bgnbd(list(x), list(t_x), list(big_t))
        assert math.isfinite(fit.log_likelihood)
        assert all(math.exp(-10) * 0.999 <= v <= math.exp(10) * 1.001 for v in astuple(fit.params))
        alive = p_alive(fit, list(x), list(t_x), list(big_t))
        expected = expected_transactions(fit, 4.0, list(x), list(t_x), list(big_t))
        assert np.all((alive >= 0) & (alive <= 1)) and np.all(np.isfinite(expected))


# --- P(alive) ----------------------------------------------------------------------------------


def naive_p_alive(p: BgNbdParams, x: int, t_x: float, big_t: float) -> float:
    """Equation 11 as printed."""
    if x == 0:
        return 1.0
    ratio: float = p.a / (p.b + x - 1) * ((p.alpha + big_t) / (p.alpha + t_x)) ** (p.r + x)
    return 1 / (1 + ratio)


@fast
@given(p=params, h=histories(max_x=25))
def test_p_alive_is_equation_11(p: BgNbdParams, h: History) -> None:
    assert float(p_alive(p, *h)) == pytest.approx(naive_p_alive(p, *h), rel=1e-9, abs=1e-300)


@fast
@given(p=params, t_x=weeks, silence=weeks)
def test_nobody_drops_out_before_coming_back_once(
    p: BgNbdParams, t_x: float, silence: float
) -> None:
    assert float(p_alive(p, 0, 0.0, silence)) == 1.0


@fast
@given(p=params, h=histories(min_x=1))
def test_p_alive_is_a_probability(p: BgNbdParams, h: History) -> None:
    assert 0 < float(p_alive(p, *h)) < 1


@fast
@given(p=params, h=histories(min_x=1), more=st.floats(min_value=0.5, max_value=52.0))
def test_p_alive_falls_the_longer_a_member_is_quiet(
    p: BgNbdParams, h: History, more: float
) -> None:
    """Same x, same last active day, later as-of: strictly less likely to be alive."""
    assert float(p_alive(p, h.x, h.t_x, h.T + more)) < float(p_alive(p, *h))


@fast
@given(p=params, h=histories(min_x=1), earlier=st.floats(min_value=0.5, max_value=52.0))
def test_p_alive_is_higher_the_more_recent_the_last_active_day(
    p: BgNbdParams, h: History, earlier: float
) -> None:
    """Same x and T, the last active day further back: less likely to be alive."""
    assume(h.t_x >= earlier)
    assert float(p_alive(p, h.x, h.t_x - earlier, h.T)) < float(p_alive(p, *h))


@fast
@given(p=params, x=repeat_days, t_x=weeks)
def test_with_no_silence_more_repeat_days_mean_more_likely_alive(
    p: BgNbdParams, x: int, t_x: float
) -> None:
    """Active on the day of the fit: P(alive) = (b + x - 1) / (a + b + x - 1), rising with x
    (each repeat day survived is evidence of a low dropout probability)."""
    now = float(p_alive(p, x, t_x, t_x))
    assert now == pytest.approx((p.b + x - 1) / (p.a + p.b + x - 1))
    assert float(p_alive(p, x + 1, t_x, t_x)) > now


@fast
@given(p=params, x=repeat_days, t_x=weeks, silence=st.floats(min_value=0.5, max_value=104.0))
def test_after_a_long_silence_a_frequent_member_is_less_likely_alive_than_a_rare_one(
    p: BgNbdParams, x: int, t_x: float, silence: float
) -> None:
    """At the same t_x and T, one more repeat day multiplies the odds of having left by
    (b + x - 1) / (b + x) * (alpha + T) / (alpha + t_x). Once the silence is long enough for
    that to exceed 1 (g = log((alpha + T) / (alpha + t_x)) at least 1 / (b + x - 1), roughly),
    the member with more repeat days is the likelier to have left: their silence is long for
    their rhythm. Below that threshold it is the other way round (the previous test)."""
    big_t = t_x + silence
    factor = (p.b + x - 1) / (p.b + x) * (p.alpha + big_t) / (p.alpha + t_x)
    assume(abs(factor - 1) > 1e-6)
    frequent, rare = float(p_alive(p, x + 1, t_x, big_t)), float(p_alive(p, x, t_x, big_t))
    assume(0 < rare < 1 and 0 < frequent < 1)  # not at the ends of a double's range
    assert (frequent < rare) == (factor > 1)


def test_a_regular_gone_quiet_against_an_occasional_member_last_seen_as_long_ago() -> None:
    """With the CDNOW parameters: both first seen 39 weeks ago and last seen 10 weeks after
    that; one came back once, the other ten times. Silent for 29 weeks, the regular is all but
    surely gone (P(alive) 0.0002), the occasional member a toss-up (0.44)."""
    regular = float(p_alive(PAPER, 10, 10.0, 39.0))
    occasional = float(p_alive(PAPER, 1, 10.0, 39.0))
    assert regular < 0.001 and 0.4 < occasional < 0.5
    assert risk_band(regular) is ChurnRisk.HIGH and risk_band(occasional) is ChurnRisk.MEDIUM


@fast
@given(p=params, population=st.lists(histories(), min_size=1, max_size=20))
def test_vectorised_answers_are_the_scalar_ones(p: BgNbdParams, population: list[History]) -> None:
    x, t_x, big_t = (list(column) for column in zip(*population, strict=True))
    alive = p_alive(p, x, t_x, big_t)
    expected = expected_transactions(p, 4.0, x, t_x, big_t)
    likelihoods = member_log_likelihoods(p, x, t_x, big_t)
    assert alive.shape == expected.shape == likelihoods.shape == (len(population),)
    for i, h in enumerate(population):
        assert alive[i] == pytest.approx(float(p_alive(p, *h)), rel=1e-12)
        assert expected[i] == pytest.approx(float(expected_transactions(p, 4.0, *h)), rel=1e-12)
        assert likelihoods[i] == pytest.approx(float(member_log_likelihoods(p, *h)), rel=1e-12)


# --- expected active days ----------------------------------------------------------------------


def naive_expected(p: BgNbdParams, t: float, x: int, t_x: float, big_t: float) -> float:
    """Equation 10 as printed, with the untransformed hypergeometric function."""
    r, alpha, a, b = p.r, p.alpha, p.a, p.b
    z = t / (alpha + big_t + t)
    hyp = float(special.hyp2f1(r + x, b + x, a + b + x - 1, z))
    kept: float = ((alpha + big_t) / (alpha + big_t + t)) ** (r + x)
    head = (a + b + x - 1) / (a - 1) * (1 - kept * hyp)
    return head * naive_p_alive(p, x, t_x, big_t)


@fast
@given(p=params_away_from_a_1, h=histories(max_x=10), t=st.floats(min_value=0.1, max_value=52.0))
def test_expected_active_days_are_equation_10(p: BgNbdParams, h: History, t: float) -> None:
    naive = naive_expected(p, t, *h)
    assume(math.isfinite(naive))
    assert float(expected_transactions(p, t, *h)) == pytest.approx(naive, rel=1e-7, abs=1e-12)


@fast
@given(p=params_away_from_a_1, t=st.floats(min_value=0.1, max_value=104.0))
def test_a_new_member_expects_what_the_population_does(p: BgNbdParams, t: float) -> None:
    """x = 0, T = 0: equation 7, E[X(t)] = (a + b - 1) / (a - 1)
    * (1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t)))."""
    assume(abs(p.a + p.b - 1) > 0.05)
    hyp = float(special.hyp2f1(p.r, p.b, p.a + p.b - 1, t / (p.alpha + t)))
    population = (p.a + p.b - 1) / (p.a - 1) * (1 - (p.alpha / (p.alpha + t)) ** p.r * hyp)
    assume(math.isfinite(population))
    assert float(expected_transactions(p, t, 0, 0.0, 0.0)) == pytest.approx(population, rel=1e-7)


def test_the_population_expectation_matches_a_simulation_of_the_model() -> None:
    population = simulate(PAPER, 20_000, 39.0, seed=8)
    counts = np.array([h.x for h in population], dtype=np.float64)
    error = counts.std() / math.sqrt(len(counts))
    assert float(expected_transactions(PAPER, 39.0, 0, 0.0, 0.0)) == pytest.approx(
        counts.mean(), abs=4 * error
    )


@fast
@given(p=params, h=histories(), t=st.floats(min_value=0.0, max_value=52.0), more=weeks)
def test_expected_active_days_are_non_negative_and_grow_with_the_horizon(
    p: BgNbdParams, h: History, t: float, more: float
) -> None:
    now, later = (
        float(expected_transactions(p, t, *h)),
        float(expected_transactions(p, t + more, *h)),
    )
    assert 0 <= now <= later + 1e-12
    assert float(expected_transactions(p, 0.0, *h)) == 0.0


def test_a_regular_is_expected_to_come_back_more_than_the_same_member_gone_quiet() -> None:
    regular = float(expected_transactions(PAPER, 4.0, 20, 20.0, 20.5))
    quiet = float(expected_transactions(PAPER, 4.0, 20, 20.0, 35.0))
    assert regular > 4 * quiet > 0


def test_a_member_with_thousands_of_repeat_days_has_a_finite_expectation() -> None:
    """Daily for ten years, active today: about their own rate, one a day, times P(alive)."""
    found = float(expected_transactions(PAPER, 1.0, 3650, 520.0, 520.0))
    alive = float(p_alive(PAPER, 3650, 520.0, 520.0))
    assert found == pytest.approx(7 * alive, rel=0.01)


def test_at_a_equal_to_one_the_expectation_is_the_limit_of_both_sides() -> None:
    """Equation 10 is 0 / 0 at a = 1: the value there lies between its neighbours'."""
    x, t_x, big_t = [0, 2, 10], [0.0, 30.43, 20.0], [38.0, 38.86, 38.0]

    def at(a: float) -> np.ndarray:
        return expected_transactions(BgNbdParams(0.243, 4.414, a, 2.426), 39.0, x, t_x, big_t)

    below, exactly, above = at(1 - 1e-4), at(1.0), at(1 + 1e-4)
    assert np.all(np.minimum(below, above) <= exactly) and np.all(
        exactly <= np.maximum(below, above)
    )
    assert exactly == pytest.approx((below + above) / 2, rel=1e-6)


def test_parameters_in_the_thousands_give_the_expectation_of_known_rates() -> None:
    """r and alpha in the tens of thousands pin the rate down (here 2 a week), a and b the
    dropout probability (0.1): the closed form is out of reach of doubles there, and the
    expectation must still be that of a member with those rates, (1 - e^(-lambda p t)) / p,
    at the posterior means, times P(alive)."""
    p = BgNbdParams(r=20_000, alpha=10_000, a=20_000, b=180_000)
    x, t_x, big_t, t = 5, 10.0, 10.0, 4.0
    rate, dropout = (p.r + x) / (p.alpha + big_t), p.a / (p.a + p.b + x)
    alive = float(p_alive(p, x, t_x, big_t))
    known = alive * -math.expm1(-rate * dropout * t) / dropout
    assert float(expected_transactions(p, t, x, t_x, big_t)) == pytest.approx(known, rel=1e-4)


@pytest.mark.parametrize("horizon", [-1.0, float("nan"), float("inf")])
def test_a_horizon_is_a_finite_number_of_weeks(horizon: float) -> None:
    with pytest.raises(ValueError):
        expected_transactions(PAPER, horizon, 1, 1.0, 2.0)


# --- risk bands --------------------------------------------------------------------------------


def test_risk_bands_follow_the_default_thresholds() -> None:
    assert RiskThresholds(high_below=0.3, medium_below=0.7) == DEFAULT_THRESHOLDS
    assert risk_band(0.0) is ChurnRisk.HIGH
    assert risk_band(0.29) is ChurnRisk.HIGH
    assert risk_band(0.3) is ChurnRisk.MEDIUM  # "below" is strict
    assert risk_band(0.5) is ChurnRisk.MEDIUM
    assert risk_band(0.7) is ChurnRisk.LOW
    assert risk_band(1.0) is ChurnRisk.LOW


def test_thresholds_are_configurable() -> None:
    strict = RiskThresholds(high_below=0.6, medium_below=0.95)
    assert risk_band(0.5, strict) is ChurnRisk.HIGH
    assert risk_band(0.9, strict) is ChurnRisk.MEDIUM
    assert risk_band(0.95, strict) is ChurnRisk.LOW
    no_medium = RiskThresholds(high_below=0.5, medium_below=0.5)
    assert {risk_band(p / 100, no_medium) for p in range(101)} == {ChurnRisk.HIGH, ChurnRisk.LOW}


@pytest.mark.parametrize(("high", "medium"), [(0.8, 0.7), (-0.1, 0.5), (0.3, 1.2)])
def test_thresholds_out_of_order_or_range_are_refused(high: float, medium: float) -> None:
    with pytest.raises(ValueError):
        RiskThresholds(high_below=high, medium_below=medium)


@pytest.mark.parametrize("probability", [-0.01, 1.01, float("nan")])
def test_a_band_is_only_for_a_probability(probability: float) -> None:
    with pytest.raises(ValueError):
        risk_band(probability)


@fast
@given(p1=st.floats(0, 1), p2=st.floats(0, 1))
def test_a_likelier_alive_member_is_never_in_a_riskier_band(p1: float, p2: float) -> None:
    order = [ChurnRisk.LOW, ChurnRisk.MEDIUM, ChurnRisk.HIGH]
    low, high = min(p1, p2), max(p1, p2)
    assert order.index(risk_band(high)) <= order.index(risk_band(low))


def test_a_member_who_never_came_back_is_low_risk_by_the_model() -> None:
    assert risk_band(float(p_alive(PAPER, 0, 0.0, 52.0))) is ChurnRisk.LOW


# --- a planted population ----------------------------------------------------------------------


def planted_population(seed: int = 11) -> tuple[list[int], list[float], list[float], list[bool]]:
    """2,000 members over a year: each visits at their own rate (gamma distributed, about once
    a week on average); a planted 15 % stop for good, 8 to 20 weeks before the end and at least
    six of their own average gaps, the rest keep going. Returns (x, t_x, T) and who was
    planted (among those who had time to come back before they stopped)."""
    rng = np.random.default_rng(seed)
    end = date(2026, 12, 31)
    xs, txs, ts, planted = [], [], [], []
    for _ in range(2000):
        rate = rng.gamma(2.0, 0.5)  # visits a week
        start = int(rng.integers(0, 200))  # first active day, days into the year
        quiet = rng.random() < 0.15
        silence = max(int(rng.integers(56, 140)), int(6 * 7 / rate))
        stop = 365 - silence if quiet else 365
        days, day = [start], float(start)
        while True:
            day += rng.exponential(7 / rate)
            if day >= stop:
                break
            days.append(int(day))
        found = history({date(2026, 1, 1) + timedelta(days=d) for d in days}, end)
        assert found is not None
        xs.append(found.x)
        txs.append(found.t_x)
        ts.append(found.T)
        planted.append(quiet and stop > start + 14)
    return xs, txs, ts, planted


@pytest.fixture(scope="module")
def planted() -> tuple[list[int], list[float], list[float], list[bool], np.ndarray]:
    xs, txs, ts, quiet = planted_population()
    fit = fit_bgnbd(xs, txs, ts)
    return xs, txs, ts, quiet, p_alive(fit, xs, txs, ts)


def test_the_high_band_catches_most_of_a_group_that_went_quiet(
    planted: tuple[list[int], list[float], list[float], list[bool], np.ndarray],
) -> None:
    """Recall and precision of HIGH on the planted group, at the default thresholds (stated in
    the README): the quiet members are quiet for much longer than their own rhythm."""
    *_, quiet, alive = planted
    high = [risk_band(float(p)) is ChurnRisk.HIGH for p in alive]
    caught = sum(h and q for h, q in zip(high, quiet, strict=True))
    recall = caught / sum(quiet)
    precision = caught / max(1, sum(high))
    assert recall >= 0.75, recall  # 0.81 with this seed
    assert precision >= 0.9, precision  # 0.96


def test_the_planted_group_is_less_likely_alive_than_others_silent_for_as_long(
    planted: tuple[list[int], list[float], list[float], list[bool], np.ndarray],
) -> None:
    """Matched on silence (weeks since the last active day, in 4-week bins): in every bin with
    both kinds of member, the planted ones (regulars who stopped) have the lower median
    P(alive) than the others (occasional visitors whose rhythm explains the gap)."""
    xs, txs, ts, quiet, alive = planted
    silence = np.asarray(ts) - np.asarray(txs)
    is_quiet = np.asarray(quiet)
    repeat = np.asarray(xs) > 0
    compared = 0
    for low in range(8, 24, 4):
        in_bin = repeat & (silence >= low) & (silence < low + 4)
        stopped, others = alive[in_bin & is_quiet], alive[in_bin & ~is_quiet]
        if len(stopped) >= 5 and len(others) >= 5:
            compared += 1
            assert np.median(stopped) < np.median(others), low
    assert compared >= 2
