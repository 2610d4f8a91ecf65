"""``rollback``: remove one import batch's rows."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument, print_json
from analytics.store import open_database

NAME = "rollback"
HELP = "Remove the complaints and quarantined rows one import batch brought in."
ORDER = 22


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("batch", metavar="BATCH", help="batch id (see `batches`)")
    add_db_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics import refresh
    from analytics.audit import cli_actor
    from analytics.ingest import rollback_batch

    with open_database(args.db, write=True) as con:
        result = rollback_batch(con, args.batch, actor=cli_actor())
    refresh.after_change(args.db)  # the topic run still counts the removed complaints
    if args.json:
        print_json(result)
    else:
        print(
            f"batch {result['batch_id']} rolled back: {result['complaints_removed']:,} complaints and "
            f"{result['quarantine_removed']:,} quarantined rows removed"
        )
    return 0
