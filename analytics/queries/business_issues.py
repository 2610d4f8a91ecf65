"""What complaints about a business (or a sector) concentrate on: issues for tables and the 公示.

An issue is a curated topic label (``analytics.topics``: the analyst's renames and merges apply)
when the complaints have been through a topic run, else a frequent, meaningful word of the titles,
so the page works on a freshly imported database before any topic run. The topic run is the one
every view reads (``analytics.topics.resolve_run``); with ``ensure=True`` (commands) it is brought
up to date first; pages read what the background job stored.
With ``public=True`` (the 投诉公示) an issue is shown only as the analyst's label or one that reads as
a phrase (``analytics.topics.labels.public_label``); any other label or title word counts as its
sector's issue (教育培训类问题), so no raw fragment is published.
"""

from __future__ import annotations

import logging

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.queries.businesses import UNKNOWN, _base, top_businesses
from analytics.store.stages import reads

log = logging.getLogger(__name__)
ALL = Filters()


# Words too generic to describe an issue (the segmenter's stopwords drop the function words).
GENERIC_WORDS = frozenset((
    "投诉", "举报", "反映", "咨询", "求助", "建议", "问题", "商家", "消费者", "本人", "要求", "处理",
    "情况", "关于", "希望", "请求", "相关", "有关", "公司", "门店", "店铺", "商户", "经营者", "市民",
    "我们", "他们", "没有", "一个", "进行", "已经", "现在", "清远", "清远市", "消费", "纠纷", "服务",
    "拒绝", "突然", "规范", "商品", "产品", "购买", "发现", "导致", "存在", "至今", "联系", "质量", "无法",
))  # fmt: skip


@reads("complaints", "topics", "matters")
def concentrated_issues(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    businesses: tuple[str, ...] = (),
    top_k: int = 3,
    limit: int = 20,
    ensure: bool = False,
    public: bool = False,
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
    rows = con.execute(
        f"WITH base AS ({base}) SELECT id, business, sector, title FROM base"
        " WHERE list_contains($businesses, business)",
        {**params, "businesses": list(businesses)},
    ).df()
    return _rank_issues(con, rows, "business", top_k, topic_run(con, ensure), with_sector=True, public=public)


def sector_issues(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    top_k: int = 3,
    sample: int = 1500,
    ensure: bool = False,
    public: bool = False,
) -> pd.DataFrame:
    """What each sector's complaints are about (all complaints, named business or not): topic
    labels or frequent title words, from at most the ``sample`` latest complaints per sector.
    Columns: sector, kind, issue, complaints, share, rank."""
    where, params = filters.where("c")
    rows = con.execute(
        f"""
        SELECT c.id, coalesce(nullif(c.sector, ''), '{UNKNOWN}') AS sector, c.title
        FROM complaints c WHERE {where}
        QUALIFY row_number() OVER (PARTITION BY sector ORDER BY c.received_at DESC, c.id DESC) <= $sample
        """,
        {**params, "sample": int(sample)},
    ).df()
    return _rank_issues(con, rows, "sector", top_k, topic_run(con, ensure), with_sector=False, public=public)


def _rank_issues(
    con: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    key: str,
    top_k: int,
    run_id: str | None,
    *,
    with_sector: bool,
    public: bool = False,
) -> pd.DataFrame:
    """Top issues per ``key`` from complaint rows (id, key, title[, sector]); see concentrated_issues."""
    columns = [key, "kind", "issue", "complaints", "share", "rank"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    totals = rows.groupby(key).size()
    rows = rows.merge(topic_labels(con, tuple(int(i) for i in rows["id"]), run_id), on="id", how="left")
    # A topic named after the business itself (启航教育 for 启航教育（清城店）) says nothing about the issue.
    named = [_names_itself(label, str(k)) for label, k in zip(rows["label"], rows[key], strict=True)]
    rows.loc[named, "label"] = pd.NA
    has_topic = rows.groupby(key)["label"].transform(lambda s: s.notna().any()).astype(bool)
    parts = [rows[rows["label"].notna()].assign(kind="topic", issue=lambda d: d["label"])]
    if with_sector:
        parts.append(rows.assign(kind="sector", issue=rows["sector"]))
    words = _title_words(rows[~has_topic], key)
    if public:
        _public_issues(parts[0], words, rows, key)
    parts.append(words)
    long = pd.concat([p[[key, "kind", "issue", "id"]] for p in parts], ignore_index=True).drop_duplicates()
    if long.empty:
        return pd.DataFrame(columns=columns)
    out = long.groupby([key, "kind", "issue"], as_index=False).agg(complaints=("id", "count"))
    out["complaints"] = out["complaints"].astype("int64")
    out["share"] = out["complaints"] / out[key].map(totals).astype("float64")
    out = out.sort_values([key, "kind", "complaints", "issue"], ascending=[True, True, False, True])
    out["rank"] = out.groupby([key, "kind"]).cumcount() + 1
    return out.loc[out["rank"] <= top_k, columns].reset_index(drop=True)


def _public_issues(topics: pd.DataFrame, words: pd.DataFrame, rows: pd.DataFrame, key: str) -> None:
    """In place: topic labels and title words that are no phrase become their sector's issue."""
    from analytics.topics.labels import public_label

    sector_of = rows.set_index("id")["sector"] if "sector" in rows else None
    shown: dict[tuple[str, bool, str], str] = {}  # the segmenter runs once per distinct label

    def label(text: str, curated: bool, complaint: int, group: object) -> str:
        sector = str(sector_of.get(complaint) if sector_of is not None else group)
        if (text, curated, sector) not in shown:
            shown[(text, curated, sector)] = public_label(text, curated=curated, sector=sector)
        return shown[(text, curated, sector)]

    columns = (topics["issue"], topics["curated"], topics["id"], topics[key])
    topics["issue"] = [label(t, bool(c), i, g) for t, c, i, g in zip(*columns, strict=True)]
    words["issue"] = [label(w, False, i, g) for w, i, g in zip(words["issue"], words["id"], words[key], strict=True)]


def _names_itself(label: object, name: str) -> bool:
    if not isinstance(label, str):
        return False
    parts = [p for p in label.replace("，", "、").split("、") if p]
    return bool(parts) and any(p in name for p in parts)


def _title_words(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per (complaint, distinct meaningful title word), with kind 'word'."""
    if rows.empty:
        return pd.DataFrame(columns=[key, "kind", "issue", "id"])
    from analytics.text.parallel import segmenter  # loads the dictionary: only when needed

    seg = segmenter()
    records = []
    for row in rows.itertuples(index=False):
        # A business's own name or its sector's name is no issue; digits could be personal data.
        known = (str(getattr(row, key)), str(getattr(row, "sector", "") or ""))
        for word in set(seg.tokens(str(row.title or ""))):
            if word in GENERIC_WORDS or any(word in k for k in known) or any(ch.isdigit() for ch in word):
                continue
            records.append((getattr(row, key), "word", word, row.id))
    return pd.DataFrame.from_records(records, columns=[key, "kind", "issue", "id"])


def topic_run(con: duckdb.DuckDBPyConnection, ensure: bool = False) -> str | None:
    """The topic run to label complaints with (``analytics.topics.resolve_run``: the one run every
    period filters), brought up to date first when ``ensure``; None when there is none."""
    from analytics.topics.runs import resolve_run

    if ensure:
        try:
            return resolve_run(con, compute=True)
        except Exception as exc:
            log.warning("topics unavailable, using the stored run or title words: %s", exc)
    return resolve_run(con)


def topic_labels(con: duckdb.DuckDBPyConnection, ids: tuple[int, ...], run_id: str | None) -> pd.DataFrame:
    """Curated issue-topic label of each complaint id in the run (complaints outside it are absent),
    and whether the analyst wrote it (``curated``).

    The labels are the ``curated_labels`` view's (migration 0009, the one owner of renames and
    merges): a merged topic takes the label of the topic it is shown as, unless that topic is not in
    the run (a re-run lost it), when it keeps its own."""
    empty = pd.DataFrame(
        {"id": pd.Series(dtype="int64"), "label": pd.Series(dtype="string"), "curated": pd.Series(dtype="bool")}
    )
    if not ids or run_id is None:
        return empty
    out = con.execute(
        """
        SELECT a.id, coalesce(shown.label, own.label) AS label,
               coalesce(shown.label <> shown.auto_label, own.label <> own.auto_label) AS curated
        FROM topic_assignments a
        JOIN (SELECT unnest($ids::BIGINT[]) AS id) i ON i.id = a.id
        JOIN curated_labels own ON own.run_id = a.run_id AND own.topic_id = a.topic_id AND own.level = 'issue'
        LEFT JOIN curated_labels shown
            ON shown.run_id = a.run_id AND shown.topic_id = own.shown_as AND shown.level = 'issue'
        WHERE a.run_id = $run_id
        ORDER BY a.id
        """,
        {"ids": list(ids), "run_id": run_id},
    ).df()
    return out.astype({"id": "int64", "label": "string", "curated": "bool"}) if not out.empty else empty


def issue_summary(issues: pd.DataFrame, key: str) -> dict[str, str]:
    """``key`` value -> "label（n）、label（n）": its topic labels, else its title words (for tables)."""
    if issues.empty:
        return {}
    best = issues[issues["kind"].isin(["topic", "word"])]
    return {
        k: "、".join(f"{row.issue}（{row.complaints}）" for row in group.itertuples())
        for k, group in best.groupby(key, sort=False)
    }
