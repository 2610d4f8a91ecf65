"""User text in Markdown-rendering elements: :func:`plain` makes it show as the characters it is.

Complaint titles, business names, topic labels and renames, file and sheet names, keywords typed
into a shared link: all of it comes from outside. Put in ``st.markdown``/``st.caption``/``st.info``
… (or a widget label) as is, ``![b](http://host/x.png)`` makes every viewer's browser fetch that
URL and ``[点此领取退款](http://phish.example)`` is a live link. Prefer ``st.text``, ``st.code`` or a
dataframe for long text; where it sits inside a Markdown line, pass it through :func:`plain`.
"""

from __future__ import annotations

import math
import re

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and together they
# cover links, images, emphasis, code, headings, lists, tables, HTML, LaTeX ($), autolinks (: . @),
# entities (&) and Streamlit's :colour[...] / :material/icon: directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: object) -> str:
    """``value`` as Markdown that renders exactly as its text, on one line (None/NaN: "")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    # One line: a newline in a title would otherwise start a heading, list or table row.
    text = " ".join(str(value).split())
    return _PUNCTUATION.sub(r"\\\1", text)
