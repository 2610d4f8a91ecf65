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


def test_every_channel_has_its_own_colour() -> None:
    channels = ["12345", "12315", "消委会", "市长热线", "全国12315平台", "信访"]
    colours = theme.colour_map("source", channels)
    assert len({colours[c] for c in channels}) == len(channels)
    assert colours["12315"] == theme.SOURCE_COLOURS["12315"]  # fixed ones keep their colour on every chart
