"""Helpers shared by command modules: the --db option and JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analytics import settings
from analytics.errors import NoDataError, UserError

if TYPE_CHECKING:  # numpy and pandas load when a command runs, not when the CLI parses arguments
    import duckdb
    import pandas as pd


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"DuckDB database (default: $HOTSPOT_DB or {settings.SETTINGS['HOTSPOT_DB'].default})",
    )


def _default(value: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | Decimal):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as plain dicts with NaN/NaT turned into None."""
    import numpy as np
    import pandas as pd

    return [
        {k: (None if (not isinstance(v, list | tuple | np.ndarray) and pd.isna(v)) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def add_period_arguments(parser: argparse.ArgumentParser, *, year_help: str = "calendar year") -> None:
    """``--year Y | --from DATE --to DATE``; check them with :func:`check_period`."""
    parser.add_argument("--year", type=int, help=year_help)
    parser.add_argument("--from", dest="date_from", type=_date, help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_date, help="last day, YYYY-MM-DD")


def check_period(args: argparse.Namespace) -> None:
    """Refuse --year together with --from/--to, an implausible year, and a reversed range."""
    if args.year is not None and (args.date_from or args.date_to):
        raise UserError("Give either --year or --from/--to, not both.", zh="--year 与 --from/--to 只能二选一。")
    if args.year is not None and not 1900 <= args.year <= 2200:
        raise UserError(f"Not a plausible year: {args.year}", zh=f"年份不合理：{args.year}")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UserError("--from is after --to.", zh="开始日期晚于结束日期。")


def period_words(year: int | None, date_from: date | None, date_to: date | None) -> tuple[str, str]:
    """How a message names the period: ("2030", "2030 年") or ("2030-01-01 .. 2030-03-31", "2030-01-01 至 …")."""
    if year is not None:
        return str(year), f"{year} 年"
    first = date_from.isoformat() if date_from else "…"
    last = date_to.isoformat() if date_to else "…"
    return f"{first} .. {last}", f"{first} 至 {last}"


def require_complaints(
    con: duckdb.DuckDBPyConnection, date_from: date | None, date_to: date | None, words: tuple[str, str]
) -> None:
    """NoDataError (exit 1, one line) when no complaint was received in the period.

    Asked before ranking or reporting, whose engines assume at least one complaint (a year outside
    the data used to end in KeyError 'topic_id'). ``words`` from :func:`period_words`.
    """
    from analytics.filters import Filters

    where, params = Filters(date_from=date_from, date_to=date_to).where()
    if con.execute(f"SELECT count(*) FROM complaints WHERE {where}", params).fetchone()[0]:
        return
    row = con.execute("SELECT min(received_at)::DATE, max(received_at)::DATE FROM complaints").fetchone()
    if row[0] is None:
        raise NoDataError("The database has no complaints yet.", zh="数据库中还没有投诉数据")
    span = f"{row[0]} .. {row[1]}"
    raise NoDataError(
        f"No complaints in {words[0]} (the data cover {span}). {words[1]}没有投诉数据。",
        zh=f"{words[1]}没有投诉数据（数据范围 {row[0]} 至 {row[1]}）",
    )
