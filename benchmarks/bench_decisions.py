"""Speed of the decision views over 1,000,000 demo complaints (--quick: 100,000): 时效 and 预警.

The database is the seeded demo (``analytics.demo.build_demo``) under ``benchmarks/.work/``, built
once and reused. Topic assignments for 预警's topic × county and new-topic detectors are written
directly (run ``bench``: topic = sector, events = the planted bursts' businesses), because this
measures the alert engine, not the topic model. Baseline, in the same process: one plain
``count(*) GROUP BY kind`` over all complaints. Target: each command's work ≤ 10 s at 1,000,000.

The hotspot helper's timing lives in ``bench_hotspots.py``; functions here stay separate
(``timeliness_timings``, ``alerts_timings``) so others can add theirs without touching these.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from analytics import alerts, timeliness
from analytics.filters import Filters
from analytics.store import connect

WORK = Path(__file__).resolve().parent / ".work"
RUN = "bench"
SEED = 20250101
TARGET_SECONDS = 10.0


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def database(rows: int) -> Path:
    """The demo DB with ``rows`` complaints and a synthetic topic run ``bench`` (built once)."""
    from analytics.demo import build_demo

    path = WORK / f"decisions_{rows}.duckdb"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        build_demo(path, rows=rows, seed=SEED)
    con = connect(path)
    try:
        if not con.execute("SELECT count(*) FROM topic_runs WHERE run_id = ?", [RUN]).fetchall()[0][0]:
            n = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
            con.execute(
                "INSERT INTO topic_runs VALUES (?, now()::TIMESTAMP, NULL, NULL, 40, ?, 'bench', 'bench', NULL)",
                [RUN, n],
            )
            # one issue topic per sector; the planted bursts' businesses form event clusters
            con.execute(
                """INSERT INTO topic_assignments
                   SELECT ?, c.id, s.topic_id, CASE WHEN t.kind = 'event' THEN 1000 + s.topic_id END
                   FROM complaints c
                   JOIN (SELECT sector, CAST(row_number() OVER (ORDER BY sector) AS INTEGER) AS topic_id
                         FROM (SELECT DISTINCT sector FROM complaints WHERE sector IS NOT NULL)) s USING (sector)
                   LEFT JOIN demo_truth t USING (complaint_id)""",
                [RUN],
            )
            con.execute(
                """INSERT INTO topics SELECT DISTINCT ?, topic_id, 'issue', NULL, '话题' || topic_id, [], 0, []
                   FROM topic_assignments WHERE run_id = ?""",
                [RUN, RUN],
            )
    finally:
        con.close()
    return path


def baseline(path: Path) -> float:
    con = connect(path, read_only=True)
    try:
        seconds, _ = _timed(lambda: con.execute("SELECT kind, count(*) FROM complaints GROUP BY 1").fetchall(), 3)
    finally:
        con.close()
    return seconds


def timeliness_timings(path: Path) -> dict[str, float]:
    """Seconds for each 时效 query and for everything ``timeliness --detail --json`` computes."""
    con = connect(path, read_only=True)
    out: dict[str, float] = {}
    try:
        year = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
        out["summary"], _ = _timed(lambda: timeliness.summary(con))
        for by in ("month", "county", "department", "kind", "sector"):
            out[f"rates_{by}"], _ = _timed(lambda by=by: timeliness.rates(con, by))
        out["overdue"], _ = _timed(lambda: timeliness.overdue(con))
        out["due_soon"], _ = _timed(lambda: timeliness.due_soon(con))
        out["detail_all_rows"], det = _timed(lambda: timeliness.detail(con))
        out["detail_rows"] = float(len(det))

        def command() -> None:  # what the CLI does for one --by with --detail
            timeliness.summary(con, year)
            timeliness.rates(con, "county", year)
            timeliness.overdue(con, year)
            timeliness.due_soon(con, year)
            timeliness.detail(con, year)

        out["command_year_detail"], _ = _timed(command)

        def command_all() -> None:
            timeliness.summary(con)
            timeliness.rates(con, "month")
            timeliness.overdue(con)
            timeliness.due_soon(con)
            timeliness.detail(con)

        out["command_all_detail"], _ = _timed(command_all)
    finally:
        con.close()
    return out


def alerts_timings(path: Path) -> dict[str, float]:
    """Seconds for ``detect`` (business, county × sector, topic × county, new topics) on three days."""
    from analytics.demo import EVENTS

    con = connect(path, read_only=True)
    out: dict[str, float] = {}
    try:
        last = timeliness.default_as_of(con)
        out["detect_latest_no_topics"], _ = _timed(lambda: alerts.detect(con, last, topics=False))
        out["detect_latest_with_topics"], _ = _timed(lambda: alerts.detect(con, last, run_id=RUN))
        for event in EVENTS:
            day = event.start + timedelta(days=3)
            seconds, found = _timed(lambda day=day: alerts.detect(con, day, run_id=RUN))
            out[f"detect_burst_{event.start}"] = seconds
            out[f"alerts_burst_{event.start}"] = float(len(found))
    finally:
        con.close()
    return out


def cli_timings(path: Path) -> dict[str, float]:
    """End-to-end seconds of the commands as a user runs them (process start and imports included)."""
    import shutil
    import subprocess
    import sys
    import tempfile

    root = Path(__file__).resolve().parent.parent
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.duckdb"  # the commands open read-write; keep the shared DB untouched
        shutil.copy(path, db)
        runs = {
            "cli_help_startup": ["--help"],
            "cli_timeliness_json": ["timeliness", "--db", str(db), "--json"],
            "cli_timeliness_detail_json": ["timeliness", "--db", str(db), "--detail", "--json"],
            "cli_alerts_no_topics_json": ["alerts", "--db", str(db), "--no-topics", "--json"],
        }
        for name, args in runs.items():
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-W", "ignore", "-m", "analytics", *args],
                cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            out[name] = time.perf_counter() - start
    return out


def run(quick: bool = False) -> dict:
    rows = 100_000 if quick else 1_000_000
    start = time.perf_counter()
    path = database(rows)
    prepared = time.perf_counter() - start
    base = baseline(path)
    tl = timeliness_timings(path)
    al = alerts_timings(path)
    cli = cli_timings(path)
    worst_tl = max(tl["command_year_detail"], tl["command_all_detail"])
    worst_al = max(v for k, v in al.items() if k.startswith("detect_"))
    return {
        "rows": rows,
        "prepare_seconds": round(prepared, 1),
        "baseline_groupby_seconds": round(base, 4),
        "timeliness_seconds": {k: round(v, 3) for k, v in tl.items()},
        "alerts_seconds": {k: round(v, 3) for k, v in al.items()},
        "cli_seconds": {k: round(v, 2) for k, v in cli.items()},
        "ratio_timeliness_command_to_baseline": round(worst_tl / base, 1),
        "ratio_alerts_detect_to_baseline": round(worst_al / base, 1),
        "timeliness_within_10s": worst_tl <= TARGET_SECONDS,
        "alerts_within_10s": worst_al <= TARGET_SECONDS,
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), ensure_ascii=False, indent=2))
