"""The console's charts: pure functions from plain values to an accessible SVG string.

Charts are drawn on the server, so the console needs no JavaScript charting library and no
build step, and a chart is a string a unit test can parse. Each one:

- is legible without colour alone: every bar, bin and heat-map cell has its value written next
  to or inside it, series are told apart by dash pattern and marker shape as well as colour
  (and named in a legend), bars are hatched, and intervals have their figures written beside
  them;
- is an image to assistive technology: `role="img"`, labelled by its `<title>` and `<desc>`,
  each mark carrying a `<title>` of its own (a tooltip with its exact figures); pages put
  the same figures in a table too;
- escapes every label it is given (`markupsafe.escape`), so a badge named `<img src=x …>` is
  text in the chart;
- draws something for empty data: the `empty` message, in a frame of the same size;
- uses presentation attributes only, never `style` or `<script>`, so the console's
  Content-Security-Policy (no inline styles or scripts) holds.

Figures are formatted by the caller's `fmt` (the page passes one for its language: French
writes 1 234,5); labels and titles come translated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

Formatter = Callable[[float], str]

WIDTH = 720
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1b1b1b"
MUTED = "#555555"
GRID = "#d4d4d4"
# The series' colours, dashes and markers: a series differs from the next in all three.
COLOURS = ("#1f5f99", "#a64b00", "#2d6b2d", "#6b2d6b")
DASHES = ("", "7 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")
# The heat map's five shades, light to dark, and the ink readable on each.
SHADES = ("#f2f6fa", "#c9dcef", "#8fb6dc", "#3f78b0", "#173f66")
SHADE_INK = (INK, INK, INK, "#ffffff", "#ffffff")
MAX_LABEL = 28
_ID = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


def plain(value: float) -> str:
    """Whole numbers with thousands separators, others to two decimals; a true minus sign."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace("-", "\u2212")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str | None = None  # written after the value, e.g. a share


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Bin:
    label: str  # e.g. "0-10 %"
    count: float


@dataclass(frozen=True)
class Mark:
    """A labelled vertical line across a histogram, at `position` in bins (0 = the left edge of
    the first bin, len(bins) = the right edge of the last)."""

    position: float
    label: str


@dataclass(frozen=True)
class Interval:
    label: str
    estimate: float
    low: float
    high: float


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    *,
    fmt: Formatter = plain,
    empty: str = "No data yet.",
) -> Markup:
    """Horizontal bars, one per row, labelled on the left, the value written at the bar's end."""
    _check_id(chart_id)
    if not bars:
        return _empty(chart_id, title, desc, empty)
    label_w, value_w, row_h, top = 200, 130, 28, 8
    plot_w = WIDTH - label_w - value_w
    height = top * 2 + row_h * len(bars)
    most = max((_finite(bar.value) for bar in bars), default=0.0)
    scale = plot_w / most if most > 0 else 0.0
    parts = [_hatch(f"{chart_id}-hatch", COLOURS[0])]
    parts.append(_line(label_w, top, label_w, height - top, INK))
    for index, bar in enumerate(bars):
        value = max(0.0, _finite(bar.value))
        y = top + index * row_h
        width = value * scale
        shown = fmt(value) + (f" ({bar.note})" if bar.note else "")
        parts.append(
            f"<g>{_title(f'{bar.label}: {shown}')}"
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_short(bar.label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{width:.1f}" height="{row_h - 10}" '
            f'fill="url(#{chart_id}-hatch)" stroke="{COLOURS[0]}" stroke-width="1.5"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" '
            f'fill="{INK}">{escape(shown)}</text></g>'
        )
    return _svg(chart_id, title, desc, height, parts)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Formatter = plain,
    empty: str = "No data yet.",
) -> Markup:
    """Series over time: one line each, told apart by dash and marker as well as colour, named
    in a legend; the first series is also shaded (hatched) down to zero."""
    _check_id(chart_id)
    if not x_labels or not series:
        return _empty(chart_id, title, desc, empty)
    if len(series) > len(COLOURS):
        raise ValueError(f"at most {len(COLOURS)} series")
    for one in series:
        if len(one.values) != len(x_labels):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(x_labels)} labels"
            )
    left, right, top, bottom, height = 64, 32, 40, 44, 300
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [_finite(v) for one in series for v in one.values]
    ticks = _ticks(0.0, max(values, default=0.0), whole=all(v.is_integer() for v in values))
    y_max = ticks[-1]

    def x_of(index: int) -> float:
        return left + (plot_w / 2 if len(x_labels) == 1 else index * plot_w / (len(x_labels) - 1))

    def y_of(value: float) -> float:
        return top + plot_h - (max(0.0, _finite(value)) / y_max) * plot_h

    parts = [_hatch(f"{chart_id}-area", "#9dbbd9", light="#f3f7fb")]
    parts += _y_axis(ticks, y_of, left, WIDTH - right, fmt)
    step = max(1, math.ceil(len(x_labels) / 12))
    for index, label in enumerate(x_labels):
        x = x_of(index)
        parts.append(_line(x, top + plot_h, x, top + plot_h + 4, INK))
        if index % step == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                f'fill="{INK}">{_short(label, 12)}</text>'
            )
    first = series[0]
    base = f"{x_of(len(x_labels) - 1):.1f},{top + plot_h} {x_of(0):.1f},{top + plot_h}"
    points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(first.values))
    parts.append(f'<polygon points="{points} {base}" fill="url(#{chart_id}-area)" stroke="none"/>')
    for number, one in enumerate(series):
        colour, dash, marker = COLOURS[number], DASHES[number], MARKERS[number]
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(one.values))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        for index, value in enumerate(one.values):
            tip = f"{x_labels[index]}, {one.name}: {fmt(_finite(value))}"
            parts.append(f"<g>{_title(tip)}{_marker(marker, x_of(index), y_of(value), colour)}</g>")
    parts += _legend([(s.name, n) for n, s in enumerate(series)], left, 16)
    parts.append(_line(left, top + plot_h, WIDTH - right, top + plot_h, INK))
    return _svg(chart_id, title, desc, height, parts)


def histogram(
    chart_id: str,
    title: str,
    desc: str,
    bins: Sequence[Bin],
    *,
    marks: Sequence[Mark] = (),
    x_title: str | None = None,
    fmt: Formatter = plain,
    empty: str = "No data yet.",
) -> Markup:
    """Adjoining vertical bars, the count written above each and the bin's label under it;
    `marks` draw labelled dashed lines (thresholds) across."""
    _check_id(chart_id)
    if not bins:
        return _empty(chart_id, title, desc, empty)
    left, right, top, bottom = 64, 16, 40, 56 if x_title else 40
    height = 280
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    counts = [_finite(b.count) for b in bins]
    ticks = _ticks(0.0, max(counts), whole=all(c.is_integer() for c in counts))
    y_max = ticks[-1]
    width = plot_w / len(bins)

    def y_of(value: float) -> float:
        return top + plot_h - (max(0.0, _finite(value)) / y_max) * plot_h

    parts = [_hatch(f"{chart_id}-hatch", COLOURS[0])]
    parts += _y_axis(ticks, y_of, left, WIDTH - right, fmt)
    for index, one in enumerate(bins):
        x, y = left + index * width, y_of(one.count)
        parts.append(
            f"<g>{_title(f'{one.label}: {fmt(_finite(one.count))}')}"
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{width - 2:.1f}" '
            f'height="{top + plot_h - y:.1f}" fill="url(#{chart_id}-hatch)" '
            f'stroke="{COLOURS[0]}" stroke-width="1.5"/>'
            f'<text x="{x + width / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
            f'fill="{INK}">{escape(fmt(_finite(one.count)))}</text>'
            f'<text x="{x + width / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'fill="{INK}">{_short(one.label, 12)}</text></g>'
        )
    for mark in marks:
        x = left + max(0.0, min(float(len(bins)), _finite(mark.position))) * width
        parts.append(
            f"<g>{_title(mark.label)}"
            f'<line x1="{x:.1f}" y1="{top - 14}" x2="{x:.1f}" y2="{top + plot_h}" '
            f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 4"/>'
            f'<text x="{x + 4:.1f}" y="{top - 18}" fill="{INK}">{_short(mark.label, 40)}'
            "</text></g>"
        )
    parts.append(_line(left, top + plot_h, WIDTH - right, top + plot_h, INK))
    if x_title:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 10}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(x_title)}</text>'
        )
    return _svg(chart_id, title, desc, height, parts)


def heat_map(
    chart_id: str,
    title: str,
    desc: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    notes: Sequence[Sequence[str]] | None = None,
    row_title: str = "",
    column_title: str = "",
    legend: tuple[str, str] = ("fewer", "more"),
    fmt: Formatter = plain,
    empty: str = "No data yet.",
) -> Markup:
    """A grid of cells shaded in five steps by value, the value written in every cell (and a
    note under it, e.g. the cell's segment), the darkest cells in white ink."""
    _check_id(chart_id)
    if not row_labels or not column_labels:
        return _empty(chart_id, title, desc, empty)
    if len(values) != len(row_labels) or any(len(row) != len(column_labels) for row in values):
        raise ValueError("one value per row and column")
    if notes is not None and (
        len(notes) != len(row_labels) or any(len(row) != len(column_labels) for row in notes)
    ):
        raise ValueError("one note per row and column")
    left, top, legend_h = 96, 40, 40
    cell_w = (WIDTH - left - 8) / len(column_labels)
    cell_h = 58
    height = top + cell_h * len(row_labels) + 24 + legend_h
    most = max((_finite(v) for row in values for v in row), default=0.0)
    parts = []
    if column_title:
        parts.append(
            f'<text x="{left + (WIDTH - left) / 2:.1f}" y="14" text-anchor="middle" '
            f'fill="{MUTED}">{escape(column_title)}</text>'
        )
    if row_title:
        parts.append(f'<text x="8" y="{top - 8}" fill="{MUTED}">{escape(row_title)}</text>')
    for column, label in enumerate(column_labels):
        parts.append(
            f'<text x="{left + (column + 0.5) * cell_w:.1f}" y="{top - 8}" text-anchor="middle" '
            f'fill="{INK}">{_short(label, 16)}</text>'
        )
    for row, label in enumerate(row_labels):
        y = top + row * cell_h
        parts.append(
            f'<text x="{left - 8}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_short(label, 12)}</text>'
        )
        for column, raw in enumerate(values[row]):
            value = max(0.0, _finite(raw))
            level = _level(value, most)
            x = left + column * cell_w
            note = notes[row][column] if notes is not None else ""
            tip = f"{label}, {column_labels[column]}" + (f" ({note})" if note else "")
            cx = x + cell_w / 2
            parts.append(
                f"<g>{_title(f'{tip}: {fmt(value)}')}"
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w:.1f}" height="{cell_h}" '
                f'fill="{SHADES[level]}" stroke="#ffffff" stroke-width="2"/>'
                f'<text x="{cx:.1f}" y="{y + 26}" text-anchor="middle" font-weight="bold" '
                f'font-size="15" fill="{SHADE_INK[level]}">{escape(fmt(value))}</text>'
            )
            if note:
                parts.append(
                    f'<text x="{cx:.1f}" y="{y + 44}" text-anchor="middle" font-size="10" '
                    f'fill="{SHADE_INK[level]}">{_short(note, max(6, int(cell_w / 5.8)))}</text>'
                )
            parts.append("</g>")
    y = top + cell_h * len(row_labels) + 24
    parts.append(f'<text x="{left}" y="{y + 14}" fill="{MUTED}">{escape(legend[0])}</text>')
    for level, shade in enumerate(SHADES):
        x = left + 60 + level * 28
        parts.append(
            f'<rect x="{x}" y="{y}" width="26" height="18" fill="{shade}" stroke="{GRID}"/>'
        )
    parts.append(
        f'<text x="{left + 60 + 5 * 28 + 6}" y="{y + 14}" fill="{MUTED}">{escape(legend[1])}</text>'
    )
    return _svg(chart_id, title, desc, height, parts)


def interval_plot(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[Interval],
    *,
    fmt: Formatter = plain,
    zero_label: str = "0",
    empty: str = "No data yet.",
) -> Markup:
    """One row per estimate: a diamond at the estimate, whiskers from low to high, the figures
    written on the right ("+4.2 [-1.0, +9.4]"), and a labelled zero line: an interval that
    crosses it cannot tell a difference from none."""
    _check_id(chart_id)
    if not rows:
        return _empty(chart_id, title, desc, empty)
    label_w, value_w, top, row_h, bottom = 200, 190, 34, 34, 32
    plot_l, plot_r = label_w, WIDTH - value_w
    height = top + row_h * len(rows) + bottom
    lows = [min(_finite(r.low), _finite(r.estimate)) for r in rows]
    highs = [max(_finite(r.high), _finite(r.estimate)) for r in rows]
    low, high = min(0.0, *lows), max(0.0, *highs)
    if high - low < 1e-12:
        low, high = low - 1.0, high + 1.0
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad

    def x_of(value: float) -> float:
        return plot_l + (_finite(value) - low) / (high - low) * (plot_r - plot_l)

    parts = []
    for tick in _ticks(low, high, include_zero=True):
        if low <= tick <= high:
            x = x_of(tick)
            parts.append(_line(x, top, x, top + row_h * len(rows), GRID))
            parts.append(
                f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(fmt(tick))}</text>'
            )
    zero = x_of(0.0)
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top - 12}" x2="{zero:.1f}" y2="{top + row_h * len(rows)}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 4"/>'
        f'<text x="{zero:.1f}" y="{top - 16}" text-anchor="middle" '
        f'fill="{INK}">{escape(zero_label)}</text>'
    )
    for index, row in enumerate(rows):
        y = top + index * row_h + row_h / 2
        a, b, e = x_of(row.low), x_of(row.high), x_of(row.estimate)
        figures = (
            f"{fmt(_finite(row.estimate))} [{fmt(_finite(row.low))}, {fmt(_finite(row.high))}]"
        )
        parts.append(
            f"<g>{_title(f'{row.label}: {figures}')}"
            f'<text x="{label_w - 10}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_short(row.label)}</text>'
            + _line(a, y, b, y, COLOURS[0], 2)
            + _line(a, y - 7, a, y + 7, COLOURS[0], 2)
            + _line(b, y - 7, b, y + 7, COLOURS[0], 2)
            + _marker("diamond", e, y, COLOURS[0], size=6)
            + f'<text x="{plot_r + 10}" y="{y + 4:.1f}" fill="{INK}">{escape(figures)}</text></g>'
        )
    return _svg(chart_id, title, desc, height, parts)


def _check_id(chart_id: str) -> None:
    """Ids end up in `id` and `url(#…)` attributes: only a plain slug is allowed."""
    if not _ID.match(chart_id):
        raise ValueError(f"a chart id is a lower-case slug, got {chart_id!r}")


def _svg(chart_id: str, title: str, desc: str, height: float, parts: Sequence[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _empty(chart_id: str, title: str, desc: str, message: str) -> Markup:
    height = 80
    return _svg(
        chart_id,
        title,
        f"{desc} {message}",
        height,
        [
            f'<rect x="1" y="1" width="{WIDTH - 2}" height="{height - 2}" fill="none" '
            f'stroke="{GRID}" stroke-dasharray="4 4"/>',
            f'<text x="{WIDTH / 2}" y="{height / 2 + 5}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(message)}</text>',
        ],
    )


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _short(label: str, limit: int = MAX_LABEL) -> str:
    """The label escaped, cut with an ellipsis past `limit` characters (marks carry the whole
    label in their `<title>`)."""
    text = label if len(label) <= limit else label[: limit - 1] + "\u2026"
    return str(escape(text))


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"/>'
    )


def _hatch(pattern_id: str, colour: str, light: str = "#dbe7f3") -> str:
    """Diagonal hatching over a light tint: bars read as filled in greyscale and in print."""
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{light}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="1.5"/>'
        "</pattern></defs>"
    )


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" '
            f'height="{2 * size}" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
        )
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} '
            f'{x + size + 1:.1f},{y + size:.1f}" fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} '
        f'{x:.1f},{y + size + 1:.1f} {x - size - 1:.1f},{y:.1f}" fill="{colour}"/>'
    )


def _legend(entries: Sequence[tuple[str, int]], x: float, y: float) -> list[str]:
    """A sample of each series' line and marker, then its name."""
    parts = []
    for name, number in entries:
        colour, dash = COLOURS[number], DASHES[number]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g><line x1="{x:.1f}" y1="{y}" x2="{x + 32:.1f}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>'
            + _marker(MARKERS[number], x + 16, y, colour)
            + f'<text x="{x + 40:.1f}" y="{y + 4}" fill="{INK}">{_short(name, 30)}</text></g>'
        )
        x += 48 + 7.5 * min(len(name), 30)
    return parts


def _y_axis(
    ticks: Sequence[float],
    y_of: Callable[[float], float],
    left: float,
    right: float,
    fmt: Formatter,
) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(_line(left, y, right, y, GRID))
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}">{escape(fmt(tick))}</text>'
        )
    return parts


def _ticks(
    low: float, high: float, *, include_zero: bool = False, whole: bool = False
) -> list[float]:
    """About five round ticks covering [low, high] (a chart of zeros still gets an axis to 1);
    `whole`: steps of at least 1, for counts."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10) + 0.0)  # + 0.0: never a "-0" tick
        value += step
    if include_zero and 0.0 not in ticks and ticks[0] < 0 < ticks[-1]:
        ticks = sorted({*ticks, 0.0})
    return ticks


def _level(value: float, most: float) -> int:
    """The shade of a cell: 0 for nothing, else 1 to 4 by its share of the largest."""
    if value <= 0 or most <= 0:
        return 0
    return min(4, 1 + int(3.999 * value / most))


def _finite(value: float) -> float:
    """A figure to draw: NaN and infinities (which no query should produce) draw as 0 rather than
    breaking the page."""
    number = float(value)
    return number if math.isfinite(number) else 0.0
