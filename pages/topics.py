"""话题: issue-level topics of the filtered period, their trend and counties, drill-down, curation."""

from __future__ import annotations

import streamlit as st

from analytics.charts import topics as charts
from analytics.topics import (
    merge_topics,
    pin_topic,
    rename_topic,
    topic_counts,
    topic_events,
    topic_members,
    topics_in_period,
)
from ui import auth, background, cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import audited_write, controls, data_source, user_errors
from ui.tables import complaint_columns, labelled, matter_column
from ui.text import plain

MEMBER_COLUMNS = ("complaint_id", "received_at", "county", "sector", "business", "title", "content")

st.title("话题")
st.caption(
    "按投诉文本自动归纳的问题话题（jieba 分词 + 聚类）。话题编号在重新计算后保持不变；"
    "可重命名、合并、置顶，修改对所有页面生效。"
)
filters = current_filters()
period, source = filters.describe(), data_source()


with user_errors():
    run_id = background.topic_run()  # the stored run over all complaints (computed in the background)
    if run_id is None:
        st.stop()
    found = cache.read(topics_in_period, run_id, filters)
    topics = found.run()
    if topics.empty:
        st.info("所选期间没有可归纳话题的投诉。请放宽筛选条件，或在“数据导入”页导入数据。")
        st.stop()
    # Counts honour every filter of the bar (period, county, sector, …) over the one shared run.
    by_month = cache.read(topic_counts, run_id, "month", filters)
    by_county = cache.read(topic_counts, run_id, "county", filters)

    st.subheader(f"话题列表（{len(topics)} 个）")
    table = topics.assign(
        keywords=topics["keywords"].map(lambda k: "、".join(k[:8])),
        pinned=topics["pinned"].map(lambda p: "📌" if p else ""),
    )
    st.dataframe(
        table[["pinned", "topic_id", "label", "size", "matters", "keywords"]],
        hide_index=True,
        column_config={
            "pinned": st.column_config.TextColumn("置顶", width="small"),
            "topic_id": st.column_config.NumberColumn("编号", format="%d"),
            "label": "话题",
            "size": st.column_config.NumberColumn("件次", format="localized"),
            "matters": matter_column(),
            "keywords": "关键词",
        },
    )
    show(cache.figure(charts.topic_sizes, found, period=period, source=source), filename="话题_规模")

    names = {int(r.topic_id): f"{r.label}（{r.topic_id}）" for r in topics.itertuples()}
    with controls("topics-trend"):
        default = list(topics["topic_id"].head(5).astype(int))
        chosen = st.multiselect(
            "趋势图中的话题", list(names), default=url_state.choices("topic_trend", list(names), default),
            format_func=names.get, key="topic_trend",
        )  # fmt: skip
    url_state.keep("topic_trend", chosen, default=default)
    show(
        cache.figure(charts.topic_trend, by_month, topics=tuple(chosen), period=period, source=source),
        filename="话题_月度趋势",
    )
    show(cache.figure(charts.topic_county_heatmap, by_county, period=period, source=source), filename="话题_区县热力图")

    st.subheader("话题明细")
    with controls("topics-drill"):
        topic_id = st.selectbox(
            "选择话题", list(names), index=url_state.index("topic_drill", list(names)), format_func=names.get,
            key="topic_drill",
        )  # fmt: skip
    url_state.keep("topic_drill", topic_id)
    row = topics[topics["topic_id"] == topic_id].iloc[0]
    st.markdown(f"**{plain(row['label'])}**　关键词：{plain('、'.join(row['keywords']))}")
    if row["merged_from"]:
        st.caption("已并入：" + "、".join(str(m) for m in row["merged_from"]))
    events = cache.frame(topic_events, run_id, int(topic_id), filters)
    event_id = None
    if not events.empty:
        st.markdown(f"**话题内的事件**（同一经营者、地点或事件的集中投诉，{len(events)} 个）")
        st.dataframe(
            events.assign(
                keywords=events["keywords"].map(lambda k: "、".join(k[:5])),
                counties=events["counties"].map("、".join),
            )[["event_id", "label", "n", "matters", "counties", "first", "last", "keywords"]],
            hide_index=True,
            column_config={
                "event_id": st.column_config.NumberColumn("事件编号", format="%d"),
                "label": "事件",
                "n": st.column_config.NumberColumn("投诉量", format="localized"),
                "matters": matter_column(),
                "counties": "区县",
                "first": st.column_config.DateColumn("最早", format="YYYY-MM-DD"),
                "last": st.column_config.DateColumn("最近", format="YYYY-MM-DD"),
                "keywords": "关键词",
            },
        )
        event_names = {int(r.event_id): f"{r.label}（{r.n} 件，{r.matters} 个事项）" for r in events.itertuples()}
        with controls("topics-event"):
            event_id = st.selectbox(
                "只看某个事件的投诉",
                [None, *event_names],
                format_func=lambda e: "全部投诉" if e is None else event_names[e],
                key=f"topic_event_{topic_id}",  # per topic: another topic has other events
            )
    members = cache.frame(topic_members, run_id, int(topic_id), filters, event_id=event_id)
    st.dataframe(
        labelled(members[list(MEMBER_COLUMNS)]),
        hide_index=True,
        column_config=complaint_columns(*MEMBER_COLUMNS),
    )
    st.caption(f"显示最近 {len(members)} 件（最多 200 件）。")

    with controls("topics-curation"), st.expander("整理话题：重命名、合并、置顶"):
        curator = auth.can("topic_rename")  # rename, merge and pin need the same role
        if not curator:
            st.caption("整理话题需要分析员或管理员权限。")
        left, middle, right = st.columns(3)
        with left:
            label = st.text_input("新名称（留空恢复自动名称）", value="", key="topic_rename")
            if st.button("重命名", key="topic_rename_btn", disabled=not curator):
                audited_write("topic_rename", rename_topic, int(topic_id), label)
        with middle:
            targets = [t for t in names if t != topic_id]
            target = st.selectbox("并入话题", targets, format_func=names.get, key="topic_merge_target")
            if st.button("合并", key="topic_merge_btn", disabled=not targets or not curator):
                audited_write("topic_merge", merge_topics, int(topic_id), int(target))
        with right:
            pinned = bool(row["pinned"])
            if st.button("取消置顶" if pinned else "置顶", key="topic_pin_btn", disabled=not curator):
                audited_write("topic_pin", pin_topic, int(topic_id), not pinned)
        if event_id is not None:
            # The chosen event's label as a briefing would say it; it follows the incident into later
            # runs (its id stays while it continues) and into 热点, the deck and the exports.
            event_label = st.text_input("所选事件的新名称（留空恢复自动名称）", value="", key="event_rename")
            if st.button("重命名事件", key="event_rename_btn", disabled=not curator):
                audited_write("topic_rename", rename_topic, int(event_id), event_label)
