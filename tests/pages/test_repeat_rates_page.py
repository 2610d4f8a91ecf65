"""时效 page: the 重复投诉率 charts show the matters engine's rates (analytics.matters.repeat_rates)."""

from __future__ import annotations

import base64
import json

import numpy as np

from analytics.matters import repeat_rates
from analytics.store import connect


def _charts(at) -> dict[str, dict]:
    """Plotly specs of the page by title (without the subtitle)."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"].split("<br>")[0]: s for s in specs}


def _values(array) -> list:
    """A plotly JSON array: a plain list, or a typed array ({"dtype", "bdata"}) for numbers."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_timeliness_page_draws_repeat_rates_by_month_and_group(app, app_db) -> None:
    at = app("pages/timeliness.py").run()
    assert not at.exception, [e.value for e in at.exception]
    charts = _charts(at)
    monthly = charts["重复投诉率（按月）"]
    with connect(app_db) as con:  # same configuration as the app's cached connection
        whole = repeat_rates(con, "month")
    rates = next(t for t in monthly["data"] if t.get("name") == "重复投诉率")
    months, values = _values(rates["x"]), _values(rates["y"])
    assert len(months) > 0 and all(0 <= r <= 1 for r in values) and max(values) > 0
    assert set(months) <= set(whole["group"])  # months of the engine's frame
    assert "重复投诉率最高的承办单位" in charts
    at.radio(key="tl_repeat_by").set_value("county").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "重复投诉率最高的区县" in _charts(at)
    assert at.query_params["tl_repeat_by"] in ("county", ["county"])  # the view is in the link
