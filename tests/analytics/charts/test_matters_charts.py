"""重复投诉率 charts draw the engine's frame: two rates per month or group, small groups left out."""

from __future__ import annotations

import pandas as pd

from analytics.charts import matters


def _frame(groups: list[str], matters_n: list[int], repeated: list[int], back: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"group": groups, "complaints": [m + r for m, r in zip(matters_n, repeated, strict=True)], "matters": matters_n,
         "repeated_matters": repeated, "came_back_matters": back}
    )  # fmt: skip
    frame["repeat_rate"] = frame["repeated_matters"] / frame["matters"]
    frame["came_back_rate"] = frame["came_back_matters"] / frame["matters"]
    return frame


def test_monthly_chart_has_both_rates_over_the_matters() -> None:
    fig = matters.repeat_rate_by_month(_frame(["2024-01", "2024-02"], [40, 50], [4, 10], [1, 5]), period="2024年")
    bars, repeat, back = fig.data
    assert list(bars.y) == [40, 50] and bars.yaxis == "y2"
    assert list(repeat.y) == [0.1, 0.2] and list(back.y) == [0.025, 0.1]
    assert (repeat.name, back.name) == ("重复投诉率", "办结后再投诉率")
    assert fig.layout.yaxis.tickformat == ".0%" and "2024年" in fig.layout.title.text


def test_group_chart_ranks_by_repeat_rate_and_leaves_out_small_groups() -> None:
    frame = _frame(["市场监管局", "住建局", "教育局", "小单位"], [100, 20, 50, 2], [10, 8, 5, 2], [2, 1, 0, 1])
    fig = matters.repeat_rate_by_group(frame, "承办单位", min_matters=5)
    repeat = fig.data[0]
    # Highest rate at the top (plotly draws the last category on top); 小单位 (2 matters) left out.
    assert list(repeat.y) == ["教育局", "市场监管局", "住建局"]
    assert list(repeat.x) == [0.1, 0.1, 0.4]
    assert "承办单位" in fig.layout.title.text


def test_nothing_to_draw_says_so() -> None:
    empty = _frame([], [], [], [])
    for fig in (matters.repeat_rate_by_month(empty), matters.repeat_rate_by_group(empty, "区县")):
        assert fig.layout.annotations[0].text == "所选条件下没有数据"
