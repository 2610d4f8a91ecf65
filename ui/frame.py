"""The frame around every page (drawn by dashboard.py on each run): the sidebar with the 演示数据
label, the 投屏模式 switch and the shared filter bar; presentation-mode styling; Chinese errors.

Presentation mode (``st.session_state[ui.charts.PRESENTATION_KEY]``, or ``?present=1`` in a shared
link) hides the controls — the filter widgets and anything a page wraps in :func:`controls` — hides
Streamlit's toolbar, and enlarges fonts; ``ui.charts.show`` enlarges chart fonts. Colours are fixed
per county, sector, channel and kind in ``analytics/charts/theme.py`` whatever the mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analytics.errors import UserError
from analytics.queries import catalog
from analytics.queries.provenance import provenance
from ui import auth, cache, filters
from ui.charts import PRESENTATION_KEY, presenting
from ui.router import ensure_router
from ui.text import plain

__all__ = [
    "audited_write",
    "controls",
    "data_source",
    "demo_banner",
    "ensure_router",
    "is_demo",
    "render_frame",
    "show_user_error",
    "user_errors",
]

CONTROLS_PREFIX = "controls-"  # containers keyed with it disappear in presentation mode
_URL_PRESENT = "present"

_PRESENTATION_CSS = f"""
<style>
html {{ font-size: 20px; }}
[data-testid="stSidebarUserContent"] [class*="st-key-{CONTROLS_PREFIX}"],
[data-testid="stMain"] [class*="st-key-{CONTROLS_PREFIX}"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{ display: none; }}
[data-testid="stMetricValue"] {{ font-size: 3.2rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.3rem; }}
[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p {{ white-space: normal; }}
h1 {{ font-size: 2.6rem; }}
</style>
"""


def controls(name: str) -> DeltaGenerator:
    """A container for a page's controls (drill-down widgets, pickers): hidden in presentation mode.

    ``with ui.frame.controls("explore-drilldown"): st.selectbox(...)`` — hidden by CSS only, so the
    widgets keep their values when the presenter switches back.
    """
    return st.container(key=CONTROLS_PREFIX + name)


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a :class:`UserError` raised inside the block as a Chinese error box, no traceback."""
    try:
        yield
    except UserError as exc:
        show_user_error(exc)


def show_user_error(exc: UserError) -> None:
    # Messages quote file names, labels and values the user gave: shown as text, never as Markdown.
    st.error(plain(exc.zh), icon="⚠️")


def audited_write(action: str, write: Callable[..., Any], *args: Any) -> None:
    """One analyst's write from a page (topic or matter curation): refused unless the user's role
    allows ``action``, run on the write connection as that user (the engine audits it), then the
    page runs again on the new data; a refusal or bad input is shown in Chinese."""
    try:
        user = auth.require(action)
        with cache.writing() as cur:
            write(cur, *args, actor=user.actor)
    except UserError as exc:
        show_user_error(exc)
        return
    st.rerun()


def is_demo() -> bool:
    """Whether the rows the filters select include demo rows (the sidebar's 演示数据 badge)."""
    return bool(cache.frame(catalog.dataset_label, filters.current_filters()).iloc[0]["is_demo"])


def data_source() -> str:
    """The data source of the rows the filters select, named in chart titles (演示数据 for demo rows)."""
    return str(cache.frame(catalog.dataset_label, filters.current_filters()).iloc[0]["source"])


def demo_banner() -> None:
    """A visible 演示数据 line at the top of the page when the rows the filters select include demo
    rows, with their share when real imports are mixed in (the rule: analytics.queries.provenance);
    a quiet line saying the rows are real otherwise."""
    found = cache.frame(provenance, filters.current_filters())
    if found.has_demo:
        st.markdown(f":orange-badge[:material/science: {found.mark}] :small[{found.banner()}]")
    elif found.real_rows:
        st.caption(f"当前显示的 {found.real_rows:,} 条投诉均为导入的真实数据。")


def _init_presentation() -> None:
    if PRESENTATION_KEY not in st.session_state:
        st.session_state[PRESENTATION_KEY] = st.query_params.get(_URL_PRESENT) == "1"


def _sync_presentation_url() -> None:
    if presenting():
        st.query_params[_URL_PRESENT] = "1"
    elif _URL_PRESENT in st.query_params:
        del st.query_params[_URL_PRESENT]


def render_frame() -> None:
    """Sidebar (demo label, presentation switch, filter bar), page styling and the demo banner.

    Stops the run with a Chinese message when the database cannot be opened.
    """
    _init_presentation()
    try:
        with st.sidebar:
            badge = st.empty()  # on top, filled once the filter bar has said which rows are shown
            st.toggle("投屏模式", key=PRESENTATION_KEY, help="隐藏筛选和控件、放大字体，适合联席会议投屏")
            with st.container(key=CONTROLS_PREFIX + "filters"):
                st.markdown("**筛选**")
                current = filters.filter_bar()
            st.caption(plain(current.describe()))  # keywords come from the URL, i.e. anyone's link
            if is_demo():
                badge.badge("演示数据", icon=":material/science:", color="orange")
    except UserError as exc:
        show_user_error(exc)
        st.stop()
    _sync_presentation_url()
    if presenting():
        st.html(_PRESENTATION_CSS)
    demo_banner()
