"""Showing a figure: presentation mode and a PNG download that keeps Chinese text."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from analytics.charts.theme import presentation

PRESENTATION_KEY = "presentation_mode"
# plotly.js draws <a href=…> inside any text (tick labels, legend, hover, titles) as a live link; the
# charts never use one themselves, so in data such as a business name it is shown as text.
_LINK_TAG = re.compile(r"<(?=\s*/?\s*a\b)", re.IGNORECASE)
# Trace properties that hold text from the data (categories, labels, hover text, series names).
_TEXT_PROPS = ("x", "y", "text", "hovertext", "name", "labels", "parents", "ids", "customdata")


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def _no_links(value: Any) -> Any:
    """``value`` with link tags in its strings made inert; the very same object when it has none."""
    if isinstance(value, str):
        return _LINK_TAG.sub("&lt;", value) if _LINK_TAG.search(value) else value
    if isinstance(value, dict):
        items = {k: _no_links(v) for k, v in value.items()}
        return items if any(items[k] is not v for k, v in value.items()) else value
    if isinstance(value, list | tuple):
        parts = [_no_links(v) for v in value]
        return parts if any(a is not b for a, b in zip(parts, value, strict=True)) else value
    if isinstance(value, np.ndarray) and value.dtype.kind in "OU":
        parts = [_no_links(v) for v in value.ravel()]
        if any(a is not b for a, b in zip(parts, value.ravel(), strict=True)):
            return np.array(parts, dtype=object).reshape(value.shape)
    return value


def _inert_links(fig: go.Figure) -> go.Figure:
    """``fig``, or a copy whose data and layout text has no live link (the text props data can carry)."""
    out = fig
    for i, trace in enumerate(fig.data):
        for prop in _TEXT_PROPS:
            if prop not in trace:
                continue
            value = trace[prop]
            if value is not None and (clean := _no_links(value)) is not value:
                out = go.Figure(fig) if out is fig else out
                out.data[i][prop] = clean
    layout = fig.layout.to_plotly_json()  # small: titles, axes, annotations
    if (clean_layout := _no_links(layout)) is not layout:
        out = go.Figure(fig) if out is fig else out
        out.update_layout(clean_layout)
    return out


class Finished(go.Figure):
    """A chart as ``ui.cache.figure`` keeps it for every session: link tags already inert, never
    changed, and its plotly dict made once. ``st.plotly_chart`` asks for ``to_dict()`` on every run,
    which deep-copies and base64-encodes every array and outline (2-8 ms a chart, the county map's
    the most), and walking it for links again cost as much."""

    _sent: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self._sent is None:  # two sessions at once may both make it: the same dict
            self._sent = super().to_dict()
        return self._sent


def finished(fig: go.Figure) -> Finished:
    """``fig`` (just built, not yet shared) as a :class:`Finished` chart, its link tags made inert.
    The object itself changes class: a copy through ``go.Figure(fig)`` validates it all again."""
    fig = _inert_links(fig)
    fig.__class__ = Finished
    return fig


def show(fig: go.Figure, *, filename: str, key: str | None = None) -> None:
    """Draw ``fig``; the toolbar's camera saves a 2x PNG named ``filename`` (rendered by the browser,
    so Chinese text uses the viewer's fonts exactly as on screen). Link tags in its text are inert."""
    if presenting():
        fig = presentation(go.Figure(fig))
    st.plotly_chart(
        fig if isinstance(fig, Finished) else _inert_links(fig),
        key=key,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        },
    )
