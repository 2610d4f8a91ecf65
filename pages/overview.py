"""总览: KPI cards, monthly trend by channel, top sectors, complaints per county."""

from __future__ import annotations

import math

import streamlit as st

from analytics.charts import overview as charts
from analytics.queries import overview as q
from ui import cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import controls, data_source, user_errors


def _pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1%}"


def _kpi_cards(kpis) -> None:
    rows = kpis.set_index("metric")
    n, matters, closure = rows.loc["complaints"], rows.loc["matters"], rows.loc["closure_share"]
    c1, c4, c2, c3 = st.columns(4)
    c1.metric(
        "期内投诉量",
        f"{int(n['value']):,}",
        delta=None if math.isnan(n["previous"]) else f"{int(n['value'] - n['previous']):+,} 件（较上年同期）",
        delta_color="inverse",  # more complaints is bad news
        border=True,
        help="所选时段和筛选条件下的全部诉求（投诉、举报、咨询等）件数（件次）",
    )
    c4.metric(
        "期内事项数",
        f"{int(matters['value']):,}",
        delta=None if math.isnan(matters["change"]) else f"{matters['change']:+.1%}（较上年同期）",
        delta_color="inverse",
        border=True,
        help="同一案件重复投诉或在 12345、12315、消委会等多个渠道投诉，只算一个事项",
    )
    c2.metric(
        "同比变化",
        "—" if math.isnan(n["change"]) else f"{n['change']:+.1%}",
        border=True,
        help="与上年同期相比" + ("" if math.isnan(n["previous"]) else f"（上年同期 {int(n['previous']):,} 件）"),
    )
    c3.metric(
        "办结率",
        _pct(closure["value"]),
        delta=None if math.isnan(closure["change"]) else f"{closure['change'] * 100:+.1f} 个百分点",
        border=True,
        help="期内投诉中已办结的比例；变化为与上年同期相比",
    )


st.title("总览")
filters = current_filters()
period, source = filters.describe(), data_source()

with user_errors():
    kpis = cache.frame(q.kpis, filters)
    _kpi_cards(kpis)
    if kpis.set_index("metric").loc["complaints", "value"] == 0:
        st.info("所选条件下没有投诉。请放宽左侧的筛选条件，或在“数据导入”页导入数据。")
    else:
        show(
            cache.figure(
                charts.monthly_by_source, cache.read(q.monthly_by_source, filters), period=period, source=source
            ),
            filename="总览_月度趋势",
        )
        left, right = st.columns(2)
        with left:
            show(
                cache.figure(charts.top_sectors, cache.read(q.top_sectors, filters, 10), period=period, source=source),
                filename="总览_行业排名",
            )
        with right:
            with controls("overview-county"):
                value = url_state.radio(
                    "区县口径", {"complaints": "投诉量", "per_10k": "每万人投诉量"}, "overview_county_value",
                    label_visibility="collapsed",
                )  # fmt: skip
            show(
                cache.figure(
                    charts.county_counts,
                    cache.read(q.county_counts, filters),
                    period=period,
                    source=source,
                    value=value,
                ),
                filename="总览_区县投诉量",
            )
