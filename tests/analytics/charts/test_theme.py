"""Chart theme: Chinese date ticks and one distinct colour per channel."""

from __future__ import annotations

import pandas as pd

from analytics.charts import overview, theme


def test_month_axis_reads_in_chinese() -> None:
    frame = pd.DataFrame(
        {"month": pd.to_datetime(["2025-01-01", "2025-02-01"]), "source": ["12345", "12345"], "complaints": [3, 4]}
    )
    fig = overview.monthly_by_source(frame)
    assert fig.layout.xaxis.tickformat == theme.MONTH_FORMAT == "%Y年%-m月"
