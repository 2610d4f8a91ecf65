"""Spreadsheet formula-injection guard shared by every export.

A text cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which some
spreadsheet programs skip before reading a formula) would run as a formula when the file is opened in
Excel or WPS. :func:`neutralise` prefixes such text with an apostrophe so it shows as plain text.
Numbers, dates and other non-text values pass unchanged (a negative number is a number, not a formula).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` unchanged unless it is text starting with a formula character; then ``"'" + value``."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (other columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def safe_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as a CSV download: text cells neutralised, UTF-8 with BOM so Excel reads the Chinese."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")
