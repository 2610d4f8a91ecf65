"""``hotspots``: rank the period's issues (yearly shortlist) or event hotspots."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.commands._common import (
    add_db_argument,
    add_period_arguments,
    check_period,
    period_words,
    print_json,
    require_complaints,
)
from analytics.errors import UserError
from analytics.store.access import reading_first

if TYPE_CHECKING:  # loaded when the command runs, not when the CLI parses arguments
    import duckdb

NAME = "hotspots"
HELP = "Rank hotspot issues (with the 2–4 issue shortlist) or event hotspots for a year or period."
ORDER = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    add_period_arguments(parser, year_help="calendar year (growth against the year before)")
    parser.add_argument("--level", choices=("issue", "event"), default="issue", help="issue topics or event clusters")
    parser.add_argument("--top", type=int, default=None, help="only the N best (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--export", type=Path, default=None, help="write FILE.xlsx or FILE.csv")


def run(args: argparse.Namespace) -> int:
    from analytics.exporting.hotspot_files import ranking_period, write_export
    from analytics.filters import Filters
    from analytics.hotspots.events import rank_events
    from analytics.hotspots.ranking import rank_issues
    from analytics.hotspots.report import event_hotspots, events_payload, issue_hotspots, issues_payload
    from analytics.queries.provenance import provenance
    from analytics.topics.runs import resolve_run

    check_period(args)
    if args.top is not None and args.top < 1:
        raise UserError("--top must be at least 1.", zh="--top 至少为 1。")
    if args.export is not None and args.export.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(f"--export must end in .xlsx or .csv: {args.export}", zh="导出文件须为 .xlsx 或 .csv。")
    first, last = (date(args.year, 1, 1), date(args.year, 12, 31)) if args.year else (args.date_from, args.date_to)

    def work(con: duckdb.DuckDBPyConnection) -> tuple[dict, list[Path]]:
        payload, written = ranked_payload(con)
        # Demo rows say so in every output (issue 12): "" for real data, else 演示数据 or its share.
        return {"data_mark": provenance(con, Filters(date_from=first, date_to=last)).mark, **payload}, written

    def ranked_payload(con: duckdb.DuckDBPyConnection) -> tuple[dict, list[Path]]:
        require_complaints(con, first, last, period_words(args.year, args.date_from, args.date_to))
        resolve_run(con, compute=True)  # the one topic run every period reads, brought up to date
        # Without --export the members' ids are enough; an export lists their complaints, fetched once.
        if args.level == "issue":
            ranked = rank_issues(con, year=args.year, date_from=args.date_from, date_to=args.date_to)
            if args.export is None:
                return issues_payload(con, ranked, top=args.top), []
            hotspots = issue_hotspots(con, ranked, top=args.top)
            payload = issues_payload(con, ranked, rows=hotspots[0])
        else:
            ranked = rank_events(con, year=args.year, date_from=args.date_from, date_to=args.date_to, top=args.top)
            if args.export is None:
                return events_payload(con, ranked), []
            hotspots = event_hotspots(con, ranked)
            payload = events_payload(con, ranked, rows=hotspots[0])
        return payload, write_export(con, hotspots, args.level, ranking_period(ranked), args.export)

    # Read-only while the topics are current; takes the database only to compute them.
    payload, written = reading_first(args.db, work)
    if args.json:
        print_json(payload)
    else:
        _print_table(payload)
    for path in written:  # on stderr with --json, so stdout stays one JSON document
        print(f"written: {path}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _print_table(payload: dict) -> None:
    if payload["data_mark"]:
        print(f"【{payload['data_mark']}】")
    period = payload.get("period")
    if period:
        print(f"period: {period['from']} .. {period['to']}   level: {payload['level']}")
    if not payload["hotspots"]:
        print("no hotspots (no complaints or no topics in the period)")
        return
    for h in payload["hotspots"]:
        mark = "*" if h["shortlisted"] else " "
        counties = "、".join(c["name"] for c in h["counties"][:3])
        regulator = h.get("regulator") or ""
        counts = f"{h['size']:>6} 件次 {h['matters']:>6} 事项"  # complaints and matters (事项), side by side
        print(f"{mark}{h['rank']:>3}  {h['score']:6.1f}  {counts}  {h['label']}  [{counties}]  {regulator}")
        if h.get("why"):
            print(f"        {h['why']}")
