"""``alerts``: early warning (预警) — unusual rises and new topics as of a date."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import TYPE_CHECKING

from analytics.commands._common import add_db_argument, print_json, records, require_complaints
from analytics.store.access import reading_first

if TYPE_CHECKING:  # loaded when the command runs, not when the CLI parses arguments
    import duckdb
    import pandas as pd

NAME = "alerts"
HELP = "Early warning: unusual daily/weekly rises per business, county x sector, topic x county; new topics."
ORDER = 45


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--as-of", default=None, help="reference day YYYY-MM-DD (default: the data's latest date)")
    parser.add_argument(
        "--no-topics", action="store_true", help="skip the topic-based detectors (no topic model is computed)"
    )
    parser.add_argument(
        "--weeks",
        type=int,
        default=1,
        help="scan as-of and every 7th day before it, N days in all, one row per subject (default 1: as-of only)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics import alerts
    from analytics.alerts.recent import alerts_as_of

    def work(con: duckdb.DuckDBPyConnection) -> tuple[date, pd.DataFrame]:
        day = alerts.resolve_as_of(con, args.as_of)
        # Each window is compared with the 8 weeks before it: nothing there, nothing to warn about.
        start = day - timedelta(weeks=9 + args.weeks)
        require_complaints(con, start, day, (f"the weeks up to {day}", f"{day} 之前的{9 + args.weeks}周"))
        return day, alerts_as_of(con, day, args.weeks, topics=not args.no_topics, compute_topics=not args.no_topics)

    # Only the topic detectors write, and only when no topic run is current.
    day, found = reading_first(args.db, work)
    if args.json:
        print_json({"as_of": day, "count": len(found), "notes": found.attrs.get("notes", []), "alerts": records(found)})
        return 0
    for note in found.attrs.get("notes", []):
        print(f"note: {note}")
    print(f"alerts as of {day}: {len(found)}")
    for row in records(found):
        ids = row["complaint_ids"] or []
        print(f"  [{row['level']}] {row['dimension_label']} {row['subject']} ({row['window']}): {row['evidence']}")
        more = " ..." if len(ids) > 8 else ""
        print(f"       {len(ids)} complaints ({row['matters']} matters): {', '.join(ids[:8])}{more}")
    return 0
