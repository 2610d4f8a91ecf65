"""The demo's planted matters (cross-channel duplicates and repeat callers, demo_truth kind
'duplicate') are found by the matters stage that the demo build runs."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from analytics.demo import build_demo
from analytics.store import connect


def _scores(db: Path) -> tuple[float, float, int]:
    """Pairwise precision and recall of the demo's matters against its planted ones; planted matters."""
    with connect(db, read_only=True) as con:
        rows = con.execute(
            """
            SELECT c.complaint_id, l.matter_id, t.theme
            FROM complaints c JOIN matter_links l USING (id)
            LEFT JOIN (SELECT complaint_id, theme FROM demo_truth WHERE kind = 'duplicate') t USING (complaint_id)
            """
        ).fetchall()
    found: dict[int, list[str]] = {}
    planted: dict[str, list[str]] = {}
    for cid, matter, theme in rows:
        found.setdefault(matter, []).append(cid)
        if theme is not None:
            planted.setdefault(theme, []).append(cid)
    predicted = {frozenset(p) for g in found.values() for p in combinations(g, 2)}
    actual = {frozenset(p) for g in planted.values() for p in combinations(g, 2)}
    hit = len(predicted & actual)
    return hit / len(predicted), hit / len(actual), len(planted)


def test_demo_plants_matters_and_info_counts_them(demo_db: Path, run_cli) -> None:
    with connect(demo_db, read_only=True) as con:
        themes = con.execute(
            "SELECT theme, count(*), count(DISTINCT c.source) FROM demo_truth t JOIN complaints c USING (complaint_id)"
            " WHERE t.kind = 'duplicate' GROUP BY theme"
        ).fetchall()
        linked = con.execute("SELECT count(DISTINCT matter_id) FROM matter_links").fetchall()[0][0]
    assert len(themes) >= 100 and all(t.startswith("事项:") and n >= 2 for t, n, _ in themes)
    assert any(s > 1 for _, _, s in themes) and any(s == 1 for _, _, s in themes)  # cross-channel and repeat calls
    precision, recall, _ = _scores(demo_db)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    code, info, _ = run_cli("info", "--db", demo_db, "--json")
    assert code == 0 and info["matters"] == linked < info["complaints"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matters_are_found_for_other_seeds(seed: int, tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    build_demo(db, rows=20_000, seed=seed)
    precision, recall, planted = _scores(db)
    assert planted >= 100
    assert precision >= 0.9 and recall >= 0.9, (seed, precision, recall)


@pytest.mark.parametrize("level", ["issue", "event"])
def test_hotspots_json_carries_matters_beside_size(demo_db_copy: Path, run_cli, level: str) -> None:
    code, payload, err = run_cli("hotspots", "--db", demo_db_copy, "--year", "2024", "--level", level, "--json")
    assert code == 0, err
    with connect(demo_db_copy, read_only=True) as con:
        for h in payload["hotspots"]:
            expected = con.execute(
                "SELECT count(DISTINCT l.matter_id) FROM complaints c JOIN matter_links l USING (id)"
                " WHERE c.complaint_id IN (SELECT unnest(?::VARCHAR[]))",
                [h["complaint_ids"]],
            ).fetchall()[0][0]
            assert h["matters"] == expected <= h["size"], h["label"]
