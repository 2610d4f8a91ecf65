"""分布 and 经营者 pages: their charts and tables show the engine's numbers and the controls work."""

from __future__ import annotations

import json
import re
from pathlib import Path

from analytics.filters import Filters
from analytics.store import connect


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.exception]


def _default_filters(at) -> Filters:
    filters = at.session_state["filters"]
    assert isinstance(filters, Filters)
    return filters


def _direct_count(db: Path, filters: Filters) -> int:
    with connect(db, read_only=True) as con:
        where, params = filters.where()
        return con.execute(f"SELECT count(*) FROM complaints WHERE {where}", params).fetchone()[0]


def test_distribution_page_shows_map_heatmap_treemap(app, demo_db: Path) -> None:
    at = app("pages/distribution.py").run()
    assert not _errors(at), _errors(at)
    assert len(at.get("plotly_chart")) == 4  # map, county bars, heatmap, treemap
    county_table = at.dataframe[0].value
    total = _direct_count(demo_db, _default_filters(at))  # same data as the app's copy
    assert int(county_table["complaints"].sum()) == total
    row = county_table.set_index("county").loc["清城区"]
    assert row["per_10k"] == row["complaints"] / 1_020_000 * 1e4
    sector_table = at.dataframe[1].value
    assert int(sector_table["complaints"].sum()) == total
    for table in (county_table, sector_table):  # 件次 and 事项 side by side
        assert (table["matters"] <= table["complaints"]).all() and (table["matters"] < table["complaints"]).any()
    columns = json.loads(at.dataframe[0].proto.columns)  # populations read 1,020,000, not 1020000
    assert {columns[c]["type_config"]["format"] for c in ("population", "complaints")} == {"localized"}
    for key, value in (("dist_map_value", "per_10k"), ("dist_heat_value", "per_10k"), ("dist_tree_root", "county")):
        at.radio(key=key).set_value(value).run()
        assert not _errors(at), _errors(at)
    assert len(at.get("plotly_chart")) == 4


def test_businesses_page_tabs_and_disclosure(app) -> None:
    at = app("pages/businesses.py").run()
    assert not _errors(at), _errors(at)
    assert [t.label for t in at.tabs] == ["被投诉排名", "屡被投诉", "投诉公示"]
    ranking = at.dataframe[0].value
    assert ranking["complaints"].is_monotonic_decreasing and len(ranking) == 15
    assert (ranking["matters"] <= ranking["complaints"]).all()  # 件次 and 事项 side by side
    for key in ("sector", "county"):
        at.radio(key="biz_group").set_value(key).run()
        assert not _errors(at), _errors(at)
        scope = at.selectbox(key=f"biz_scope_{key}").value
        shown = at.dataframe[0].value
        assert len(shown) > 0 and (shown[key] == scope).all()
    # Only the open tab runs; the tab is in the link like the page's other controls.
    at.session_state["biz_tab"] = "屡被投诉"
    at.run()
    assert not _errors(at), _errors(at)
    assert len(at.dataframe) == 1
    repeat = at.dataframe[0].value  # 屡被投诉
    assert list(repeat.columns)[3:5] == ["complaints", "matters"]
    assert (repeat["matters"] <= repeat["complaints"]).all()
    at = app("pages/businesses.py")
    at.query_params["biz_tab"] = "投诉公示"  # a link to the 公示 opens it
    at.run()
    assert not _errors(at), _errors(at)
    assert len(at.dataframe) == 2
    published = at.dataframe[-2].value  # 按经营者
    assert list(published.columns)[:6] == ["排名", "经营者", "行业", "区县", "投诉量", "事项"]
    assert (published["事项"] <= published["投诉量"]).all()
    assert list(at.dataframe[-1].value.columns)[2:4] == ["投诉量", "事项"]  # 按行业
    assert (published["投诉量"] >= 3).all()
    for text in published.astype(str).to_numpy().ravel():
        assert not re.search(r"\d{11}", text)
    at.number_input(key="biz_pub_min").set_value(20).run()
    assert not _errors(at)
    assert (at.dataframe[-2].value["投诉量"] >= 20).all()
