"""Matters (事项) linking speed: 1,000,000 complaints (--quick: 100,000), then a re-link after an import.

The database is generated in DuckDB: complaints over 2023–2024 with ~60 characters of text from a
phrase pool, 50,000 businesses (about 20 complaints each, so business blocks hold other customers'
similar texts), complainant hashes on 95% of rows with one person in ten calling twice. Then 1% more
complaints arrive (an import) and ``link`` runs again: it must compare only those. Baseline, in the
same process: one ``count(*) GROUP BY complainant_hash``. Target: the full link ≤ 60 s at 1,000,000.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from analytics.store import connect
from benchmarks.timing import timed

_PHRASES = [
    "本人在超市购买的牛奶已经过期", "商家拒绝退款并态度恶劣", "培训机构收费后跑路无法联系", "物业公司乱收停车费",
    "网购的衣服严重掉色要求退货", "快递包裹丢件无人处理", "装修公司拖延工期还要增项费用", "老人被诱导购买保健品",
    "孩子吃了以后腹泻呕吐", "健身房关门预付卡不退", "请相关部门尽快调查处理", "希望依法维护消费者合法权益",
]  # fmt: skip


def _insert(con, first: int, last: int) -> None:
    phrases = "[" + ", ".join(f"'{p}'" for p in _PHRASES) + "]"
    con.execute(
        f"""INSERT INTO complaints (id, complaint_id, source, received_at, kind, business, title, content,
               complainant_hash, dedupe_key, batch_id)
        SELECT i, 'B' || i, ['12345', '12315', '消委会'][1 + i % 3], r, '投诉', '商户' || ((i * 31) % 50000),
               {phrases}[1 + i % 12],
               {phrases}[1 + (i * 3) % 12] || '，' || {phrases}[1 + (i * 5) % 12]
                 || '，' || {phrases}[1 + (i * 7) % 12],
               CASE WHEN i % 20 <> 0 THEN md5(CAST(CASE WHEN i % 10 = 1 THEN i - 1 ELSE i END AS VARCHAR)) END,
               'k' || i, 'bench'
        FROM (SELECT i, TIMESTAMP '2023-01-01' + to_seconds(CAST(floor(random() * 730 * 86400) AS BIGINT)) AS r
              FROM range({first}, {last + 1}) t(i))"""
    )


def run(quick: bool = False) -> dict:
    from analytics.matters import link

    rows = 100_000 if quick else 1_000_000
    extra = rows // 100
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("SELECT setseed(0.14)").fetchall()
            build_s, _ = timed(_insert, con, 1, rows)
            baseline_s, _ = timed(
                lambda: con.execute("SELECT complainant_hash, count(*) FROM complaints GROUP BY ALL").fetchall()
            )
            link_s, first = timed(link, con)
            _insert(con, rows + 1, rows + extra)
            relink_s, second = timed(link, con)
        finally:
            con.close()
    return {
        "rows": rows,
        "build_s": round(build_s, 2),
        "baseline_group_by_s": round(baseline_s, 3),
        "link_s": round(link_s, 2),
        "link_ratio": round(link_s / baseline_s, 1),
        "pairs_compared": first.pairs_compared,
        "links_found": first.edges_added,
        "matters": first.matters,
        "relink_rows": extra,
        "relink_s": round(relink_s, 2),
        "relink_new": second.new_complaints,
        "relink_pairs_compared": second.pairs_compared,
        "target_s": 60,
        "within_target": bool(link_s <= 60),
    }
