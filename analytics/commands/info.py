"""``info``: what a database holds."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument, print_json
from analytics.store import open_database

NAME = "info"
HELP = "Row counts per table, date range, counts per source, county and year."
ORDER = 90


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics.info import database_info

    with open_database(args.db) as con:
        info = database_info(con)
    if args.json:
        print_json(info)
        return 0
    print(f"complaints: {info['complaints']:,}  ({info['date_range']['from']} .. {info['date_range']['to']})")
    print(f"matters (事项): {info['matters']:,}")
    for section in ("tables", "per_source", "per_county", "per_year"):
        print(f"{section}:")
        for key, value in info[section].items():
            print(f"  {key}: {value:,}")
    return 0
