"""``topics``: bring the topic run over all complaints up to date (reuse, extend or refit; the
background job after an import runs this command) and print the topics of a period."""

from __future__ import annotations

import argparse
from datetime import date

from analytics.commands._common import (
    add_db_argument,
    add_period_arguments,
    check_period,
    period_words,
    print_json,
    require_complaints,
)
from analytics.errors import UserError
from analytics.store.access import open_database

NAME = "topics"
HELP = "Cluster complaint text into issue topics and events (one run for all periods) and print a period's topics."
ORDER = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    add_period_arguments(parser)
    parser.add_argument(
        "--topics",
        default=None,
        metavar="K|auto",
        help="number of topics, or auto (default: as the current run was made; automatic at first)",
    )
    parser.add_argument("--members", action="store_true", help="list every topic's complaint ids")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics.filters import Filters
    from analytics.refresh import refresh_topics
    from analytics.topics.report import topics_payload

    check_period(args)
    words = period_words(args.year, args.date_from, args.date_to)
    if args.year is not None:
        args.date_from, args.date_to = date(args.year, 1, 1), date(args.year, 12, 31)
    keep, n_topics = args.topics is None, None
    if args.topics not in (None, "auto"):
        n_topics = int(args.topics) if str(args.topics).isdigit() else 0
        if not 1 <= n_topics <= 500:
            raise UserError(
                "--topics must be auto or between 1 and 500.", zh="--topics 须为 auto 或 1 到 500 之间的整数。"
            )
    with open_database(args.db) as con:
        require_complaints(con, args.date_from, args.date_to, words)
    # One run over all complaints, computed in turns with the app (analytics/refresh.py); a period
    # counts its own complaints in it.
    run_id = refresh_topics(args.db, n_topics, keep=keep)
    period = Filters(date_from=args.date_from, date_to=args.date_to)
    with open_database(args.db) as con:
        payload = topics_payload(con, run_id, members=args.members, filters=period)
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
