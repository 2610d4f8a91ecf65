"""``matters``: link complaints into matters (事项) and report complaints vs matters."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument, print_json, records
from analytics.store import open_database

NAME = "matters"
HELP = (
    "Link complaints of one case across channels (same complainant or business, similar text, within"
    " 30 days) into matters (事项); --split/--join correct it. Prints complaints (件次) and matters."
)
ORDER = 45
# analytics.matters.repeats.DIMENSIONS, spelled here so that --help does not import the engine.
BREAKDOWNS = ("all", "business", "department", "county", "month")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--split", type=int, metavar="ID", help="take complaint ID (complaints.id) out of its matter")
    parser.add_argument("--join", type=int, nargs=2, metavar=("ID", "ID"), help="make two complaints one matter")
    parser.add_argument(
        "--by", choices=BREAKDOWNS, default=None, help="also print 重复投诉率 (repeated / came-back matters) per group"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics import matters
    from analytics.audit import cli_actor

    with open_database(args.db, write=True) as con:
        if args.split is not None:
            matters.curate(con, "split", args.split, None, cli_actor())
        if args.join is not None:
            matters.curate(con, "join", args.join[0], args.join[1], cli_actor())
        result = matters.link(con)
        counts = matters.summary(con)
        rates = matters.repeat_rates(con, args.by) if args.by else None
    payload = {
        **counts,
        "linked_now": result.new_complaints,
        "pairs_compared": result.pairs_compared,
        "links_found": result.edges_added,
    }
    if rates is not None:
        payload["by"] = args.by
        payload["repeat_rates"] = records(rates)
    if args.json:
        print_json(payload)
        return 0
    print(
        f"{counts['complaints']:,} complaints (件次) in {counts['matters']:,} matters (事项); "
        f"{counts['matters_with_several_complaints']:,} matters hold {counts['complaints_in_such_matters']:,} "
        f"complaints. This run linked {result.new_complaints:,} new complaints "
        f"({result.pairs_compared:,} pairs compared, {result.edges_added:,} links found)."
    )
    if rates is not None:
        print(f"\n重复投诉率 by {args.by} (repeated matters / matters; came back after closure):")
        for row in records(rates.head(50)):
            print(
                f"  {row['group']}: {row['repeat_rate']:.1%} ({row['repeated_matters']:,} / {row['matters']:,});"
                f" came back {row['came_back_rate']:.1%}"
            )
    return 0
