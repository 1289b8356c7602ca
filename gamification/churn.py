"""Churn risk from BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way").

"Has this member left?" has no direct answer in a program without subscriptions: nobody says
goodbye, they just stop coming. Silence alone is a poor signal (three weeks is nothing for a
monthly visitor and a lot for a daily one), so the question is answered by a published model
that judges each member's silence against their own rhythm and the population's, with its
parameters fitted to the program's own history rather than thresholds picked by hand.

The model: while "alive", a member has active days as a Poisson process at their own rate
lambda; after each repeat active day they drop out for good with their own probability p.
Across the population lambda is gamma(r, alpha) (shape r, rate alpha) and p is beta(a, b).
A member's history is three numbers, in weeks counted as whole calendar days divided by 7:

- x: repeat active days (active days after the first one);
- t_x: from the first active day to the last;
- T: from the first active day to the day of the fit ("as of").

`fit_bgnbd` finds (r, alpha, a, b) by maximum likelihood (equation 6 of the paper, in logs);
`p_alive` is the probability that a member is still alive given their history (equation 11)
and `expected_transactions` the expected active days in the next t weeks (equation 10). The
model cannot tell anything about a member who never came back: they have P(alive) = 1 by
construction (nobody drops out before a repeat day), whatever their silence.

Checked against the paper on its CDNOW sample (`tests/data/cdnow/`, see its SOURCE.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, optimize, special

Floats = NDArray[np.float64]
# Each parameter stays within e^-10 .. e^10 (about 4.5e-5 to 22,000). A population without
# heterogeneity (say, a handful of members with one rhythm) drives the likelihood's maximum to
# infinity; bounded, the fit stays usable (the likelihood is flat out there) and so do the
# P(alive) and expectations computed from it.
LOG_BOUND = 10.0
# Nelder-Mead's tolerances on the log-parameters and on the mean log-likelihood per history;
# a fit is done when a restart from where the last round stopped gains less than _FATOL.
_XATOL = 1e-10
_FATOL = 1e-12
_EVALUATIONS_PER_ROUND = 4_000
_ROUNDS = 6
# Equation 10 divides by a - 1; within this distance of a = 1 it is integrated instead.
_NEAR_ONE = 1e-6


class BgNbdParameters(Protocol):
    """Anything carrying the four parameters: a `BgNbdParams`, or a `BgNbdFit`."""

    @property
    def r(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def a(self) -> float: ...
    @property
    def b(self) -> float: ...


@dataclass(frozen=True)
class BgNbdParams:
    """(r, alpha): the gamma distribution of rates; (a, b): the beta one of dropout."""

    r: float
    alpha: float
    a: float
    b: float

    def __post_init__(self) -> None:
        _check_parameters(self.r, self.alpha, self.a, self.b)


@dataclass(frozen=True)
class BgNbdFit:
    """A fitted model: the parameters, the maximised log-likelihood and how many members (one
    history each) it was fitted to. Stored and read back as is (`churn_fit`)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    members: int

    def __post_init__(self) -> None:
        _check_parameters(self.r, self.alpha, self.a, self.b)

    @property
    def params(self) -> BgNbdParams:
        return BgNbdParams(self.r, self.alpha, self.a, self.b)


class History(NamedTuple):
    """One member's history in the model's terms: x repeat active days, t_x and T in weeks."""

    x: int
    t_x: float
    T: float


def history(active_days: Iterable[date], as_of: date) -> History | None:
    """A member's (x, t_x, T) as of `as_of` from their active days (any order; a day listed
    twice is one active day; days after `as_of` are not known yet and are ignored). None for a
    member whose first active day is after `as_of`: they are not in the fit."""
    known = sorted({day for day in active_days if day <= as_of})
    if not known:
        return None
    first, last = known[0], known[-1]
    return History(len(known) - 1, (last - first).days / 7, (as_of - first).days / 7)


def member_log_likelihoods(
    params: BgNbdParameters | tuple[float, float, float, float],
    x: ArrayLike,
    t_x: ArrayLike,
    big_t: ArrayLike,
) -> Floats:
    """Each history's log-likelihood (equation 6 of the paper), broadcast like numpy.

    L = B(a, b + x) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + T)^(r + x))
        + [x > 0] B(a + 1, b + x - 1) / B(a, b) * G(r + x) alpha^r / (G(r) (alpha + t_x)^(r + x))

    in logs throughout (log-gamma, log-beta, and the sum of the two terms by logaddexp), so a
    member with hundreds of repeat days is as exact as one with two. The second term (dropping
    out right after the last repeat day) exists only when there was a repeat day.
    """
    r, alpha, a, b = _parameters(params)
    xs, txs, ts = _histories(x, t_x, big_t)
    common = special.gammaln(r + xs) - special.gammaln(r) + r * np.log(alpha)
    common = common - special.betaln(a, b)
    still_alive = special.betaln(a, b + xs) - (r + xs) * np.log(alpha + ts)
    repeat = xs > 0
    safe_x = np.where(repeat, xs, 1.0)  # keeps b + x - 1 > 0 where the term is dropped anyway
    dropped_out = special.betaln(a + 1, b + safe_x - 1) - (r + safe_x) * np.log(alpha + txs)
    result: Floats = common + np.logaddexp(still_alive, np.where(repeat, dropped_out, -np.inf))
    return result


def bgnbd_log_likelihood(
    params: BgNbdParameters | tuple[float, float, float, float],
    x: ArrayLike,
    t_x: ArrayLike,
    big_t: ArrayLike,
) -> float:
    """The population's log-likelihood under (r, alpha, a, b): the sum over its histories."""
    return float(np.sum(member_log_likelihoods(params, x, t_x, big_t)))


def fit_bgnbd(x: ArrayLike, t_x: ArrayLike, big_t: ArrayLike) -> BgNbdFit:
    """The maximum-likelihood fit to a population, one (x, t_x, T) per member.

    The search runs over the logarithms of the parameters (so they stay positive), bounded by
    LOG_BOUND, by Nelder-Mead from (1, 1, 1, 1) to tight tolerances, then again from where it
    stopped until a round gains nothing (a simplex can stall, on a ridge or against a bound,
    without meeting its own criteria; a restart that finds nothing better confirms the
    optimum). Deterministic: the same population always gives the same fit. The likelihood is
    evaluated over distinct (x, t_x, T) triples weighted by how many members share them: with
    histories counted in whole days there are far fewer triples than members.

    Raises ValueError for an empty population, for one where nobody has a repeat active day
    (the likelihood then grows without bound as the rates go to 0: there is nothing to fit),
    and if the search still improves after its last round (not seen in practice).
    """
    xs, txs, ts = (np.ravel(v) for v in _histories(x, t_x, big_t))
    if xs.size == 0:
        raise ValueError("cannot fit the churn model to an empty population")
    if not np.any(xs > 0):
        raise ValueError("cannot fit the churn model before anybody has a repeat active day")
    triples, counts = np.unique(np.stack([xs, txs, ts], axis=1), axis=0, return_counts=True)
    ux, utx, ut = triples[:, 0], triples[:, 1], triples[:, 2]
    weights = counts / xs.size

    def negative_mean(log_params: Floats) -> float:
        r, alpha, a, b = (float(v) for v in np.exp(log_params))
        values = member_log_likelihoods((r, alpha, a, b), ux, utx, ut)
        mean = float(np.dot(weights, values))
        return -mean if np.isfinite(mean) else float(np.finfo(np.float64).max)

    start, best = np.zeros(4), negative_mean(np.zeros(4))
    for _ in range(_ROUNDS):
        found = optimize.minimize(
            negative_mean,
            start,
            method="Nelder-Mead",
            bounds=[(-LOG_BOUND, LOG_BOUND)] * 4,
            options={
                "xatol": _XATOL,
                "fatol": _FATOL,
                "maxiter": _EVALUATIONS_PER_ROUND,
                "maxfev": _EVALUATIONS_PER_ROUND,
            },
        )
        start, previous, best = np.asarray(found.x, dtype=np.float64), best, float(found.fun)
        if previous - best <= _FATOL:
            break
    else:
        raise ValueError("the churn model's fit did not converge")
    r, alpha, a, b = (float(v) for v in np.exp(start))
    # Summed over the sorted triples, so the order of the members changes nothing, not a bit.
    log_likelihood = float(np.dot(counts, member_log_likelihoods((r, alpha, a, b), ux, utx, ut)))
    return BgNbdFit(r, alpha, a, b, log_likelihood, int(xs.size))


def p_alive(params: BgNbdParameters, x: ArrayLike, t_x: ArrayLike, big_t: ArrayLike) -> Floats:
    """P(still alive | x, t_x, T), equation 11, broadcast like numpy.

    P = 1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))

    computed as the logistic function of the log of that ratio, so large x neither overflows
    nor loses precision. It is 1 for x = 0 (nobody drops out before a repeat day), falls as
    the silence T - t_x grows, and at a given silence falls faster for a frequent member (the
    power r + x): a regular who went quiet is more likely gone than an occasional one. In
    [0, 1]; exactly 0 only when the ratio overflows a double (a silence of hundreds of the
    member's own gaps). A scalar history gives a 0-d array: `float(p_alive(...))`.
    """
    r, alpha, a, b = _parameters(params)
    xs, txs, ts = _histories(x, t_x, big_t)
    repeat = xs > 0
    log_ratio = (
        np.log(a)
        - np.log(np.where(repeat, b + xs - 1, 1.0))
        + (r + xs) * (np.log(alpha + ts) - np.log(alpha + txs))
    )
    result: Floats = np.where(repeat, special.expit(-log_ratio), 1.0)
    return result


def expected_transactions(
    params: BgNbdParameters, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, big_t: ArrayLike
) -> Floats:
    """Expected active days in the next `t` weeks given the history, equation 10, broadcast.

    E[Y(t) | x, t_x, T] = (a + b + x - 1) / (a - 1)
        * (1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z))
        * P(alive | x, t_x, T),  with z = t / (alpha + T + t).

    The hypergeometric term is evaluated after Euler's transformation, 2F1(p, q; c; z) =
    (1 - z)^(c - p - q) 2F1(c - p, c - q; c; z), which turns the product into
    (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z): the original 2F1 grows without
    bound with x while its factor vanishes, this one stays near 1. For a new member (x = 0,
    T = 0) the result is the population's expectation E[X(t)] (equation 7).

    Where that closed form cannot be evaluated in doubles (parameters in the thousands, as a
    population without spread in rhythms produces; or a within 1e-6 of 1, where it is 0 / 0),
    the same expectation is integrated numerically instead (`_alive_expectation_integrated`).
    """
    r, alpha, a, b = _parameters(params)
    xs, txs, ts = _histories(x, t_x, big_t)
    weeks = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(weeks)) or np.any(weeks < 0):
        raise ValueError("the horizon t is a number of weeks, finite and not negative")
    shape = np.broadcast_shapes(weeks.shape, xs.shape)
    weeks, xs, txs, ts = (np.broadcast_to(v, shape).ravel() for v in (weeks, xs, txs, ts))
    alive = p_alive(params, xs, txs, ts)
    if abs(a - 1) < _NEAR_ONE:
        per_alive = np.full(xs.shape, np.nan)
    else:
        with np.errstate(all="ignore"):
            per_alive = _alive_expectation(r, alpha, a, b, weeks, xs, ts)
    # Each member's expectation while alive lies between two bounds (see the integrated form:
    # its integrand falls from (r + x) s at p = 0 to 1 - (1 + s)^-(r + x) at p = 1).
    s = weeks / (alpha + ts)
    highest = (r + xs) * s
    lowest = -np.expm1(-(r + xs) * np.log1p(s))
    slack = 1e-9 * highest
    outside = ~(np.isfinite(per_alive) & (per_alive >= lowest - slack))
    outside |= ~(per_alive <= highest + slack)
    for i in np.flatnonzero(outside):
        per_alive[i] = _alive_expectation_integrated(
            r, alpha, a, b, float(weeks[i]), float(xs[i]), float(ts[i])
        )
    result: Floats = (np.clip(per_alive, lowest, highest) * alive).reshape(shape)
    return result


def _alive_expectation(
    r: float, alpha: float, a: float, b: float, weeks: Floats, xs: Floats, ts: Floats
) -> Floats:
    """Equation 10's numerator: the expectation for a member known to be alive."""
    z = weeks / (alpha + ts + weeks)
    hyp = special.hyp2f1(a + b - 1 - r, a - 1, a + b + xs - 1, z)
    growth = 1 - np.exp((a - 1) * np.log1p(-z)) * hyp
    result: Floats = (a + b + xs - 1) / (a - 1) * growth
    return result


def _alive_expectation_integrated(
    r: float, alpha: float, a: float, b: float, weeks: float, x: float, big_t: float
) -> float:
    """The same expectation as the closed form, as an integral over the dropout probability.

    Alive at T after x repeat days, a member's rate is gamma(r + x, alpha + T) and their
    dropout probability beta(a, b + x). With rate lambda and dropout p, the expected active
    days in the next t weeks are (1 - exp(-lambda p t)) / p; averaged over the rate, that is
    g(p) = (1 - (1 + p s)^-(r + x)) / p with s = t / (alpha + T). What remains is E[g(p)]
    over beta(a, b + x), integrated over its quantiles u (p = the beta's inverse CDF at u):
    no density to overflow or normalise, and a bounded, monotonic integrand.
    """
    power, s, beta = r + x, weeks / (alpha + big_t), b + x
    if s == 0:
        return 0.0

    def integrand(u: float) -> float:
        p = float(special.betaincinv(a, beta, u))
        if p <= 0:
            return power * s
        return float(-np.expm1(-power * np.log1p(p * s)) / p)

    # full_output: a shortfall against this tight tolerance is not worth a warning (the
    # integrand is bounded and monotonic; what quad reaches is accurate to 1e-7 or better).
    found = integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-10, limit=200, full_output=1)
    return float(found[0])


class ChurnRisk(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


@dataclass(frozen=True)
class RiskThresholds:
    """P(alive) below `high_below` is HIGH risk, below `medium_below` MEDIUM, else LOW.

    The defaults put the coin flip (P(alive) = 1/2) in the middle of MEDIUM: HIGH means the
    model gives better than 7 to 3 odds that the member has left, LOW at least 7 to 3 that they
    have not; between the two it cannot say with any confidence. Configurable per program
    (PLAUDIT_CHURN_HIGH_BELOW_PERCENT, PLAUDIT_CHURN_MEDIUM_BELOW_PERCENT).
    """

    high_below: float = 0.3
    medium_below: float = 0.7

    def __post_init__(self) -> None:
        if not 0 <= self.high_below <= self.medium_below <= 1:
            raise ValueError(
                "risk thresholds need 0 <= high_below <= medium_below <= 1, got "
                f"{self.high_below} and {self.medium_below}"
            )


DEFAULT_THRESHOLDS = RiskThresholds()


def risk_band(probability: float, thresholds: RiskThresholds = DEFAULT_THRESHOLDS) -> ChurnRisk:
    """The band of a P(alive). A member without a repeat day has P(alive) = 1, hence LOW: the
    model has no evidence against them (their RFM segment tells how long ago that day was)."""
    if not 0 <= probability <= 1:  # NaN fails this too
        raise ValueError(f"P(alive) is a probability, got {probability}")
    if probability < thresholds.high_below:
        return ChurnRisk.HIGH
    if probability < thresholds.medium_below:
        return ChurnRisk.MEDIUM
    return ChurnRisk.LOW


def _parameters(
    params: BgNbdParameters | tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    if isinstance(params, tuple):
        r, alpha, a, b = (float(v) for v in params)
    else:
        r, alpha, a, b = float(params.r), float(params.alpha), float(params.a), float(params.b)
    _check_parameters(r, alpha, a, b)
    return r, alpha, a, b


def _check_parameters(r: float, alpha: float, a: float, b: float) -> None:
    for name, value in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"BG/NBD parameters are positive and finite, got {name}={value}")


def _histories(x: ArrayLike, t_x: ArrayLike, big_t: ArrayLike) -> tuple[Floats, Floats, Floats]:
    """The three arrays, broadcast together and checked: whole x >= 0, 0 <= t_x <= T."""
    try:
        xs, txs, ts = np.broadcast_arrays(
            np.asarray(x, dtype=np.float64),
            np.asarray(t_x, dtype=np.float64),
            np.asarray(big_t, dtype=np.float64),
        )
    except ValueError as exc:
        raise ValueError("x, t_x and T need one value per member each") from exc
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(txs)) and np.all(np.isfinite(ts))):
        raise ValueError("x, t_x and T are finite numbers")
    if np.any(xs < 0) or np.any(xs != np.floor(xs)):
        raise ValueError("x counts repeat active days: a whole number, not negative")
    if np.any(txs < 0) or np.any(txs > ts):
        raise ValueError("a history has 0 <= t_x <= T (the last active day is not after as-of)")
    return xs, txs, ts
