"""Table cells: missing labels read 未注明, missing numbers and dates stay empty."""

from __future__ import annotations

import pandas as pd

from analytics.queries import UNKNOWN
from ui.tables import labelled


def test_missing_text_is_labelled_numbers_and_dates_are_not() -> None:
    frame = pd.DataFrame(
        {
            "county": ["清城区", None],
            "business": pd.Series([pd.NA, "某公司"], dtype="string"),
            "rate": [0.5, None],
            "closed_at": pd.to_datetime(["2024-01-02", None]),
        }
    )
    shown = labelled(frame)
    assert shown["county"].tolist() == ["清城区", UNKNOWN] and UNKNOWN == "未注明"
    assert shown["business"].tolist() == [UNKNOWN, "某公司"]
    assert pd.isna(shown.loc[1, "rate"]) and pd.isna(shown.loc[1, "closed_at"])
    assert frame["county"].isna().sum() == 1  # the caller's frame is left as it was
