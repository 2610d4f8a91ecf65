"""热点 page: shortlist, score breakdown, weight sliders, per-hotspot charts, events, downloads."""

from __future__ import annotations

import json

from analytics.hotspots import COMPONENTS
from analytics.schema import labels as schema_labels


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.exception]


def test_hotspots_page_shortlist_sliders_and_drilldown(app) -> None:
    at = app("pages/hotspots.py").run()
    assert not _errors(at), _errors(at)
    ranking = at.dataframe[0].value
    assert list(ranking["rank"]) == list(range(1, len(ranking) + 1))
    assert 2 <= int(ranking["shortlisted"].sum()) <= 4
    assert ranking["why"].str.startswith("排第").all()
    # 件次 and 事项 side by side; the demo plants repeat callers, so some hotspot has fewer matters.
    assert (ranking["matters"] <= ranking["size"]).all() and (ranking["matters"] < ranking["size"]).any()
    assert ranking["why"].str.contains("个事项").any()  # volume is counted in matters by default
    assert any("本期重点热点" in m.value for m in at.markdown)
    # breakdown, trend, counties, sectors of the chosen hotspot; only the open tab runs
    assert len(at.get("plotly_chart")) == 4
    assert len(at.get("download_button")) >= 1

    # Only breadth counts: the ranking follows breadth alone.
    for name in COMPONENTS:
        at.slider(key=f"hot_w_{name}").set_value(1.0 if name == "breadth" else 0.0)
    at.run()
    assert not _errors(at), _errors(at)
    reweighted = at.dataframe[0].value
    assert reweighted["score"].is_monotonic_decreasing
    assert set(reweighted["label"]) == set(ranking["label"])

    # Pick another hotspot: its complaints table follows.
    labels = at.selectbox(key="hot_pick").options
    at.selectbox(key="hot_pick").set_value(at.selectbox(key="hot_pick").value).run()
    assert len(labels) == len(ranking)
    assert not _errors(at), _errors(at)

    # The events tab: its hotness chart, its download and one event's complaints.
    at.session_state["hot_tab"] = "热点事件"
    at.run()
    assert not _errors(at), _errors(at)
    assert len(at.get("plotly_chart")) == 1 and len(at.get("download_button")) == 1
    assert at.selectbox(key="hot_event_pick").options and len(at.dataframe) == 2
    # The event's complaints are named as every complaint table names them (ui.tables.complaint_columns):
    # the schema's labels, the time a date.
    texts, config = at.dataframe[1].value, json.loads(at.dataframe[1].proto.columns)
    assert {c: config[c]["label"] for c in texts.columns} == schema_labels(*texts.columns)
    assert config["received_at"]["type_config"] == {"type": "datetime", "format": "YYYY-MM-DD"}


def test_a_link_opens_the_events_tab(app) -> None:
    at = app("pages/hotspots.py")
    at.query_params["hot_tab"] = "热点事件"
    at.run()
    assert not _errors(at), _errors(at)
    assert len(at.get("plotly_chart")) == 1 and "hot_pick" not in at.session_state


def test_a_hotspot_says_which_topics_were_merged_into_it(app, app_db) -> None:
    from analytics.hotspots import rank_issues
    from analytics.store import connect

    at = app("pages/hotspots.py").run()
    year = int(at.selectbox(key="hot_year").value)
    with connect(app_db) as con:  # same configuration as the app's cached connection
        ranking = rank_issues(con, year=year).ranking
    merged = ranking[ranking["merged_topics"].map(len) > 0]
    assert not merged.empty  # the seeded demo's latest year has merged fragments
    topic_id = int(merged.iloc[0]["topic_id"])
    at.selectbox(key="hot_pick").set_value(topic_id).run()
    assert not _errors(at), _errors(at)
    note = next(c.value for c in at.caption if "已并入相近话题" in c.value)
    assert all(f"（{int(t)}）" in note for t in merged.iloc[0]["merged_topics"])
