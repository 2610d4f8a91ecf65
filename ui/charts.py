"""Showing a figure: presentation mode and a PNG download that keeps Chinese text."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from analytics.charts.theme import presentation

PRESENTATION_KEY = "presentation_mode"


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def show(fig: go.Figure, *, filename: str, key: str | None = None) -> None:
    """Draw ``fig``; the toolbar's camera saves a 2x PNG named ``filename`` (rendered by the browser,
    so Chinese text uses the viewer's fonts exactly as on screen)."""
    if presenting():
        fig = presentation(go.Figure(fig))
    st.plotly_chart(
        fig,
        key=key,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        },
    )
