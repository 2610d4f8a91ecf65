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
from analytics.errors import UserError

if TYPE_CHECKING:  # numpy and pandas load when a command runs, not when the CLI parses arguments
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
