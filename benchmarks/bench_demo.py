"""How long the demo generator takes, against writing the same number of trivial rows to DuckDB.

The baseline is the floor for any generator that goes through a DataFrame into DuckDB: a frame of
the same length with an id, a timestamp and one short string, inserted into a fresh database.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.demo import build_demo


def _baseline(path: Path, rows: int) -> float:
    started = time.perf_counter()
    frame = pd.DataFrame(
        {
            "id": np.arange(rows, dtype=np.int64),
            "received_at": pd.date_range("2021-01-01", periods=rows, freq="min"),
            "content": [f"row {i}" for i in range(rows)],
        }
    )
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (id BIGINT, received_at TIMESTAMP, content VARCHAR)")
    con.register("f", frame)
    con.execute("INSERT INTO t SELECT * FROM f ORDER BY received_at")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def _measure(tmp: Path, rows: int) -> dict[str, Any]:
    baseline = _baseline(tmp / f"baseline_{rows}.duckdb", rows)
    started = time.perf_counter()
    summary = build_demo(tmp / f"demo_{rows}.duckdb", rows=rows)
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "build_seconds": round(seconds, 3),
        "generate_seconds": summary["generate_seconds"],
        "baseline_seconds": round(baseline, 3),
        "ratio": round(seconds / baseline, 2) if baseline > 0 else None,
        "rows_per_second": round(rows / seconds),
        "db_megabytes": round((tmp / f"demo_{rows}.duckdb").stat().st_size / 2**20, 1),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Build time at 60,000 rows (and 1,000,000 unless ``quick``), each with its own baseline."""
    sizes = [60_000] if quick else [60_000, 1_000_000]
    with tempfile.TemporaryDirectory(prefix="bench_demo_") as tmp:
        results = [_measure(Path(tmp), rows) for rows in sizes]
    out: dict[str, Any] = {"name": "demo", "limit_seconds_60k": 30.0}
    for r in results:
        key = f"{r['rows'] // 1000}k"
        out.update({f"{k}_{key}": v for k, v in r.items() if k != "rows"})
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=False), indent=2))
