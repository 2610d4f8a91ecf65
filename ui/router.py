"""Keep every run going through dashboard.py, the router (see :func:`ensure_router`)."""

from __future__ import annotations

import streamlit as st


def ensure_router() -> None:
    """Make a page that Streamlit started on its own rerun through dashboard.py.

    Streamlit keeps a process-wide "pages/ directory" mode (multipage v1) until some run calls
    ``st.navigation``. On a fresh server whose first request is a deep link (``/explore?...``, a
    shared view), it runs ``pages/explore.py`` directly: no frame, no filter bar, a file-name menu,
    and it stays so for every session. A page that finds itself in that mode switches it off and
    reruns, which runs dashboard.py (the router) for the same page. Called by
    ``ui.filters.current_filters`` and ``ui.cache.frame``, so every page does it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
