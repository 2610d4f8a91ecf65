"""分布: complaints by county (map or bars, raw counts beside per-10,000 rates) and sector × county."""

from __future__ import annotations

import streamlit as st

from analytics.charts import distribution as charts
from analytics.geo import county_map
from analytics.queries import distribution as q
from ui import cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import controls, data_source, user_errors
from ui.tables import matter_column

VALUE_LABELS = {"complaints": "投诉量", "per_10k": "每万人投诉量"}
# 件次 and 事项 side by side (the engine counts both in one query); rates and shares stay on 件次.
COUNTED = "投诉件次"


def _county_table(rates) -> None:
    table = rates[(rates["complaints"] > 0) | rates["in_profile"]]
    st.dataframe(
        table[["county", "complaints", "matters", "population", "per_10k", "share"]],
        hide_index=True,
        column_config={
            "county": "区县",
            # localized: thousands separators (1,234,567), as on the charts
            "complaints": st.column_config.NumberColumn("投诉量", format="localized", help=COUNTED),
            "matters": matter_column("localized"),
            "population": st.column_config.NumberColumn("常住人口", format="localized"),
            "per_10k": st.column_config.NumberColumn("每万人投诉量", format="%.2f"),
            "share": st.column_config.NumberColumn("占比", format="percent"),
        },
    )


st.title("分布")
st.caption("各区县、各行业的投诉分布；每万人投诉量 = 投诉量 ÷ 常住人口 × 10000（人口取自地区配置）。")
filters = current_filters()
period, source = filters.describe(), data_source()

with user_errors():
    counts_read, rates_read = cache.read(q.sector_county_counts, filters), cache.read(q.county_rates, filters)
    counts, rates = counts_read.run(), rates_read.run()
    if counts.empty:
        st.info("所选条件下没有投诉。请放宽筛选条件，或在“数据导入”页导入数据。")
        st.stop()

    st.subheader("区县分布")
    with controls("distribution-county"):
        value = url_state.radio("地图口径", VALUE_LABELS, "dist_map_value")
    geo = county_map()
    # Raw counts beside per-10,000 rates: the map's companion, or its fallback.
    bars = cache.figure(charts.county_bars, rates_read, period=period, source=source)
    if geo is None:
        st.caption("本地区未配置区县边界（GeoJSON），以条形图代替地图。")
        show(bars, filename="分布_区县投诉量")
    else:
        left, right = st.columns(2)
        with left:
            show(
                cache.figure(
                    charts.county_choropleth,
                    rates_read,
                    value=value,
                    title=f"各区县{VALUE_LABELS[value]}",
                    period=period,
                    source=source,
                ),
                filename=f"分布_区县地图_{VALUE_LABELS[value]}",
            )
        with right:
            show(bars, filename="分布_区县投诉量")
    # The table spans the page: beside the map its last columns (占比, and 每万人 at presentation
    # size) were cut off.
    _county_table(rates)

    st.subheader("行业 × 区县")
    with controls("distribution-sector"):
        heat_value = url_state.radio("热力图口径", VALUE_LABELS, "dist_heat_value")
    show(
        cache.figure(
            charts.sector_county_heatmap,
            counts_read,
            value=heat_value,
            title=f"行业 × 区县{VALUE_LABELS[heat_value]}",
            period=period,
            source=source,
        ),
        filename=f"分布_行业区县热力图_{VALUE_LABELS[heat_value]}",
    )
    with controls("distribution-treemap"):
        root = url_state.radio("构成图层级", {"sector": "行业 → 区县", "county": "区县 → 行业"}, "dist_tree_root")
    tree_title = "投诉量构成：行业 → 区县" if root == "sector" else "投诉量构成：区县 → 行业"
    show(
        cache.figure(
            charts.sector_county_treemap, counts_read, root=root, title=tree_title, period=period, source=source
        ),
        filename="分布_构成树图",
    )
    sectors = cache.frame(q.sector_totals, filters)
    st.dataframe(
        sectors,
        hide_index=True,
        column_config={
            "sector": "行业",
            "complaints": st.column_config.NumberColumn("投诉量", format="localized", help=COUNTED),
            "matters": matter_column(),
            "share": st.column_config.NumberColumn("占比", format="percent"),
            "per_10k": st.column_config.NumberColumn("每万人投诉量", format="%.2f"),
        },
    )
