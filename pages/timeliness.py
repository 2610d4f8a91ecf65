"""时效: on-time closure rate against the 98% target, by month and by group; overdue and due-soon lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import timeliness as tl
from analytics.charts import matters as matter_charts
from analytics.charts import timeliness as charts
from analytics.matters import repeat_rates
from analytics.schema import labels
from ui import cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import controls, data_source, user_errors
from ui.tables import complaint_columns, labelled

GROUPS = {by: label for by, label in tl.DIMENSION_LABELS.items() if by != "month"}
REPEAT_GROUPS = labels("department", "county")  # breakdowns of analytics.matters.repeat_rates
LIST_COLUMNS = (
    complaint_columns("complaint_id", "kind", "received_at", time_format="YYYY-MM-DD HH:mm")
    | {"due_at": st.column_config.DatetimeColumn("办理时限", format="YYYY-MM-DD")}
    | complaint_columns("county", "department", "sector", "business", "title")
)


def _percent(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.2%}"


st.title("时效")
st.caption(
    "办理时限：咨询 2 个工作日，求助、建议 10 个，投诉、举报 15 个（其他类型按 15 个）；受理当天不计，"
    "时限为第 N 个工作日结束。工作日按国家法定节假日及调休安排（可在 data/calendar_overrides.toml 补充）。"
    "按时办结率 = 按时办结 ÷（按时办结 + 超期办结 + 超期未办结），未到期的在办件不计入。"
)
filters = current_filters()
source = data_source()

with user_errors():
    default_day = cache.frame(tl.default_as_of)
    if default_day is None:
        st.info("数据库中还没有投诉。请在“数据导入”页导入数据。")
        st.stop()
    with controls("timeliness-asof"):
        as_of = st.date_input(
            "统计截至",
            value=url_state.day("tl_as_of", default_day),
            help="在办件是否超期按这一天判断（默认：数据中最新的日期）",
            key="tl_as_of",
        )
    url_state.keep("tl_as_of", as_of)
    summ = cache.frame(tl.summary, filters, as_of)
    for warning in summ["warnings"]:
        st.warning(f"工作日历提示：{warning}")
    if summ["total"] == 0:
        st.info("所选条件下没有投诉。请放宽筛选条件。")
        st.stop()
    period = f"{filters.describe()}；截至 {as_of}"

    cols = st.columns(4)
    rate = summ["on_time_rate"]
    gap = None if rate is None else f"{(rate - tl.TARGET) * 100:+.2f} 个百分点（目标 {tl.TARGET:.0%}）"
    # Named colours, not "normal"/"inverse": below target is red whatever the delta's sign rules do.
    meets = rate is not None and rate >= tl.TARGET
    cols[0].metric("按时办结率", _percent(rate), gap, delta_color="green" if meets else "red")
    cols[1].metric("应办结件数", f"{summ['due']:,}")
    cols[2].metric("超期未办结", f"{summ['open_overdue']:,}")
    soon = cache.frame(tl.due_soon, filters, as_of)
    cols[3].metric(f"{tl.DUE_SOON_WORKDAYS} 个工作日内到期", f"{len(soon):,}")

    monthly = cache.read(tl.rates, "month", filters, as_of)
    show(cache.figure(charts.rate_by_month, monthly, period=period, source=source), filename="时效_按月按时办结率")

    st.subheader("分组对比")
    with controls("timeliness-group"):
        by = url_state.radio("分组", GROUPS, "tl_by")
    group_read = cache.read(tl.rates, by, filters, as_of)
    grouped = group_read.run()
    show(
        cache.figure(charts.rate_by_group, group_read, by, GROUPS[by], period=period, source=source),
        filename=f"时效_按{GROUPS[by]}",
    )
    below = grouped[grouped["meets_target"].fillna(True) == False]  # noqa: E712 - NA means nothing due yet
    if len(below):
        st.markdown(
            f"未达 {tl.TARGET:.0%} 目标的{GROUPS[by]}：" + "、".join(f"**{g}**" for g in below["group"].astype(str))
        )
    st.dataframe(
        labelled(grouped[["group", "on_time_rate", "due", "closed_on_time", "closed_late", "open_overdue", "pending"]]),
        hide_index=True,
        column_config={
            "group": GROUPS[by],
            "on_time_rate": st.column_config.NumberColumn("按时办结率", format="percent"),
            # localized: thousands separators (2,248), as on the charts
            "due": st.column_config.NumberColumn("应办结", format="localized"),
            "closed_on_time": st.column_config.NumberColumn("按时办结", format="localized"),
            "closed_late": st.column_config.NumberColumn("超期办结", format="localized"),
            "open_overdue": st.column_config.NumberColumn("超期未办结", format="localized"),
            "pending": st.column_config.NumberColumn("未到期在办", format="localized"),
        },
    )

    st.subheader("重复投诉率")
    st.caption(
        "同一案件的多次投诉、多渠道投诉（12345、12315、消委会）归为一个事项。重复投诉率 = 投诉两次及以上的事项 ÷ 事项；"
        "办结后再投诉率 = 有投诉办结后投诉人又来投诉的事项 ÷ 事项。事项按首次受理的月份、承办单位和区县归组。"
    )
    repeat_period = filters.describe()
    monthly_repeats = cache.read(repeat_rates, "month", filters)
    show(
        cache.figure(matter_charts.repeat_rate_by_month, monthly_repeats, period=repeat_period, source=source),
        filename="时效_按月重复投诉率",
    )
    with controls("timeliness-repeat"):
        repeat_by = url_state.radio("重复投诉率分组", REPEAT_GROUPS, "tl_repeat_by")
    grouped_repeats = cache.read(repeat_rates, repeat_by, filters)
    show(
        cache.figure(
            matter_charts.repeat_rate_by_group,
            grouped_repeats,
            REPEAT_GROUPS[repeat_by],
            period=repeat_period,
            source=source,
        ),
        filename=f"时效_按{REPEAT_GROUPS[repeat_by]}重复投诉率",
    )

    left, right = st.columns(2)
    with left:
        st.subheader("超期未办结")
        late = cache.frame(tl.overdue, filters, as_of)
        st.caption(f"共 {len(late):,} 件，按超期天数从多到少")
        st.dataframe(
            labelled(late.head(500)[["days_overdue", *LIST_COLUMNS]]),
            hide_index=True,
            column_config={"days_overdue": st.column_config.NumberColumn("超期天数", format="%d 天"), **LIST_COLUMNS},
        )
    with right:
        st.subheader(f"{tl.DUE_SOON_WORKDAYS} 个工作日内到期")
        st.caption(f"共 {len(soon):,} 件在办，按时限先后（0 = 当天到期）")
        st.dataframe(
            labelled(soon.head(500)[["workdays_left", *LIST_COLUMNS]]),
            hide_index=True,
            column_config={"workdays_left": st.column_config.NumberColumn("剩余工作日", format="%d"), **LIST_COLUMNS},
        )
