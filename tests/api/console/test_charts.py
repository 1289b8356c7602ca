"""The console's charts are well-formed SVG images that name themselves, escape what they are
given, can be read without colour and say so when there is nothing to draw."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from api.console.charts import (
    Bar,
    Bin,
    Interval,
    Mark,
    Series,
    bar_chart,
    heat_map,
    histogram,
    interval_plot,
    line_chart,
    plain,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)> & \"quotes\" 'too'"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def tooltips(root: ET.Element) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}title")][1:]  # the first is the chart's


def every_chart(label: str = "label") -> dict[str, str]:
    return {
        "bar": bar_chart("c-bar", "Bars", "Desc", [Bar(label, 3), Bar("two", 1, note="25 %")]),
        "line": line_chart(
            "c-line",
            "Lines",
            "Desc",
            ["00:00", "01:00", "02:00"],
            [Series(label, [1, 5, 2]), Series("awarded", [0, 4, 2])],
        ),
        "histogram": histogram(
            "c-hist",
            "Histogram",
            "Desc",
            [Bin(label, 4), Bin("10-20 %", 0), Bin("20-30 %", 7)],
            marks=[Mark(1.0, f"{label} below")],
            x_title="P(alive)",
        ),
        "heat": heat_map(
            "c-heat",
            "Heat",
            "Desc",
            ["5", "4"],
            ["1", "2", "3"],
            [[0, 3, 9], [1, 0, 2]],
            notes=[[label, "B", "C"], ["D", "E", "F"]],
            row_title="R",
            column_title="F",
        ),
        "interval": interval_plot(
            "c-int",
            "Uplift",
            "Desc",
            [Interval(label, 0.05, -0.01, 0.11), Interval("b", -0.2, -0.3, -0.1)],
        ),
    }


@pytest.mark.parametrize("kind", ["bar", "line", "histogram", "heat", "interval"])
def test_every_chart_is_an_image_labelled_by_its_title_and_description(kind):
    root = parse(every_chart()[kind])
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    by_id = {node.get("id"): node for node in root.iter() if node.get("id")}
    assert by_id[title_id].tag == f"{SVG}title" and by_id[title_id].text
    assert by_id[desc_id].tag == f"{SVG}desc" and by_id[desc_id].text
    ids = [node.get("id") for node in root.iter() if node.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert root.get("viewBox", "").startswith("0 0 ")


@pytest.mark.parametrize("kind", ["bar", "line", "histogram", "heat", "interval"])
def test_labels_are_escaped_text_never_markup(kind):
    svg = every_chart(HOSTILE)[kind]
    root = parse(svg)
    assert not [node for node in root.iter() if node.tag.endswith("img")]
    assert not [node for node in root.iter() if any(a.startswith("on") for a in node.attrib)]
    shown = " ".join(texts(root) + tooltips(root))
    assert "<img src=x" in shown  # the label reads as what it is, in text
    assert "<img" not in svg  # and no tag of it reaches the document


@pytest.mark.parametrize("kind", ["bar", "line", "histogram", "heat", "interval"])
def test_no_chart_uses_style_attributes_or_scripts(kind):
    """The console's Content-Security-Policy allows no inline style or script."""
    root = parse(every_chart()[kind])
    for node in root.iter():
        assert "style" not in node.attrib
        assert node.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")


def test_a_bar_chart_writes_each_bar_s_label_and_value():
    root = parse(bar_chart("members", "T", "D", [Bar("Gold", 1200), Bar("Base", 30, "2 %")]))
    assert texts(root) == ["Gold", "1,200", "Base", "30 (2 %)"]
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(")]
    widths = [float(r.get("width", "0")) for r in rects]
    assert widths[0] > widths[1] > 0
    assert all(r.get("fill") == "url(#members-hatch)" for r in rects), "hatched, not just tinted"


def test_long_labels_are_cut_in_the_chart_and_whole_in_the_tooltip():
    name = "A display name far longer than a chart row has room for"
    root = parse(bar_chart("top", "T", "D", [Bar(name, 5)]))
    assert texts(root)[0].endswith("\u2026") and len(texts(root)[0]) <= 28
    assert tooltips(root) == [f"{name}: 5"]


def test_series_differ_by_dash_and_marker_and_are_named_in_a_legend():
    root = parse(
        line_chart(
            "hourly",
            "T",
            "D",
            ["a", "b"],
            [Series("recorded", [1, 2]), Series("awarded", [1, 1])],
        )
    )
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")
    assert "recorded" in texts(root) and "awarded" in texts(root)
    assert len(list(root.iter(f"{SVG}circle"))) >= 2  # recorded: circles
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#ffffff"]
    assert len(squares) >= 2  # awarded: hollow squares
    assert "a, recorded: 1" in tooltips(root) and "b, awarded: 1" in tooltips(root)


def test_a_line_chart_of_counts_has_whole_ticks_even_when_all_are_zero():
    root = parse(line_chart("z", "T", "D", ["a", "b", "c"], [Series("s", [0, 0, 0])]))
    ticks = [t for t in texts(root) if t.replace(",", "").isdigit()]
    assert ticks[0] == "0" and "1" in ticks
    assert all(float(t) == int(t) for t in ticks)


def test_a_line_chart_refuses_series_of_another_length():
    with pytest.raises(ValueError):
        line_chart("x", "T", "D", ["a", "b"], [Series("s", [1])])


def test_a_histogram_writes_counts_over_bins_and_labels_its_thresholds():
    bins = [Bin(f"{10 * i}-{10 * i + 10} %", c) for i, c in enumerate([5, 0, 12])]
    root = parse(histogram("churn", "T", "D", bins, marks=[Mark(1.0, "HIGH below 10 %")]))
    written = texts(root)
    for count, label in [("5", "0-10 %"), ("0", "10-20 %"), ("12", "20-30 %")]:
        assert count in written and label in written
    assert "HIGH below 10 %" in written
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1


def test_a_heat_map_writes_every_cell_s_value_and_note_and_inks_dark_cells_white():
    values = [[0, 10], [5, 1]]
    root = parse(
        heat_map(
            "rfm",
            "T",
            "D",
            ["r5", "r4"],
            ["f1", "f2"],
            values,
            notes=[["NEW", "CHAMPIONS"], ["PROMISING", "LOYAL"]],
        )
    )
    written = texts(root)
    for value in ["0", "10", "5", "1"]:
        assert value in written
    for note in ["NEW", "CHAMPIONS", "PROMISING", "LOYAL"]:
        assert note in written
    bold = {t.text: t.get("fill") for t in root.iter(f"{SVG}text") if t.get("font-weight")}
    assert bold["10"] == "#ffffff" and bold["0"] != "#ffffff"
    assert "r5, f2 (CHAMPIONS): 10" in tooltips(root)


def test_a_heat_map_refuses_a_ragged_grid():
    with pytest.raises(ValueError):
        heat_map("x", "T", "D", ["a"], ["1", "2"], [[1]])


def test_an_interval_plot_draws_the_zero_line_and_writes_estimate_and_bounds():
    root = parse(
        interval_plot(
            "uplift",
            "T",
            "D",
            [Interval("winback", 0.05, -0.01, 0.11)],
            fmt=lambda v: f"{v * 100:+.1f} pts",
            zero_label="no difference",
        )
    )
    written = texts(root)
    assert "no difference" in written
    assert "+5.0 pts [-1.0 pts, +11.0 pts]" in written
    zero = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(zero) == 1
    x = float(zero[0].get("x1", "0"))
    diamonds = list(root.iter(f"{SVG}polygon"))
    assert len(diamonds) == 1
    estimate_x = float(diamonds[0].get("points", "").split(",")[0])
    assert estimate_x > x, "a positive estimate lies right of zero"


def test_an_interval_plot_of_a_single_point_at_zero_still_has_a_scale():
    root = parse(interval_plot("flat", "T", "D", [Interval("none", 0, 0, 0)]))
    assert "0 [0, 0]" in texts(root)


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart("e1", "T", "Desc.", [], empty="Nothing yet."),
        line_chart("e2", "T", "Desc.", [], [], empty="Nothing yet."),
        line_chart("e3", "T", "Desc.", ["a"], [], empty="Nothing yet."),
        histogram("e4", "T", "Desc.", [], empty="Nothing yet."),
        heat_map("e5", "T", "Desc.", [], [], [], empty="Nothing yet."),
        interval_plot("e6", "T", "Desc.", [], empty="Nothing yet."),
    ],
)
def test_empty_data_draws_a_frame_that_says_so(svg):
    root = parse(svg)
    assert texts(root) == ["Nothing yet."]
    assert root.find(f"{SVG}desc") is not None
    assert (root.find(f"{SVG}desc").text or "").endswith("Nothing yet.")


def test_non_finite_figures_draw_as_zero_instead_of_failing():
    root = parse(bar_chart("nan", "T", "D", [Bar("a", float("nan")), Bar("b", float("inf"))]))
    assert texts(root) == ["a", "0", "b", "0"]


@pytest.mark.parametrize("bad", ["", "Upper", "a b", 'x"y', "1abc", "a" * 60])
def test_a_chart_id_must_be_a_plain_slug(bad):
    with pytest.raises(ValueError):
        bar_chart(bad, "T", "D", [Bar("a", 1)])


def test_plain_numbers_use_separators_and_a_true_minus():
    assert plain(1234) == "1,234"
    assert plain(-2.5) == "\u22122.50"
