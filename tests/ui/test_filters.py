"""The shared filter bar: defaults, links (URL query string) in and out, sanitising, persistence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from analytics.filters import Filters
from analytics.queries import catalog

TIMEOUT = 120


def _current() -> None:
    import streamlit as st

    from ui.filters import current_filters

    st.session_state["seen"] = current_filters()


def _bar() -> None:
    import streamlit as st

    from ui.filters import current_filters, filter_bar

    with st.sidebar:
        filter_bar()
    st.session_state["seen"] = current_filters()


def _span(path: Path) -> tuple[date, date]:
    # Read the original: the copy is open read-write in this process by the app's cached connection.
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = catalog.data_span(con).iloc[0]
    finally:
        con.close()
    return row["first"].date(), row["last"].date()


def test_default_is_last_full_year_without_any_state(demo_db: Path, ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = AppTest.from_function(_current, default_timeout=TIMEOUT).run()
    assert not at.exception
    start, end = catalog.default_period(*_span(demo_db))  # ui_db is a copy of demo_db
    assert at.session_state["seen"] == Filters(date_from=start, date_to=end)
    assert (start, end) == (date(2025, 1, 1), date(2025, 12, 31))  # the demo covers 2021–2025


def test_link_sets_filters_and_drops_unknown_values(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = AppTest.from_function(_current, default_timeout=TIMEOUT)
    at.query_params.update({"counties": "清城区,火星县", "kinds": "投诉", "q": "  预付卡   退费 ", "sectors": "健身"})
    at.run()
    seen = at.session_state["seen"]
    assert seen.counties == ("清城区",)  # a county this database does not know is dropped
    assert seen.kinds == ("投诉",) and seen.sectors == ("健身",)
    assert seen.keyword == "预付卡 退费"
    assert (seen.date_from, seen.date_to) == (date(2025, 1, 1), date(2025, 12, 31))  # no dates: default


def test_link_with_empty_dates_means_all_data(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = AppTest.from_function(_current, default_timeout=TIMEOUT)
    at.query_params.update({"from": "", "to": ""})
    at.run()
    assert at.session_state["seen"] == Filters()


def test_link_with_reversed_or_broken_dates(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = AppTest.from_function(_current, default_timeout=TIMEOUT)
    at.query_params.update({"from": "2024-06-30", "to": "2024-01-01"})
    at.run()
    seen = at.session_state["seen"]
    assert (seen.date_from, seen.date_to) == (date(2024, 1, 1), date(2024, 6, 30))
    at = AppTest.from_function(_current, default_timeout=TIMEOUT)
    at.query_params.update({"from": "昨天", "to": "2024-13-45"})
    at.run()
    assert not at.exception
    assert (at.session_state["seen"].date_from, at.session_state["seen"].date_to) == (None, None)


def test_bar_writes_the_view_into_the_url(ui_db: Path, use_db) -> None:
    use_db(ui_db)
    at = AppTest.from_function(_bar, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.query_params["from"] in ("2025-01-01", ["2025-01-01"])
    at.sidebar.multiselect(key="flt_sources").set_value(["12315", "消委会"]).run()
    at.sidebar.date_input(key="flt_period").set_value((date(2023, 2, 1), date(2023, 4, 30))).run()
    seen = at.session_state["seen"]
    assert seen.sources == ("12315", "消委会")
    assert (seen.date_from, seen.date_to) == (date(2023, 2, 1), date(2023, 4, 30))
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    # The link reproduces the view in a new session.
    assert Filters.from_query_params(params) == seen
    again = AppTest.from_function(_current, default_timeout=TIMEOUT)
    again.query_params.update(params)
    again.run()
    assert again.session_state["seen"] == seen


def test_filters_persist_when_the_bar_is_not_drawn(ui_db: Path, use_db) -> None:
    """A page that only reads current_filters() sees what the bar set earlier in the session."""
    use_db(ui_db)
    at = AppTest.from_function(_bar, default_timeout=TIMEOUT).run()
    at.sidebar.multiselect(key="flt_counties").set_value(["英德市"]).run()
    chosen = at.session_state["seen"]
    assert chosen.counties == ("英德市",)
    assert at.session_state["filters"] == chosen
