"""The shared filter bar: period, counties, sectors, kinds, channels and keywords.

One :class:`~analytics.filters.Filters` lives in ``st.session_state[STATE_KEY]``; every page reads it
with :func:`current_filters`. It persists across pages (the session keeps it), and it is mirrored in
the URL query string (``?from=2025-01-01&to=2025-12-31&counties=清城区&q=预付卡``) so a view can be
shared as a link: a new session starts from the link's filters.

Default period: the last full calendar year of data (data from January to at least December of that
year), else all data; see :func:`analytics.queries.catalog.default_period`. A link without ``from``
/ ``to`` gets the default period; ``?from=&to=`` asks for all data.

Pages never draw the bar: ``ui.frame.render_frame()`` (dashboard.py, every run) does. A page run on
its own still gets the URL's or the default filters from :func:`current_filters`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.filters import Filters
from analytics.queries import catalog
from analytics.schema import FILTER_DIMENSIONS, filter_label
from ui import cache
from ui.router import ensure_router

STATE_KEY = "filters"
URL_KEYS = ("from", "to", *FILTER_DIMENSIONS, "q")
MAX_KEYWORD = 100  # characters; a search box, not a document
_LISTS = {name: filter_label(name) for name in FILTER_DIMENSIONS}
_PERIOD = "flt_period"
_KEYWORD = "flt_keyword"


def _widget(name: str) -> str:
    return f"flt_{name}"


def data_span() -> tuple[date | None, date | None]:
    row = cache.frame(catalog.data_span).iloc[0]
    if pd.isna(row["first"]) or pd.isna(row["last"]):
        return None, None
    return pd.Timestamp(row["first"]).date(), pd.Timestamp(row["last"]).date()


def options() -> dict[str, list[str]]:
    """The values each list filter offers, in display order."""
    df = cache.frame(catalog.filter_options)
    # One pass over a few hundred rows: a boolean mask per dimension cost 4 ms on every run.
    offered: dict[str, list[str]] = {name: [] for name in _LISTS}
    for dimension, value in zip(df["dimension"].tolist(), df["value"].tolist(), strict=True):
        if dimension in offered:
            offered[dimension].append(value)
    return offered


def default_filters() -> Filters:
    start, end = catalog.default_period(*data_span())
    return Filters(date_from=start, date_to=end)


def _sanitize(filters: Filters, offered: dict[str, list[str]] | None = None) -> Filters:
    """Keep only values the bar can show (a shared link may name a county that is not in this DB)."""
    offered = offered or options()
    lists = {name: tuple(v for v in getattr(filters, name) if v in offered[name]) for name in _LISTS}
    keyword = " ".join(filters.keyword.split())[:MAX_KEYWORD]
    start, end = filters.date_from, filters.date_to
    if start and end and start > end:
        start, end = end, start
    return replace(filters, date_from=start, date_to=end, keyword=keyword, **lists)


def _from_url() -> Filters:
    params = {k: v for k, v in st.query_params.to_dict().items() if k in URL_KEYS}
    parsed = Filters.from_query_params(params)
    default = default_filters()
    # No from/to in the link: the default period. Present but empty: all data.
    return replace(
        parsed,
        date_from=parsed.date_from if "from" in params else default.date_from,
        date_to=parsed.date_to if "to" in params else default.date_to,
    )


def current_filters() -> Filters:
    """The filters of this session (from the bar, else the URL, else the defaults)."""
    ensure_router()
    filters = st.session_state.get(STATE_KEY)
    if not isinstance(filters, Filters):
        filters = _sanitize(_from_url())
        st.session_state[STATE_KEY] = filters
    return filters


def _write_url(filters: Filters) -> None:
    """Mirror the filters in the URL, touching only the bar's own keys (pages may have theirs)."""
    wanted = filters.to_query_params()
    # Explicitly empty dates mean "all data", which differs from the default period.
    wanted.setdefault("from", "")
    wanted.setdefault("to", "")
    for key in URL_KEYS:
        value = wanted.get(key)
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def set_filters(filters: Filters) -> None:
    """Replace the session's filters (from a page's callback, e.g. a click on a county bar).

    The bar's widgets are re-seeded on the next run; call it from an ``on_click``/``on_change``
    callback or follow it with ``st.rerun()``.
    """
    st.session_state[STATE_KEY] = _sanitize(filters)
    for key in [_PERIOD, _KEYWORD, *(_widget(n) for n in _LISTS)]:
        st.session_state.pop(key, None)


def _reset() -> None:
    set_filters(default_filters())


def _seed(filters: Filters, first: date | None, last: date | None) -> None:
    """Give each widget its value from the canonical filters unless it already has one."""
    if _PERIOD not in st.session_state:
        st.session_state[_PERIOD] = (filters.date_from or first, filters.date_to or last)
    for name in _LISTS:
        st.session_state.setdefault(_widget(name), list(getattr(filters, name)))
    st.session_state.setdefault(_KEYWORD, filters.keyword)


def _period_from_widget(value: Any, previous: Filters) -> tuple[date | None, date | None]:
    # While the analyst picks a range the widget briefly holds only its start.
    if isinstance(value, tuple | list):
        if len(value) == 2:
            return value[0], value[1]
        if len(value) == 1:
            return value[0], previous.date_to
        return None, None
    return previous.date_from, previous.date_to


def filter_bar() -> Filters:
    """Draw the filter widgets (in the current container), store and return the resulting filters."""
    current = current_filters()
    first, last = data_span()
    offered = options()
    _seed(current, first, last)

    if first is not None and last is not None:
        # The range may reach beyond the data (a shared link, an old bookmark): allow it.
        low = min(d for d in (first, current.date_from) if d)
        high = max(d for d in (last, current.date_to) if d)
        st.date_input("时段", key=_PERIOD, min_value=low, max_value=high, format="YYYY-MM-DD")
    for name, label in _LISTS.items():
        st.multiselect(label, offered[name], key=_widget(name), placeholder="全部")
    st.text_input("关键词（标题或内容，空格分隔）", key=_KEYWORD, max_chars=MAX_KEYWORD, placeholder="如：预付卡 退费")
    st.button("重置筛选", on_click=_reset, width="stretch")

    start, end = _period_from_widget(st.session_state.get(_PERIOD), current) if first else (None, None)
    filters = _sanitize(
        Filters(
            date_from=start,
            date_to=end,
            keyword=str(st.session_state.get(_KEYWORD) or ""),
            **{name: tuple(st.session_state.get(_widget(name)) or ()) for name in _LISTS},
        ),
        offered,  # read once a run: each read unpickles the cached options
    )
    st.session_state[STATE_KEY] = filters
    _write_url(filters)
    return filters
