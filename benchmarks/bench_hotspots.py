"""Hotspot ranking speed with topics already computed: 1,000,000 complaints (--quick: 100,000).

The database is generated in DuckDB (complaints over 2023–2024 with ~150 characters of text, 120
issue topics with skewed sizes, 4% of complaints in event clusters, likes on a third); the topic
assignments are written directly, because the benchmark measures the hotspot engine, not the topic
model. Baseline, in the same process: one plain ``count(*) GROUP BY topic`` over the same join.
Target: the yearly issue ranking and the event ranking each ≤ 10 s at 1,000,000 complaints.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from analytics.store import connect
from benchmarks.timing import timed

RUN = "bench"
N_TOPICS = 120
_PHRASES = [
    "本人在超市购买的牛奶已经过期", "商家拒绝退款并态度恶劣", "培训机构收费后跑路无法联系", "物业公司乱收停车费",
    "网购的衣服严重掉色要求退货", "快递包裹丢件无人处理", "装修公司拖延工期还要增项费用", "老人被诱导购买保健品",
    "孩子吃了以后腹泻呕吐", "多名业主集体投诉", "请相关部门尽快调查处理", "希望依法维护消费者合法权益",
]  # fmt: skip
_COUNTIES = ["清城区", "清新区", "英德市", "连州市", "佛冈县", "阳山县", "连南瑶族自治县", "连山壮族瑶族自治县"]
_SECTORS = ["食品", "商业零售", "教育培训", "物业", "装修", "快递", "健身", "汽车", "通信", "餐饮"]
_KINDS = ["投诉", "咨询", "举报", "建议", "求助"]


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def build(path: Path, rows: int) -> None:
    """Generate complaints, topics and assignments for run ``bench`` (seeded, deterministic)."""
    con = connect(path)
    try:
        con.execute("SELECT setseed(0.42)").fetchall()
        con.execute(
            f"""INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector,
                   business, title, content, resolved, amount, support, opposition, complainant, dedupe_key, batch_id)
            SELECT i, 'B' || i, '12345', r, CASE WHEN i % 20 = 0 THEN NULL ELSE r + to_days(CAST(i % 30 AS INT)) END,
                   {_sql_list(_KINDS)}[1 + i % 5], {_sql_list(_COUNTIES)}[1 + (i * 7) % 8],
                   {_sql_list(_SECTORS)}[1 + (i * 13) % 10], '商户' || ((i * 31) % 5000),
                   {_sql_list(_PHRASES)}[1 + i % 12],
                   {_sql_list(_PHRASES)}[1 + (i * 3) % 12] || '，' || {_sql_list(_PHRASES)}[1 + (i * 5) % 12] || '，'
                     || {_sql_list(_PHRASES)}[1 + (i * 11) % 12] || '，' || {_sql_list(_PHRASES)}[1 + (i * 17) % 12],
                   i % 3 <> 0, CASE WHEN i % 4 = 0 THEN 100 + i % 5000 END,
                   CASE WHEN i % 3 = 0 THEN CAST(i % 50 AS INT) END, CASE WHEN i % 3 = 0 THEN CAST(i % 7 AS INT) END,
                   '用户' || (i % 400000), 'k' || i, 'bench'
            FROM (SELECT i, TIMESTAMP '2023-01-01' + to_seconds(CAST(floor(random() * 730 * 86400) AS BIGINT)) AS r
                  FROM range(1, {rows + 1}) t(i))"""
        )
        # Skewed topic sizes: topic = floor(N * u^2), so low ids are big; 4% of rows in events of ~50.
        con.execute(
            f"""INSERT INTO topic_assignments
            SELECT '{RUN}', id, CAST(floor({N_TOPICS} * pow(hash(id) % 10000 / 10000.0, 2)) AS INT) AS topic_id,
                   CASE WHEN id % 25 = 0 THEN CAST(100000 + (id / 25) % ({rows} // 1250 + 1) AS INT) END
            FROM complaints"""
        )
        con.execute(
            f"""INSERT INTO topics
            SELECT '{RUN}', topic_id, 'issue', NULL, '话题' || topic_id, ['词' || topic_id], count(*),
                   list(id ORDER BY id)[1:5]
            FROM topic_assignments GROUP BY topic_id"""
        )
        con.execute(
            f"""INSERT INTO topics
            SELECT '{RUN}', event_id, 'event', mode(topic_id), '事件' || event_id, ['事件'], count(*),
                   list(id ORDER BY id)[1:3]
            FROM topic_assignments WHERE event_id IS NOT NULL GROUP BY event_id"""
        )
        con.execute(
            f"""INSERT INTO topic_runs VALUES ('{RUN}', now(), DATE '2023-01-01', DATE '2024-12-31', {N_TOPICS},
                {rows}, 'bench', 'bench', NULL)"""
        )
    finally:
        con.close()


def run(quick: bool = False) -> dict:
    from analytics.hotspots import rank_issues, rescore
    from analytics.hotspots.events import rank_events
    from analytics.hotspots.report import issues_payload

    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        build_s, _ = timed(build, path, rows)
        con = connect(path)
        try:
            baseline_s, _ = timed(
                lambda: con.execute(
                    "SELECT a.topic_id, count(*) FROM topic_assignments a JOIN complaints c ON c.id = a.id "
                    "WHERE a.run_id = ? AND c.received_at >= TIMESTAMP '2024-01-01' GROUP BY a.topic_id",
                    [RUN],
                ).fetchall()
            )
            issues_s, ranking = timed(rank_issues, con, year=2024, run_id=RUN)
            rescore_s, _ = timed(rescore, ranking, {"volume": 1.0, "growth": 3.0})
            json_s, payload = timed(issues_payload, con, ranking)
            events_s, events = timed(rank_events, con, year=2024, run_id=RUN)
        finally:
            con.close()
    return {
        "rows": rows,
        "build_s": round(build_s, 2),
        "baseline_group_by_s": round(baseline_s, 3),
        "issues_s": round(issues_s, 2),
        "issues_ratio": round(issues_s / baseline_s, 1),
        "rescore_s": round(rescore_s, 3),
        "issues_json_s": round(json_s, 2),
        "events_s": round(events_s, 2),
        "events_ratio": round(events_s / baseline_s, 1),
        "topics_ranked": len(ranking.ranking),
        "events_ranked": len(events),
        "hotspots_in_json": len(payload["hotspots"]),
        "target_s": 10,
        "within_target": bool(issues_s <= 10 and events_s <= 10),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
