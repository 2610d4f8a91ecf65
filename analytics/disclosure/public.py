"""What makes a cell safe to publish: the import's PII masker, then a last sweep over long digit runs.

Business names and topic labels come from free text, so every text cell of a disclosure table
passes through ``public_text``, whatever its column.
"""

from __future__ import annotations

import re

import pandas as pd

from analytics.ingest.pii import mask_personal_data

# Left after masking, any run of 7+ digits, or 11+ digits split by spaces/dashes, is cut to 3 + 2
# digits (a date such as 2024-05-01 has 8 digits in short groups and stays readable).
_DIGIT_RUN = re.compile(r"\d{7,}|\d(?:[ -]?\d){10,}")


def public_text(value: object) -> object:
    """Text safe to publish: phones, ID and bank card numbers masked; non-text values unchanged."""
    if not isinstance(value, str):
        return value
    text = mask_personal_data(value)  # the importer's masker, so the UI, exports and the store mask alike
    return _DIGIT_RUN.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-2:], text or "")


def public_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell passed through :func:`public_text`."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            out[column] = out[column].map(public_text)
    return out.reset_index(drop=True)
