"""A page's own controls in the link: ``?hot_year=2024&tl_by=county`` opens the view it was made for.

The shared filters live in the URL through ui/filters.py; the controls a page draws itself (the
热点 year, the 预警 date, the 时效 grouping …) do the same here. The parameter is the widget's key.
A page asks for the widget's starting value (the link's, when it is one the widget offers, else the
page's default) and, after drawing it, :func:`keep` writes the current value back, so a copied link
— a presentation-mode link included — reproduces the view. A bad value in a link is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

import streamlit as st

Number = TypeVar("Number", int, float)


def _wanted(key: str) -> str | None:
    return st.query_params.get(key)


def index(key: str, options: Sequence[Any], default: int = 0) -> int:
    """The option index for a selectbox / radio ``key``: the link's value when it is one of ``options``."""
    wanted = _wanted(key)
    for i, option in enumerate(options):
        if wanted is not None and _text(option) == wanted:
            return i
    return default


def option(key: str, options: Sequence[Any], default: Any) -> Any:
    """The starting option (for widgets that take a value, e.g. segmented_control)."""
    return options[index(key, options, list(options).index(default))]


def day(key: str, default: date) -> date:
    """The starting day of a date_input ``key`` (?key=2025-03-14)."""
    try:
        return date.fromisoformat(_wanted(key) or "")
    except ValueError:
        return default


def number(key: str, default: Number, lowest: Number, highest: Number) -> Number:
    """The starting value of a slider / number_input ``key``, of ``default``'s type (a page number,
    a 热点 weight: ?hot_w_growth=2.5), within its bounds."""
    try:
        value = type(default)(_wanted(key) or "")
    except ValueError:
        return default
    return value if lowest <= value <= highest else default


def flag(key: str, default: bool) -> bool:
    """The starting state of a toggle / checkbox ``key`` (?key=1 or ?key=0)."""
    return {"1": True, "0": False}.get(_wanted(key) or "", default)


def radio(label: str, choices: dict[Any, str], key: str, *, where: Any = st, **kwargs: Any) -> Any:
    """A horizontal radio over ``choices`` (value -> label) drawn in ``where`` (st or a column),
    starting from the link's value and written back to it: the page's control in one call."""
    options = list(choices)
    value = where.radio(
        label, options, index=index(key, options), format_func=choices.get, horizontal=True, key=key, **kwargs
    )
    keep(key, value)
    return value


def choices(key: str, options: Sequence[Any], default: Sequence[Any]) -> list[Any]:
    """The starting selection of a multiselect ``key`` (?topic_trend=12,3): the link's values that
    are among ``options``, else ``default``."""
    wanted = (_wanted(key) or "").split(",")
    chosen = [option for option in options if _text(option) in wanted]
    return chosen or list(default)


_NO_DEFAULT = object()


def keep(key: str, value: Any, *, default: Any = _NO_DEFAULT) -> None:
    """Mirror the control's current value in the URL (written only when it changed). With a
    ``default``, the default value leaves the link (eight weight sliders at their defaults add nothing)."""
    if default is not _NO_DEFAULT and value == default:
        if key in st.query_params:
            del st.query_params[key]
        return
    text = _text(value)
    if _wanted(key) != text:
        st.query_params[key] = text


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
