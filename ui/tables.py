"""Tables as the analyst reads them: columns named as everywhere (analytics.schema), a missing county,
business, department … says 未注明, never None."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.queries import UNKNOWN
from analytics.schema import COLUMN_LABELS

_TIMES = ("received_at", "closed_at")
# What a 事项 is, in the help of every 事项 column (analytics.matters, docs/matters.md).
MATTER_HELP = "同一案件重复投诉或多渠道投诉只算一个事项"


def matter_column(number_format: str = "localized", note: str = "") -> Any:
    """The 事项 column beside a count of complaints (件次); ``note`` adds what this table counts."""
    return st.column_config.NumberColumn("事项", format=number_format, help=MATTER_HELP + (f"；{note}" if note else ""))


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the empty cells of its text columns shown as 未注明 (st.dataframe prints None).

    Numbers and dates keep their gaps: an empty rate means nothing was due, an empty closure date an
    open case, and neither is an unknown label.
    """
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), UNKNOWN) for c in text})


def complaint_columns(*columns: str, time_format: str = "YYYY-MM-DD", **config: Any) -> dict[str, Any]:
    """``column_config`` for a table of complaints: each column by its one Chinese name, times in
    ``time_format``, the amount in yuan; ``config`` adds or replaces a column's (a wider text)."""
    out: dict[str, Any] = {}
    for column in columns:
        label = COLUMN_LABELS[column]
        if column in _TIMES:
            out[column] = st.column_config.DatetimeColumn(label, format=time_format)
        elif column == "amount":
            out[column] = st.column_config.NumberColumn(label, format="%.2f")
        else:
            out[column] = label
    return out | config
