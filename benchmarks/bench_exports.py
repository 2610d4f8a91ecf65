"""Export speed on a demo database: the first export of a year (computes topics and hotspots) and
then each file (pptx, docx, xlsx, csv) reusing them, for 20,000 complaints (--quick: 5,000).

Baseline, in the same process: reading the year's complaints into pandas (``SELECT *``), the least
any export of the year has to do. Ratios are build time / baseline; ``reuse_speedup`` is the first
export's time over the reusing export of the same file (reuse must make it much faster).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from analytics.demo import build_demo
from analytics.exporting.build import FORMATS, build_export
from analytics.periods import parse_period
from analytics.store import connect

PERIOD = "2024"


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run(quick: bool = False) -> dict:
    rows = 5_000 if quick else 20_000
    period = parse_period(PERIOD)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        build_demo(path, rows=rows, seed=7)
        with connect(path) as con:
            where, params = period.filters().where()
            baseline = min(
                _timed(lambda: con.execute(f"SELECT * FROM complaints WHERE {where}", params).df())[0] for _ in range(3)
            )
            first, _ = _timed(lambda: build_export(con, period, "xlsx"))
            result: dict = {"rows": rows, "period": PERIOD, "baseline_read_s": round(baseline, 4)}
            result["first_xlsx_s"] = round(first, 2)
            for fmt in FORMATS:
                seconds, content = _timed(lambda fmt=fmt: build_export(con, period, fmt))
                result[fmt] = {
                    "seconds": round(seconds, 3),
                    "ratio_to_baseline": round(seconds / baseline, 1),
                    "kilobytes": round(len(content) / 1024, 1),
                }
            result["reuse_speedup"] = round(first / result["xlsx"]["seconds"], 1)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), ensure_ascii=False, indent=2))
