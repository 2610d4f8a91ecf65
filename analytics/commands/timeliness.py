"""``timeliness``: on-time closure (时效) against the 98% target, overdue and due-soon complaints."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from analytics.commands._common import _default, add_db_argument, print_json, records, require_complaints
from analytics.errors import UserError
from analytics.filters import Filters
from analytics.store import open_database

NAME = "timeliness"
HELP = "On-time closure rate (target 98%) by month/county/department/kind/sector; overdue and due-soon lists."
ORDER = 50
_LIST_LIMIT = 500
# analytics.timeliness.DIMENSIONS, spelled here so that --help does not import the engine
# (tests/analytics/test_cli.py checks they agree).
BREAKDOWNS = ("month", "county", "department", "kind", "sector")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--year", type=int, default=None, help="only complaints received in this year")
    parser.add_argument("--by", choices=BREAKDOWNS, default="month", help="breakdown (default month)")
    parser.add_argument("--as-of", default=None, help="reference date YYYY-MM-DD (default: the data's latest date)")
    parser.add_argument("--detail", action="store_true", help="one row per complaint (JSON key 'detail')")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _filters(year: int | None) -> Filters:
    if year is None:
        return Filters()
    if not 1900 <= year <= 2200:
        raise UserError(f"--year {year} is not a plausible year", zh=f"年份 {year} 不合理")
    return Filters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))


def run(args: argparse.Namespace) -> int:
    from analytics import timeliness

    filters = _filters(args.year)
    with open_database(args.db) as con:
        if args.year is not None:
            require_complaints(con, filters.date_from, filters.date_to, (str(args.year), f"{args.year} 年"))
        summ = timeliness.summary(con, filters, args.as_of)
        as_of = summ["as_of"]
        by = timeliness.rates(con, args.by, filters, as_of)
        late = timeliness.overdue(con, filters, as_of)
        soon = timeliness.due_soon(con, filters, as_of)
        tmp = tempfile.TemporaryDirectory(prefix="timeliness-")
        detail = Path(tmp.name) / "detail.json" if args.detail and args.json else None
        if detail is not None:
            timeliness.write_detail_json(con, detail, filters, as_of)
    if args.json:
        payload = {
            "summary": summ,
            "by": args.by,
            "rates": records(by),
            "overdue_total": len(late),
            "overdue": records(late.head(_LIST_LIMIT)),
            "due_soon_total": len(soon),
            "due_soon": records(soon.head(_LIST_LIMIT)),
        }
        if detail is None:
            print_json(payload)
            return 0
        # one row per complaint can be a million rows: written by DuckDB, spliced in as text
        head = json.dumps(payload, ensure_ascii=False, indent=2, default=_default)
        sys.stdout.write(head[:-2] + ',\n  "detail": ')
        with detail.open(encoding="utf-8") as fh:
            shutil.copyfileobj(fh, sys.stdout, 1 << 20)
        sys.stdout.write("\n}\n")
        tmp.cleanup()
        return 0
    for warning in summ["warnings"]:
        print(f"warning: {warning}")
    rate = summ["on_time_rate"]
    print(
        f"as of {as_of}: {summ['total']:,} complaints, {summ['due']:,} due, on-time closure "
        f"{'n/a' if rate is None else f'{rate:.2%}'} (target {timeliness.TARGET:.0%}); "
        f"open overdue {summ['open_overdue']:,}, due within {timeliness.DUE_SOON_WORKDAYS} working days {len(soon):,}"
    )
    print(f"\nby {args.by}:")
    for row in records(by):
        r = row["on_time_rate"]
        mark = "" if r is None else ("  达标" if r >= timeliness.TARGET else "  未达标")
        print(
            f"  {row['group']}: {'n/a' if r is None else f'{r:.2%}'}  "
            f"(on time {row['closed_on_time']:,} / due {row['due']:,}; open overdue {row['open_overdue']:,}){mark}"
        )
    if len(late):
        print(f"\nopen overdue (most overdue first, {min(len(late), 20)} of {len(late):,}):")
        for row in records(late.head(20)):
            due = f"{row['due_at']:%Y-%m-%d}"
            print(f"  {row['complaint_id']}  {row['kind']}  due {due}  +{row['days_overdue']}d  {row['county'] or ''}")
    if args.detail:
        print(f"\ndetail: {summ['total']:,} rows (use --json to get them)")
    return 0
