"""``audit``: the audit log - who imported, rolled back, curated topics or saved a mapping, and when."""

from __future__ import annotations

import argparse

from analytics.commands._common import add_db_argument, print_json, records
from analytics.store import open_database

NAME = "audit"
HELP = "Show the audit log: every write (import, rollback, topic curation, mapping profile) with who, when, counts."
ORDER = 23
# analytics.audit.ACTION_ROLES' keys, spelled here so that --help does not import the engine
# (tests/analytics/test_audit.py checks they agree).
ACTIONS = (
    "import", "rollback", "mapping_profile", "topic_rename", "topic_merge", "topic_pin", "hotspot_weights",
    "matter_split", "matter_join",
)  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--action", choices=ACTIONS, default=None, help="only this kind of write")
    parser.add_argument("--limit", type=int, default=100, help="newest N rows (default: 100)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from analytics.audit import audit_log

    with open_database(args.db) as con:  # read-only, in turn with the app and imports
        frame = audit_log(con, limit=args.limit, action=args.action)
    rows = records(frame)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no audit rows")
        return 0
    for r in rows:
        extra = "  ".join(str(v) for v in (r["counts"], r["detail"]) if v)
        print(f"{r['at_time']}  {r['actor']}  {r['action']}  {r['target'] or ''}  {extra}".rstrip())
    return 0
