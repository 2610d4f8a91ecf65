"""Businesses complained about: the most complained per sector/county, their resolution rates,
repeat offenders and the issues their complaints concentrate on.

``resolution_rate`` is resolved / complaints whose outcome is known (``resolved`` is NULL when the
export does not say); ``closed_rate`` is closed / all complaints. Complaints that name no business
are left out of every table here. Issues come from curated topic labels when topics have been
computed (``analytics.issues``), else from the most frequent words of the titles.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import UserError
from analytics.filters import Filters

UNKNOWN = "未注明"
ALL = Filters()
GROUPS = {"sector": "sector", "county": "county"}  # group_by value -> checked column


def _base(filters: Filters) -> tuple[str, list]:
    """Filtered complaints that name a business, with the business name trimmed."""
    where, params = filters.where("c")
    sql = f"""
        SELECT c.id, trim(c.business) AS business, coalesce(nullif(c.sector, ''), '{UNKNOWN}') AS sector,
               coalesce(nullif(c.county, ''), '{UNKNOWN}') AS county, c.received_at, c.closed_at,
               c.resolved, c.title
        FROM complaints c
        WHERE {where} AND c.business IS NOT NULL AND trim(c.business) <> ''
    """
    return sql, params


def _group_column(group_by: str | None) -> str | None:
    if group_by is None or group_by == "":
        return None
    if group_by not in GROUPS:
        raise UserError(f"Unknown grouping {group_by!r}", zh=f"不支持的分组：{group_by}")
    return GROUPS[group_by]


def top_businesses(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    group_by: str | None = None,
    limit: int = 20,
    min_complaints: int = 1,
) -> pd.DataFrame:
    """The ``limit`` most complained-about businesses overall, or within each sector/county.

    Columns: [group], rank, business, complaints, share (of the group's business complaints),
    resolved, resolved_known, resolution_rate, closed, closed_rate, sector/county (the most common
    one), months (distinct months with complaints), first_at, last_at.
    """
    group = _group_column(group_by)
    base, params = _base(filters)
    part = f"PARTITION BY {group}" if group else ""
    select_group = f"{group}, " if group else ""
    df = con.execute(
        f"""
        WITH base AS ({base}),
        agg AS (
            SELECT {select_group} business,
                   count(*) AS complaints,
                   count(*) FILTER (WHERE resolved) AS resolved,
                   count(resolved) AS resolved_known,
                   count(closed_at) AS closed,
                   {"" if group == "sector" else "mode(sector) AS main_sector,"}
                   {"" if group == "county" else "mode(county) AS main_county,"}
                   count(DISTINCT date_trunc('month', received_at)) AS months,
                   min(received_at) AS first_at, max(received_at) AS last_at
            FROM base GROUP BY ALL
        )
        SELECT row_number() OVER ({part} ORDER BY complaints DESC, business) AS rank, *,
               complaints / sum(complaints) OVER ({part}) AS share
        FROM agg
        WHERE complaints >= ?
        QUALIFY rank <= ?
        ORDER BY {select_group} rank
        """,
        [*params, int(min_complaints), int(limit)],
    ).df()
    df = df.rename(columns={"main_sector": "sector", "main_county": "county"})
    return _rates(df)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("complaints", "resolved", "resolved_known", "closed", "months", "rank"):
        if col in df:
            df[col] = df[col].astype("int64")
    known = df["resolved_known"].where(df["resolved_known"] > 0)
    df["resolution_rate"] = (df["resolved"] / known).astype("float64")
    df["closed_rate"] = (df["closed"] / df["complaints"]).astype("float64")
    return df.reset_index(drop=True)


def business_monthly(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, businesses: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Complaints per business and month (months without complaints are absent): business, month,
    complaints. With no ``businesses``, every business."""
    base, params = _base(filters)
    extra, extra_params = "", []
    if businesses:
        extra = f"WHERE business IN ({', '.join('?' for _ in businesses)})"
        extra_params = list(businesses)
    df = con.execute(
        f"""
        WITH base AS ({base})
        SELECT business, CAST(date_trunc('month', received_at) AS DATE) AS month, count(*) AS complaints
        FROM base {extra} GROUP BY ALL ORDER BY business, month
        """,
        [*params, *extra_params],
    ).df()
    df["complaints"] = df["complaints"].astype("int64")
    return df


def repeat_offenders(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    min_months: int = 3,
    quiet_months: int = 3,
    limit: int = 50,
) -> pd.DataFrame:
    """Businesses complained about in at least ``min_months`` distinct months, or complained about
    again after ``quiet_months`` or more months without any complaint.

    Columns: business, complaints, months, first_month, last_month, longest_gap (months without
    complaints between two active months), returned (bool), returned_month (the latest month
    complaints came back after a quiet period), returned_gap (that quiet period), sector, county,
    resolution_rate, closed_rate, reason (Chinese, for the table).
    """
    base, params = _base(filters)
    df = con.execute(
        f"""
        WITH base AS ({base}),
        monthly AS (
            SELECT business, CAST(date_trunc('month', received_at) AS DATE) AS month, count(*) AS n
            FROM base GROUP BY ALL
        ),
        gaps AS (
            SELECT *, datediff('month', lag(month) OVER (PARTITION BY business ORDER BY month), month) - 1
                   AS gap
            FROM monthly
        ),
        per AS (
            SELECT business, count(*) AS months, min(month) AS first_month, max(month) AS last_month,
                   coalesce(max(gap), 0) AS longest_gap,
                   max(month) FILTER (WHERE gap >= ?) AS returned_month,
                   arg_max(gap, month) FILTER (WHERE gap >= ?) AS returned_gap
            FROM gaps GROUP BY business
        ),
        stats AS (
            SELECT business, count(*) AS complaints, count(*) FILTER (WHERE resolved) AS resolved,
                   count(resolved) AS resolved_known, count(closed_at) AS closed,
                   mode(sector) AS sector, mode(county) AS county
            FROM base GROUP BY business
        )
        SELECT per.*, returned_month IS NOT NULL AS returned, stats.* EXCLUDE (business)
        FROM per JOIN stats USING (business)
        WHERE months >= ? OR returned_month IS NOT NULL
        ORDER BY months DESC, complaints DESC, business
        LIMIT ?
        """,
        [*params, int(quiet_months), int(quiet_months), int(min_months), int(limit)],
    ).df()
    df["longest_gap"] = df["longest_gap"].astype("int64")
    df = _rates(df)
    df["reason"] = [_reason(r, min_months) for r in df.itertuples()]
    return df


def _reason(row, min_months: int) -> str:
    parts = []
    if row.months >= min_months:
        parts.append(f"{row.months}个月被投诉")
    if row.returned:
        month = pd.Timestamp(row.returned_month)
        parts.append(f"沉寂{int(row.returned_gap)}个月后于{month.year}年{month.month}月再被投诉")
    return "；".join(parts)


# Words too generic to describe an issue (the segmenter's stopwords drop the function words).
GENERIC_WORDS = frozenset((
    "投诉", "举报", "反映", "咨询", "求助", "建议", "问题", "商家", "消费者", "本人", "要求", "处理",
    "情况", "关于", "希望", "请求", "相关", "有关", "公司", "门店", "店铺", "商户", "经营者", "市民",
    "我们", "他们", "没有", "一个", "进行", "已经", "现在", "清远", "清远市", "消费", "纠纷", "服务",
    "拒绝", "突然", "规范", "商品", "产品", "购买", "发现", "导致", "存在", "至今", "联系", "质量", "无法",
))  # fmt: skip


def concentrated_issues(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    businesses: tuple[str, ...] = (),
    top_k: int = 3,
    limit: int = 20,
) -> pd.DataFrame:
    """What each business's complaints are about: the top ``top_k`` issues per business.

    ``businesses`` defaults to the ``limit`` most complained about. Columns: business, kind
    ('topic' — a curated topic label, 'word' — a frequent title word, used when the business's
    complaints have no topic yet, 'sector'), issue, complaints (with that issue), share (of the
    business's complaints), rank (within business and kind).
    """
    if not businesses:
        businesses = tuple(top_businesses(con, filters, limit=limit)["business"])
    if not businesses:
        return pd.DataFrame(columns=["business", "kind", "issue", "complaints", "share", "rank"])
    base, params = _base(filters)
    marks = ", ".join("?" for _ in businesses)
    rows = con.execute(
        f"WITH base AS ({base}) SELECT id, business, sector, title FROM base WHERE business IN ({marks})",
        [*params, *businesses],
    ).df()
    return _rank_issues(con, rows, "business", top_k, with_sector=True)


def sector_issues(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, top_k: int = 3, sample: int = 3000
) -> pd.DataFrame:
    """What each sector's complaints are about (all complaints, named business or not): topic
    labels or frequent title words, from at most the ``sample`` latest complaints per sector.
    Columns: sector, kind, issue, complaints, share, rank."""
    where, params = filters.where("c")
    rows = con.execute(
        f"""
        SELECT c.id, coalesce(nullif(c.sector, ''), '{UNKNOWN}') AS sector, c.title
        FROM complaints c WHERE {where}
        QUALIFY row_number() OVER (PARTITION BY sector ORDER BY c.received_at DESC, c.id DESC) <= ?
        """,
        [*params, int(sample)],
    ).df()
    return _rank_issues(con, rows, "sector", top_k, with_sector=False)


def _rank_issues(
    con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, key: str, top_k: int, *, with_sector: bool
) -> pd.DataFrame:
    """Top issues per ``key`` from complaint rows (id, key, title[, sector]); see concentrated_issues."""
    columns = [key, "kind", "issue", "complaints", "share", "rank"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    totals = rows.groupby(key).size()
    rows = rows.merge(topic_labels(con, tuple(int(i) for i in rows["id"])), on="id", how="left")
    has_topic = rows.groupby(key)["label"].transform(lambda s: s.notna().any()).astype(bool)
    parts = [rows[rows["label"].notna()].assign(kind="topic", issue=lambda d: d["label"])]
    if with_sector:
        parts.append(rows.assign(kind="sector", issue=rows["sector"]))
    parts.append(_title_words(rows[~has_topic], key))
    long = pd.concat([p[[key, "kind", "issue", "id"]] for p in parts], ignore_index=True).drop_duplicates()
    if long.empty:
        return pd.DataFrame(columns=columns)
    out = long.groupby([key, "kind", "issue"], as_index=False).agg(complaints=("id", "count"))
    out["complaints"] = out["complaints"].astype("int64")
    out["share"] = out["complaints"] / out[key].map(totals).astype("float64")
    out = out.sort_values([key, "kind", "complaints", "issue"], ascending=[True, True, False, True])
    out["rank"] = out.groupby([key, "kind"]).cumcount() + 1
    return out.loc[out["rank"] <= top_k, columns].reset_index(drop=True)


def _title_words(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per (complaint, distinct meaningful title word), with kind 'word'."""
    if rows.empty:
        return pd.DataFrame(columns=[key, "kind", "issue", "id"])
    from analytics.text.parallel import segmenter  # loads the dictionary: only when needed

    seg = segmenter()
    records = []
    for row in rows.itertuples(index=False):
        name = str(getattr(row, key))
        for word in set(seg.tokens(str(row.title or ""))):
            # A business's own name is no issue; digits could be personal data.
            if word in GENERIC_WORDS or word in name or any(ch.isdigit() for ch in word):
                continue
            records.append((getattr(row, key), "word", word, row.id))
    return pd.DataFrame.from_records(records, columns=[key, "kind", "issue", "id"])


def topic_labels(con: duckdb.DuckDBPyConnection, ids: tuple[int, ...]) -> pd.DataFrame:
    """Curated issue-topic label of each complaint id, from the latest topic run (empty if none).

    A topic merged into another by an analyst takes the target's label (one level of merging).
    """
    empty = pd.DataFrame({"id": pd.Series(dtype="int64"), "label": pd.Series(dtype="string")})
    if not ids:
        return empty
    run = con.execute("SELECT run_id FROM topic_runs ORDER BY created_at DESC LIMIT 1").fetchone()
    if run is None:
        return empty
    df = con.execute(
        """
        WITH a AS (
            SELECT a.id, coalesce(cur.merged_into, a.topic_id) AS topic_id
            FROM topic_assignments a JOIN (SELECT unnest(?::BIGINT[]) AS id) i ON i.id = a.id
            LEFT JOIN topic_curation cur ON cur.topic_id = a.topic_id
            WHERE a.run_id = ?
        )
        SELECT a.id, coalesce(cur.label, t.label) AS label
        FROM a JOIN topics t ON t.run_id = ? AND t.topic_id = a.topic_id AND t.level = 'issue'
        LEFT JOIN topic_curation cur ON cur.topic_id = a.topic_id
        """,
        [list(ids), run[0], run[0]],
    ).df()
    return df if not df.empty else empty


def issue_summary(issues: pd.DataFrame, key: str) -> dict[str, str]:
    """``key`` value -> "label（n）、label（n）": its topic labels, else its title words (for tables)."""
    if issues.empty:
        return {}
    best = issues[issues["kind"].isin(["topic", "word"])]
    return {
        k: "、".join(f"{row.issue}（{row.complaints}）" for row in group.itertuples())
        for k, group in best.groupby(key, sort=False)
    }
