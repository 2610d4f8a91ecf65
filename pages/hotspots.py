"""热点: the year's 2–4 hotspot issues with their score breakdown, weight sliders, and per hotspot its
trend, county and sector charts and complaints; event hotspots ranked by hotness; downloads."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from analytics.charts import hotspots as charts
from analytics.exporting.build import export_filename
from analytics.exporting.hotspot_files import page_period, ranking_download, shortlist_download
from analytics.exporting.shortlist import EVENTS, RANKING
from analytics.hotspots import COMPONENTS, load_weights, rank_issues, rescore
from analytics.hotspots.events import EVENTS_SHOWN, HOTNESS_RULE, event_texts, rank_events
from analytics.hotspots.ranking import topic_complaints
from analytics.periods import Period
from analytics.profile import load_profile
from analytics.queries.catalog import default_year
from analytics.schema import COLUMN_LABELS
from ui import background, cache, url_state
from ui.charts import show
from ui.filters import current_filters, data_span
from ui.frame import controls, data_source, user_errors
from ui.tables import complaint_columns, labelled, matter_column
from ui.text import plain

FILTER_PERIOD = "筛选栏时段"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period() -> tuple[int | None, date | None, date | None, str]:
    """Year (or the filter bar's period) chosen on the page: (year, from, to, description)."""
    first, last = data_span()
    years = list(range(last.year, first.year - 1, -1)) if first and last else []
    choices = [*years, FILTER_PERIOD]
    with controls("hotspots-period"):
        choice = st.selectbox(
            "年度",
            choices,
            # A shared link opens the year it was made for; otherwise the year every view starts with.
            index=url_state.index("hot_year", choices, years.index(default_year(first, last)) if years else 0),
            key="hot_year",
            help="热点按年度评选，增长与上年同期比较。",
        )
    url_state.keep("hot_year", choice)
    if choice == FILTER_PERIOD:
        f = current_filters()
        return None, f.date_from, f.date_to, f"{f.date_from or '起始'} 至 {f.date_to or '最新'}"
    return int(choice), None, None, f"{choice} 年"


def _weights() -> tuple[tuple[str, float], ...]:
    defaults = load_weights()
    with controls("hotspots-weights"), st.expander("评分权重（拖动调整，排名即时更新）"):
        cols = st.columns(4)
        values = {}
        for i, name in enumerate(COMPONENTS):
            w, key = defaults[name], f"hot_w_{name}"
            start = url_state.number(key, float(w.weight), 0.0, 5.0)  # a link keeps the meeting's weights
            values[name] = cols[i % 4].slider(w.label, 0.0, 5.0, start, 0.5, key=key, help=w.help)
            url_state.keep(key, values[name], default=float(w.weight))
    return tuple(sorted(values.items()))


def _ranking_table(ranking: pd.DataFrame) -> None:
    # As text: st.dataframe prints a missing number as "None" (no last-year count to compare with).
    change = ranking["change_on_last_year"].astype("float64")
    # A change that rounds to nothing reads 0%, not -0% or +0%.
    table = ranking.assign(change=["—" if pd.isna(v) else f"{v:+.0%}" if round(v * 100) else "0%" for v in change])
    st.dataframe(
        labelled(
            table[["rank", "label", "score", "shortlisted", "size", "matters", "n_prev", "change", "regulator", "why"]]
        ),
        hide_index=True,
        column_config={
            "rank": "排名",
            "label": st.column_config.TextColumn("热点问题", width="medium"),
            "score": st.column_config.NumberColumn("得分", format="%.1f"),
            "shortlisted": st.column_config.CheckboxColumn("重点热点"),
            "size": st.column_config.NumberColumn("件次", format="localized", help="投诉件数"),
            "matters": matter_column(note="评分中的投诉量默认按事项计"),
            "n_prev": st.column_config.NumberColumn("上年同期件次", format="localized"),
            "change": st.column_config.TextColumn("同比", help="上年同期为 0 或数据未覆盖上年同期时为 —"),
            "regulator": "牵头部门",
            "why": st.column_config.TextColumn("排名理由", width="large"),
        },
    )


def _hotspot_detail(result, base: cache.Read, chosen: int, period: str, source: str) -> None:
    row = result.ranking.set_index("topic_id").loc[chosen]
    st.markdown(f"#### {int(row['rank'])}. {plain(row['label'])}")
    st.markdown(plain(row["why"]))
    keywords = "、".join(str(k) for k in (row["keywords"] if row["keywords"] is not None else []))
    st.caption(f"关键词：{plain(keywords)}　牵头部门：{plain(row['regulator']) or '—'}"
               f"　首次出现：{row['first_seen']:%Y-%m-%d}　最近出现：{row['last_seen']:%Y-%m-%d}")  # fmt: skip
    merged = [int(t) for t in (row.get("merged_topics") if row.get("merged_topics") is not None else [])]
    if merged:
        labels = result.meta.set_index("topic_id")["label"] if "label" in result.meta else pd.Series(dtype=str)
        names = "、".join(f"{plain(labels.get(t, '话题'))}（{t}）" for t in merged)
        st.caption(f"已并入相近话题：{names}。同一问题被模型拆成了几个话题，评分前按同一行业、关键词相近合并。")
    # Weights change scores, never a topic's months, counties or sectors: the stored ranking's.
    trend = cache.figure(
        charts.hotspot_trend, base.get("trend"), row["label"], topic_id=chosen, period=period, source=source
    )
    show(trend, filename=f"热点_{chosen}_趋势")
    breakdowns = base.get("breakdowns")
    c1, c2 = st.columns(2)
    with c1:
        fig = cache.figure(charts.hotspot_counties, breakdowns, chosen, row["label"], period=period, source=source)
        show(fig, filename=f"热点_{chosen}_区县")
    with c2:
        fig = cache.figure(charts.hotspot_sectors, breakdowns, chosen, row["label"], period=period, source=source)
        show(fig, filename=f"热点_{chosen}_行业")
    p = result.period
    complaints = cache.frame(topic_complaints, result.run_id, p.start, p.end, int(chosen), 500)
    st.markdown(f"**投诉（最新 {len(complaints)} 件，共 {int(row['size'])} 件次、{int(row['matters'])} 个事项）**")
    st.dataframe(
        labelled(complaints[["complaint_id", "received_at", "county", "business", "kind", "title"]]),
        hide_index=True,
        column_config=complaint_columns(
            "complaint_id",
            "received_at",
            "county",
            "business",
            "kind",
            title=st.column_config.TextColumn(COLUMN_LABELS["title"], width="large"),
        ),
    )


def _export_period(year: int | None, d_from: date | None, d_to: date | None) -> Period:
    first, last = data_span()
    return page_period(year, d_from, d_to, (first, last))


def _downloads(year: int | None, d_from: date | None, d_to: date | None, weights) -> None:
    """热点问题表 (the same file as the 导出 page's for this period) and the whole ranking (热点排名表).

    Built when clicked (a callable ``data``: Streamlit's deferred download), not on every visit: the
    whole ranking's workbook alone took 6.5 CPU-seconds, more than the rest of the page."""
    target = _export_period(year, d_from, d_to)
    region = load_profile().name
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "下载热点问题表（Excel）", partial(cache.frame, shortlist_download, target, weights, "xlsx"),
        file_name=export_filename(region, target, "xlsx"), mime=XLSX, on_click="ignore",
        help="本期排名前 10 的热点问题及其投诉明细，与“导出”页的热点问题表相同。",
    )  # fmt: skip
    d2.download_button(
        "下载热点问题表（CSV）", partial(cache.frame, shortlist_download, target, weights, "csv"),
        file_name=export_filename(region, target, "csv"), mime="text/csv", on_click="ignore",
    )  # fmt: skip
    d3.download_button(
        "下载全部排名（Excel）", partial(cache.frame, ranking_download, target, weights, "xlsx"),
        file_name=export_filename(region, target, "xlsx", RANKING.table), mime=XLSX, on_click="ignore",
        help="所有参与评分的话题及其投诉明细（热点排名表）。",
    )  # fmt: skip


def _issues(year, d_from, d_to, period: str, source: str) -> None:
    weights = _weights()
    ranked = cache.read(rank_issues, year, d_from, d_to)
    base = ranked.run()
    # Rescored only when the sliders moved: the default ranking is the cached one as it is.
    default = dict(weights) == base.weights
    result = base if default else rescore(base, weights)
    if result.ranking.empty:
        st.info("所选时段没有可评分的话题。")
        return
    shortlist = result.shortlist
    st.markdown(f"**本期重点热点 {len(shortlist)} 个**：" + "；".join(
        f"{r.rank}. {plain(r.label)}（{r.score:.1f} 分，牵头：{plain(r.regulator) or '—'}）"
        for r in shortlist.itertuples()
    ))  # fmt: skip
    st.caption(
        "入选规则：按得分排序，在保留 2–4 个问题的切分点中选相邻得分落差最大处。"
        "热点按全市评选，不受区县、行业筛选影响。"
    )
    breakdown = (
        cache.figure(charts.score_breakdown, ranked.get("ranking"), ranked.get("components"), top=12,
                     period=period, source=source)
        if default
        else charts.score_breakdown(result.ranking, result.components, top=12, period=period, source=source)
    )  # fmt: skip
    show(breakdown, filename="热点_得分构成")
    _ranking_table(result.ranking)
    _downloads(year, d_from, d_to, weights)
    labels = {int(r.topic_id): f"{r.rank}. {r.label}" for r in result.ranking.itertuples()}
    with controls("hotspots-pick"):
        chosen = st.selectbox(
            "查看热点", list(labels), index=url_state.index("hot_pick", list(labels)), format_func=labels.get,
            key="hot_pick",
        )  # fmt: skip
    url_state.keep("hot_pick", chosen)  # a presentation link opens the hotspot it was made on
    _hotspot_detail(result, ranked, int(chosen), period, source)


def _events(year, d_from, d_to, period: str, source: str) -> None:
    found = cache.read(rank_events, year, d_from, d_to, EVENTS_SHOWN)
    events = found.run()
    if events.empty:
        st.info("所选时段没有热点事件（同一经营者、地点或事件的集中投诉）。")
        return
    st.caption(HOTNESS_RULE)
    show(cache.figure(charts.event_hotness, found, period=period, source=source), filename="热点事件_热度")
    st.dataframe(
        events[["rank", "label", "hotness", "size", "matters", "likes", "dislikes", "peak_week", "span_days",
                "coherence", "first_seen", "last_seen"]],
        hide_index=True,
        column_config={
            "rank": "排名", "label": st.column_config.TextColumn("事件", width="medium"),
            "hotness": st.column_config.NumberColumn("热度", format="%.1f"),
            "size": "件次", "matters": "事项",
            "likes": "点赞", "dislikes": "反对", "peak_week": "7日峰值", "span_days": "跨度(天)",
            "coherence": st.column_config.NumberColumn(
                "内容一致度", format="%.2f", help="成员与事件中心的平均文本相似度"
            ),
            "first_seen": st.column_config.DatetimeColumn("首次", format="YYYY-MM-DD"),
            "last_seen": st.column_config.DatetimeColumn("最近", format="YYYY-MM-DD"),
        },
    )  # fmt: skip
    target = _export_period(year, d_from, d_to)
    st.download_button(
        "下载热点事件表（Excel）", partial(cache.frame, ranking_download, target, None, "xlsx", "event"),
        file_name=export_filename(load_profile().name, target, "xlsx", EVENTS.table), mime=XLSX, on_click="ignore",
    )  # fmt: skip
    labels = {int(r.event_id): f"{r.rank}. {r.label}" for r in events.itertuples()}
    with controls("hotspots-event-pick"):
        chosen = st.selectbox(
            "查看事件留言", list(labels), index=url_state.index("hot_event_pick", list(labels)),
            format_func=labels.get, key="hot_event_pick",
        )  # fmt: skip
    url_state.keep("hot_event_pick", chosen)
    picked = events.set_index("event_id").loc[int(chosen)]
    texts = cache.frame(event_texts, {int(chosen): tuple(int(i) for i in picked["member_ids"])}, picked["run_id"])
    st.dataframe(
        labelled(texts[["complaint_id", "received_at", "county", "business", "title"]]),
        hide_index=True,
        column_config=complaint_columns(
            "complaint_id",
            "received_at",
            "county",
            "business",
            title=st.column_config.TextColumn(COLUMN_LABELS["title"], width="large"),
        ),
    )


st.title("热点")
source = data_source()
with user_errors():
    if background.topic_run() is None:  # topics are computed in the background, never here
        st.stop()
    year, d_from, d_to, period = _period()
    # Only the open tab runs (ranking the events too made a first visit after an import slower),
    # and the link names it (?hot_tab=热点事件), like the year.
    tab_issues, tab_events = st.tabs(["年度热点问题", "热点事件"], key="hot_tab", bind="query-params")
    if tab_issues.open:
        with tab_issues:
            _issues(year, d_from, d_to, period, source)
    if tab_events.open:
        with tab_events:
            _events(year, d_from, d_to, period, source)
