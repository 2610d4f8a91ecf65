"""Near-duplicate issue topics (same lead sector, alike keywords) are ranked as one candidate."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from analytics.hotspots.merging import cosine, keyword_vector, near_duplicates
from analytics.store import connect

TOPICS = {
    # topic_id: (keywords, sector, size)
    1: (["开发商延期交房", "延期交房开发商", "业主", "逾期", "违约金"], "商品房", 30),
    2: (["赔偿违约金", "违约金延期交房", "延期交房赔偿", "开发商"], "商品房", 20),
    3: (["延期交房", "开发商", "交房", "业主"], "健身", 25),  # alike words, another sector
    4: (["培训机构", "退费难", "停课", "学费"], "商品房", 15),  # same sector, other words
}


def _store(path: Path) -> None:
    with connect(path) as con:
        con.execute("""INSERT INTO topic_runs VALUES ('r', now(), NULL, NULL, 4, 90, 'v', 'fp', NULL)""")
        cid = 0
        for tid, (keywords, sector, size) in TOPICS.items():
            con.execute("INSERT INTO topics VALUES ('r', ?, 'issue', NULL, ?, ?, ?, [])",
                        [tid, keywords[0], keywords, size])  # fmt: skip
            for _ in range(size):
                cid += 1
                con.execute(
                    """INSERT INTO complaints (id, complaint_id, source, received_at, kind, sector, title,
                           dedupe_key, batch_id) VALUES (?, ?, '12315', ?, '投诉', ?, ?, ?, 'b')""",
                    [cid, f"C{cid}", datetime(2024, 5, 1), sector, keywords[0], f"k{cid}"],
                )
                con.execute("INSERT INTO topic_assignments VALUES ('r', ?, ?, NULL)", [cid, tid])


def test_keyword_similarity_sees_shared_wording() -> None:
    same = cosine(keyword_vector(TOPICS[1][0]), keyword_vector(TOPICS[2][0]))
    other = cosine(keyword_vector(TOPICS[1][0]), keyword_vector(TOPICS[4][0]))
    assert same > 0.45 > other
    assert cosine(keyword_vector([]), keyword_vector(["延期交房"])) == 0.0


def test_fragments_of_one_sector_merge_into_the_biggest(empty_db: Path) -> None:
    _store(empty_db)
    with connect(empty_db) as con:
        assert near_duplicates(con, "r") == {2: 1}
        # The analyst's curation comes first: a renamed topic is not merged away.
        con.execute("INSERT INTO topic_curation VALUES (2, '违约金', NULL, false, now())")
        con.execute("UPDATE topics SET size = 99 WHERE topic_id = 2")
        assert near_duplicates(con, "r") == {1: 2}
