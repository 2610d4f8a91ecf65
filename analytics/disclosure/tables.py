"""The 投诉公示 tables: one row per business or per sector, every text cell made public (public.py).

What is published: business name, sector, county, counts (投诉量: complaints, 件次; 事项: matters,
one case reported again or on several channels counted once, docs/matters.md), closed and resolved
rates, and the issues complaints concentrate on (topic labels or title words). Never published:
complainants, complaint text, replies, ids.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.disclosure.public import public_frame
from analytics.filters import Filters
from analytics.profile import load_profile
from analytics.queries.business_issues import concentrated_issues, issue_summary, sector_issues
from analytics.queries.businesses import UNKNOWN, top_businesses
from analytics.store.stages import reads

ALL = Filters()
BUSINESS_COLUMNS = [
    "排名",
    "经营者",
    "行业",
    "区县",
    "投诉量",
    "事项",
    "办结量",
    "办结率",
    "解决率",
    "集中问题",
    "统计期间",
]
SECTOR_COLUMNS = ["行业", "监管部门", "投诉量", "事项", "涉及经营者", "办结率", "解决率", "集中问题", "统计期间"]


def period_label(con: duckdb.DuckDBPyConnection, filters: Filters) -> str:
    """The period the table covers: the filter's dates, or the data's first/last day."""
    where, params = filters.where("c")
    first, last = con.execute(
        f"SELECT min(received_at)::DATE, max(received_at)::DATE FROM complaints c WHERE {where}", params
    ).fetchone()
    start = filters.date_from or first
    end = filters.date_to or last
    return f"{start} 至 {end}" if start and end else ""


@reads("complaints", "topics", "matters")
def disclosure_by_business(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    min_complaints: int = 3,
    limit: int = 100,
    top_k: int = 3,
    ensure_topics: bool = False,
) -> pd.DataFrame:
    """One row per business with at least ``min_complaints`` complaints, most complained first.
    ``ensure_topics`` brings the topic run up to date first (see business_issues)."""
    top = top_businesses(con, filters, limit=limit, min_complaints=min_complaints)
    if top.empty:
        return pd.DataFrame(columns=BUSINESS_COLUMNS)
    # public: an issue is published as the analyst's label or a phrase, never a raw fragment.
    issues = concentrated_issues(con, filters, tuple(top["business"]), top_k=top_k, ensure=ensure_topics, public=True)
    text = issue_summary(issues, "business")
    out = pd.DataFrame(
        {
            "排名": top["rank"],
            "经营者": top["business"],
            "行业": top["sector"],
            "区县": top["county"],
            "投诉量": top["complaints"],
            "事项": top["matters"],
            "办结量": top["closed"],
            "办结率": top["closed_rate"].round(4),
            "解决率": top["resolution_rate"].round(4),
            "集中问题": top["business"].map(text).fillna(""),
            "统计期间": period_label(con, filters),
        }
    )
    return public_frame(out)


@reads("complaints", "topics", "matters")
def disclosure_by_sector(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    top_k: int = 3,
    profile_path: str | None = None,
    ensure_topics: bool = False,
) -> pd.DataFrame:
    """One row per sector: complaints, matters, businesses named, closed and resolved rates, main
    issues."""
    where, params = filters.where("c")
    df = con.execute(
        f"""
        SELECT coalesce(nullif(c.sector, ''), $unknown) AS sector, count(*) AS complaints,
               count(DISTINCT coalesce(l.matter_id, c.id)) AS matters,
               count(DISTINCT nullif(trim(c.business), '')) AS businesses,
               count(c.closed_at) / count(*) AS closed_rate,
               count(*) FILTER (WHERE c.resolved) / nullif(count(c.resolved), 0) AS resolution_rate
        FROM complaints c LEFT JOIN matter_links l ON l.id = c.id WHERE {where}
        GROUP BY ALL ORDER BY complaints DESC, sector
        """,
        {**params, "unknown": UNKNOWN},
    ).df()
    if df.empty:
        return pd.DataFrame(columns=SECTOR_COLUMNS)
    profile = load_profile(profile_path) if profile_path else load_profile()
    text = issue_summary(sector_issues(con, filters, top_k=top_k, ensure=ensure_topics, public=True), "sector")
    out = pd.DataFrame(
        {
            "行业": df["sector"],
            "监管部门": [profile.regulator_of(s) or "—" for s in df["sector"]],  # 其他 has no lead regulator
            "投诉量": df["complaints"].astype("int64"),
            "事项": df["matters"].astype("int64"),
            "涉及经营者": df["businesses"].astype("int64"),
            "办结率": df["closed_rate"].astype("float64").round(4),
            "解决率": df["resolution_rate"].astype("float64").round(4),
            "集中问题": df["sector"].map(text).fillna(""),
            "统计期间": period_label(con, filters),
        }
    )
    return public_frame(out)
