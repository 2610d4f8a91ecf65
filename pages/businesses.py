"""经营者: most complained-about businesses, repeat offenders and the 投诉公示 table to publish."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import disclosure
from analytics.charts import businesses as charts
from analytics.queries import business_issues as qi
from analytics.queries import businesses as q
from analytics.queries.provenance import provenance
from ui import cache, url_state
from ui.charts import show
from ui.filters import current_filters
from ui.frame import controls, data_source, user_errors
from ui.tables import MATTER_HELP, matter_column

GROUPS = {"": "全市", "sector": "按行业", "county": "按区县"}
RATE = {"format": "percent"}
# 件次 and 事项 side by side (analytics.queries.businesses.top_businesses returns both).
TOP_COLUMNS = ["rank", "business", "sector", "county", "complaints", "matters", "closed_rate", "resolution_rate"]
TOP_COLUMNS += ["months", "issues"]
REPEAT_COLUMNS = ["business", "sector", "county", "complaints", "matters", "months", "reason", "closed_rate"]
REPEAT_COLUMNS += ["resolution_rate"]


def _top_table(top, issues) -> None:
    table = top.assign(issues=top["business"].map(qi.issue_summary(issues, "business")).fillna(""))
    table["business"] = table["business"].map(disclosure.public_text)
    st.dataframe(
        table[TOP_COLUMNS],
        hide_index=True,
        column_config={
            "rank": "排名",
            "business": "经营者",
            "sector": "主要行业",
            "county": "主要区县",
            "complaints": st.column_config.NumberColumn("件次", format="localized", help="投诉件数"),
            "matters": matter_column(),
            "closed_rate": st.column_config.NumberColumn("办结率", **RATE),
            "resolution_rate": st.column_config.NumberColumn("解决率", **RATE, help="已解决 ÷ 结果已知的投诉"),
            "months": st.column_config.NumberColumn("被投诉月数", format="%d"),
            "issues": st.column_config.TextColumn("集中问题", width="large"),
        },
    )


def _ranking(filters, period: str, source: str) -> None:
    with controls("businesses-ranking"):
        c1, c2, c3 = st.columns([2, 2, 3])
        group = url_state.radio("范围", GROUPS, "biz_group", where=c1)
        limit = c2.slider("显示前", 5, 50, url_state.number("biz_limit", 15, 5, 50), step=5, key="biz_limit")
        url_state.keep("biz_limit", limit)
        rows = cache.read(q.top_businesses, filters, group or None, limit)
        ranked = rows.run()
        scope = ""
        if group and not ranked.empty:
            # The group with the most complaints first; the ranking then shows that group only.
            choices = ranked.groupby(group)["complaints"].sum().sort_values(ascending=False).index.tolist()
            scope = c3.selectbox(GROUPS[group].removeprefix("按"), choices, key=f"biz_scope_{group}")
            ranked = ranked[ranked[group] == scope]
    if ranked.empty:
        st.info("所选条件下没有写明经营者的投诉。")
        return
    title = f"被投诉最多的经营者{'（' + scope + '）' if scope else ''}"

    def chart(builder, title: str):
        # The whole ranking's charts are cached; one group's (a page-side subset) are built each time.
        if scope:
            return builder(ranked, title=title, period=period, source=source)
        return cache.figure(builder, rows, title=title, period=period, source=source)

    show(chart(charts.top_business_bars, title), filename="经营者_排名")
    issues = cache.frame(qi.concentrated_issues, filters, tuple(ranked["business"]), 3)
    _top_table(ranked, issues)
    show(chart(charts.resolution_scatter, f"{title}：投诉量与解决率"), filename="经营者_投诉量与解决率")


def _repeat(filters, period: str, source: str) -> None:
    with controls("businesses-repeat"):
        c1, c2 = st.columns(2)
        min_months = c1.number_input(
            "至少几个月被投诉", 2, 24, url_state.number("biz_min_months", 3, 2, 24), key="biz_min_months"
        )
        quiet = c2.number_input("沉寂几个月后再被投诉", 1, 24, url_state.number("biz_quiet", 3, 1, 24), key="biz_quiet")
    url_state.keep("biz_min_months", int(min_months))
    url_state.keep("biz_quiet", int(quiet))
    offenders = cache.frame(q.repeat_offenders, filters, int(min_months), int(quiet), 50)
    if offenders.empty:
        st.info("所选条件下没有屡被投诉的经营者。")
        return
    st.caption(f"共 {len(offenders)} 家：{int(min_months)} 个月及以上被投诉，或沉寂 {int(quiet)} 个月以上后再被投诉。")
    top = offenders["business"].head(20).tolist()
    monthly = cache.read(q.business_monthly, filters, tuple(top))
    show(
        cache.figure(charts.repeat_offender_heatmap, monthly, tuple(top), period=period, source=source),
        filename="经营者_屡被投诉",
    )
    table = offenders.assign(business=offenders["business"].map(disclosure.public_text))
    st.dataframe(
        table[REPEAT_COLUMNS],
        hide_index=True,
        column_config={
            "business": "经营者",
            "sector": "主要行业",
            "county": "主要区县",
            "complaints": st.column_config.NumberColumn("件次", format="localized", help="投诉件数"),
            "matters": matter_column(),
            "months": st.column_config.NumberColumn("被投诉月数", format="%d"),
            "reason": st.column_config.TextColumn("说明", width="large"),
            "closed_rate": st.column_config.NumberColumn("办结率", **RATE),
            "resolution_rate": st.column_config.NumberColumn("解决率", **RATE),
        },
    )


def _disclosure(filters) -> None:
    st.caption(
        "可直接公开发布：仅含经营者、行业、区县、件数、办结率、解决率和集中问题；不含投诉人、投诉内容和联系方式。"
        f"投诉量按件次计，事项：{MATTER_HELP}。"
    )
    with controls("businesses-disclosure"):
        c1, c2 = st.columns(2)
        min_n = c1.number_input(
            "公示门槛（投诉量不少于）", 1, 1000, url_state.number("biz_pub_min", 3, 1, 1000), key="biz_pub_min"
        )
        limit = c2.number_input(
            "最多公示经营者数", 10, 1000, url_state.number("biz_pub_limit", 100, 10, 1000), step=10, key="biz_pub_limit"
        )
    url_state.keep("biz_pub_min", int(min_n))
    url_state.keep("biz_pub_limit", int(limit))
    by_business = cache.frame(disclosure.disclosure_by_business, filters, int(min_n), int(limit))
    by_sector = cache.frame(disclosure.disclosure_by_sector, filters)
    found = cache.frame(provenance, filters)
    rate_columns = {
        "办结率": st.column_config.NumberColumn(**RATE),
        "解决率": st.column_config.NumberColumn(**RATE),
        "事项": st.column_config.NumberColumn(help=MATTER_HELP),
    }
    st.markdown("**按经营者**")
    st.dataframe(by_business, hide_index=True, column_config=rate_columns)
    st.markdown("**按行业**")
    st.dataframe(by_sector, hide_index=True, column_config=rate_columns)
    # Built when clicked (Streamlit's deferred download), not on every visit.
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "下载经营者公示表（CSV）",
        partial(disclosure.to_csv_bytes, by_business, found),
        file_name="投诉公示_经营者.csv",
        mime="text/csv",
        on_click="ignore",
    )
    d2.download_button(
        "下载行业公示表（CSV）",
        partial(disclosure.to_csv_bytes, by_sector, found),
        file_name="投诉公示_行业.csv",
        mime="text/csv",
        on_click="ignore",
    )
    d3.download_button(
        "下载公示表（Excel）",
        partial(disclosure.to_xlsx_bytes, {"经营者公示": by_business, "行业公示": by_sector}, found),
        file_name="投诉公示.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )


st.title("经营者")
filters = current_filters()
period, source = filters.describe(), data_source()

with user_errors():
    # Only the open tab runs (the 公示 alone took most of a first visit after an import), and the
    # link names it (?biz_tab=投诉公示), like the page's other controls.
    ranking, repeat, publish = st.tabs(["被投诉排名", "屡被投诉", "投诉公示"], key="biz_tab", bind="query-params")
    if ranking.open:
        with ranking:
            _ranking(filters, period, source)
    if repeat.open:
        with repeat:
            _repeat(filters, period, source)
    if publish.open:
        with publish:
            _disclosure(filters)
