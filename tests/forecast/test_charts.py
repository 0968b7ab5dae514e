"""The SVG charts: well-formed, accessible, escaped, free of inline style, and faithful to their data."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string

from sightline.forecast.chart_layout import date_ticks, nice_ticks
from sightline.forecast.charts import (
    BurnupPoint,
    Chart,
    VelocityBar,
    burnup_chart,
    cfd_chart,
    histogram_chart,
    velocity_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 3, 30)
STATES = ("Draft", "Ready", "Planned", "In progress", "Delivered", "Rejected", "Accepted")


def velocity(points=(18, 24, 15, 27, 21, 23)):
    bars = [VelocityBar(f"Sprint {n}", p, p // 3) for n, p in enumerate(points, start=1)]
    return velocity_chart(bars, mean=23.7, low=21, high=27)


def burnup(**overrides):
    points = [
        BurnupPoint(TODAY - timedelta(days=60 - d), done=d * 1.5, scope=120 + (20 if d > 30 else 0))
        for d in range(61)
    ]
    options = {
        "today": TODAY,
        "p50": date(2026, 4, 24),
        "p85": date(2026, 5, 8),
        "p95": date(2026, 5, 22),
        "target_date": date(2026, 5, 1),
    }
    return burnup_chart(points, **{**options, **overrides})


BINS = [
    (date(2026, 4, 10) + timedelta(days=14 * i), count)
    for i, count in enumerate([500, 3300, 4000, 1700, 500])
]


def histogram(**overrides):
    options = {
        "p50": BINS[2][0],
        "p85": BINS[3][0],
        "p95": BINS[4][0],
        "target_date": date(2026, 5, 1),
        "trials": 10_000,
    }
    return histogram_chart(BINS, **{**options, **overrides})


def cfd(days=56):
    dates = [date(2026, 2, 2) + timedelta(days=i) for i in range(days)]
    series = [
        (state, [(i + n) % 5 + (i if state == "Accepted" else 0) for i in range(days)])
        for n, state in enumerate(STATES)
    ]
    return cfd_chart(dates, series)


def every_chart():
    return {
        "velocity": velocity(),
        "velocity-empty": velocity_chart([], mean=None, low=None, high=None),
        "burnup": burnup(),
        "burnup-empty": burnup_chart([], today=TODAY, p50=None, p85=None, p95=None, target_date=None),
        "histogram": histogram(),
        "histogram-empty": histogram_chart([], p50=None, p85=None, p95=None, target_date=None, trials=0),
        "cfd": cfd(),
        "cfd-empty": cfd_chart([], []),
    }


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def with_class(root: ET.Element, name: str, tag: str | None = None) -> list[ET.Element]:
    return [
        el
        for el in root.iter()
        if name in el.get("class", "").split() and (tag is None or el.tag == SVG + tag)
    ]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(SVG + "text")]


@pytest.mark.parametrize("name", list(every_chart()))
def test_every_chart_is_an_accessible_svg_image(name):
    chart = every_chart()[name]
    root = parse(chart)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 720 ")
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert chart.alt and chart.alt.endswith(".")
    assert chart.table[0] and all(len(row) == len(chart.table[0]) for row in chart.table)


@pytest.mark.parametrize("name", list(every_chart()))
def test_no_chart_has_inline_style_script_or_broken_numbers(name):
    svg = every_chart()[name].svg
    assert "style=" not in svg
    assert "<script" not in svg.lower() and "<style" not in svg.lower()
    assert not re.search(r"\b(nan|inf)\b", svg, re.IGNORECASE)


def test_labels_are_escaped_in_the_svg():
    evil = '<script>alert("x")</script> & co'
    chart = velocity_chart([VelocityBar(evil, 5, 1)], mean=None, low=None, high=None)
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    root = parse(chart)  # still well-formed
    assert any(evil in "".join(el.itertext()) for el in root.iter(SVG + "title"))
    flow = cfd_chart([TODAY], [(evil, [3])])
    assert "<script>" not in flow.svg
    parse(flow)


def test_velocity_draws_one_bar_per_sprint_with_the_mean_and_its_range():
    chart = velocity()
    root = parse(chart)
    bars = with_class(root, "chart-bar", "rect")
    assert len([bar for bar in bars if "chart-swatch" not in bar.get("class")]) == 6
    assert len(with_class(root, "chart-mean", "line")) == 2  # the line and its legend swatch
    assert [b for b in with_class(root, "chart-band", "rect") if "chart-swatch" not in b.get("class")]
    assert chart.table == (
        ("Sprint", "Points accepted", "Items accepted"),
        ("Sprint 1", "18", "6"),
        ("Sprint 2", "24", "8"),
        ("Sprint 3", "15", "5"),
        ("Sprint 4", "27", "9"),
        ("Sprint 5", "21", "7"),
        ("Sprint 6", "23", "7"),
    )
    assert "between 15 and 27" in chart.alt and "23.7" in chart.alt


def test_velocity_without_a_mean_draws_no_mean_line_or_band():
    root = parse(
        velocity_chart([VelocityBar("Sprint 1", 8, 2)], mean=None, low=None, high=None, unit="hours")
    )
    assert not with_class(root, "chart-mean") and not with_class(root, "chart-band")
    assert "Hours accepted" in texts(root)


def test_velocity_with_no_closed_sprints_says_so():
    chart = velocity_chart([], mean=None, low=None, high=None)
    assert "No closed sprints yet" in texts(parse(chart))
    assert chart.alt.startswith("No closed sprints yet")
    assert chart.table == (("Sprint", "Points accepted", "Items accepted"),)


def test_velocity_of_all_zero_sprints_has_a_sensible_axis():
    chart = velocity_chart(
        [VelocityBar("Sprint 1", 0, 0), VelocityBar("Sprint 2", 0, 0)], mean=0, low=0, high=0
    )
    root = parse(chart)
    assert {"0", "10"} <= set(texts(root))
    assert "Each of the last 2 closed sprints accepted 0 points" in chart.alt


def test_huge_numbers_are_shortened_on_the_axis_and_exact_in_the_table():
    chart = velocity_chart([VelocityBar("Sprint 1", 1_250_000, 3)], mean=None, low=None, high=None)
    labels = texts(parse(chart))
    assert "1.2M" in labels or "1.3M" in labels
    assert "1.5M" in labels  # a round tick
    assert chart.table[1] == ("Sprint 1", "1,250,000", "3")


def test_long_sprint_names_are_shortened_under_the_bars_but_whole_in_the_table():
    name = "Sprint 4 — the checkout rebuild with the new payment provider and coupons"
    bars = [VelocityBar(name if n == 3 else f"Sprint {n + 1}", 10, 2) for n in range(12)]
    chart = velocity_chart(bars, mean=10, low=10, high=10)
    tick_texts = ["".join(el.itertext()) for el in with_class(parse(chart), "chart-tick", "text")]
    assert any(text.endswith("…") for text in tick_texts)
    assert all(len(text) < 20 for text in tick_texts)
    assert chart.table[4][0] == name


def test_burnup_draws_done_scope_the_cone_and_every_marker():
    chart = burnup()
    root = parse(chart)
    assert with_class(root, "chart-done", "polyline") and with_class(root, "chart-scope", "polyline")
    assert with_class(root, "chart-cone", "polygon")
    for name in ("chart-p50", "chart-p85", "chart-p95"):
        assert with_class(root, name, "circle"), name
        assert with_class(root, name, "line"), name
    assert with_class(root, "chart-target", "line")
    labels = texts(root)
    assert {"P50 24 Apr", "P85 8 May", "P95 22 May", "Target 1 May", "Today"} <= set(labels)
    assert "90 of 140 points done on 30 Mar" in chart.alt
    assert "between 24 Apr (P50) and 22 May (P95), 8 May at 85 % confidence" in chart.alt
    assert chart.table[0] == ("Date", "Done (points)", "Scope (points)") and len(chart.table) == 62


def test_burnup_without_a_forecast_has_no_cone():
    root = parse(burnup(p50=None, p85=None, p95=None, target_date=None))
    assert not with_class(root, "chart-cone") and not with_class(root, "chart-percentile")
    assert not with_class(root, "chart-target")


def test_percentiles_on_the_same_date_share_one_labelled_marker():
    same = date(2026, 4, 24)
    root = parse(burnup(p50=same, p85=same, p95=date(2026, 5, 8)))
    assert "P50/P85 24 Apr" in texts(root)
    marker = with_class(root, "chart-p50", "line")[0]
    assert "chart-p85" in marker.get("class")
    alike = burnup(p50=same, p85=same, p95=same)
    assert "The forecast finishes on 24 Apr (P50, P85 and P95)." in alike.alt


def test_histogram_draws_one_bar_per_period_with_percentiles_and_target():
    chart = histogram()
    root = parse(chart)
    bars = [bar for bar in with_class(root, "chart-bar", "rect") if "chart-swatch" not in bar.get("class")]
    assert len(bars) == len(BINS)
    assert len([bar for bar in bars if "chart-late" in bar.get("class")]) == 3  # after 1 May
    for name in ("chart-p50", "chart-p85", "chart-p95", "chart-target"):
        assert with_class(root, name, "line"), name
    assert {"P50 8 May", "P85 22 May", "P95 5 Jun", "Target 1 May"} <= set(texts(root))
    assert "half finish by 8 May" in chart.alt
    assert "38\u00a0% finish on or before the target date, 1 May" in chart.alt
    assert chart.table[1] == ("10 Apr 2026", "500", "5\u00a0%", "5\u00a0%")
    assert chart.table[-1][-1] == "100\u00a0%"


def test_histogram_with_a_single_bin_and_no_target():
    chart = histogram_chart(
        [(TODAY, 10_000)], p50=TODAY, p85=TODAY, p95=TODAY, target_date=None, trials=10_000
    )
    root = parse(chart)
    assert "P50/P85/P95 30 Mar" in texts(root)
    assert "half, 85 % and 95 % finish by 30 Mar." in chart.alt
    assert not with_class(root, "chart-target")
    ticks = ["".join(el.itertext()) for el in with_class(root, "chart-tick", "text")]
    assert ticks[:6] == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%", "80\u00a0%", "100\u00a0%"]


@pytest.mark.parametrize(
    "bins, trials",
    [([], 10_000), ([(TODAY, 0)], 10_000), ([(TODAY, 5)], 0)],
    ids=["no-bins", "zeros", "no-trials"],
)
def test_histogram_without_a_forecast_says_so(bins, trials):
    chart = histogram_chart(bins, p50=None, p85=None, p95=None, target_date=None, trials=trials)
    assert "No forecast yet" in texts(parse(chart))


def test_cfd_stacks_one_area_per_state_with_the_first_state_on_top():
    chart = cfd()
    root = parse(chart)
    areas = with_class(root, "chart-area", "polygon")
    assert [a.get("class").split()[-1] for a in areas] == [
        f"chart-state-{s}"
        for s in ("accepted", "rejected", "delivered", "in-progress", "planned", "ready", "draft")
    ]
    assert chart.table[0] == ("Date", *STATES) and len(chart.table) == 57
    assert chart.alt.startswith("Items in each state per day from 2 Feb to 29 Mar.")
    legend = ["".join(el.itertext()) for el in with_class(root, "chart-legend-text", "text")]
    assert legend == list(STATES)


def test_cfd_of_a_single_day_still_draws_areas():
    root = parse(cfd_chart([TODAY], [("Ready", [2]), ("Accepted", [3])]))
    assert len(with_class(root, "chart-area", "polygon")) == 2


def test_cfd_without_items_says_so():
    chart = cfd_chart([TODAY, TODAY + timedelta(days=1)], [("Ready", [0, 0])])
    assert "No item history yet" in texts(parse(chart))


def test_cfd_refuses_series_that_do_not_match_the_days():
    with pytest.raises(ValueError, match="'Ready' has 1 values for 2 days"):
        cfd_chart([TODAY, TODAY + timedelta(days=1)], [("Ready", [1])])


def test_date_axis_labels_read_like_12_jan_and_never_crowd():
    root = parse(cfd(days=400))
    ticks = [el for el in with_class(root, "chart-tick", "text") if el.get("text-anchor") == "middle"]
    labels = ["".join(el.itertext()) for el in ticks]
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d{4})?", text) for text in labels), labels
    xs = sorted(float(el.get("x")) for el in ticks)
    assert all(b - a > 40 for a, b in zip(xs, xs[1:], strict=False))
    assert "1 Jan 2027" in labels  # the year shows where it changes


def test_nice_ticks_and_date_ticks():
    assert nice_ticks(27) == [0, 10, 20, 30]
    assert nice_ticks(0.4) == [0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(7, integer=True) == [0, 2, 4, 6, 8]
    assert nice_ticks(0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert date_ticks(date(2026, 1, 1), date(2026, 1, 4), max_ticks=10) == [
        date(2026, 1, d) for d in (1, 2, 3, 4)
    ]
    weekly = date_ticks(date(2026, 1, 1), date(2026, 2, 26), max_ticks=10)
    assert all(day.weekday() == 0 for day in weekly) and len(weekly) == 8
    assert date_ticks(date(2026, 1, 15), date(2026, 12, 31), max_ticks=8)[0] == date(2026, 3, 1)


def test_charts_are_deterministic_and_ids_differ_between_charts():
    assert velocity().svg == velocity().svg
    first, second = parse(velocity()), parse(velocity((1, 2, 3)))
    assert first.find(SVG + "title").get("id") != second.find(SVG + "title").get("id")


def test_the_include_template_shows_the_svg_caption_and_the_data_table():
    chart = velocity_chart([VelocityBar("<b>Sprint 1</b>", 18, 6)], mean=None, low=None, high=None)
    html = render_to_string("planning/_chart.html", {"chart": chart})
    assert html.count("<svg") == 1 and '<figure class="chart">' in html
    assert f"<figcaption>{chart.alt.replace('<', '&lt;').replace('>', '&gt;')}</figcaption>" in html
    assert "<summary>Data</summary>" in html and '<th scope="row">&lt;b&gt;Sprint 1&lt;/b&gt;</th>' in html
    assert "style=" not in html


def test_the_include_template_leaves_out_an_empty_table():
    html = render_to_string(
        "planning/_chart.html", {"chart": velocity_chart([], mean=None, low=None, high=None)}
    )
    assert "No closed sprints yet" in html and "<details" not in html


def test_the_chart_modules_import_no_web_framework():
    code = (
        "import sys, sightline.forecast.charts; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
