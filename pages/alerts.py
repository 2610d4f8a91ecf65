"""预警: unusual rises and new topics as of a day — level, evidence, a chart and the complaints behind."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import alerts as al
from analytics.alerts import drill
from analytics.alerts.recent import alerts_as_of
from analytics.charts import alerts as charts
from ui import cache, url_state
from ui.charts import show
from ui.frame import controls, data_source, user_errors
from ui.tables import complaint_columns, labelled, matter_column
from ui.text import plain

# The alert list's columns: 实际 (件次, what the rise counts) with its 事项 beside it.
COLUMNS = [
    "level", "as_of", "dimension_label", "subject", "window", "observed", "matters", "expected", "upper", "evidence"
]  # fmt: skip
LEVEL_BADGES = {"红": ":red-badge[红色预警]", "橙": ":orange-badge[橙色预警]", "黄": ":yellow-badge[黄色预警]"}


def _label(row: pd.Series) -> str:
    return (
        f"[{row['level']}] {row['dimension_label']}：{row['subject']}"
        f"（{row['window']}，{row['observed']} 件，{row['matters']} 个事项）"
    )


st.title("预警")
_PARAMS = al.AlertParams()
st.caption(
    f"按日（当天）和按周（近 {al.WINDOWS['周']} 天）检测经营者、区县×行业、话题×区县的异常上升："
    f"与前 {_PARAMS.baseline_weeks} 周同期均值比较，"
    "并按该行业往年同期的季节变化调整（期望），用负二项分布给出上限；"
    f"同时检测近 {_PARAMS.new_window_days} 天新出现的话题。"
    "级别：红 / 橙 / 黄（显著性与倍数，见每条预警的依据）。预警按所选日期计算，不受上方区县、行业筛选影响。"
)
source = data_source()

with user_errors():
    default_day = cache.frame(al.default_as_of)
    if default_day is None:
        st.info("数据库中还没有投诉。请在“数据导入”页导入数据。")
        st.stop()
    with controls("alerts-options"):
        left, middle, right = st.columns([1, 1, 1])
        as_of = left.date_input(
            "预警日期", value=url_state.day("al_as_of", default_day), key="al_as_of", help="默认：数据中最新的受理日期"
        )
        ranges = [1, 4]  # the ``alerts`` command's default first: the same list for the same day
        weeks = middle.radio(
            "范围",
            ranges,
            index=url_state.index("al_weeks", ranges),
            format_func=lambda w: "近 4 周（每个对象列最近一次）" if w > 1 else "仅预警日期（当天与近 7 天）",
            key="al_weeks",
            horizontal=True,
        )
        with_topics = right.toggle("包含话题预警", value=url_state.flag("al_topics", True), key="al_topics")
    for key, value in (("al_as_of", as_of), ("al_weeks", weeks), ("al_topics", with_topics)):
        url_state.keep(key, value)
    # The command's own engine call, so page and `alerts --as-of DAY` list the same alerts; the
    # topic detectors read the stored topic run (computed in the background after an import).
    with st.spinner("正在检测预警…"):
        found = cache.frame(alerts_as_of, as_of, weeks, topics=with_topics)
    for note in found.attrs.get("notes", []):
        st.info(plain(note))

    counts = found["level"].value_counts() if len(found) else pd.Series(dtype=int)
    cols = st.columns(4)
    cols[0].metric("预警总数", f"{len(found)}")
    for col, level in zip(cols[1:], al.LEVELS, strict=True):
        col.metric(f"{level}色", f"{int(counts.get(level, 0))}")
    if found.empty:
        span = f"{as_of} 及之前 {weeks} 周" if weeks > 1 else f"{as_of}"
        st.success(f"{span}：没有发现异常上升或新话题。")
        st.stop()

    st.subheader("预警列表")
    st.dataframe(
        found[COLUMNS],
        hide_index=True,
        placeholder="—",  # a new topic has no upper bound: a dash, not None
        column_config={
            "level": "级别",
            "as_of": st.column_config.DateColumn("预警日"),
            "dimension_label": "类型",
            "subject": "对象",
            "window": "窗口",
            "observed": st.column_config.NumberColumn("实际", format="localized", help="窗口内的投诉件次"),
            "matters": matter_column(note="此处为窗口内这些件次涉及的事项数"),
            "expected": st.column_config.NumberColumn("期望", format="%.1f"),
            "upper": st.column_config.NumberColumn("上限", format="%.0f"),
            "evidence": st.column_config.TextColumn("依据", width="large"),
        },
    )

    st.subheader("预警详情")
    with controls("alerts-pick"):
        # The link names the alert by what it is about (区县：清城区), not its place in the list, so
        # it still opens that alert when new data reorder the list.
        about = [f"{r['dimension_label']}：{r['subject']}" for _, r in found.iterrows()]
        pick = st.selectbox(
            "选择预警", range(len(found)), index=url_state.index("al_pick", about),
            format_func=lambda i: _label(found.iloc[i]), key="al_pick",
        )  # fmt: skip
    url_state.keep("al_pick", about[pick])
    alert = found.iloc[pick].to_dict()
    st.markdown(f"{LEVEL_BADGES.get(alert['level'], '')} **{plain(alert['subject'])}** — {plain(alert['evidence'])}")
    history = cache.frame(drill.alert_history, drill.alert_key(alert))
    show(charts.alert_history(history, alert, source=source), filename=f"预警_{alert['subject']}")

    ids = tuple(alert["row_ids"] or ())
    st.caption(f"本条预警涉及 {len(ids)} 件投诉（{alert['window_from']} 至 {alert['window_to']}）")
    rows = cache.frame(drill.alert_complaints, ids)
    st.dataframe(
        labelled(rows),
        hide_index=True,
        # the drill chooses the columns (analytics.alerts.drill), analytics.schema names them
        column_config=complaint_columns(*rows.columns, time_format="YYYY-MM-DD HH:mm"),
    )
