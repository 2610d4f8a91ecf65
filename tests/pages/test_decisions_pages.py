"""预警 and 时效 pages: run on their own, show alerts with evidence and drill-down, and the 98% view."""

from __future__ import annotations

import json
from datetime import timedelta

from streamlit.proto.Metric_pb2 import Metric as MetricProto

from analytics.demo import EVENTS
from analytics.schema import labels


def test_alerts_page_shows_a_planted_burst(app) -> None:
    event = EVENTS[0]
    at = app("pages/alerts.py").run()
    assert not at.exception
    at.date_input(key="al_as_of").set_value(event.start + timedelta(days=3)).run()
    assert not at.exception, [e.value for e in at.exception]
    total = next(m.value for m in at.metric if m.label == "预警总数")
    assert int(total) >= 2
    options = at.selectbox(key="al_pick").options
    assert any(event.business in o for o in options)
    assert all("个事项）" in o for o in options)  # each alert's 件次 with its 事项
    # the list, the complaints behind the chosen alert; and a chart
    assert len(at.dataframe) == 2
    listed = at.dataframe[0].value
    assert list(listed.columns[5:7]) == ["observed", "matters"]  # 实际 (件次) then 事项
    assert (listed["matters"] <= listed["observed"]).all() and (listed["matters"] >= 1).all()
    complaints = at.dataframe[1].value
    assert len(complaints) > 0 and complaints["received_at"].min().date() >= event.start - timedelta(days=7)
    # every column the drill returns is shown under the one name analytics.schema gives it
    config = json.loads(at.dataframe[1].proto.columns)
    assert {c: config[c]["label"] for c in complaints.columns} == labels(*complaints.columns)
    assert any("期望" in m.value for m in at.markdown)


def test_alerts_page_lists_what_the_command_lists(app, demo_db, demo_db_copy, capsys) -> None:
    """The same day gives the same alerts on the page and from ``alerts --as-of DAY`` (topic × county
    and new-topic alerts included); the default day is the latest receipt, not a later closure. The
    command runs on its own copy of the demo: the app holds its database open in this process."""
    import json

    import duckdb

    from analytics.cli import main

    at = app("pages/alerts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    with duckdb.connect(str(demo_db), read_only=True) as con:
        latest = con.execute("SELECT max(received_at)::DATE FROM complaints").fetchone()[0]
    assert at.date_input(key="al_as_of").value == latest
    day = EVENTS[0].start + timedelta(days=3)
    at.date_input(key="al_as_of").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    assert main(["alerts", "--db", str(demo_db_copy), "--as-of", day.isoformat(), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)["alerts"]
    assert int(next(m.value for m in at.metric if m.label == "预警总数")) == len(cli) == len(shown)
    assert sorted(zip(shown["dimension_label"], shown["subject"], shown["window"], strict=True)) == sorted(
        (a["dimension_label"], a["subject"], a["window"]) for a in cli
    )


def test_timeliness_page_metrics_and_breakdown(app) -> None:
    at = app("pages/timeliness.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["按时办结率", "应办结件数", "超期未办结"]
    assert next(m.value for m in at.metric if m.label == "按时办结率").endswith("%")
    rate = next(m for m in at.metric if m.label == "按时办结率")
    below = float(rate.value.rstrip("%")) < 98
    assert rate.delta.startswith("-" if below else "+")
    assert rate.proto.color == (MetricProto.MetricColor.RED if below else MetricProto.MetricColor.GREEN)
    at.radio(key="tl_by").set_value("kind").run()
    assert not at.exception
    kinds = set(at.dataframe[0].value["group"])
    assert kinds and kinds <= {"咨询", "求助", "建议", "投诉", "举报", "其他"}
