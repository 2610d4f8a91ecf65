"""Re-linking after an import touches only the new rows: only pairs with a new complaint are
compared, only their texts are read, and the older complaints keep their matters."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.matters import link, linking
from analytics.store import connect

BUSINESSES = ["力健健身", "好又多超市", "启航教育", "美居装饰", "快乐行旅行社"]


def _add(con, first: int, last: int, day: int = 0) -> None:
    for i in range(first, last + 1):
        con.execute(
            "INSERT INTO complaints (id, complaint_id, source, received_at, kind, business, title, content,"
            " complainant_hash, dedupe_key, batch_id) VALUES (?, ?, '12345',"
            " TIMESTAMP '2024-01-01 09:00' + INTERVAL (?) DAY, '投诉', ?, ?, ?, ?, ?, 'b')",
            [i, f"C{i:04d}", day + i // 3, BUSINESSES[i % 5], f"投诉{i % 7}号问题", f"第{i}位消费者反映的情况",
             None if i % 4 == 0 else f"h{i % 60}", f"k{i}"],
        )  # fmt: skip


def test_a_relink_compares_and_reads_only_the_new_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = []
    original = linking._texts

    def spy(con, ids):
        read.extend(int(i) for i in ids)
        return original(con, ids)

    with connect(tmp_path / "r.duckdb") as con:
        _add(con, 1, 300)
        first = link(con)
        before = dict(con.execute("SELECT id, matter_id FROM matter_links").fetchall())
        edges_before = set(con.execute("SELECT a, b FROM matter_edges").fetchall())
        monkeypatch.setattr(linking, "_texts", spy)
        _add(con, 301, 305)  # an import of 5: same complainants and businesses as older rows, one without a phone
        again = link(con)
        after = dict(con.execute("SELECT id, matter_id FROM matter_links").fetchall())
        edges_after = set(con.execute("SELECT a, b FROM matter_edges").fetchall())
    assert first.new_complaints == 300 and again.new_complaints == 5
    assert 0 < again.pairs_compared < first.pairs_compared
    new = set(range(301, 306))
    added = edges_after - edges_before
    assert added and all(a in new or b in new for a, b in added)  # every new link has a new complaint
    assert edges_before <= edges_after
    # An older complaint changes matter only when a new one joins its matter to another.
    joined = {after[n] for n in new}
    changed = {i for i, m in before.items() if after[i] != m}
    assert all(after[i] in joined for i in changed) and len(changed) < 20
    assert set(after) == set(before) | new
    # Texts read: the new complaints and the older ones they were compared with, not the table.
    assert new & set(read) and len(set(read)) < 60
