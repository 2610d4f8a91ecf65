"""Query times of the 分布 and 经营者 pages, against a bare DuckDB aggregate over the same rows.

The baseline is the bare DuckDB aggregate the pages build on: ``SELECT sector, county, count(*)
... GROUP BY ALL`` with the same filter on the same database, fetched as a DataFrame; a ratio shows
what the engine adds (joins with the profile, rates, ranking, text). Each query is timed warm
(after one run, best of three) on the last year of data.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from analytics import disclosure
from analytics.demo import build_demo
from analytics.filters import Filters
from analytics.queries import business_issues, businesses, distribution
from analytics.store import connect


def _best(fn: Callable[[], Any], repeat: int = 3) -> float:
    fn()  # warm: the page's first run pays for loading, later runs are what analysts wait for
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _measure(path: Path, rows: int) -> dict[str, Any]:
    build_demo(path, rows=rows, seed=7)
    con = connect(path, read_only=True)
    try:
        last = con.execute("SELECT max(received_at)::DATE FROM complaints").fetchone()[0]
        f = Filters(date_from=date(last.year, 1, 1), date_to=date(last.year, 12, 31))
        where, params = f.where()
        baseline = _best(
            lambda: con.execute(
                f"SELECT sector, county, count(*) FROM complaints WHERE {where} GROUP BY ALL", params
            ).df()
        )
        queries: dict[str, Callable[[], Any]] = {
            "sector_county_counts": lambda: distribution.sector_county_counts(con, f),
            "county_rates": lambda: distribution.county_rates(con, f),
            "top_businesses_by_county": lambda: businesses.top_businesses(con, f, "county", 15),
            "repeat_offenders": lambda: businesses.repeat_offenders(con, f),
            "concentrated_issues_top15": lambda: business_issues.concentrated_issues(con, f, limit=15),
            "disclosure_by_business": lambda: disclosure.disclosure_by_business(con, f),
            "disclosure_by_sector": lambda: disclosure.disclosure_by_sector(con, f),
        }
        out: dict[str, Any] = {"rows": rows, "baseline_group_by_seconds": round(baseline, 4)}
        for name, fn in queries.items():
            seconds = _best(fn, repeat=1 if name.startswith("disclosure_by_sector") else 3)
            out[f"{name}_seconds"] = round(seconds, 4)
            out[f"{name}_ratio"] = round(seconds / baseline, 1) if baseline > 0 else None
        return out
    finally:
        con.close()


def run(quick: bool = False) -> dict[str, Any]:
    """At 60,000 rows (and 1,000,000 unless ``quick``)."""
    sizes = [60_000] if quick else [60_000, 1_000_000]
    with tempfile.TemporaryDirectory(prefix="bench_distribution_") as tmp:
        results = [_measure(Path(tmp) / f"d{rows}.duckdb", rows) for rows in sizes]
    return {"name": "distribution", "results": results}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick=True), ensure_ascii=False, indent=2))
