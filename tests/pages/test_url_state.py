"""A page's own controls come from the link and go back into it (ui/url_state.py)."""

from __future__ import annotations

from datetime import date

from analytics.demo import EVENTS
from analytics.hotspots import load_weights


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.exception]


def test_hotspot_year_comes_from_the_link(app) -> None:
    at = app("pages/hotspots.py")
    at.query_params["hot_year"] = "2023"
    at.run()
    assert not _errors(at), _errors(at)
    assert at.selectbox(key="hot_year").value == 2023
    assert at.query_params["hot_year"] == ["2023"] or at.query_params["hot_year"] == "2023"


def test_page_controls_come_from_the_link_and_bad_values_are_ignored(app) -> None:
    day = EVENTS[0].start
    at = app("pages/alerts.py")
    at.query_params["al_as_of"] = day.isoformat()
    at.query_params["al_weeks"] = "4"
    at.run()
    assert not _errors(at), _errors(at)
    assert at.date_input(key="al_as_of").value == day and at.radio(key="al_weeks").value == 4

    at = app("pages/timeliness.py")
    at.query_params["tl_by"] = "kind"
    at.query_params["tl_as_of"] = "2024-02-30"  # not a day: the default is used
    at.run()
    assert not _errors(at), _errors(at)
    assert at.radio(key="tl_by").value == "kind" and at.date_input(key="tl_as_of").value > date(2024, 3, 1)

    at = app("pages/distribution.py")
    at.query_params["dist_map_value"] = "per_10k"
    at.query_params["dist_tree_root"] = "nonsense"
    at.run()
    assert not _errors(at), _errors(at)
    assert at.radio(key="dist_map_value").value == "per_10k" and at.radio(key="dist_tree_root").value == "sector"
    at.radio(key="dist_tree_root").set_value("county").run()
    assert "county" in str(at.query_params["dist_tree_root"])  # a copied link keeps the choice


def test_hotspot_weights_come_from_the_link_and_defaults_stay_out_of_it(app) -> None:
    at = app("pages/hotspots.py")
    at.query_params["hot_w_growth"] = "3.5"
    at.query_params["hot_w_breadth"] = "9"  # beyond the slider: the default is used
    at.run()
    assert not _errors(at), _errors(at)
    defaults = load_weights()
    assert at.slider(key="hot_w_growth").value == 3.5
    assert at.slider(key="hot_w_breadth").value == defaults["breadth"].weight
    assert "hot_w_breadth" not in at.query_params and "hot_w_volume" not in at.query_params
    at.slider(key="hot_w_volume").set_value(4.5).run()
    assert "4.5" in str(at.query_params["hot_w_volume"])  # a copied link keeps the meeting's weights


def test_picks_pages_and_chosen_topics_come_from_the_link(app) -> None:
    """预警's chosen alert, 探索's page and page size, 话题's trend topics: a copied link reopens them."""
    day = EVENTS[0].start
    at = app("pages/alerts.py")
    at.query_params["al_as_of"] = day.isoformat()
    at.run()
    options = at.selectbox(key="al_pick").options
    assert len(options) >= 2, "the planted burst's day has several alerts"
    at.selectbox(key="al_pick").set_value(1).run()
    about = at.query_params["al_pick"]
    about = about[0] if isinstance(about, list) else about
    assert "：" in about and not about.isdigit()  # what the alert is about, not its place in the list
    at = app("pages/alerts.py")
    at.query_params["al_as_of"] = day.isoformat()
    at.query_params["al_pick"] = about
    at.run()
    assert not _errors(at), _errors(at)
    assert at.selectbox(key="al_pick").index == 1

    at = app("pages/explore.py")
    at.query_params["explore_page_size"] = "20"
    at.query_params["explore_page"] = "3"
    at.run()
    assert not _errors(at), _errors(at)
    assert at.selectbox(key="explore_page_size").value == 20 and at.number_input(key="explore_page").value == 3
    at.number_input(key="explore_page").set_value(4).run()
    assert "4" in str(at.query_params["explore_page"])

    at = app("pages/topics.py").run()
    default = at.multiselect(key="topic_trend").value
    assert len(default) == 5 and "topic_trend" not in at.query_params  # the default five stay out of the link
    at = app("pages/topics.py")
    at.query_params["topic_trend"] = ",".join(str(t) for t in default[:2])
    at.run()
    assert not _errors(at), _errors(at)
    assert at.multiselect(key="topic_trend").value == default[:2]
