"""``import``: bring complaint exports (CSV/TSV/TXT, .xlsx, .xls) into the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.commands._common import add_db_argument, print_json
from analytics.errors import UserError
from analytics.store import open_database
from analytics.store.connection import database_path

NAME = "import"
HELP = "Import complaint exports (CSV/TSV/TXT in UTF-8/GBK, .xlsx, .xls); idempotent, one batch per sheet."
ORDER = 20
# analytics.ingest.DEFAULT_SOURCE, spelled here so that --help does not import the import engine
# (tests/analytics/test_cli.py checks they agree).
DEFAULT_SOURCE_NAME = "other"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="export files")
    add_db_argument(parser)
    parser.add_argument(
        "--source",
        default=None,
        help=f"system the export comes from: 12345, 12315, 消委会 or any name (default: {DEFAULT_SOURCE_NAME!r}, "
        "or the file's 来源 column when it has one); duplicates are recognised within a source",
    )
    parser.add_argument("--sheet", default=None, help="import only this sheet of a workbook (default: every sheet)")
    parser.add_argument(
        "--encoding",
        default=None,
        help="text encoding of CSV/TXT files, e.g. big5, gb18030, utf-16"
        " (default: detected among UTF-8, GBK/GB18030, Big5)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="表头=field",
        help="map a header to a field (e.g. --map 来电日期=received_at); '表头=' keeps the column in extras",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check only: count what would be imported, duplicated or quarantined (with reasons); write nothing",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary")


def run(args: argparse.Namespace) -> int:
    from analytics import refresh
    from analytics.audit import cli_actor
    from analytics.ingest import import_file, mask_personal_data
    from analytics.ingest.headers import parse_map_options

    try:
        overrides = parse_map_options(args.map)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    files: list[dict] = []
    failed = 0
    db = database_path(args.db)
    created = not db.exists()
    # A dry run writes nothing, so it creates no database either; a real import may start a new one.
    with open_database(db, write=True, create=not args.dry_run) as con:
        if created:
            print(f"note: created a new database {db}", file=sys.stderr if args.json else sys.stdout)
        for path in args.files:
            try:
                results = import_file(
                    con,
                    path,
                    source=args.source,
                    sheet=args.sheet,
                    overrides=overrides,
                    dry_run=args.dry_run,
                    encoding=args.encoding,
                    actor=cli_actor(),
                )
            except UserError as exc:
                failed += 1
                files.append({"file": mask_personal_data(path.name), "error": exc.message})
                if not args.json:
                    print(f"error: {exc.message}", file=sys.stderr)
                continue
            for r in results:
                files.append(r.as_dict())
                if not args.json:
                    where = f"{r.file} [{r.sheet}]" if r.sheet else r.file
                    batch = "dry run, nothing written" if r.dry_run else f"batch {r.batch_id}"
                    print(
                        f"{where}: read {r.rows_read:,}, {'would import' if r.dry_run else 'imported'} "
                        f"{r.imported:,}, duplicates {r.duplicates:,}, quarantined {r.quarantined:,}  ({batch})"
                    )
                    for reason, n in r.quarantine_reasons.items():
                        print(f"  quarantined {n:,}: {reason}")
                    for row in r.quarantine_preview[:5]:
                        print(f"    row {row['row_number']}: {row['reason']}")
                    for note in r.notes:
                        print(f"  note: {note}")
    ok = [f for f in files if "error" not in f]
    summary = {
        "rows_read": sum(f["rows_read"] for f in ok),
        "imported": sum(f["imported"] for f in ok),
        "duplicates": sum(f["duplicates"] for f in ok),
        "quarantined": sum(f["quarantined"] for f in ok),
        "batch_ids": [] if args.dry_run else [f["batch_id"] for f in ok],
        "dry_run": bool(args.dry_run),
        "failed_files": failed,
        "files": files,
    }
    # Topics and events follow in the background (analytics/refresh.py), as after an import in the app.
    summary["topics_in_background"] = bool(summary["imported"]) and not args.dry_run and refresh.after_change(db)
    if args.json:
        print_json(summary)
    elif len(ok) > 1:
        print(
            f"total: read {summary['rows_read']:,}, imported {summary['imported']:,}, "
            f"duplicates {summary['duplicates']:,}, quarantined {summary['quarantined']:,}"
        )
    if summary["topics_in_background"] and not args.json:
        print(f"topics: being computed in the background (progress: {db}.refresh.json)")
    return 2 if failed else 0
