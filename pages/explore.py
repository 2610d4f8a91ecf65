"""探索: trend and breakdown charts under the shared filters, and a paginated drill-down table."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from analytics import matters
from analytics.charts import explore as charts
from analytics.exporting.safe_cells import safe_csv
from analytics.queries import explore as q
from analytics.queries.provenance import provenance
from analytics.schema import labels
from ui import auth, cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import audited_write, controls, data_source, user_errors
from ui.tables import complaint_columns, labelled
from ui.text import plain

PAGE_SIZES = (20, 50, 100)
COLUMNS = ("received_at", "complaint_id", "source", "kind", "county", "sector", "business", "title", "content",
           "department", "closed_at", "amount")  # fmt: skip
EXCERPT = "内容（节选）"  # the drill-down shows the first CONTENT_CHARS of a text
CSV_HEADERS = labels(*COLUMNS) | {"content": EXCERPT}
BY_CHOICES = [None, "source", "kind", "county", "sector"]

MATTER_COLUMNS = ("complaint_id", "received_at", "source", "county", "business", "title")


def _matter(complaint: int) -> None:
    """The chosen complaint's matter (事项): the other complaints of the same case, and the analyst's
    corrections (split it out, join it with a complaint the linker missed), applied at once."""
    members = cache.frame(matters.matter_members, complaint)
    with st.container(border=True):
        st.markdown("**同一事项**")
        if len(members) > 1:
            st.caption(f"本条与另外 {len(members) - 1} 件投诉同属一个事项（同一案件多渠道或重复投诉）：")
            st.dataframe(
                labelled(members[list(MATTER_COLUMNS)]),
                hide_index=True,
                column_config=complaint_columns(*MATTER_COLUMNS, time_format="YYYY-MM-DD HH:mm"),
            )
        else:
            st.caption("本条投诉单独成为一个事项。")
        with controls("explore-matter"):
            curator = auth.can("matter_split")  # split and join need the same role
            if not curator:
                st.caption("拆分、合并事项需要分析员或管理员权限。")
            left, right = st.columns(2)
            if left.button(
                "从事项中拆出本条",
                key="matter_split",
                disabled=not curator or len(members) < 2,
                help="本条不再与其他投诉同属一个事项（包括此前手工合并的）；之后再合并的仍然有效。重新关联后仍然有效。",
            ):
                audited_write("matter_split", matters.correct, "split", complaint)
            number = right.text_input("与投诉编号合并为一个事项", key="matter_join_number", placeholder="投诉编号")
            if right.button(
                "合并", key="matter_join", disabled=not curator or not number.strip(), help="重新关联后仍然有效。"
            ):
                audited_write("matter_join", matters.join_by_number, complaint, number)


st.title("探索")
filters = current_filters()
period, source = filters.describe(), data_source()

with user_errors():
    total = cache.frame(q.complaint_count, filters)
    if total == 0:
        st.info("所选条件下没有投诉。请放宽左侧的筛选条件。")
        st.stop()
    # the period names the analyst's keyword: user text, shown as text
    st.caption(f"{plain(period)}　共 {total:,} 件（{cache.frame(q.matter_count, filters):,} 个事项）")

    with controls("explore-trend"):
        c1, c2 = st.columns(2)
        granularity = c1.segmented_control(
            "时间粒度", list(charts.GRANULARITY_LABELS), key="explore_granularity",
            default=url_state.option("explore_granularity", list(charts.GRANULARITY_LABELS), "month"),
            format_func=charts.GRANULARITY_LABELS.get,
        ) or "month"  # fmt: skip
        by = c2.selectbox(
            "分组", BY_CHOICES, key="explore_trend_by", index=url_state.index("explore_trend_by", BY_CHOICES),
            format_func=lambda v: "不分组" if v is None else charts.DIMENSION_LABELS[v],
        )  # fmt: skip
    url_state.keep("explore_granularity", granularity)
    url_state.keep("explore_trend_by", by)
    trend = cache.read(q.trend, filters, granularity, by)
    show(
        cache.figure(charts.trend, trend, granularity=granularity, by=by, period=period, source=source),
        filename="探索_趋势",
    )

    with controls("explore-breakdown"):
        c1, c2 = st.columns(2)
        dimension = c1.selectbox(
            "分布维度", list(charts.DIMENSION_LABELS), key="explore_breakdown_by",
            index=url_state.index("explore_breakdown_by", list(charts.DIMENSION_LABELS), 1),
            format_func=charts.DIMENSION_LABELS.get,
        )  # fmt: skip
        top = c2.slider(
            "显示前 N 项", 5, 40, url_state.number("explore_breakdown_top", 15, 5, 40), key="explore_breakdown_top"
        )
    url_state.keep("explore_breakdown_by", dimension)
    url_state.keep("explore_breakdown_top", top)
    breakdown = cache.read(q.breakdown, filters, dimension, top)
    show(
        cache.figure(charts.breakdown, breakdown, by=dimension, period=period, source=source),
        filename=f"探索_按{dimension}",
    )

    st.subheader("投诉明细")
    with controls("explore-drilldown"):
        c1, c2 = st.columns([1, 3])
        size = c1.selectbox(
            "每页条数", PAGE_SIZES, index=url_state.index("explore_page_size", PAGE_SIZES, 1), key="explore_page_size"
        )
        pages = max(1, math.ceil(total / size))
        # New filters or page size: back to page 1 (before the widget is drawn); a first visit opens
        # the link's page.
        if st.session_state.get("explore_page_for") != (filters, size):
            first_visit = "explore_page_for" not in st.session_state
            st.session_state["explore_page_for"] = (filters, size)
            st.session_state["explore_page"] = url_state.number("explore_page", 1, 1, pages) if first_visit else 1
        st.session_state["explore_page"] = min(int(st.session_state.get("explore_page", 1)), pages)
        page = c2.number_input(f"页码（共 {pages:,} 页）", min_value=1, max_value=pages, step=1, key="explore_page")
    url_state.keep("explore_page_size", size, default=PAGE_SIZES[1])
    url_state.keep("explore_page", int(page), default=1)
    rows = cache.frame(q.complaint_page, filters, int(page), int(size))
    first = (int(page) - 1) * size + 1
    st.caption(f"第 {first:,}–{first + len(rows) - 1:,} 条，共 {total:,} 条（按受理时间倒序）")
    table = st.dataframe(
        labelled(rows),
        hide_index=True,
        width="stretch",
        key="explore_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config=complaint_columns(
            *COLUMNS,
            time_format="YYYY-MM-DD HH:mm",
            id=None,
            content=st.column_config.TextColumn(EXCERPT, width="large"),
        ),
    )
    # The table's own CSV download is switched off (dashboard.py): it wrote = + - @ cells as formulas.
    # Demo rows say so in the file too (a first column 数据性质), as every other download does.
    marked = cache.frame(provenance, filters).csv_frame(rows.drop(columns=["id"]).rename(columns=CSV_HEADERS))
    st.download_button(
        "下载本页投诉（CSV）",
        safe_csv(marked),
        file_name=f"投诉明细_第{int(page)}页.csv",
        mime="text/csv",
        on_click="ignore",
        key="explore_csv",
        help="以 = + - @ 开头的单元格前加了撇号，在 Excel/WPS 中显示为文字，不会作为公式执行。",
    )

    picked = table.selection.rows if table is not None and hasattr(table, "selection") else []
    if picked and picked[0] < len(rows):
        complaint = int(rows["id"].iloc[picked[0]])
        detail = cache.frame(q.complaint_detail, complaint)
        if not detail.empty:
            one = detail.iloc[0]
            with st.container(border=True):
                title = plain(one["title"]) or "（无标题）"
                st.markdown(f"**{title}**　:small[{plain(one['complaint_id'])} · {plain(one['source'])}]")
                st.caption(
                    "　".join(
                        plain(v)
                        for v in (one["received_at"], one["county"], one["town"], one["sector"], one["business"])
                        if v is not None and not pd.isna(v)
                    )
                )
                st.text(one["content"] or "")
                if one["result"] is not None and not pd.isna(one["result"]):
                    st.markdown("**办理结果**")
                    st.text(one["result"])
            _matter(complaint)
    else:
        st.caption("点选表格中的一行，查看该投诉的全文和办理结果。")
