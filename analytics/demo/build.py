"""``build_demo``: write a fresh, seeded demo database (complaints, its batch, the planted truth)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np

from analytics.demo.duplicates import plant_duplicates
from analytics.demo.generator import draw_groups
from analytics.demo.planted import ALL_COUNTIES
from analytics.demo.rows import finish, now_naive
from analytics.errors import UserError
from analytics.profile import RegionProfile, load_profile
from analytics.settings import DATA_DIR
from analytics.store import connect, stages

BATCH_ID = "demo"
COLUMNS = (
    "id, complaint_id, source, received_at, closed_at, kind, county, town, sector, sector_inferred, business, "
    "title, content, result, resolved, department, amount, support, opposition, complainant, extras, "
    "dedupe_key, batch_id, complainant_hash"
)


def _qingyuan_profile() -> RegionProfile:
    """The configured profile when it is 清远市's (populations may have been updated there), else the
    bundled one: the planted bursts name 清远市 counties."""
    profile = load_profile()
    if set(ALL_COUNTIES) <= set(profile.county_names):
        return profile
    return load_profile(DATA_DIR / "region" / "qingyuan.toml")


def build_demo(
    db_path: Path | str, rows: int = 60_000, seed: int = 20250101, *, topics: bool = False
) -> dict[str, Any]:
    """Replace ``db_path`` with a demo database of ``rows`` complaints drawn from ``seed``.

    The same (rows, seed) always gives the same complaints, cell by cell. ``topics`` also computes
    the topic run (topics and events) the pages read, as the background job does after an import.
    """
    if rows < 2_000:
        raise UserError(f"--rows must be at least 2,000 (got {rows})", zh=f"演示数据至少 2,000 条（当前 {rows}）")
    started = time.perf_counter()
    profile = _qingyuan_profile()
    rng = np.random.default_rng(seed)
    groups, incidents = draw_groups(rng, profile, rows)
    frame, truth = finish(rng, profile, groups)
    frame, truth = plant_duplicates(frame, truth, profile, seed)
    generated = time.perf_counter()

    path = Path(db_path)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = connect(path)
    try:
        con.execute("SET enable_progress_bar = false")  # the CLI prints one summary line, nothing else
        con.register("demo_frame", frame)
        con.register("demo_truth_frame", truth)
        con.execute("BEGIN")
        con.execute(
            f"INSERT INTO complaints ({COLUMNS}) SELECT {COLUMNS.replace('extras', 'CAST(extras AS JSON)')} "
            "FROM demo_frame ORDER BY received_at, id"
        )
        con.execute("INSERT INTO demo_truth SELECT complaint_id, theme, year, kind FROM demo_truth_frame")
        digest = hashlib.sha256(f"demo rows={rows} seed={seed}".encode()).hexdigest()
        con.execute(
            "INSERT INTO batches (batch_id, file_name, sha256, sheet, source, imported_at, rows_read, imported, "
            "duplicates, quarantined, mapping) VALUES ($batch_id, $file_name, $sha256, NULL, 'demo', $imported_at,"
            " $rows, $rows, 0, 0, NULL)",
            {
                "batch_id": BATCH_ID,
                "file_name": f"demo(rows={rows}, seed={seed})",
                "sha256": digest,
                "imported_at": now_naive(),
                "rows": len(frame),
            },
        )
        stages.bump(con, "complaints")
        con.execute("COMMIT")
        con.unregister("demo_frame")
        con.unregister("demo_truth_frame")
        # The matters stage (事项) runs once here, so the demo's pages and `info` count matters.
        from analytics.matters import link

        link(con)
        if topics:
            from analytics.topics.runs import resolve_run

            resolve_run(con, compute=True)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    finished = time.perf_counter()
    planted = truth.groupby(["theme", "kind"]).size()
    return {
        "db": str(path),
        "rows": len(frame),
        "seed": seed,
        "from": str(frame["received_at"].min()),
        "to": str(frame["received_at"].max()),
        "open": int(frame["closed_at"].isna().sum()),
        "planted_rows": len(truth),
        "planted": {f"{theme} ({kind})": int(n) for (theme, kind), n in planted.items()},
        "incidents": [p.describe() for p in incidents],
        "generate_seconds": round(generated - started, 3),
        "seconds": round(finished - started, 3),
    }
