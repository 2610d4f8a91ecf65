"""``disclosure``: the 投诉公示 tables (per business, per sector) as .xlsx, .csv or JSON."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.commands._common import add_db_argument, print_json, records, require_complaints
from analytics.errors import UserError
from analytics.filters import Filters
from analytics.periods import parse_period
from analytics.store.access import reading_first

if TYPE_CHECKING:  # loaded when the command runs, not when the CLI parses arguments
    import duckdb
    import pandas as pd

    from analytics.queries.provenance import Provenance

NAME = "disclosure"
HELP = "Public complaint disclosure (投诉公示) per business and per sector, without personal data."
ORDER = 65


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--period", default=None, help="2024 | 2024Q3 | 2024-05 | 2024-双十一 (default: all data)")
    parser.add_argument("--min-complaints", type=int, default=3, help="publish businesses with at least N (3)")
    parser.add_argument("--limit", type=int, default=100, help="at most N businesses (100)")
    parser.add_argument("--topics", action="store_true", help="compute the period's topics first for issue labels")
    parser.add_argument("-o", "--output", type=Path, default=None, help="FILE.xlsx (both tables) or FILE.csv")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics import disclosure
    from analytics.queries.provenance import provenance

    if args.min_complaints < 1 or args.limit < 1:
        raise UserError("--min-complaints and --limit must be at least 1", zh="公示门槛和数量至少为 1")
    suffix = args.output.suffix.lower() if args.output else ""
    if args.output and suffix not in (".xlsx", ".csv"):
        raise UserError(f"Output must end in .xlsx or .csv: {args.output}", zh="输出文件须为 .xlsx 或 .csv")
    period = parse_period(args.period) if args.period else None
    filters = period.filters() if period else Filters()

    def work(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame, Provenance]:
        if period is not None:
            require_complaints(con, period.start, period.end, (period.key, period.label))
        by_business = disclosure.disclosure_by_business(
            con, filters, args.min_complaints, args.limit, ensure_topics=args.topics
        )
        by_sector = disclosure.disclosure_by_sector(con, filters, ensure_topics=args.topics)
        return by_business, by_sector, provenance(con, filters)

    # Without --topics it only reads; with it, it writes only when the period's topics are missing.
    by_business, by_sector, found = reading_first(args.db, work)
    if suffix == ".xlsx":
        sheets = {"经营者公示": by_business, "行业公示": by_sector}
        args.output.write_bytes(disclosure.to_xlsx_bytes(sheets, found))
    elif suffix == ".csv":
        args.output.write_bytes(disclosure.to_csv_bytes(by_business, found))
    if args.json:  # data_mark: "" for real data, else 演示数据 or its share (issue 12)
        print_json({"data_mark": found.mark, "businesses": records(by_business), "sectors": records(by_sector)})
    elif args.output:
        print(f"wrote {args.output} ({len(by_business)} businesses, {len(by_sector)} sectors)")
    else:
        rates = {c: _percent for c in by_business.columns if c.endswith("率")}  # 1.0 -> 100.0%
        print(found.titled("投诉公示"))
        print(by_business.to_string(index=False, formatters=rates))
    return 0


def _percent(value: object) -> str:
    return "—" if value is None or math.isnan(float(value)) else f"{float(value):.1%}"
