"""``report``: the period's briefing deck (.pptx), analysis report (.docx) or hotspot shortlist
(.xlsx / .csv). Topics and hotspots are computed first when missing or stale, reused when current."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.commands._common import add_db_argument, require_complaints
from analytics.errors import UserError
from analytics.periods import EXAMPLES

if TYPE_CHECKING:  # loaded when the command runs, not when the CLI parses arguments
    import duckdb

NAME = "report"
HELP = "Write the period's briefing (.pptx), analysis report (.docx) or hotspot shortlist (.xlsx/.csv)."
ORDER = 60
FORMATS = ("pptx", "docx", "xlsx", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--period", required=True, help=f"period: {EXAMPLES}")
    parser.add_argument("--format", choices=FORMATS, default=None, help="file type (default: from -o's suffix)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    parser.add_argument("--top", type=int, default=10, help="hotspots listed (default 10)")


def run(args: argparse.Namespace) -> int:
    from analytics.exporting.build import build_export
    from analytics.periods import parse_period
    from analytics.store.access import reading_first

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UserError(
            f"Unknown format {fmt!r}; use --format {'|'.join(FORMATS)} or an -o file ending in one of them",
            zh=f"不支持的格式“{fmt}”，可选：{'、'.join(FORMATS)}",
        )
    if args.top < 1:
        raise UserError("--top must be at least 1.", zh="--top 至少为 1。")
    period = parse_period(args.period)

    def work(con: duckdb.DuckDBPyConnection) -> bytes:
        require_complaints(con, period.start, period.end, (period.key, period.label))
        return build_export(con, period, fmt, top=args.top, prepare=True)

    content = reading_first(args.db, work)  # takes the database only to compute missing topics
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(content)
    print(f"written: {args.output} ({len(content):,} bytes, {period.label} {period.span})")
    return 0
