"""``topics``: find (or reuse) the issue topics of a period and print them."""

from __future__ import annotations

import argparse
from datetime import date
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

NAME = "topics"
HELP = "Cluster complaint text into issue topics (labels, keywords, sizes) and store the run."
ORDER = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    add_period_arguments(parser)
    parser.add_argument("--topics", type=int, default=None, metavar="K", help="number of topics (default: automatic)")
    parser.add_argument("--members", action="store_true", help="list every topic's complaint ids")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics.topics import ensure_topics
    from analytics.topics.report import topics_payload

    check_period(args)
    words = period_words(args.year, args.date_from, args.date_to)
    if args.year is not None:
        args.date_from, args.date_to = date(args.year, 1, 1), date(args.year, 12, 31)
    if args.topics is not None and not 1 <= args.topics <= 500:
        raise UserError("--topics must be between 1 and 500.", zh="--topics 须在 1 到 500 之间。")

    def work(con: duckdb.DuckDBPyConnection) -> dict:
        require_complaints(con, args.date_from, args.date_to, words)
        run_id = ensure_topics(con, args.date_from, args.date_to, n_topics=args.topics)
        return topics_payload(con, run_id, members=args.members)

    payload = reading_first(args.db, work)  # takes the database to itself only to compute a run
    if args.json:
        print_json(payload)
        return 0
    print(f"run {payload['run_id']}: {len(payload['topics'])} topics")
    for t in payload["topics"]:
        pin = "📌 " if t["pinned"] else ""
        print(f"{t['topic_id']:>5}  {t['size']:>7,}  {pin}{t['label']}  — {'、'.join(t['keywords'][:8])}")
        if args.members:
            print(f"       {', '.join(t['complaint_ids'][:20])}{' …' if len(t['complaint_ids']) > 20 else ''}")
    return 0
