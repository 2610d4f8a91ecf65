"""Raw per-topic measurements for the hotspot score, aggregated in DuckDB.

Everything here is a count or a share that an analyst can check by filtering the complaints: no
weights, no normalisation (that is :mod:`analytics.hotspots.scoring`). A topic is an issue-level
topic of one topic run; complaints an analyst merged into another topic (topic_curation) count for
the topic they were merged into.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from analytics.hotspots.merging import merge_join
from analytics.hotspots.overdue import CALENDAR_TABLE, calendar_frame, due_day_ctes, due_days_case
from analytics.periods import Period, window_period, year_period

# Words that mark a complaint as severe (matched in title + content). Kept here, visible, so an
# analyst can read exactly what counts.
VULNERABLE_PATTERN = "老年人|老人|长者|学生|儿童|小孩|幼儿|婴儿|未成年|孕妇"
HARM_PATTERN = (
    "中毒|腹泻|呕吐|过敏|受伤|烫伤|烧伤|骨折|住院|死亡|身亡|爆炸|起火|火灾|触电|安全隐患|危害健康|伤害|致癌|感染"
)
GROUP_PATTERN = "集体|多名|群体|多位|多人|众多|联名|多户|大批"


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value  # type: ignore[return-value]


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    first, last = con.execute("SELECT min(received_at), max(received_at) FROM complaints").fetchall()[0]
    if first is None:
        return None
    return _as_date(first), _as_date(last)


def resolve_period(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Period | None:
    """The period to score: a calendar year, an explicit range, or (neither) all the data.

    Open ends are filled from the data. None when the database has no complaints.
    """
    bounds = data_range(con)
    if bounds is None:
        return None
    if year is not None:
        return year_period(year)
    return window_period(date_from or bounds[0], date_to or bounds[1])


def window(d_from: date, d_to: date) -> dict[str, datetime]:
    """The named params ``$window_from`` and ``$window_to``: the inclusive dates as [from, to + 1 day)."""
    return {
        "window_from": datetime.combine(d_from, datetime.min.time()),
        "window_to": datetime.combine(d_to + timedelta(days=1), datetime.min.time()),
    }


def members_cte(alias: str = "m", merges: dict[int, int] | None = None) -> str:
    """``m``: members of the run's issue topics in the window with merges applied. Named params:
    ``$run_id`` and the window's (:func:`window`).

    The analyst's merges (topic_curation) first, then ``merges`` (near-duplicate topics,
    :func:`analytics.hotspots.merging.near_duplicates`), when given."""
    join, topic = merge_join(merges, "a.topic_id")
    return f"""{alias} AS (
        SELECT {topic} AS topic_id, a.event_id, c.*
        FROM curated_assignments a
        JOIN complaints c ON c.id = a.id
        {join}
        WHERE a.run_id = $run_id AND c.received_at >= $window_from AND c.received_at < $window_to
    )"""


def topic_features(
    con: duckdb.DuckDBPyConnection, run_id: str, period: Period, merges: dict[int, int] | None = None
) -> pd.DataFrame:
    """One row per issue topic with members in the period: counts and shares behind every component."""
    as_of = con.execute("SELECT max(received_at) FROM complaints").fetchall()[0][0]
    if as_of is None:
        return pd.DataFrame()
    con.register(CALENDAR_TABLE, calendar_frame(period.start, max(period.end, _as_date(as_of))))
    try:
        frame = con.execute(
            f"""
            WITH {members_cte(merges=merges)},
            {due_day_ctes()},
            flagged AS (
                SELECT m.*,
                    regexp_matches(coalesce(m.title, '') || coalesce(m.content, ''), $vulnerable) AS is_vulnerable,
                    regexp_matches(coalesce(m.title, '') || coalesce(m.content, ''), $harm) AS is_harm,
                    regexp_matches(coalesce(m.title, '') || coalesce(m.content, ''), $group_words) AS is_group,
                    _due.due_day,
                    coalesce(ml.matter_id, m.id) AS matter
                FROM m
                LEFT JOIN matter_links ml ON ml.id = m.id
                LEFT JOIN {CALENDAR_TABLE} cr ON cr.d = CAST(m.received_at AS DATE)
                LEFT JOIN _due ON _due.widx = cr.widx + {due_days_case("m.kind")}
            ),
            per_topic AS (
                SELECT topic_id,
                    count(*) AS n,
                    count(DISTINCT matter) AS n_matters,
                    min(received_at) AS first_seen,
                    max(received_at) AS last_seen,
                    count(DISTINCT date_trunc('month', received_at)) AS active_months,
                    count(DISTINCT county) AS n_counties,
                    count(DISTINCT business) AS n_businesses,
                    count(business) AS with_business,
                    avg(amount) FILTER (WHERE amount > 0) AS mean_amount,
                    avg(is_vulnerable::INT) AS vulnerable_share,
                    avg(is_harm::INT) AS harm_share,
                    avg(is_group::INT) AS group_share,
                    count(resolved) AS resolved_known,
                    avg((NOT resolved)::INT) AS unresolved_share,
                    avg(CASE WHEN due_day IS NULL THEN NULL
                             WHEN closed_at IS NOT NULL THEN (closed_at >= due_day + 1)::INT
                             ELSE (CAST($as_of AS TIMESTAMP) >= due_day + 1)::INT END) AS overdue_share,
                    count(complainant) AS complainant_known,
                    count(complainant) - count(DISTINCT complainant) AS repeats,
                    count(support) + count(opposition) AS support_known,
                    sum(coalesce(support, 0) + coalesce(opposition, 0)) AS support_total
                FROM flagged GROUP BY topic_id
            ),
            -- 其他 (the taxonomy's catch-all) is no sector to focus on
            top_sector AS (
                SELECT topic_id, max(k) AS top_sector FROM (
                    SELECT topic_id, sector, count(*) AS k FROM m
                    WHERE sector IS NOT NULL AND sector <> '其他' GROUP BY topic_id, sector
                ) GROUP BY topic_id
            ),
            top_business AS (
                SELECT topic_id, sum(k) AS top3_business FROM (
                    SELECT topic_id, business, count(*) AS k,
                        row_number() OVER (PARTITION BY topic_id ORDER BY count(*) DESC, business) AS r
                    FROM m WHERE business IS NOT NULL GROUP BY topic_id, business
                ) WHERE r <= 3 GROUP BY topic_id
            )
            SELECT p.*, coalesce(b.top3_business, 0) AS top3_business, coalesce(s.top_sector, 0) AS top_sector
            FROM per_topic p LEFT JOIN top_business b USING (topic_id) LEFT JOIN top_sector s USING (topic_id)
            ORDER BY p.n DESC, p.topic_id
            """,
            {
                "run_id": run_id,
                **window(period.start, period.end),
                "vulnerable": VULNERABLE_PATTERN,
                "harm": HARM_PATTERN,
                "group_words": GROUP_PATTERN,
                "as_of": as_of,
            },
        ).df()
    finally:
        con.unregister(CALENDAR_TABLE)
    # Growth needs the comparison window covered by the data (see Period.baseline).
    bounds = data_range(con)
    base = period.baseline(*bounds) if bounds else None
    compared = base[1] if base else period.last_year
    prev = con.execute(
        f"""WITH {members_cte(merges=merges)}
        SELECT topic_id, count(*) AS n_prev, count(DISTINCT coalesce(l.matter_id, m.id)) AS n_prev_matters
        FROM m LEFT JOIN matter_links l ON l.id = m.id GROUP BY topic_id""",
        {"run_id": run_id, **window(compared.start, compared.end)},
    ).df()
    prev_available = base is not None
    frame = frame.merge(prev, on="topic_id", how="left")
    frame["n_prev"] = frame["n_prev"].fillna(0).astype("int64")
    frame["n_prev_matters"] = frame["n_prev_matters"].fillna(0).astype("int64")
    frame["prev_available"] = prev_available
    frame["baseline"] = base[0] if base else None
    frame["months_in_period"] = period.months
    frame["repeat_share"] = (
        frame["repeats"] / frame["complainant_known"].where(frame["complainant_known"] > 0)
    ).astype("float64")
    frame["top_sector_share"] = (frame["top_sector"] / frame["n"]).astype("float64")
    frame["top3_business_share"] = (frame["top3_business"] / frame["n"]).astype("float64")
    return frame


def topic_breakdowns(
    con: duckdb.DuckDBPyConnection, run_id: str, period: Period, top: int = 10, merges: dict[int, int] | None = None
) -> pd.DataFrame:
    """Long table (topic_id, dimension, value, n, rank) of the top counties, sectors and businesses."""
    parts = " UNION ALL ".join(
        f"SELECT topic_id, '{dim}' AS dimension, CAST({col} AS VARCHAR) AS value, count(*) AS n "
        f"FROM m WHERE {col} IS NOT NULL GROUP BY topic_id, {col}"
        for dim, col in (("county", "county"), ("sector", "sector"), ("business", "business"))
    )
    return con.execute(
        f"""WITH {members_cte(merges=merges)}, counts AS ({parts})
        SELECT * FROM (
            SELECT *, row_number() OVER (PARTITION BY topic_id, dimension ORDER BY n DESC, value) AS rank
            FROM counts
        ) WHERE rank <= $top ORDER BY topic_id, dimension, rank""",
        {"run_id": run_id, **window(period.start, period.end), "top": top},
    ).df()


def topic_trend(
    con: duckdb.DuckDBPyConnection, run_id: str, period: Period, merges: dict[int, int] | None = None
) -> pd.DataFrame:
    """Monthly counts per topic over the previous-year window and the period (for the trend chart)."""
    return con.execute(
        f"""WITH {members_cte(merges=merges)}
        SELECT topic_id, CAST(date_trunc('month', received_at) AS DATE) AS month, count(*) AS n,
               received_at >= $period_from AS in_period
        FROM m GROUP BY ALL ORDER BY topic_id, month""",
        {
            "run_id": run_id,
            **window(period.last_year.start, period.end),
            "period_from": window(period.start, period.end)["window_from"],
        },
    ).df()
