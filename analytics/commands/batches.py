"""``batches``: list import batches."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument, print_json, records
from analytics.store import open_database

NAME = "batches"
HELP = "List import batches: file, sha256, time, counts, whether rolled back."
ORDER = 21


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics.ingest import list_batches

    with open_database(args.db) as con:
        frame = list_batches(con)
    if args.json:
        print_json(records(frame))
        return 0
    if frame.empty:
        print("no batches")
        return 0
    for b in records(frame):
        state = f"  ROLLED BACK {b['rolled_back_at']}" if b["rolled_back_at"] else ""
        sheet = f" [{b['sheet']}]" if b["sheet"] else ""
        print(
            f"{b['batch_id']}  {b['imported_at']}  {b['source']}  {b['file_name']}{sheet}  sha256 {b['sha256'][:12]}  "
            f"read {b['rows_read']:,} imported {b['imported']:,} duplicates {b['duplicates']:,} "
            f"quarantined {b['quarantined']:,}{state}"
        )
    return 0
