"""A small hand-built database with topics and assignments inserted directly (no topic model).

Topics over 2023–2024 (run "r1"):
1 预付卡跑路  2023: 10, 2024: 60 — strong growth, concentrated in 2 gyms, many elderly, group words.
2 快递丢件    2023: 30, 2024: 30 — steady, spread over many businesses and counties.
3 物业收费    2023: 40, 2024: 25 — declining.
4 小众问题    2024: 5.
Events inside topic 1: event 11 (15 complaints within one week, many likes), event 12 (6 spread
over months, few likes).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from analytics.store import connect

COUNTIES = ["清城区", "清新区", "英德市", "连州市", "佛冈县", "阳山县", "连南瑶族自治县", "连山壮族瑶族自治县"]


def _rows() -> list[dict]:
    rows: list[dict] = []

    def add(topic, event, when, county, business, sector, title, content, **kw):
        rows.append(
            {
                "topic": topic,
                "event": event,
                "received_at": when,
                "county": county,
                "business": business,
                "sector": sector,
                "title": title,
                "content": content,
                **kw,
            }
        )

    # Topic 1: prepaid cards, 2023 small, 2024 big; event 11 a one-week burst with likes.
    for i in range(10):
        add(1, None, datetime(2023, 3 + i % 9, 5, 10), "清城区", "力健健身", "健身", "健身卡退费", "预付卡余额不退")
    for i in range(15):
        add(
            1,
            11,
            datetime(2024, 5, 6) + timedelta(hours=9 * i),
            "清城区",
            "力健健身",
            "健身",
            "力健健身闭店跑路",
            "力健健身突然闭店，多名会员预付卡余额无法退还，老人办的卡也不退",
            support=40 + i,
            opposition=2,
            amount=3000.0,
        )
    for i in range(6):
        add(
            1,
            12,
            datetime(2024, 2 + i, 10),
            "英德市",
            "美力瑜伽",
            "健身",
            "美力瑜伽退卡难",
            "瑜伽储值卡退费难",
            support=1,
            opposition=0,
            amount=1500.0,
        )
    for i in range(39):
        add(
            1,
            None,
            datetime(2024, 1 + i % 12, 3 + i % 20),
            COUNTIES[i % 3],
            "力健健身" if i % 2 else "美力瑜伽",
            "健身",
            "预付卡跑路",
            "老年人办的预付卡商家跑路，集体维权",
            amount=2000.0,
        )
    # Topic 2: parcels, steady, many businesses.
    for year in (2023, 2024):
        for i in range(30):
            add(
                2,
                None,
                datetime(year, 1 + i % 12, 8),
                COUNTIES[i % 8],
                f"快递网点{i}",
                "快递",
                "快递丢件",
                "快递丢失无人处理",
            )
    # Topic 3: property fees, declining.
    for i in range(40):
        add(
            3,
            None,
            datetime(2023, 1 + i % 12, 12),
            COUNTIES[i % 4],
            f"物业公司{i % 5}",
            "物业",
            "物业乱收费",
            "物业费上涨",
        )
    for i in range(25):
        add(
            3,
            None,
            datetime(2024, 1 + i % 12, 12),
            COUNTIES[i % 4],
            f"物业公司{i % 5}",
            "物业",
            "物业乱收费",
            "物业费上涨",
        )
    # Topic 4: tiny.
    for i in range(5):
        add(4, None, datetime(2024, 6, 1 + i), "连州市", None, "其他", "其他问题", "一般咨询")
    return rows


TOPICS = [
    (1, "issue", None, "预付卡跑路", ["预付卡", "跑路", "退费"]),
    (2, "issue", None, "快递丢件", ["快递", "丢件"]),
    (3, "issue", None, "物业收费", ["物业", "收费"]),
    (4, "issue", None, "小众问题", ["咨询"]),
    (11, "event", 1, "力健健身闭店跑路", ["力健健身", "闭店"]),
    (12, "event", 1, "美力瑜伽退卡难", ["美力瑜伽", "退卡"]),
]


def build_fixture_db(path: Path, run_id: str = "r1") -> Path:
    rows = _rows()
    con = connect(path)
    try:
        for i, r in enumerate(rows, start=1):
            kind = "投诉" if i % 4 else "咨询"
            # Closed 1 day after receipt (on time) except every 5th, closed 40 days later (overdue).
            closed = r["received_at"] + timedelta(days=40 if i % 5 == 0 else 1)
            con.execute(
                """INSERT INTO complaints (id, complaint_id, source, received_at, closed_at, kind, county, sector,
                       business, title, content, resolved, amount, support, opposition, complainant, dedupe_key,
                       batch_id)
                   VALUES (?, ?, '12345', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'b1')""",
                [i, f"C{i:05d}", r["received_at"], closed, kind, r["county"], r["sector"], r["business"], r["title"],
                 r["content"], i % 3 != 0, r.get("amount"), r.get("support"), r.get("opposition"),
                 f"用户{i % 50 if r['topic'] == 3 else i}", f"k{i}"],
            )  # fmt: skip
            con.execute("INSERT INTO topic_assignments VALUES (?, ?, ?, ?)", [run_id, i, r["topic"], r["event"]])
        for tid, level, parent, label, keywords in TOPICS:
            members = [
                i for i, r in enumerate(rows, start=1) if (r["topic"] if level == "issue" else r["event"]) == tid
            ]
            con.execute(
                "INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, tid, level, parent, label, keywords, len(members), members[:3]],
            )
        con.execute(
            """INSERT INTO topic_runs VALUES (?, now(), DATE '2023-01-01', DATE '2024-12-31', 4, ?, 'test', 'fp',
               NULL)""",
            [run_id, len(rows)],
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def hotspot_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("hotspots") / "hotspots.duckdb")


@pytest.fixture
def hotspot_db(hotspot_template: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture database (tests may change it)."""
    target = tmp_path / "hotspots.duckdb"
    shutil.copy(hotspot_template, target)
    return target
