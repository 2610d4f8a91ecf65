"""``demo``: build the seeded synthetic demo database (replaces the file)."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument
from analytics.settings import get as setting

NAME = "demo"
HELP = "Build the deterministic synthetic 清远市 demo database (replaces the file)."
ORDER = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--rows", type=int, default=60_000, help="complaints to generate (default 60,000)")
    parser.add_argument("--seed", type=int, default=20250101, help="random seed (same seed, same rows)")


def run(args: argparse.Namespace) -> int:
    from analytics.demo import build_demo
    from analytics.store.access import lock_timeout
    from analytics.store.locking import DatabaseLock

    db = args.db if args.db is not None else setting("HOTSPOT_DB")
    # The file is replaced: wait until no other process (the app) has it open, and keep them out.
    lock = DatabaseLock(db, shared=False)
    lock.acquire(lock_timeout())
    try:
        summary = build_demo(db, rows=args.rows, seed=args.seed, topics=True)
    finally:
        lock.release()
    print(
        f"demo: {summary['rows']:,} complaints ({summary['from'][:10]} .. {summary['to'][:10]}), "
        f"{summary['planted_rows']:,} planted in {len(summary['planted'])} themes, {summary['open']:,} open, "
        f"seed {summary['seed']}, {summary['seconds']:.1f}s -> {summary['db']}"
    )
    return 0
