"""Figures as the console's charts write them, in the page's language (`babel.numbers`): French
writes 1 234,5 and 12,5 %, English 1,234.5 and 12.5%."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from api.console.charts import Formatter


def numbers(locale: str) -> Formatter:
    """Counts and amounts: whole numbers without decimals, others to two at most."""

    def number(value: float) -> str:
        return str(format_decimal(value, format="#,##0.##", locale=locale))

    return number


def percent(locale: str, value: float) -> str:
    """A share in [0, 1] as a percentage with at most one decimal."""
    return str(format_percent(value, format="#,##0.#%", locale=locale))


def points_of_share(locale: str) -> Formatter:
    """A difference of two shares in percentage points, signed: +4.2 pts."""

    def points(value: float) -> str:
        text = format_decimal(value * 100, format="+#,##0.0;-#,##0.0", locale=locale)
        return f"{text} pts"

    return points
