"""The browser benchmark's baseline app: the trivial page (a title, three metrics, a 20-point chart)
twice, under ``st.navigation``, so that a click in its sidebar is the same kind of page change as in
the dashboard. Served by ``streamlit run`` with the repository on ``PYTHONPATH``."""

import streamlit as st

from benchmarks.apptest_pages import trivial_page


def _first() -> None:
    trivial_page()


def _second() -> None:
    trivial_page()


st.navigation([st.Page(_first, title="基线一", url_path="one", default=True), st.Page(_second, title="基线二")]).run()
