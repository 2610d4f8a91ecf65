"""话题 page: topic list, charts, drill-down and the curation controls, run on its own by AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.store import connect


@pytest.fixture
def app_db(demo_db_copy: Path) -> Path:
    """This test writes curation, so it gets a private copy instead of the shared one."""
    return demo_db_copy


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.exception]


def test_topics_page_lists_topics_and_curates(app, app_db: Path) -> None:
    at = app("pages/topics.py").run()
    assert not _errors(at), _errors(at)
    assert len(at.get("plotly_chart")) == 3  # sizes, trend, topic × county heatmap
    topics = at.dataframe[0].value
    assert len(topics) >= 5 and topics["size"].sum() > 0
    members = at.dataframe[-1].value
    assert len(members) > 0 and "complaint_id" in members.columns

    topic_id = int(at.selectbox(key="topic_drill").value)
    at.text_input(key="topic_rename").set_value("测试话题名称").run()
    at.button(key="topic_rename_btn").click().run()
    assert not _errors(at), _errors(at)
    with connect(app_db) as con:
        label = con.execute("SELECT label FROM topic_curation WHERE topic_id = ?", [topic_id]).fetchall()[0][0]
    assert label == "测试话题名称"
    assert "测试话题名称" in set(at.dataframe[0].value["label"])
    at.button(key="topic_pin_btn").click().run()
    assert not _errors(at), _errors(at)
    assert at.dataframe[0].value.iloc[0]["topic_id"] == topic_id  # pinned topics come first


def _table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_topic_drill_down_lists_its_events_and_filters_by_one(app, app_db: Path) -> None:
    at = app("pages/topics.py").run()
    topics = at.dataframe[0].value
    with connect(app_db) as con:  # same configuration as the app's cached connection
        with_events = {
            int(t)
            for (t,) in con.execute(
                "SELECT DISTINCT parent_topic_id FROM topics WHERE level = 'event' "
                "AND run_id = (SELECT run_id FROM topic_runs ORDER BY created_at DESC LIMIT 1)"
            ).fetchall()
        }
    topic_id = next(int(t) for t in topics["topic_id"] if int(t) in with_events)
    at.selectbox(key="topic_drill").set_value(topic_id).run()
    assert not _errors(at), _errors(at)
    events = _table_with(at, "event_id")
    assert len(events) >= 1 and (events["n"] >= 2).all()  # an event is two or more complaints (EventClusterer.min_size)
    assert list(events.columns[2:4]) == ["n", "matters"] and (events["matters"].between(1, events["n"])).all()
    options = at.selectbox(key=f"topic_event_{topic_id}").options
    assert all("个事项）" in o for o in options[1:])  # 全部投诉, then each event's 件次 and 事项
    chosen = int(events.iloc[0]["event_id"])
    at.selectbox(key=f"topic_event_{topic_id}").set_value(chosen).run()
    assert not _errors(at), _errors(at)
    members = _table_with(at, "complaint_id")
    assert len(members) == min(200, int(events.iloc[0]["n"]))
