"""Tables as the analyst reads them: a missing county, business, department … says 未注明, never None."""

from __future__ import annotations

import pandas as pd

from analytics.queries import UNKNOWN


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the empty cells of its text columns shown as 未注明 (st.dataframe prints None).

    Numbers and dates keep their gaps: an empty rate means nothing was due, an empty closure date an
    open case, and neither is an unknown label.
    """
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), UNKNOWN) for c in text})
