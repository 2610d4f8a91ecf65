"""The hotspot score chart: the shortlist is marked without drawing over a bar."""

from __future__ import annotations

import pandas as pd

from analytics.charts.hotspots import score_breakdown
from analytics.hotspots.scoring import COMPONENTS


def _frames(n: int, shortlisted: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ranking = pd.DataFrame(
        {
            "rank": range(1, n + 1),
            "topic_id": range(101, 101 + n),
            "label": [f"问题{i}" for i in range(1, n + 1)],
            "shortlisted": [i < shortlisted for i in range(n)],
        }
    )
    components = pd.DataFrame(
        [
            {"topic_id": t, "component": c, "label": c, "contribution": 10.0 - i, "value": 0.5, "weight": 1.0}
            for i, t in enumerate(ranking["topic_id"])
            for c in COMPONENTS
        ]
    )
    return ranking, components


def test_the_shortlist_is_in_the_title_and_a_line_under_its_last_bar() -> None:
    fig = score_breakdown(*_frames(8, 3), top=8)
    assert "前 3 个为重点热点" in fig.layout.title.text
    # No note inside the plot area (it sat on bar 1); the cut between rank 3 and 4 is a line.
    assert not fig.layout.annotations
    (line,) = fig.layout.shapes
    order = list(fig.layout.yaxis.categoryarray)  # bottom to top
    assert order.index("3. 问题3") - 0.5 == line.y0 == line.y1 == order.index("4. 问题4") + 0.5


def test_no_line_when_every_bar_is_shortlisted_or_none_is() -> None:
    assert not score_breakdown(*_frames(3, 3), top=3).layout.shapes
    fig = score_breakdown(*_frames(5, 0), top=5)
    assert not fig.layout.shapes and "重点热点" not in fig.layout.title.text
